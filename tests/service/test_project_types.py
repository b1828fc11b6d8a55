from __future__ import annotations

import uuid

import pytest

from tests.service.helpers import count
from wfm_app.engine import project_types, workflows
from wfm_app.engine.models import ProjectType
from wfm_app.engine.schemas import (
    ProjectTypeCreate,
    ProjectTypeUpdate,
    WorkflowCreate,
    WorkflowUpdate,
)
from wfm_app.errors import Conflict, Forbidden, NotFound, ValidationFailed


def test_create_read_by_name_update_archive(seeded):
    workflow = workflows.create(seeded.admin, WorkflowCreate(name="Support"))
    created = project_types.create(
        seeded.admin,
        ProjectTypeCreate(
            name="Field Visit", default_workflow_id=workflow.id, icon_name="life-buoy"
        ),
    )
    assert project_types.get_by_name(seeded.alice, "Field Visit") == created
    assert project_types.get_by_id(seeded.alice, created.id) == created
    names = [t.name for t in project_types.get_all(seeded.alice)]
    assert names == ["Field Visit", "Lead Management", "Sales Deal", "Support Ticket"]

    archived = project_types.update(seeded.admin, created.id, ProjectTypeUpdate(is_archived=True))
    assert archived.is_archived and archived.icon_name == "life-buoy"
    assert "Field Visit" not in [t.name for t in project_types.get_all(seeded.alice)]
    assert [t.name for t in project_types.get_all(seeded.alice, is_archived=True)] == [
        "Field Visit"
    ]


def test_refusals(seeded):
    workflow = workflows.create(seeded.admin, WorkflowCreate(name="Old"))
    workflows.update(seeded.admin, workflow.id, WorkflowUpdate(is_archived=True))
    with pytest.raises(Conflict, match='A project type named "sales deal" already exists'):
        project_types.create(seeded.admin, ProjectTypeCreate(name="sales deal"))
    with pytest.raises(ValidationFailed, match='"Old" is archived'):
        project_types.create(
            seeded.admin, ProjectTypeCreate(name="Legacy", default_workflow_id=workflow.id)
        )
    with pytest.raises(NotFound):
        project_types.create(
            seeded.admin, ProjectTypeCreate(name="Legacy", default_workflow_id=uuid.uuid4())
        )
    with pytest.raises(Forbidden):
        project_types.create(seeded.manager, ProjectTypeCreate(name="Legacy"))
    sales = project_types.get_by_name(seeded.alice, "Sales Deal")
    with pytest.raises(Forbidden):
        project_types.update(seeded.alice, sales.id, ProjectTypeUpdate(name="Mine"))
    with pytest.raises(NotFound):
        project_types.update(seeded.admin, uuid.uuid4(), ProjectTypeUpdate(name="x"))
    assert project_types.get_by_name(seeded.alice, "Nope") is None
    assert count(ProjectType) == 3
