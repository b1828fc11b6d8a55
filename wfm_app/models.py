"""Every table, imported in one place so SQLModel.metadata (and Alembic) sees them all.
The kinds' tables come with the entities package, which imports every built-in kind's
module (its registry line) and the items table admins' kinds share."""

import wfm_app.entities  # noqa: F401
from wfm_app.auth.models import AuthSession, LoginFlow, Permission, User
from wfm_app.engine.analytics.stay_changes import StayChange
from wfm_app.engine.automation.models import (
    AutomationRule,
    AutomationRun,
    AutomationTimerFire,
    Notification,
    WebhookDelivery,
)
from wfm_app.engine.branches.models import WfmBranchAction, WfmBranchInstance, WorkflowBranch
from wfm_app.engine.calendars.store import BusinessCalendar
from wfm_app.engine.comments import Comment
from wfm_app.engine.custom_fields import CustomFieldDefinition
from wfm_app.engine.external_refs import ExternalRef
from wfm_app.engine.field_changes import FieldChange
from wfm_app.engine.kinds import EntityKindRow
from wfm_app.engine.models import (
    ProjectType,
    Status,
    StepLoad,
    WfmProject,
    WfmProjectHistory,
    Workflow,
    WorkflowStep,
    WorkflowTransition,
)
from wfm_app.engine.saved_views import SavedView, SavedViewDefault
from wfm_app.engine.win_chance.store import WinModelRow
from wfm_app.entities.card_import.jobs import ImportJob
from wfm_app.entities.inbound.endpoints import InboundEndpoint, InboundEvent
from wfm_app.tenancy import Organization

__all__ = [
    "AuthSession",
    "AutomationRule",
    "AutomationRun",
    "AutomationTimerFire",
    "BusinessCalendar",
    "Comment",
    "CustomFieldDefinition",
    "EntityKindRow",
    "ExternalRef",
    "FieldChange",
    "ImportJob",
    "InboundEndpoint",
    "InboundEvent",
    "LoginFlow",
    "Notification",
    "Organization",
    "Permission",
    "ProjectType",
    "SavedView",
    "SavedViewDefault",
    "Status",
    "StayChange",
    "StepLoad",
    "User",
    "WebhookDelivery",
    "WfmBranchAction",
    "WfmBranchInstance",
    "WfmProject",
    "WfmProjectHistory",
    "WinModelRow",
    "Workflow",
    "WorkflowBranch",
    "WorkflowStep",
    "WorkflowTransition",
]
