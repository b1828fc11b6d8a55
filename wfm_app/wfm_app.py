"""The Reflex app: pages, and the backend routes (sign-in, API) it is mounted under."""

import reflex as rx

from wfm_app.api.app import build as build_api
from wfm_app.ui.errors import handle_backend_error
from wfm_app.ui.pages.admin_project_types import project_types_page
from wfm_app.ui.pages.admin_statuses import statuses_page
from wfm_app.ui.pages.admin_workflows import workflow_editor_page, workflows_page
from wfm_app.ui.pages.boards import deals_page, leads_page
from wfm_app.ui.pages.home import home
from wfm_app.ui.state.admin_project_types import ProjectTypesState
from wfm_app.ui.state.admin_statuses import StatusesState
from wfm_app.ui.state.admin_workflows import WorkflowEditorState, WorkflowsState
from wfm_app.ui.state.boards import DealsBoardState, LeadsBoardState
from wfm_app.ui.state.session import SessionState

app = rx.App(api_transformer=build_api(), backend_exception_handler=handle_backend_error)
app.add_page(home, route="/", title="WFM", on_load=SessionState.load_viewer)
app.add_page(
    statuses_page, route="/admin/wfm/statuses", title="Statuses · WFM", on_load=StatusesState.load
)
app.add_page(
    workflows_page,
    route="/admin/wfm/workflows",
    title="Workflows · WFM",
    on_load=WorkflowsState.load,
)
app.add_page(
    workflow_editor_page,
    route="/admin/wfm/workflows/[workflow_id]",
    title="Workflow editor · WFM",
    on_load=WorkflowEditorState.load,
)
app.add_page(
    project_types_page,
    route="/admin/wfm/project-types",
    title="Project Types · WFM",
    on_load=ProjectTypesState.load,
)
app.add_page(deals_page, route="/deals", title="Deals · WFM", on_load=DealsBoardState.load)
app.add_page(leads_page, route="/leads", title="Leads · WFM", on_load=LeadsBoardState.load)
