"""Lead time from the booking engine, and staff working time for contacts per full-time staff.

`leadtimerecord` holds the engine's first free online time per office, area and morning (the
controlling lead time reads it). `staffuser.weekly_hours` gives each person's contracted week, so
contacts can be counted per full-time equivalent; existing staff count as full time (39 hours).

Revision ID: d4a8e2f1c6b3
Revises: b3c1f0a7d2e9
Create Date: 2026-12-02 15:20:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "d4a8e2f1c6b3"
down_revision: Union[str, Sequence[str], None] = "b3c1f0a7d2e9"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "leadtimerecord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("service_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("first_free_at", sa.DateTime(), nullable=True),
        sa.Column("lead_days", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id", "area", "day", name="uq_lead_time"),
    )
    with op.batch_alter_table("leadtimerecord", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_leadtimerecord_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_leadtimerecord_office_id"), ["office_id"], unique=False)

    with op.batch_alter_table("staffuser", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weekly_hours", sa.Float(), nullable=False, server_default="39"))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("staffuser", schema=None) as batch_op:
        batch_op.drop_column("weekly_hours")
    with op.batch_alter_table("leadtimerecord", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leadtimerecord_office_id"))
        batch_op.drop_index(batch_op.f("ix_leadtimerecord_day"))
    op.drop_table("leadtimerecord")
