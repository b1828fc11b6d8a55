"""indexes that serve a list's sort: newest first, and deals by expected close date

A list page walks one of these from its cursor and stops after the page (keyset paging,
entities/listing.py), so its cost does not grow with the number of cards. A null close
date sorts as 'infinity', in the very expression the list orders by (a CASE: under
row-level security only leakproof conditions reach an index, and coalesce() is not).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLOSING = "(CASE WHEN (expected_close_date IS NULL) THEN 'infinity'{cast} ELSE expected_close_date END)"
_INDEXES = (
    ("deals", "idx_deals_created", ["org_id", "created_at", "id"]),
    ("leads", "idx_leads_created", ["org_id", "created_at", "id"]),
    ("support_tickets", "idx_support_tickets_created", ["org_id", "created_at", "id"]),
    ("wfm_items", "idx_wfm_items_created", ["org_id", "entity_type", "created_at", "id"]),
)


def upgrade() -> None:
    for table, index, columns in _INDEXES:
        op.create_index(index, table, columns)
    cast = "::date" if op.get_bind().dialect.name == "postgresql" else ""
    op.create_index("idx_deals_closing", "deals", ["org_id", sa.text(CLOSING.format(cast=cast)), "id"])


def downgrade() -> None:
    op.drop_index("idx_deals_closing", table_name="deals")
    for table, index, _columns in _INDEXES:
        op.drop_index(index, table_name=table)
