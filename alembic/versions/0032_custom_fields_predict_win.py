"""custom fields an admin marks as predictors of the learned win chance

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-06 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("custom_field_definitions") as table:
        table.add_column(
            sa.Column("predicts_win", sa.Boolean(), server_default=sa.text("false"), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("custom_field_definitions") as table:
        table.drop_column("predicts_win")
