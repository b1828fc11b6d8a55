"""history rows carry when the project entered the step it left (whole stays for
analytics), indexes for analytics' date ranges

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 21:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("wfm_project_history", schema=None) as batch_op:
        batch_op.add_column(sa.Column("from_entered_at", sa.DateTime(timezone=True), nullable=True))
    # A move's stay began at the project's previous move, or at its creation for the first.
    op.execute(
        """
        UPDATE wfm_project_history SET from_entered_at = COALESCE(
            (SELECT max(earlier.changed_at) FROM wfm_project_history AS earlier
             WHERE earlier.wfm_project_id = wfm_project_history.wfm_project_id
               AND earlier.changed_at < wfm_project_history.changed_at),
            (SELECT p.created_at FROM wfm_projects AS p
             WHERE p.id = wfm_project_history.wfm_project_id))
        """
    )
    with op.batch_alter_table("wfm_project_history", schema=None) as batch_op:
        batch_op.create_index("idx_wfm_project_history_entered", ["from_entered_at"], unique=False)
        batch_op.create_index("idx_wfm_project_history_changed", ["changed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("wfm_project_history", schema=None) as batch_op:
        batch_op.drop_index("idx_wfm_project_history_changed")
        batch_op.drop_index("idx_wfm_project_history_entered")
        batch_op.drop_column("from_entered_at")
