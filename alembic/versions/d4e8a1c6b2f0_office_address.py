"""Office address, shown to citizens who choose an office when booking.

Revision ID: d4e8a1c6b2f0
Revises: d4a8e2f1c6b3
Create Date: 2026-12-02 15:20:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "d4e8a1c6b2f0"
down_revision: Union[str, Sequence[str], None] = "d4a8e2f1c6b3"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=""))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.drop_column("address")
