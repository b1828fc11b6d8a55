"""CSV imports (their files, mappings, findings and progress) and cards' external ids

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-05 16:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from wfm_app.tenancy import current_org_id, isolation_statements

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _org(table: str) -> sa.Column:
    return sa.Column(
        "org_id",
        sa.Uuid(),
        sa.ForeignKey("organizations.id", name=f"fk_{table}_org_id_organizations"),
        nullable=False,
        default=current_org_id,
    )


def _now(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "wfm_external_refs",
        _org("wfm_external_refs"),
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=False),
        sa.Column(
            "wfm_project_id",
            sa.Uuid(),
            sa.ForeignKey("wfm_projects.id", ondelete="CASCADE"),
            nullable=False,
        ),
        _now("created_at"),
        sa.UniqueConstraint("org_id", "source", "external_id", name="uq_external_refs_source_id"),
    )
    op.create_index("idx_external_refs_project", "wfm_external_refs", ["wfm_project_id"])
    op.create_table(
        "wfm_imports",
        _org("wfm_imports"),
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("entity_type", sa.Text(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("stored_path", sa.Text(), nullable=False),
        sa.Column("columns", _JSON, nullable=False),
        sa.Column("preview", _JSON, nullable=False),
        sa.Column("preset", sa.Text(), nullable=False),
        sa.Column("mapping", _JSON, nullable=False),
        sa.Column("step_names", _JSON, nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=True),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("only_valid", sa.Boolean(), nullable=False),
        *(sa.Column(n, sa.Integer(), nullable=False) for n in _COUNTS),
        sa.Column("problems", _JSON, nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column(
            "created_by_user_id",
            sa.Uuid(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        _now("created_at"),
        _now("updated_at"),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "idx_imports_person", "wfm_imports", ["created_by_user_id", "created_at"]
    )
    if op.get_bind().dialect.name == "postgresql":
        for table in ("wfm_external_refs", "wfm_imports"):
            for statement in isolation_statements(table):
                op.execute(statement)


_COUNTS = ("total", "done", "created", "updated", "failed")


def downgrade() -> None:
    op.drop_index("idx_imports_person", table_name="wfm_imports")
    op.drop_table("wfm_imports")
    op.drop_index("idx_external_refs_project", table_name="wfm_external_refs")
    op.drop_table("wfm_external_refs")
