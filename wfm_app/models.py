"""Every table, imported in one place so SQLModel.metadata (and Alembic) sees them all."""

from wfm_app.auth.models import AuthSession, LoginFlow, Permission, User
from wfm_app.engine.custom_fields import CustomFieldDefinition
from wfm_app.engine.models import (
    ProjectType,
    Status,
    WfmProject,
    WfmProjectHistory,
    Workflow,
    WorkflowStep,
    WorkflowTransition,
)
from wfm_app.entities.deals import Deal
from wfm_app.entities.leads import Lead
from wfm_app.entities.tickets import SupportTicket

__all__ = [
    "AuthSession",
    "CustomFieldDefinition",
    "Deal",
    "Lead",
    "LoginFlow",
    "Permission",
    "ProjectType",
    "Status",
    "SupportTicket",
    "User",
    "WfmProject",
    "WfmProjectHistory",
    "Workflow",
    "WorkflowStep",
    "WorkflowTransition",
]
