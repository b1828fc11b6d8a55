"""leads become deals: who converted a lead, when, into which deal; what its score is made of

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.add_column(sa.Column("converted_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("converted_to_deal_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("converted_by_user_id", sa.Uuid(), nullable=True))
        batch.add_column(
            sa.Column(
                "lead_score_factors", _JSON, server_default=sa.text("'{}'"), nullable=False
            )
        )
        batch.create_foreign_key(
            "fk_leads_converted_to_deal_id_deals",
            "deals",
            ["converted_to_deal_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            "fk_leads_converted_by_user_id_users", "users", ["converted_by_user_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.drop_constraint("fk_leads_converted_by_user_id_users", type_="foreignkey")
        batch.drop_constraint("fk_leads_converted_to_deal_id_deals", type_="foreignkey")
        for column in ("lead_score_factors", "converted_by_user_id", "converted_to_deal_id"):
            batch.drop_column(column)
        batch.drop_column("converted_at")
