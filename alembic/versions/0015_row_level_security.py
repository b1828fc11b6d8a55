"""row-level security: on PostgreSQL a tenant row is seen and written only in its organization

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 16:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The organization each transaction acts in (wfm_app/tenant_scope.py sets it with SET
# LOCAL). Unset, or reset to '' after a transaction that set it, it matches no row:
# a connection that forgot to say sees nothing and can write nothing (fail closed).
ACTING_ORG = "NULLIF(current_setting('wfm.org_id', true), '')::uuid"
POLICY = "org_isolation"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has no row-level security: the service layer alone keeps it
    tenant_tables = op.get_context().script.get_revision("0014").module.TENANT_TABLES
    for table in tenant_tables:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        # FORCE: the tables' owner is held to it too, should the app ever connect as it
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY {POLICY} ON {table} "
            f"USING (org_id = {ACTING_ORG}) WITH CHECK (org_id = {ACTING_ORG})"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    tenant_tables = op.get_context().script.get_revision("0014").module.TENANT_TABLES
    for table in tenant_tables:
        op.execute(f"DROP POLICY {POLICY} ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
