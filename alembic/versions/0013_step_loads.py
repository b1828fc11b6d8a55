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

# Rows exist only for steps whose load was asked for (engine/step_loads.py creates them);
# an UPDATE that finds no row costs an index probe and takes no lock.
_POSTGRESQL = [
    """CREATE FUNCTION wfm_step_loads_follow() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        leaving uuid;
        arriving uuid;
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            IF OLD.is_active THEN leaving := OLD.current_step_id; END IF;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            IF NEW.is_active THEN arriving := NEW.current_step_id; END IF;
        END IF;
        -- One statement, its rows found through the primary key in step id order: the
        -- order step_loads.lock takes, so moves in opposite directions cannot deadlock.
        UPDATE wfm_step_loads
        SET active_cards = active_cards
            + CASE WHEN step_id = arriving THEN 1 ELSE 0 END
            - CASE WHEN step_id = leaving THEN 1 ELSE 0 END
        WHERE step_id = ANY (ARRAY[leaving, arriving]);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER wfm_step_loads_insert_delete AFTER INSERT OR DELETE ON wfm_projects
    FOR EACH ROW EXECUTE FUNCTION wfm_step_loads_follow()""",
    """CREATE TRIGGER wfm_step_loads_update AFTER UPDATE OF current_step_id, is_active
    ON wfm_projects FOR EACH ROW
    WHEN (OLD.current_step_id IS DISTINCT FROM NEW.current_step_id
          OR OLD.is_active IS DISTINCT FROM NEW.is_active)
    EXECUTE FUNCTION wfm_step_loads_follow()""",
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
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER wfm_step_loads_update ON wfm_projects")
        op.execute("DROP TRIGGER wfm_step_loads_insert_delete ON wfm_projects")
        op.execute("DROP FUNCTION wfm_step_loads_follow()")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER wfm_step_loads_{name}")
    op.drop_table("wfm_step_loads")
