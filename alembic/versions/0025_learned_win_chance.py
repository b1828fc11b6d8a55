"""learned win chance: each workflow's model, and whether its weighted totals use it

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from wfm_app.tenancy import current_org_id, isolation_statements

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("workflows") as batch:
        batch.add_column(
            sa.Column(
                "learned_win_chance", sa.Boolean(), server_default=sa.text("false"), nullable=False
            )
        )
    op.create_table(
        "wfm_win_models",
        sa.Column(
            "org_id",
            sa.Uuid(),
            sa.ForeignKey("organizations.id", name="fk_wfm_win_models_org_id_organizations"),
            nullable=False,
            default=current_org_id,
        ),
        sa.Column(
            "workflow_id",
            sa.Uuid(),
            sa.ForeignKey("workflows.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("model", _JSON, nullable=True),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("closed_cards", sa.Integer(), nullable=False),
        sa.Column("won_cards", sa.Integer(), nullable=False),
        sa.Column("fitted_at", sa.DateTime(timezone=True), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in isolation_statements("wfm_win_models"):
            op.execute(statement)


def downgrade() -> None:
    op.drop_table("wfm_win_models")
    with op.batch_alter_table("workflows") as batch:
        batch.drop_column("learned_win_chance")
