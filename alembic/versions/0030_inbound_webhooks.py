"""inbound webhook endpoints and the events they received

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-05 16:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from wfm_app.tenancy import current_org_id, isolation_statements

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_TABLES = ("wfm_inbound_endpoints", "wfm_inbound_events")


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
        "wfm_inbound_endpoints",
        _org("wfm_inbound_endpoints"),
        sa.Column("id", sa.Uuid(), primary_key=True),
        *(sa.Column(n, sa.Text(), nullable=False) for n in ("name", "preset", "entity_type")),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("status_map", _JSON, nullable=False),
        sa.Column("acting_user_id", sa.Uuid(), sa.ForeignKey("users.id"), nullable=True),
        _now("created_at"),
    )
    op.create_table(
        "wfm_inbound_events",
        _org("wfm_inbound_events"),
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "endpoint_id",
            sa.Uuid(),
            sa.ForeignKey("wfm_inbound_endpoints.id", ondelete="CASCADE"),
            nullable=False,
        ),
        *(sa.Column(n, sa.Text(), nullable=False) for n in ("delivery_id", "external_id")),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("body", _JSON, nullable=False),
        _now("received_at"),
        sa.UniqueConstraint("endpoint_id", "delivery_id", name="uq_inbound_events_delivery"),
    )
    op.create_index(
        "idx_inbound_events_received", "wfm_inbound_events", ["endpoint_id", "received_at"]
    )
    if op.get_bind().dialect.name == "postgresql":
        for table in _TABLES:
            for statement in isolation_statements(table):
                op.execute(statement)


def downgrade() -> None:
    op.drop_index("idx_inbound_events_received", table_name="wfm_inbound_events")
    for table in reversed(_TABLES):
        op.drop_table(table)
