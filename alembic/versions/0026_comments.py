"""comments on cards

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 09:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wfm_app.tenancy import current_org_id, isolation_statements

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "wfm_comments",
        sa.Column(
            "org_id",
            sa.Uuid(),
            sa.ForeignKey("organizations.id", name="fk_wfm_comments_org_id_organizations"),
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
            "author_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_index("idx_comments_project", "wfm_comments", ["wfm_project_id", "created_at"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in isolation_statements("wfm_comments"):
            op.execute(statement)


def downgrade() -> None:
    op.drop_index("idx_comments_project", table_name="wfm_comments")
    op.drop_table("wfm_comments")
