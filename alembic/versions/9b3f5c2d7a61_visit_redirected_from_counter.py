"""Visits remember the counter that sent them on to another area, so it does not call them back.

Revision ID: 9b3f5c2d7a61
Revises: 4d643c8eb260
Create Date: 2026-12-02 11:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '9b3f5c2d7a61'
down_revision: Union[str, Sequence[str], None] = '4d643c8eb260'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('redirected_from_counter_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_visit_redirected_from_counter', 'counter',
                                    ['redirected_from_counter_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_constraint('fk_visit_redirected_from_counter', type_='foreignkey')
        batch_op.drop_column('redirected_from_counter_id')
