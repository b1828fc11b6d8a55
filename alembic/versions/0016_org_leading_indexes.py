"""indexes that scan an organization's rows by time or kind lead with org_id

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 16:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, index, columns before, columns now)
_INDEXES = (
    (
        "wfm_project_history",
        "idx_wfm_project_history_entered",
        ["from_entered_at"],
        ["org_id", "from_entered_at"],
    ),
    (
        "wfm_project_history",
        "idx_wfm_project_history_changed",
        ["changed_at"],
        ["org_id", "changed_at"],
    ),
    (
        "webhook_deliveries",
        "idx_webhook_deliveries_due",
        ["status", "next_attempt_at"],
        ["org_id", "status", "next_attempt_at"],
    ),
    ("wfm_items", "idx_wfm_items_kind", ["entity_type", "id"], ["org_id", "entity_type", "id"]),
)


def upgrade() -> None:
    for table, index, _before, now in _INDEXES:
        op.drop_index(index, table_name=table)
        op.create_index(index, table, now)


def downgrade() -> None:
    for table, index, before, _now in _INDEXES:
        op.drop_index(index, table_name=table)
        op.create_index(index, table, before)
