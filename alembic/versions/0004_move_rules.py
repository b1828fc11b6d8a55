"""move rules: transition conditions; comment, values and override on history

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("workflow_transitions") as batch:
        batch.add_column(sa.Column("conditions", JSON, nullable=True))
    with op.batch_alter_table("wfm_project_history") as batch:
        batch.add_column(sa.Column("comment", sa.Text(), nullable=True))
        batch.add_column(sa.Column("move_values", JSON, nullable=True))
        batch.add_column(
            sa.Column("wip_override", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("wfm_project_history") as batch:
        batch.drop_column("wip_override")
        batch.drop_column("move_values")
        batch.drop_column("comment")
    with op.batch_alter_table("workflow_transitions") as batch:
        batch.drop_column("conditions")
