"""history rows say what they record: a move, or a card migrated to another workflow

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("wfm_project_history", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.Text(), server_default="move", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("wfm_project_history", schema=None) as batch_op:
        batch_op.drop_column("kind")
