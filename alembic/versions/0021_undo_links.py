"""an undo is a move that says which move it undoes

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("wfm_project_history") as batch:
        batch.add_column(sa.Column("undoes_history_id", sa.Uuid(), nullable=True))
        batch.create_foreign_key(
            "fk_wfm_project_history_undoes_history_id_wfm_project_history",
            "wfm_project_history",
            ["undoes_history_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("wfm_project_history") as batch:
        batch.drop_constraint(
            "fk_wfm_project_history_undoes_history_id_wfm_project_history", type_="foreignkey"
        )
        batch.drop_column("undoes_history_id")
