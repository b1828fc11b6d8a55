"""outbound calls to Jira and ServiceNow: a delivery's method and auth header

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_deliveries") as table:
        table.add_column(sa.Column("method", sa.Text(), nullable=False, server_default="POST"))
        table.add_column(sa.Column("auth_header", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webhook_deliveries") as table:
        table.drop_column("auth_header")
        table.drop_column("method")
