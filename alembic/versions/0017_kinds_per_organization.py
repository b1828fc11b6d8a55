"""each organization names its own kinds

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 16:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (old constraint, column, new constraint)
_UNIQUES = (
    ("uq_wfm_entity_kinds_key", "key", "uq_wfm_entity_kinds_org_key"),
    ("uq_wfm_entity_kinds_entity_type", "entity_type", "uq_wfm_entity_kinds_org_entity_type"),
)


def upgrade() -> None:
    with op.batch_alter_table("wfm_entity_kinds") as batch:
        for old, column, new in _UNIQUES:
            batch.drop_constraint(old, type_="unique")
            batch.create_unique_constraint(new, ["org_id", column])


def downgrade() -> None:
    with op.batch_alter_table("wfm_entity_kinds") as batch:
        for old, column, new in _UNIQUES:
            batch.drop_constraint(new, type_="unique")
            batch.create_unique_constraint(old, [column])
