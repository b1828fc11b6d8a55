"""the cards whose stays changed, per transaction: analytics frames refresh from it

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wfm_app.tenancy import current_org_id, isolation_statements

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_XID = "pg_current_xact_id()::text::bigint"
# (table, event, transition tables, the changed cards' (org_id, project id) rows)
_FEEDS = [
    ("wfm_projects", "INSERT", "NEW TABLE AS arriving", "SELECT org_id, id FROM arriving"),
    ("wfm_projects", "DELETE", "OLD TABLE AS leaving", "SELECT org_id, id FROM leaving"),
    (
        "wfm_projects",
        "UPDATE",
        "OLD TABLE AS leaving NEW TABLE AS arriving",
        # only what a stay is made of: an edit of a card's name changes no stay
        "SELECT n.org_id, n.id FROM arriving n JOIN leaving o ON o.id = n.id "
        "WHERE (n.current_step_id, n.step_entered_at, n.created_at) IS DISTINCT FROM "
        "(o.current_step_id, o.step_entered_at, o.created_at)",
    ),
    (
        "wfm_project_history",
        "INSERT",
        "NEW TABLE AS arriving",
        "SELECT org_id, wfm_project_id FROM arriving",
    ),
    (
        "wfm_project_history",
        "DELETE",
        "OLD TABLE AS leaving",
        "SELECT org_id, wfm_project_id FROM leaving",
    ),
    (
        "wfm_project_history",
        "UPDATE",
        "OLD TABLE AS leaving NEW TABLE AS arriving",
        "SELECT org_id, wfm_project_id FROM leaving "
        "UNION SELECT org_id, wfm_project_id FROM arriving",
    ),
]


def _name(table: str, event: str) -> str:
    return f"wfm_stay_changes_{table.removeprefix('wfm_')}_{event.lower()}"


def upgrade() -> None:
    op.create_table(
        "wfm_stay_changes",
        sa.Column(
            "org_id",
            sa.Uuid(),
            sa.ForeignKey("organizations.id", name="fk_wfm_stay_changes_org_id_organizations"),
            nullable=False,
            default=current_org_id,
        ),
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("xid", sa.BigInteger(), nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_index("idx_wfm_stay_changes_xid", "wfm_stay_changes", ["org_id", "xid"])
    if op.get_bind().dialect.name != "postgresql":
        return  # the embedded SQLite file reads analytics straight from the history
    for statement in isolation_statements("wfm_stay_changes"):
        op.execute(statement)
    for table, event, tables, rows in _FEEDS:
        name = _name(table, event)
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"INSERT INTO wfm_stay_changes (org_id, project_id, xid) "
            f"SELECT DISTINCT c.org_id, c.project_id, {_XID} FROM ({rows}) AS c (org_id, project_id); "
            "RETURN NULL; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {tables} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, event, _tables, _rows in _FEEDS:
            op.execute(f"DROP TRIGGER {_name(table, event)} ON {table}")
            op.execute(f"DROP FUNCTION {_name(table, event)}()")
    op.drop_index("idx_wfm_stay_changes_xid", table_name="wfm_stay_changes")
    op.drop_table("wfm_stay_changes")
