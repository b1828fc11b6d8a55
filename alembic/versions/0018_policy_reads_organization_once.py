"""row-level security reads the acting organization once per statement, not once per row

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 18:30:00

Written as a scalar subquery, the policy's ``current_setting`` becomes an InitPlan:
PostgreSQL evaluates it once per statement and compares each row's ``org_id`` with a
parameter, instead of calling ``current_setting``, ``NULLIF`` and the cast on every row
it looks at (a board's query evaluated it about 14,000 times: once per joined row).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POLICY = "org_isolation"
ONCE = "(SELECT NULLIF(current_setting('wfm.org_id', true), '')::uuid)"
PER_ROW = "NULLIF(current_setting('wfm.org_id', true), '')::uuid"


def _policies(acting_org: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    tenant_tables = op.get_context().script.get_revision("0014").module.TENANT_TABLES
    for table in tenant_tables:
        op.execute(
            f"ALTER POLICY {POLICY} ON {table} "
            f"USING (org_id = {acting_org}) WITH CHECK (org_id = {acting_org})"
        )


def upgrade() -> None:
    _policies(ONCE)


def downgrade() -> None:
    _policies(PER_ROW)
