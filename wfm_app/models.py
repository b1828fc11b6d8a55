"""Every table, imported in one place so SQLModel.metadata (and Alembic) sees them all."""

from wfm_app.auth.models import AuthSession, LoginFlow, Permission, User
from wfm_app.engine.automation.models import (
    AutomationRule,
    AutomationRun,
    AutomationTimerFire,
    Notification,
    WebhookDelivery,
)
from wfm_app.engine.branches.models import WfmBranchAction, WfmBranchInstance, WorkflowBranch
from wfm_app.engine.custom_fields import CustomFieldDefinition
from wfm_app.engine.kinds import EntityKindRow
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
from wfm_app.entities.items import Item
from wfm_app.entities.leads import Lead
from wfm_app.entities.tickets import SupportTicket

__all__ = [
    "AuthSession",
    "AutomationRule",
    "AutomationRun",
    "AutomationTimerFire",
    "CustomFieldDefinition",
    "Deal",
    "EntityKindRow",
    "Item",
    "Lead",
    "LoginFlow",
    "Notification",
    "Permission",
    "ProjectType",
    "Status",
    "SupportTicket",
    "User",
    "WebhookDelivery",
    "WfmBranchAction",
    "WfmBranchInstance",
    "WfmProject",
    "WfmProjectHistory",
    "Workflow",
    "WorkflowBranch",
    "WorkflowStep",
    "WorkflowTransition",
]
