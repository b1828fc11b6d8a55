"""Every route string, once."""

from __future__ import annotations

from wfm_app.engine import registry

HOME = "/"
DEALS = "/deals"
LEADS = "/leads"
TICKETS = "/tickets"
ANALYTICS = "/analytics"
SEARCH = "/search"
ADMIN_STATUSES = "/admin/wfm/statuses"
ADMIN_WORKFLOWS = "/admin/wfm/workflows"
ADMIN_WORKFLOW = "/admin/wfm/workflows/[workflow_id]"
ADMIN_PROJECT_TYPES = "/admin/wfm/project-types"
ADMIN_FIELDS = "/admin/wfm/fields"
ADMIN_WEBHOOKS = "/admin/wfm/webhooks"
ADMIN_KINDS = "/admin/wfm/kinds"
ADMIN_HEALTH = "/admin/wfm/health"
ADMIN_CALENDARS = "/admin/wfm/calendars"
ADMIN_INTEGRATIONS = "/admin/wfm/integrations"
# The board of a kind an admin defined (built-in kinds keep their own routes above).
KIND_BOARD = "/boards/[kind_key]"

# The admin sections' tabs: (label, route).
ADMIN_SECTIONS = (
    ("Statuses", ADMIN_STATUSES),
    ("Workflows", ADMIN_WORKFLOWS),
    ("Project Types", ADMIN_PROJECT_TYPES),
    ("Kinds", ADMIN_KINDS),
    ("Custom Fields", ADMIN_FIELDS),
    ("Calendars", ADMIN_CALENDARS),
    ("Webhooks", ADMIN_WEBHOOKS),
    ("Integrations", ADMIN_INTEGRATIONS),
    ("Health", ADMIN_HEALTH),
)


def boards() -> list[dict[str, str]]:
    """Every kind's board, in navigation order (built-in kinds first): label and href."""
    return [
        {"label": kind.plural_label, "href": kind.board_path} for kind in registry.all_described()
    ]


CARD_ARG = "card_id"


def card_route(board_route: str) -> str:
    """The route of one card on a board: ``/deals/[card_id]``."""
    return f"{board_route}/[{CARD_ARG}]"


def card_link(entity_type: str | None, entity_id: object) -> str:
    """A card's own address (``/deals/<id>``); "" when its kind has no board."""
    kind = registry.described(entity_type or "")
    board = kind.board_path if kind and not kind.archived else ""
    return f"{board}/{entity_id}" if board and entity_id else ""


def workflow_editor(workflow_id: str) -> str:
    return ADMIN_WORKFLOW.replace("[workflow_id]", workflow_id)
