"""A board offers only its own kind's project types and the live workflows they start
on, never a workflow without steps (issue 33.2)."""

from __future__ import annotations

from tests.service.helpers import make_process
from wfm_app.engine import project_types, workflows
from wfm_app.engine.schemas import ProjectTypeCreate, WorkflowCreate
from wfm_app.entities import deals, tickets


def test_each_board_offers_its_own_kinds_project_types_and_their_workflows(seeded) -> None:
    audit = make_process(seeded.admin, "Audit", ["Intake", "Done"], [(0, 1)])  # no kind's
    empty = workflows.create(seeded.admin, WorkflowCreate(name="Empty"))
    project_types.create(
        seeded.admin, ProjectTypeCreate(name="Nothing yet", default_workflow_id=empty.id)
    )
    types, flows = deals.service.offered(seeded.alice)
    assert [t.name for t in types] == ["Sales Deal", "Audit", "Nothing yet"]
    assert [w.name for w in flows] == ["Standard Sales Process", "Audit"]
    types, flows = tickets.service.offered(seeded.alice)
    assert [t.name for t in types] == ["Support Ticket", "Audit", "Nothing yet"]
    assert [w.name for w in flows] == ["Support Process", "Audit"]
    assert audit.name == "Audit"
