"""business calendars: working hours, time zone and holidays; a workflow picks one

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 08:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from wfm_app.tenancy import current_org_id, isolation_statements

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "wfm_calendars",
        sa.Column(
            "org_id",
            sa.Uuid(),
            sa.ForeignKey("organizations.id", name="fk_wfm_calendars_org_id_organizations"),
            nullable=False,
            default=current_org_id,
        ),
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("time_zone", sa.String(), nullable=False),
        sa.Column("week", _JSON, nullable=False),
        sa.Column("country", sa.String(), nullable=True),
        sa.Column("subdivision", sa.String(), nullable=True),
        sa.Column("own_holidays", _JSON, nullable=False),
        sa.Column("is_archived", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("org_id", "name", name="uq_calendars_org_name"),
    )
    with op.batch_alter_table("workflows") as batch:
        batch.add_column(sa.Column("calendar_id", sa.Uuid(), nullable=True))
        batch.create_foreign_key(
            "fk_workflows_calendar_id_wfm_calendars", "wfm_calendars", ["calendar_id"], ["id"]
        )
    if op.get_bind().dialect.name == "postgresql":
        for statement in isolation_statements("wfm_calendars"):
            op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table("workflows") as batch:
        batch.drop_constraint("fk_workflows_calendar_id_wfm_calendars", type_="foreignkey")
        batch.drop_column("calendar_id")
    op.drop_table("wfm_calendars")
