import uuid
from datetime import UTC, datetime

from wfm_app.engine.analysis import workflow_warnings
from wfm_app.engine.schemas import (
    StatusRead,
    StepRead,
    TransitionRead,
    WorkflowGraph,
    WorkflowRead,
)

NOW = datetime.now(UTC)


def _step(name, order, initial=False, final=False):
    status = StatusRead(uuid.uuid4(), name, None, None, False, None, None, NOW, NOW)
    return StepRead(uuid.uuid4(), uuid.uuid4(), status, order, initial, final, {}, NOW, NOW)


def _graph(steps, edges):
    workflow = WorkflowRead(uuid.uuid4(), "W", None, False, None, None, NOW, NOW)
    transitions = tuple(
        TransitionRead(uuid.uuid4(), workflow.id, a.id, b.id, None, NOW, NOW) for a, b in edges
    )
    return WorkflowGraph(workflow, tuple(steps), transitions)


def test_a_sound_workflow_has_no_warnings():
    new, doing, done = (
        _step("New", 1, initial=True),
        _step("Doing", 2),
        _step("Done", 3, final=True),
    )
    assert workflow_warnings(_graph([new, doing, done], [(new, doing), (doing, done)])) == []


def test_each_problem_is_named():
    new, doing, done = (
        _step("New", 1, initial=True),
        _step("Doing", 2),
        _step("Done", 3, final=True),
    )
    orphan, other_start = _step("Orphan", 4), _step("Start", 5, initial=True)
    one_initial = workflow_warnings(_graph([new, doing, done, orphan], [(new, doing), (done, new)]))
    assert '"Orphan" cannot be reached from the initial step "New".' in one_initial
    assert '"Done" cannot be reached from the initial step "New".' in one_initial
    assert any('"Doing" is not final but has no way out' in w for w in one_initial)
    assert '"Done" is final but has outgoing transitions.' in one_initial
    assert any("More than one step" in w for w in workflow_warnings(_graph([new, other_start], [])))
    assert any("No step is marked initial" in w for w in workflow_warnings(_graph([doing], [])))
    assert "no steps yet" in workflow_warnings(_graph([], []))[0]
