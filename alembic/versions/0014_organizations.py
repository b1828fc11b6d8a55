"""organizations: every tenant row carries org_id; names are unique per organization

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 15:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wfm_app.settings import settings
from wfm_app.tenancy import DEFAULT_ORG_ID

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = (
    "users",
    "statuses",
    "workflows",
    "workflow_steps",
    "workflow_transitions",
    "project_types",
    "wfm_entity_kinds",
    "custom_field_definitions",
    "workflow_branches",
    "workflow_automation_rules",
    "wfm_projects",
    "wfm_step_loads",
    "wfm_project_history",
    "wfm_branch_instances",
    "wfm_branch_actions",
    "automation_runs",
    "automation_timer_fires",
    "webhook_deliveries",
    "notifications",
    "deals",
    "leads",
    "support_tickets",
    "wfm_items",
)
# Sessions say which organization they act in; read before it is known, so not tenant rows.
_NAMING_AN_ORGANIZATION = (*TENANT_TABLES, "auth_sessions")
# (table, old unique constraint, its columns, new name): scoped to the organization
_UNIQUES = (
    ("users", "uq_users_issuer_subject", ["issuer", "subject"], "uq_users_org_issuer_subject"),
    ("statuses", "uq_statuses_name", ["name"], "uq_statuses_org_name"),
    ("workflows", "uq_workflows_name", ["name"], "uq_workflows_org_name"),
    ("project_types", "uq_project_types_name", ["name"], "uq_project_types_org_name"),
    (
        "custom_field_definitions",
        "uq_custom_field_key",
        ["entity_type", "field_name"],
        "uq_custom_field_key",
    ),
)


def _restore_sqlite_triggers() -> None:
    """On SQLite the copy of wfm_projects lost the triggers that keep step loads."""
    if op.get_bind().dialect.name != "postgresql":
        for statement in op.get_context().script.get_revision("0013").module._SQLITE:
            op.execute(statement)


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("key", name=op.f("uq_organizations_key")),
    )
    organizations = sa.table(
        "organizations", sa.column("id", sa.Uuid()), sa.column("key"), sa.column("name")
    )
    # Everything that exists belongs to the default organization.
    op.bulk_insert(
        organizations,
        [{"id": DEFAULT_ORG_ID, "key": settings.default_org, "name": settings.default_org}],
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    existing = sa.literal(DEFAULT_ORG_ID, sa.Uuid()).compile(
        dialect=op.get_bind().dialect, compile_kwargs={"literal_binds": True}
    )
    for table in _NAMING_AN_ORGANIZATION:
        column = sa.Column(
            "org_id",
            sa.Uuid(),
            sa.ForeignKey("organizations.id", name=f"fk_{table}_org_id_organizations"),
            nullable=False,
            server_default=sa.text(str(existing)),
        )
        if postgresql:
            op.add_column(table, column)
            op.alter_column(table, "org_id", server_default=None)
            continue
        # SQLite adds a constraint only by copying the table, and keeps the default that
        # filled the rows that existed (the app always writes org_id: tenancy.org_field).
        with op.batch_alter_table(table) as batch:
            batch.add_column(column)
    _restore_sqlite_triggers()
    for table, old, columns, new in _UNIQUES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(old, type_="unique")
            batch.create_unique_constraint(new, ["org_id", *columns])


def downgrade() -> None:
    for table, old, columns, new in _UNIQUES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(new, type_="unique")
            batch.create_unique_constraint(old, columns)
    for table in _NAMING_AN_ORGANIZATION:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("org_id")
    _restore_sqlite_triggers()
    op.drop_table("organizations")
