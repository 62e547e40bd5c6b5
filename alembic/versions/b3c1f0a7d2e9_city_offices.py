"""A city of offices: office kind, per-office catalogues, a city admin's acting office, feed problems per office.

Existing catalogue rows belong to the first office (installations before this had one office). Feed
problems of applied files get the office their message was addressed to; quarantined files stay
without one.

Revision ID: b3c1f0a7d2e9
Revises: c7504dea8c83
Create Date: 2026-12-02 11:40:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "b3c1f0a7d2e9"
down_revision: Union[str, Sequence[str], None] = "c7504dea8c83"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default="buergerbuero"))

    with op.batch_alter_table("usersession", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acting_office_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_usersession_acting_office", "office", ["acting_office_id"], ["id"])

    with op.batch_alter_table("feedrejection", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_feedrejection_office_id"), ["office_id"], unique=False)
        batch_op.create_foreign_key("fk_feedrejection_office", "office", ["office_id"], ["id"])
    op.execute(
        "UPDATE feedrejection SET office_id = (SELECT office.id FROM feedmessage JOIN office "
        "ON office.code = feedmessage.office_code WHERE feedmessage.message_id = feedrejection.message_id) "
        "WHERE message_id IS NOT NULL"
    )

    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_id", sa.Integer(), nullable=True))
    op.execute("UPDATE service SET office_id = (SELECT MIN(id) FROM office)")
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.alter_column("office_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_index(batch_op.f("ix_service_code"))
        batch_op.create_index(batch_op.f("ix_service_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_office_id"), ["office_id"], unique=False)
        batch_op.create_unique_constraint("uq_service_office_code", ["office_id", "code"])
        batch_op.create_foreign_key("fk_service_office", "office", ["office_id"], ["id"])


def downgrade() -> None:
    """Downgrade schema (every office's catalogue but the first is lost: codes are unique again)."""
    op.execute("DELETE FROM service WHERE office_id <> (SELECT MIN(id) FROM office)")
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_constraint("fk_service_office", type_="foreignkey")
        batch_op.drop_constraint("uq_service_office_code", type_="unique")
        batch_op.drop_index(batch_op.f("ix_service_office_id"))
        batch_op.drop_index(batch_op.f("ix_service_code"))
        batch_op.create_index(batch_op.f("ix_service_code"), ["code"], unique=True)
        batch_op.drop_column("office_id")
    with op.batch_alter_table("feedrejection", schema=None) as batch_op:
        batch_op.drop_constraint("fk_feedrejection_office", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_feedrejection_office_id"))
        batch_op.drop_column("office_id")
    with op.batch_alter_table("usersession", schema=None) as batch_op:
        batch_op.drop_constraint("fk_usersession_acting_office", type_="foreignkey")
        batch_op.drop_column("acting_office_id")
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.drop_column("kind")
