"""Issue 15 (part): cards migrated from one workflow (an older version) to another along a
step mapping: the dry run's report, batches that commit one by one, resuming after a
failure midway, a second run that changes nothing, WIP limits, and 10,000 cards timed."""

from __future__ import annotations

import time
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import insert, select, update

from tests.service.helpers import count, sales_graph, step_named
from wfm_app import db
from wfm_app.engine import card_migration, definitions, portable, steps, workflows
from wfm_app.engine.models import WfmProject, WfmProjectHistory
from wfm_app.engine.schemas import StepUpdate, WorkflowGraph
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate
from wfm_app.errors import Forbidden, ValidationFailed, WipLimitReached

V2 = "Standard Sales Process v2"


def _second_version(admin) -> WorkflowGraph:
    """The sales workflow again under a new name, with "Demo Booked" after Qualification
    and without "Contract Sent" (made through the definitions file import)."""
    document = portable.export(admin, "Standard Sales Process")
    flow = document["workflows"][0]
    flow["name"] = V2
    flow["automation_rules"], flow["branches"] = [], []  # its approvals are on Contract Sent
    flow["steps"] = [s for s in flow["steps"] if s["status"] != "Contract Sent"]
    flow["steps"].insert(2, {"status": "Demo Booked"})
    flow["transitions"] = [
        t for t in flow["transitions"] if "Contract Sent" not in (t["from"], t["to"])
    ]
    document["statuses"] = [{"name": "Demo Booked"}]
    document["project_types"], document["custom_fields"] = [], []
    portable.import_definitions(admin, document)
    found = workflows.get_by_name(admin, V2)
    assert found is not None
    return definitions.graph(found.id)


def _deals_on(actor, graph: WorkflowGraph, step_name: str, n: int) -> list[uuid.UUID]:
    made = [
        deals.service.create(actor, DealCreate(name=f"{step_name} {i}", amount=Decimal(1)))
        for i in range(n)
    ]
    ids = [deal.wfm.wfm_project_id for deal in made]
    with db.get_engine().begin() as conn:
        conn.execute(
            update(WfmProject)
            .where(WfmProject.id.in_(ids))
            .values(current_step_id=step_named(graph, step_name).id)
        )
    return ids


def test_the_dry_run_proposes_same_status_and_reports_what_has_no_target(seeded):
    v1, v2 = sales_graph(), _second_version(seeded.admin)
    _deals_on(seeded.alice, v1, "Prospecting", 3)
    _deals_on(seeded.alice, v1, "Contract Sent", 2)
    report = card_migration.preview(seeded.admin, v1.id, v2.id)
    moves = {(m.from_step_id, m.to_step_id): m.cards for m in report.moves}
    assert moves[(step_named(v1, "Prospecting").id, step_named(v2, "Prospecting").id)] == 3
    assert moves[(step_named(v1, "Contract Sent").id, None)] == 2
    assert (report.cards, report.without_target, report.over_limit) == (3, 2, [])
    assert count(WfmProject, WfmProject.workflow_id == v2.id) == 0  # nothing changed

    # the admin maps "Contract Sent" to "Negotiation": all five go
    mapping = {step_named(v1, "Contract Sent").id: step_named(v2, "Negotiation").id}
    assert card_migration.apply(seeded.admin, v1.id, v2.id, mapping, batch=2) == 5
    assert count(WfmProject, WfmProject.workflow_id == v2.id) == 5
    assert count(WfmProjectHistory, WfmProjectHistory.kind == "migration") == 5
    assert card_migration.apply(seeded.admin, v1.id, v2.id, mapping) == 0  # twice: nothing


def test_the_dry_run_names_cards_that_would_miss_their_new_steps_fields(seeded):
    v1, v2 = sales_graph(), _second_version(seeded.admin)
    _deals_on(seeded.alice, v1, "Qualification", 2)  # no expected close date
    mapping = {step_named(v1, "Qualification").id: step_named(v2, "Proposal").id}
    report = card_migration.preview(seeded.admin, v1.id, v2.id, mapping)
    assert report.unmet == [
        '2 card(s) from "Qualification" would be on "Proposal" without Expected close date.'
    ]
    plain = card_migration.preview(seeded.admin, v1.id, v2.id)  # Qualification -> itself
    assert plain.unmet == []


def test_a_failure_midway_keeps_the_batches_done_and_a_rerun_finishes(seeded, monkeypatch):
    v1, v2 = sales_graph(), _second_version(seeded.admin)
    projects = _deals_on(seeded.alice, v1, "Prospecting", 7)
    real, calls = card_migration._one_batch, []

    def failing_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the server went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(card_migration, "_one_batch", failing_second)
    with pytest.raises(RuntimeError):
        card_migration.apply(seeded.admin, v1.id, v2.id, batch=3)
    assert count(WfmProject, WfmProject.workflow_id == v2.id) == 3  # the first batch stays
    monkeypatch.setattr(card_migration, "_one_batch", real)
    assert card_migration.apply(seeded.admin, v1.id, v2.id, batch=3) == 4
    with db.get_engine().connect() as conn:
        rows = conn.execute(
            select(WfmProjectHistory.wfm_project_id).where(WfmProjectHistory.kind == "migration")
        ).scalars()
        assert sorted(rows) == sorted(projects)  # each card once
    # a migrated card moves on its new workflow
    deal = deals.service.get_all(seeded.alice)[0]
    moved = deals.service.move(seeded.alice, deal.id, step_named(v2, "Qualification").id)
    assert moved.wfm.workflow_id == v2.id


