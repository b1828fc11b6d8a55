"""The Reflex app: pages, and the backend routes (sign-in, API) it is mounted under."""

import sys

import reflex as rx

from wfm_app import collector, db_roles, memory
from wfm_app.api import observability
from wfm_app.api.app import build as build_api
from wfm_app.api.app import graphql_first
from wfm_app.api.graphql import processes, worker
from wfm_app.observability import figures, logs, tracing
from wfm_app.ui import connections, live, routes
from wfm_app.ui.errors import handle_backend_error
from wfm_app.ui.pages.admin_calendars import calendars_page
from wfm_app.ui.pages.admin_fields import fields_page
from wfm_app.ui.pages.admin_health import health_page
from wfm_app.ui.pages.admin_integrations import integrations_page
from wfm_app.ui.pages.admin_kinds import kinds_page
from wfm_app.ui.pages.admin_project_types import project_types_page
from wfm_app.ui.pages.admin_statuses import statuses_page
from wfm_app.ui.pages.admin_webhooks import webhooks_page
from wfm_app.ui.pages.admin_workflows import workflow_editor_page, workflows_page
from wfm_app.ui.pages.analytics import analytics_page
from wfm_app.ui.pages.boards import deals_page, kind_board_page, leads_page, tickets_page
from wfm_app.ui.pages.home import home
from wfm_app.ui.pages.search import search_page
from wfm_app.ui.state.admin_calendars import CalendarsState
from wfm_app.ui.state.admin_fields import CustomFieldsState
from wfm_app.ui.state.admin_health import HealthState
from wfm_app.ui.state.admin_integrations import IntegrationsState
from wfm_app.ui.state.admin_kinds import KindsState
from wfm_app.ui.state.admin_project_types import ProjectTypesState
from wfm_app.ui.state.admin_statuses import StatusesState
from wfm_app.ui.state.admin_webhooks import WebhooksState
from wfm_app.ui.state.admin_workflow_list import WorkflowsState
from wfm_app.ui.state.admin_workflows import WorkflowEditorState
from wfm_app.ui.state.analytics import AnalyticsState
from wfm_app.ui.state.boards import (
    DealsBoardState,
    KindBoardState,
    LeadsBoardState,
    TicketsBoardState,
)
from wfm_app.ui.state.home import HomeState
from wfm_app.ui.state.search import SearchState

# The event loop (every page, every event) shares the GIL with GraphQL's worker threads:
# hand it back every millisecond instead of every five, so a heavy query cannot make the
# loop wait long for its turn.
sys.setswitchinterval(0.001)
memory.keep_freed()  # large numpy arrays reuse freed memory (analytics at 10 M rows)

logs.configure()  # JSON lines in production (WFM_LOG_FORMAT), text in development
tracing.configure("wfm-backend")  # with OTEL_EXPORTER_OTLP_ENDPOINT only
figures.install()  # /metrics reads the outbox and the business figures when scraped
app = rx.App(
    # our routes (the API, sign-in, /metrics, health) around Reflex's, all of it timed
    api_transformer=[build_api(), graphql_first, observability.timed],
    backend_exception_handler=handle_backend_error,
    # focus that follows the work, contrast, the skip link (assets/a11y.*); phones
    stylesheets=["/a11y.css", "/phone.css", "/panel.css"],
    head_components=[
        rx.el.script(src="/a11y.js"),
        rx.el.script(src="/timing.js"),
        rx.el.script(src="/swipe.js"),
        rx.el.script(src="/card_url.js"),
        rx.el.script(src="/shortcuts.js"),
        rx.el.script(src="/inline_edit.js"),
    ],
)
# Boards follow changes made anywhere (other tabs, GraphQL, automation, other servers).
# First: a role that skips row-level security stops the start (a plain function runs
# inside the lifespan's start-up, so its refusal fails it).
app.register_lifespan_task(db_roles.refuse_privileged_role)
app.register_lifespan_task(live.serve)
app.register_lifespan_task(collector.settle)
app.register_lifespan_task(connections.count_sockets)
app.register_lifespan_task(processes.serving)
processes.run_workers_with(worker.serve)
PAGES = [
    (home, routes.HOME, "WFM", HomeState.load),
    (statuses_page, routes.ADMIN_STATUSES, "Statuses · WFM", StatusesState.load),
    (workflows_page, routes.ADMIN_WORKFLOWS, "Workflows · WFM", WorkflowsState.load),
    (
        workflow_editor_page,
        routes.ADMIN_WORKFLOW,
        "Workflow editor · WFM",
        WorkflowEditorState.load,
    ),
    (
        project_types_page,
        routes.ADMIN_PROJECT_TYPES,
        "Project Types · WFM",
        ProjectTypesState.load,
    ),
    (kinds_page, routes.ADMIN_KINDS, "Kinds · WFM", KindsState.load),
    (fields_page, routes.ADMIN_FIELDS, "Custom Fields · WFM", CustomFieldsState.load),
    (calendars_page, routes.ADMIN_CALENDARS, "Calendars · WFM", CalendarsState.load),
    (webhooks_page, routes.ADMIN_WEBHOOKS, "Webhooks · WFM", WebhooksState.load),
    (
        integrations_page,
        routes.ADMIN_INTEGRATIONS,
        "Integrations · WFM",
        IntegrationsState.load,
    ),
    (health_page, routes.ADMIN_HEALTH, "Health · WFM", HealthState.load),
    (deals_page, routes.DEALS, "Deals · WFM", DealsBoardState.load),
    (leads_page, routes.LEADS, "Leads · WFM", LeadsBoardState.load),
    (tickets_page, routes.TICKETS, "Tickets · WFM", TicketsBoardState.load),
    (kind_board_page, routes.KIND_BOARD, "Board · WFM", KindBoardState.load),
    # a card's own address: its board with the card open
    (deals_page, routes.card_route(routes.DEALS), "Deal · WFM", DealsBoardState.load),
    (leads_page, routes.card_route(routes.LEADS), "Lead · WFM", LeadsBoardState.load),
    (tickets_page, routes.card_route(routes.TICKETS), "Ticket · WFM", TicketsBoardState.load),
    (kind_board_page, routes.card_route(routes.KIND_BOARD), "Card · WFM", KindBoardState.load),
    (analytics_page, routes.ANALYTICS, "Analytics · WFM", AnalyticsState.load),
    (search_page, routes.SEARCH, "Search · WFM", SearchState.load),
]
for component, route, title, on_load in PAGES:
    app.add_page(component, route=route, title=title, on_load=on_load)
