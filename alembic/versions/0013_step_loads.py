"""each WIP-limited step's count of active cards, kept by triggers

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 04:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Rows exist only for steps whose load was asked for (engine/step_loads.py creates them).
# Statement-level triggers: a statement that writes many projects (a bulk load, cards
# migrated to another version) changes each count once, at its end, rather than a row's
# worth at a time, which both piles up row versions and holds count rows while it waits
# for project rows a mover holds (a deadlock). Rows are locked in step id order, the order
# step_loads.lock takes, so writers in opposite directions cannot deadlock either.
_DELTAS = {
    "INSERT": "SELECT current_step_id, count(*) FROM arriving WHERE is_active GROUP BY 1",
    "DELETE": "SELECT current_step_id, -count(*) FROM leaving WHERE is_active GROUP BY 1",
    "UPDATE": (
        "SELECT step_id, sum(delta) FROM ("
        "SELECT current_step_id AS step_id, 1 AS delta FROM arriving WHERE is_active "
        "UNION ALL SELECT current_step_id, -1 FROM leaving WHERE is_active) AS d GROUP BY 1"
    ),
}
_FOLLOW = """CREATE FUNCTION wfm_step_loads_follow_{op}() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        ids uuid[];
        deltas bigint[];
    BEGIN
        SELECT array_agg(d.step_id ORDER BY d.step_id), array_agg(d.delta ORDER BY d.step_id)
        INTO ids, deltas
        FROM ({deltas}) AS d (step_id, delta)
        WHERE d.delta <> 0 AND d.step_id IN (SELECT step_id FROM wfm_step_loads);
        IF ids IS NULL THEN
            RETURN NULL;
        END IF;
        PERFORM 1 FROM wfm_step_loads WHERE step_id = ANY (ids) ORDER BY step_id FOR UPDATE;
        UPDATE wfm_step_loads AS l SET active_cards = l.active_cards + u.delta
        FROM unnest(ids, deltas) AS u (step_id, delta) WHERE l.step_id = u.step_id;
        RETURN NULL;
    END $$"""
_TABLES = {
    "INSERT": "NEW TABLE AS arriving",
    "DELETE": "OLD TABLE AS leaving",
    "UPDATE": "OLD TABLE AS leaving NEW TABLE AS arriving",
}
_POSTGRESQL = [
    statement
    for op, deltas in _DELTAS.items()
    for statement in (
        _FOLLOW.format(op=op.lower(), deltas=deltas),
        f"CREATE TRIGGER wfm_step_loads_{op.lower()} AFTER {op} ON wfm_projects "
        f"REFERENCING {_TABLES[op]} FOR EACH STATEMENT "
        f"EXECUTE FUNCTION wfm_step_loads_follow_{op.lower()}()",
    )
]
_SQLITE = [
    """CREATE TRIGGER wfm_step_loads_insert AFTER INSERT ON wfm_projects
    WHEN NEW.is_active AND NEW.current_step_id IS NOT NULL BEGIN
        UPDATE wfm_step_loads SET active_cards = active_cards + 1
        WHERE step_id = NEW.current_step_id;
    END""",
    """CREATE TRIGGER wfm_step_loads_delete AFTER DELETE ON wfm_projects
    WHEN OLD.is_active AND OLD.current_step_id IS NOT NULL BEGIN
        UPDATE wfm_step_loads SET active_cards = active_cards - 1
        WHERE step_id = OLD.current_step_id;
    END""",
    """CREATE TRIGGER wfm_step_loads_update AFTER UPDATE OF current_step_id, is_active
    ON wfm_projects BEGIN
        UPDATE wfm_step_loads SET active_cards = active_cards - 1
        WHERE step_id = OLD.current_step_id AND OLD.is_active;
        UPDATE wfm_step_loads SET active_cards = active_cards + 1
        WHERE step_id = NEW.current_step_id AND NEW.is_active;
    END""",
]


def upgrade() -> None:
    op.create_table(
        "wfm_step_loads",
        sa.Column("step_id", sa.Uuid(), nullable=False),
        sa.Column("active_cards", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["step_id"],
            ["workflow_steps.id"],
            name=op.f("fk_wfm_step_loads_step_id_workflow_steps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("step_id", name=op.f("pk_wfm_step_loads")),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in _POSTGRESQL if postgresql else _SQLITE:
        op.execute(statement)
    # The steps that have a WIP limit already start with their count.
    has_limit = (
        "jsonb_typeof(s.metadata -> 'wip_limit') = 'number'"
        if postgresql
        else "json_type(s.metadata, '$.wip_limit') = 'integer'"
    )
    op.execute(
        "INSERT INTO wfm_step_loads (step_id, active_cards) "
        "SELECT s.id, (SELECT count(*) FROM wfm_projects p "
        "WHERE p.current_step_id = s.id AND p.is_active) "
        f"FROM workflow_steps s WHERE {has_limit}"
    )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in ("insert", "delete", "update"):
        op.execute(
            f"DROP TRIGGER wfm_step_loads_{name}" + (" ON wfm_projects" if postgresql else "")
        )
        if postgresql:
            op.execute(f"DROP FUNCTION wfm_step_loads_follow_{name}()")
    op.drop_table("wfm_step_loads")