def test_a_block_limit_that_would_break_stops_it_all(seeded):
    v1, v2 = sales_graph(), _second_version(seeded.admin)
    negotiation = step_named(v2, "Negotiation")
    steps.update_step(
        seeded.admin,
        negotiation.id,
        StepUpdate(metadata={**negotiation.metadata, "wip_limit": 1, "wip_policy": "block"}),
    )
    _deals_on(seeded.alice, v1, "Negotiation", 2)
    report = card_migration.preview(seeded.admin, v1.id, v2.id)
    assert report.over_limit == ['"Negotiation" would hold 2 cards; its limit is 1 (block).']
    with pytest.raises(WipLimitReached):
        card_migration.apply(seeded.admin, v1.id, v2.id)
    assert count(WfmProject, WfmProject.workflow_id == v2.id) == 0


def test_only_admins_and_mappings_checked(seeded):
    v1, v2 = sales_graph(), _second_version(seeded.admin)
    with pytest.raises(Forbidden):
        card_migration.preview(seeded.manager, v1.id, v2.id)
    with pytest.raises(ValidationFailed) as wrong:
        card_migration.preview(seeded.admin, v1.id, v2.id, {uuid.uuid4(): None})
    assert "mapping" in wrong.value.field_errors
    with pytest.raises(ValidationFailed):
        card_migration.preview(seeded.admin, v1.id, v1.id)


def test_ten_thousand_cards(seeded, database):
    v1, v2 = sales_graph(), _second_version(seeded.admin)
    deal_type = deals.service.default_project_type_id()
    first = step_named(v1, "Prospecting").id
    rows = [
        {
            "id": uuid.uuid4(),
            "project_type_id": deal_type,
            "workflow_id": v1.id,
            "current_step_id": first,
            "name": f"Bulk {i}",
            "is_active": True,
        }
        for i in range(10_000)
    ]
    with db.get_engine().begin() as conn:
        conn.execute(insert(WfmProject), rows)
    started = time.perf_counter()
    moved = card_migration.apply(seeded.admin, v1.id, v2.id)
    seconds = time.perf_counter() - started
    print(f"\n10,000 cards migrated on {database} in {seconds:.2f} s ({moved} moved)")
    assert moved == 10_000 and count(WfmProject, WfmProject.workflow_id == v2.id) == 10_000


PREVIEW = """query($f: ID!, $t: ID!, $m: [WFMStepMappingInput!]) {
  previewWFMWorkflowMigration(fromVersionId: $f, toVersionId: $t, mapping: $m) {
    cards withoutTarget overLimit moves { fromStep { id } toStep { id } cards } } }"""
APPLY = """mutation($f: ID!, $t: ID!, $m: [WFMStepMappingInput!]) {
  applyWFMWorkflowMigration(fromVersionId: $f, toVersionId: $t, mapping: $m) }"""


def _graphql(actor, document: str, **variables):
    from tests import harness
    from wfm_app.api.graphql.context import Context
    from wfm_app.api.graphql.schema import schema

    context = Context(actor=actor)
    return harness.run_async(
        schema.execute(document, variable_values=variables, context_value=context)
    )


def test_over_graphql_for_admins_only(seeded):
    v1, v2 = sales_graph(), _second_version(seeded.admin)
    _deals_on(seeded.alice, v1, "Contract Sent", 2)
    ids = {"f": str(v1.id), "t": str(v2.id)}
    refused = _graphql(seeded.manager, PREVIEW, **ids)
    assert refused.errors[0].extensions["code"] == "FORBIDDEN"
    dry = _graphql(seeded.admin, PREVIEW, **ids).data["previewWFMWorkflowMigration"]
    assert (dry["cards"], dry["withoutTarget"]) == (0, 2)
    mapping = [
        {
            "fromStepId": str(step_named(v1, "Contract Sent").id),
            "toStepId": str(step_named(v2, "Proposal").id),
        }
    ]
    assert (
        _graphql(seeded.admin, PREVIEW, m=mapping, **ids).data["previewWFMWorkflowMigration"][
            "cards"
        ]
        == 2
    )
    assert _graphql(seeded.admin, APPLY, m=mapping, **ids).data["applyWFMWorkflowMigration"] == 2
    assert _graphql(seeded.admin, APPLY, m=mapping, **ids).data["applyWFMWorkflowMigration"] == 0
