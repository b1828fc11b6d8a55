from __future__ import annotations

import uuid

import pytest

from tests.service.helpers import count
from wfm_app.engine import statuses, steps, workflows
from wfm_app.engine.inputs import parse
from wfm_app.engine.models import Status
from wfm_app.engine.schemas import StatusCreate, StatusUpdate, StepCreate, WorkflowCreate
from wfm_app.errors import Conflict, Forbidden, NotFound, ValidationFailed


def test_create_read_update_archive(people):
    created = statuses.create(
        people.admin, StatusCreate(name="  Open ", description="Work to do", color="#3b82f6")
    )
    assert created.name == "Open"
    assert created.color == "#3B82F6"
    assert created.created_by_user_id == people.admin.user_id
    assert statuses.get_by_id(people.alice, created.id) == created
    assert [s.name for s in statuses.get_all(people.alice)] == ["Open"]

    archived = statuses.update(people.admin, created.id, StatusUpdate(is_archived=True))
    assert archived.is_archived
    assert archived.updated_at >= created.updated_at
    assert statuses.get_all(people.alice) == []
    assert [s.name for s in statuses.get_all(people.alice, is_archived=True)] == ["Open"]

    renamed = statuses.update(people.admin, created.id, StatusUpdate(name="Opened", color=None))
    assert (renamed.name, renamed.color, renamed.description) == ("Opened", None, "Work to do")


def test_duplicate_name_is_refused_regardless_of_case(people):
    statuses.create(people.admin, StatusCreate(name="Open"))
    with pytest.raises(Conflict, match='A status named "open" already exists'):
        statuses.create(people.admin, StatusCreate(name="open"))
    other = statuses.create(people.admin, StatusCreate(name="Closed"))
    with pytest.raises(Conflict):
        statuses.update(people.admin, other.id, StatusUpdate(name="OPEN"))
    assert count(Status) == 2
    assert statuses.get_by_id(people.admin, other.id).name == "Closed"


def test_bad_input_is_refused_field_by_field(people):
    with pytest.raises(ValidationFailed) as error:
        parse(StatusCreate, {"name": "  ", "color": "blue"})
    assert error.value.field_errors == {
        "name": "Name is required.",
        "color": "Color must be a hex code such as #3B82F6.",
    }
    assert count(Status) == 0


def test_delete_refuses_a_status_used_by_a_step(people):
    used = statuses.create(people.admin, StatusCreate(name="Open"))
    unused = statuses.create(people.admin, StatusCreate(name="Spare"))
    workflow = workflows.create(people.admin, WorkflowCreate(name="Support"))
    steps.create_step(
        people.admin, StepCreate(workflow_id=workflow.id, status_id=used.id, is_initial_step=True)
    )
    with pytest.raises(Conflict, match='used by a step of "Support"'):
        statuses.delete(people.admin, used.id)
    assert statuses.get_by_id(people.admin, used.id) is not None
    assert statuses.used_by(people.admin) == {used.id: [(workflow.id, "Support")]}

    statuses.delete(people.admin, unused.id)
    assert statuses.get_by_id(people.admin, unused.id) is None


def test_only_definition_managers_may_change_statuses(people):
    status = statuses.create(people.admin, StatusCreate(name="Open"))
    for actor in (people.manager, people.alice):
        with pytest.raises(Forbidden, match="change workflow definitions"):
            statuses.create(actor, StatusCreate(name="Other"))
        with pytest.raises(Forbidden):
            statuses.update(actor, status.id, StatusUpdate(name="Renamed"))
        with pytest.raises(Forbidden):
            statuses.delete(actor, status.id)
        assert statuses.get_all(actor)[0].name == "Open"  # reading is allowed
    assert count(Status) == 1


def test_unknown_ids(people):
    missing = uuid.uuid4()
    assert statuses.get_by_id(people.admin, missing) is None
    with pytest.raises(NotFound):
        statuses.update(people.admin, missing, StatusUpdate(name="x"))
    with pytest.raises(NotFound):
        statuses.delete(people.admin, missing)
