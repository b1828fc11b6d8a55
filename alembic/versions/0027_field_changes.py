"""what each edit changed on a card; a ticket's description

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05 11:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from wfm_app.tenancy import current_org_id, isolation_statements

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "wfm_field_changes",
        sa.Column(
            "org_id",
            sa.Uuid(),
            sa.ForeignKey("organizations.id", name="fk_wfm_field_changes_org_id_organizations"),
            nullable=False,
            default=current_org_id,
        ),
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "wfm_project_id",
            sa.Uuid(),
            sa.ForeignKey("wfm_projects.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "changed_by_user_id",
            sa.Uuid(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column(
            "changes", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_index(
        "idx_field_changes_project", "wfm_field_changes", ["wfm_project_id", "changed_at"]
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in isolation_statements("wfm_field_changes"):
            op.execute(statement)
    op.add_column("support_tickets", sa.Column("description", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("support_tickets", "description")
    op.drop_index("idx_field_changes_project", table_name="wfm_field_changes")
    op.drop_table("wfm_field_changes")
