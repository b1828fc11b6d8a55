"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "permissions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resource", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permissions")),
        sa.UniqueConstraint("resource", "action", name="uq_permissions_resource_action"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("issuer", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("display_name", sa.Text(), nullable=True),
        sa.Column("avatar_url", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("issuer", "subject", name="uq_users_issuer_subject"),
    )
    op.create_table(
        "statuses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("color", sa.Text(), nullable=True),
        sa.Column("is_archived", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("updated_by_user_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"], ["users.id"], name=op.f("fk_statuses_created_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_user_id"], ["users.id"], name=op.f("fk_statuses_updated_by_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statuses")),
        sa.UniqueConstraint("name", name=op.f("uq_statuses_name")),
    )
    op.create_table(
        "workflows",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("is_archived", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("updated_by_user_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"], ["users.id"], name=op.f("fk_workflows_created_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_user_id"], ["users.id"], name=op.f("fk_workflows_updated_by_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflows")),
        sa.UniqueConstraint("name", name=op.f("uq_workflows_name")),
    )
    op.create_table(
        "project_types",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("default_workflow_id", sa.Uuid(), nullable=True),
        sa.Column("icon_name", sa.Text(), nullable=True),
        sa.Column("is_archived", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("updated_by_user_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_project_types_created_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["default_workflow_id"],
            ["workflows.id"],
            name=op.f("fk_project_types_default_workflow_id_workflows"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_user_id"],
            ["users.id"],
            name=op.f("fk_project_types_updated_by_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_types")),
        sa.UniqueConstraint("name", name=op.f("uq_project_types_name")),
    )
    op.create_table(
        "workflow_steps",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("status_id", sa.Uuid(), nullable=False),
        sa.Column("step_order", sa.Integer(), nullable=False),
        sa.Column("is_initial_step", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("is_final_step", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["status_id"],
            ["statuses.id"],
            name=op.f("fk_workflow_steps_status_id_statuses"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f("fk_workflow_steps_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_steps")),
        sa.UniqueConstraint("workflow_id", "status_id", name="uq_workflow_status"),
        sa.UniqueConstraint("workflow_id", "step_order", name="uq_workflow_order"),
    )
    with op.batch_alter_table("workflow_steps", schema=None) as batch_op:
        batch_op.create_index(
            "idx_workflow_steps_initial",
            ["workflow_id", "is_initial_step"],
            unique=True,
            postgresql_where=sa.text("is_initial_step = true"),
            sqlite_where=sa.text("is_initial_step = 1"),
        )
        batch_op.create_index(
            "idx_workflow_steps_order", ["workflow_id", "step_order"], unique=False
        )
        batch_op.create_index("idx_workflow_steps_workflow", ["workflow_id"], unique=False)

    op.create_table(
        "wfm_projects",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_type_id", sa.Uuid(), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("current_step_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column(
            "step_entered_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_by_user_id", sa.Uuid(), nullable=True),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("updated_by_user_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["completed_by_user_id"],
            ["users.id"],
            name=op.f("fk_wfm_projects_completed_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_wfm_projects_created_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["current_step_id"],
            ["workflow_steps.id"],
            name=op.f("fk_wfm_projects_current_step_id_workflow_steps"),
        ),
        sa.ForeignKeyConstraint(
            ["project_type_id"],
            ["project_types.id"],
            name=op.f("fk_wfm_projects_project_type_id_project_types"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_user_id"],
            ["users.id"],
            name=op.f("fk_wfm_projects_updated_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f("fk_wfm_projects_workflow_id_workflows"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wfm_projects")),
    )
    with op.batch_alter_table("wfm_projects", schema=None) as batch_op:
        batch_op.create_index("idx_wfm_projects_current_step", ["current_step_id"], unique=False)
        batch_op.create_index("idx_wfm_projects_type", ["project_type_id"], unique=False)
        batch_op.create_index("idx_wfm_projects_workflow", ["workflow_id"], unique=False)

    op.create_table(
        "workflow_transitions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("from_step_id", sa.Uuid(), nullable=False),
        sa.Column("to_step_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["from_step_id"],
            ["workflow_steps.id"],
            name=op.f("fk_workflow_transitions_from_step_id_workflow_steps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_step_id"],
            ["workflow_steps.id"],
            name=op.f("fk_workflow_transitions_to_step_id_workflow_steps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f("fk_workflow_transitions_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_transitions")),
        sa.UniqueConstraint(
            "workflow_id", "from_step_id", "to_step_id", name="uq_workflow_transition"
        ),
    )
    with op.batch_alter_table("workflow_transitions", schema=None) as batch_op:
        batch_op.create_index(
            "idx_workflow_transitions_from", ["workflow_id", "from_step_id"], unique=False
        )
        batch_op.create_index(
            "idx_workflow_transitions_to", ["workflow_id", "to_step_id"], unique=False
        )

    op.create_table(
        "deals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("currency", sa.Text(), server_default=sa.text("'USD'"), nullable=False),
        sa.Column("expected_close_date", sa.Date(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("wfm_project_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_deals_user_id_users")),
        sa.ForeignKeyConstraint(
            ["wfm_project_id"],
            ["wfm_projects.id"],
            name=op.f("fk_deals_wfm_project_id_wfm_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deals")),
    )
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.create_index("idx_deals_user", ["user_id"], unique=False)
        batch_op.create_index("idx_deals_wfm_project", ["wfm_project_id"], unique=False)

    op.create_table(
        "leads",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("company", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("wfm_project_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_leads_user_id_users")),
        sa.ForeignKeyConstraint(
            ["wfm_project_id"],
            ["wfm_projects.id"],
            name=op.f("fk_leads_wfm_project_id_wfm_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads")),
    )
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.create_index("idx_leads_user", ["user_id"], unique=False)
        batch_op.create_index("idx_leads_wfm_project", ["wfm_project_id"], unique=False)

    op.create_table(
        "wfm_project_history",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("wfm_project_id", sa.Uuid(), nullable=False),
        sa.Column("from_step_id", sa.Uuid(), nullable=True),
        sa.Column("to_step_id", sa.Uuid(), nullable=True),
        sa.Column("transition_id", sa.Uuid(), nullable=True),
        sa.Column("changed_by_user_id", sa.Uuid(), nullable=True),
        sa.Column(
            "changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_user_id"],
            ["users.id"],
            name=op.f("fk_wfm_project_history_changed_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["from_step_id"],
            ["workflow_steps.id"],
            name=op.f("fk_wfm_project_history_from_step_id_workflow_steps"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["to_step_id"],
            ["workflow_steps.id"],
            name=op.f("fk_wfm_project_history_to_step_id_workflow_steps"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["transition_id"],
            ["workflow_transitions.id"],
            name=op.f("fk_wfm_project_history_transition_id_workflow_transitions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["wfm_project_id"],
            ["wfm_projects.id"],
            name=op.f("fk_wfm_project_history_wfm_project_id_wfm_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wfm_project_history")),
    )
    with op.batch_alter_table("wfm_project_history", schema=None) as batch_op:
        batch_op.create_index(
            "idx_wfm_project_history_project", ["wfm_project_id", "changed_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("wfm_project_history", schema=None) as batch_op:
        batch_op.drop_index("idx_wfm_project_history_project")

    op.drop_table("wfm_project_history")
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_index("idx_leads_wfm_project")
        batch_op.drop_index("idx_leads_user")

    op.drop_table("leads")
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.drop_index("idx_deals_wfm_project")
        batch_op.drop_index("idx_deals_user")

    op.drop_table("deals")
    with op.batch_alter_table("workflow_transitions", schema=None) as batch_op:
        batch_op.drop_index("idx_workflow_transitions_to")
        batch_op.drop_index("idx_workflow_transitions_from")

    op.drop_table("workflow_transitions")
    with op.batch_alter_table("wfm_projects", schema=None) as batch_op:
        batch_op.drop_index("idx_wfm_projects_workflow")
        batch_op.drop_index("idx_wfm_projects_type")
        batch_op.drop_index("idx_wfm_projects_current_step")

    op.drop_table("wfm_projects")
    with op.batch_alter_table("workflow_steps", schema=None) as batch_op:
        batch_op.drop_index("idx_workflow_steps_workflow")
        batch_op.drop_index("idx_workflow_steps_order")
        batch_op.drop_index(
            "idx_workflow_steps_initial",
            postgresql_where=sa.text("is_initial_step = true"),
            sqlite_where=sa.text("is_initial_step = 1"),
        )

    op.drop_table("workflow_steps")
    op.drop_table("project_types")
    op.drop_table("workflows")
    op.drop_table("statuses")
    op.drop_table("users")
    op.drop_table("permissions")
