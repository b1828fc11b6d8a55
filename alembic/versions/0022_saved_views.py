"""saved views: a board's filters under a name, published by managers, one default each

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 05:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from wfm_app.tenancy import current_org_id

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
POLICY = "org_isolation"
ACTING_ORG = "(SELECT NULLIF(current_setting('wfm.org_id', true), '')::uuid)"
TABLES = ("wfm_saved_views", "wfm_saved_view_defaults")


def _org_column(table: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "org_id",
        sa.Uuid(),
        sa.ForeignKey("organizations.id", name=f"fk_{table}_org_id_organizations"),
        nullable=False,
        default=current_org_id,
    )


def upgrade() -> None:
    op.create_table(
        "wfm_saved_views",
        _org_column("wfm_saved_views"),
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("entity_type", sa.String(), nullable=False),
        sa.Column(
            "user_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("is_published", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("settings", _JSON, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("org_id", "entity_type", "user_id", "name", name="uq_saved_view_name"),
    )
    op.create_index("idx_saved_views_board", "wfm_saved_views", ["org_id", "entity_type"])
    op.create_table(
        "wfm_saved_view_defaults",
        _org_column("wfm_saved_view_defaults"),
        sa.Column(
            "user_id",
            sa.Uuid(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("entity_type", sa.String(), primary_key=True),
        sa.Column(
            "view_id",
            sa.Uuid(),
            sa.ForeignKey("wfm_saved_views.id", ondelete="CASCADE"),
            nullable=False,
        ),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY {POLICY} ON {table} "
            f"USING (org_id = {ACTING_ORG}) WITH CHECK (org_id = {ACTING_ORG})"
        )


def downgrade() -> None:
    op.drop_table("wfm_saved_view_defaults")
    op.drop_index("idx_saved_views_board", table_name="wfm_saved_views")
    op.drop_table("wfm_saved_views")
