"""Failed logins are counted per name and address in their own table; the account columns go.

Revision ID: 7c1e2a9d4b10
Revises: 524b6bd85545
Create Date: 2026-12-02 01:45:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = '7c1e2a9d4b10'
down_revision: Union[str, Sequence[str], None] = '524b6bd85545'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('loginfailure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('client_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('loginfailure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loginfailure_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_loginfailure_client_key'), ['client_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_loginfailure_name_key'), ['name_key'], unique=False)
    with op.batch_alter_table('staffuser', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('staffuser', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
    with op.batch_alter_table('loginfailure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loginfailure_name_key'))
        batch_op.drop_index(batch_op.f('ix_loginfailure_client_key'))
        batch_op.drop_index(batch_op.f('ix_loginfailure_at'))
    op.drop_table('loginfailure')
