"""Every route string, once."""

from __future__ import annotations

HOME = "/"
DEALS = "/deals"
LEADS = "/leads"
TICKETS = "/tickets"
ANALYTICS = "/analytics"
ADMIN_STATUSES = "/admin/wfm/statuses"
ADMIN_WORKFLOWS = "/admin/wfm/workflows"
ADMIN_WORKFLOW = "/admin/wfm/workflows/[workflow_id]"
ADMIN_PROJECT_TYPES = "/admin/wfm/project-types"
ADMIN_FIELDS = "/admin/wfm/fields"
ADMIN_WEBHOOKS = "/admin/wfm/webhooks"

# The boards, in navigation order: (label, route).
BOARDS = (("Deals", DEALS), ("Leads", LEADS), ("Tickets", TICKETS))
# Where a card of each entity type opens (``?card=<id>``): links from notifications.
BOARD_OF_ENTITY = {"DEAL": DEALS, "LEAD": LEADS, "TICKET": TICKETS}
# The admin sections' tabs: (label, route).
ADMIN_SECTIONS = (
    ("Statuses", ADMIN_STATUSES),
    ("Workflows", ADMIN_WORKFLOWS),
    ("Project Types", ADMIN_PROJECT_TYPES),
    ("Custom Fields", ADMIN_FIELDS),
    ("Webhooks", ADMIN_WEBHOOKS),
)


def card_link(entity_type: str | None, entity_id: object) -> str:
    """Where a card opens (its board with ``?card=``); "" when its kind has no board."""
    board = BOARD_OF_ENTITY.get(entity_type or "")
    return f"{board}?card={entity_id}" if board and entity_id else ""


def workflow_editor(workflow_id: str) -> str:
    return ADMIN_WORKFLOW.replace("[workflow_id]", workflow_id)
