"""workflow versions: family, number and state (live, draft, superseded)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 22:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workflows", schema=None) as batch_op:
        batch_op.add_column(sa.Column("family_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(
            sa.Column("version_state", sa.Text(), server_default="live", nullable=False)
        )
        batch_op.create_foreign_key(
            "fk_workflows_family_id_workflows", "workflows", ["family_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("workflows", schema=None) as batch_op:
        batch_op.drop_constraint("fk_workflows_family_id_workflows", type_="foreignkey")
        batch_op.drop_column("version_state")
        batch_op.drop_column("version")
        batch_op.drop_column("family_id")
