"""webhook deliveries record an attempt's duration and error class (never the receiver's
answer); run records stop naming a webhook's address

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_error_class', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('last_duration_ms', sa.Integer(), nullable=True))
    # Receivers' bodies were kept in last_error: keep only the status they answered.
    op.execute(
        "UPDATE webhook_deliveries SET last_error_class = 'http_status', "
        "last_error = 'The receiver answered HTTP ' || last_status_code || '.' "
        "WHERE last_error IS NOT NULL AND last_status_code IS NOT NULL"
    )
    op.execute(
        "UPDATE webhook_deliveries SET last_error_class = 'connection', "
        "last_error = 'The connection to the receiver failed.' "
        "WHERE last_error IS NOT NULL AND last_status_code IS NULL"
    )
    # Members read these under their cards: no admin's receiver address in them.
    op.execute(
        "UPDATE automation_runs SET detail = 'A webhook was sent.' "
        "WHERE detail LIKE 'Webhook queued for %'"
    )


def downgrade() -> None:
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_column('last_duration_ms')
        batch_op.drop_column('last_error_class')
