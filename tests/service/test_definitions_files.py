"""Issue 15: definitions as files. Export, import into an empty database, export again:
the same text; importing twice changes nothing; a dry run writes nothing; a file that
would strand cards is refused with the reason, and nothing changes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import empty_all_tables
from tests.service.helpers import count, sales_graph, step_named
from wfm_app.auth.actor import Actor
from wfm_app.engine import portable, versions, workflows
from wfm_app.engine.models import Status, WorkflowStep
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate
from wfm_app.errors import Forbidden, ValidationFailed


def test_export_import_into_an_empty_database_and_export_again_is_identical(seeded):
    first = portable.to_yaml(portable.export(seeded.admin))
    assert "Standard Sales Process" in first and "Tell managers about won deals" in first
    empty_all_tables()
    report = portable.import_definitions(Actor.system(), portable.from_yaml(first))
    assert report.applied and len(report.changes) > 20
    again = portable.to_yaml(portable.export(Actor.system()))
    assert again == first
    second = portable.import_definitions(Actor.system(), portable.from_yaml(first))
    assert second.changes == []  # idempotent


def test_a_dry_run_reports_and_writes_nothing(seeded):
    document = portable.export(seeded.admin, "Standard Sales Process")
    sales = document["workflows"][0]
    sales["steps"].insert(2, {"status": "Demo Booked"})
    sales["transitions"].append({"from": "Qualification", "to": "Demo Booked"})
    document["statuses"].append({"name": "Demo Booked", "color": "#123456"})
    steps_before = count(WorkflowStep)
    report = portable.import_definitions(seeded.admin, document, dry_run=True)
    assert not report.applied
    assert 'status "Demo Booked" created' in report.changes
    assert 'workflow "Standard Sales Process": step "Demo Booked" added' in report.changes
    assert count(WorkflowStep) == steps_before and count(Status, Status.name == "Demo Booked") == 0
    applied = portable.import_definitions(seeded.admin, document)
    assert applied.changes == report.changes
    names = [s.status.name for s in sales_graph().steps]
    assert names[:3] == ["Prospecting", "Qualification", "Demo Booked"]


def test_a_file_that_would_strand_cards_is_refused_naming_them(seeded):
    deals.service.create(seeded.alice, DealCreate(name="On prospecting", amount=Decimal(5)))
    document = portable.export(seeded.admin, "Standard Sales Process")
    sales = document["workflows"][0]
    sales["steps"] = [s for s in sales["steps"] if s["status"] != "Prospecting"]
    sales["steps"][0]["initial"] = True
    sales["transitions"] = [
        t for t in sales["transitions"] if "Prospecting" not in (t["from"], t["to"])
    ]
    with pytest.raises(ValidationFailed) as refused:
        portable.import_definitions(seeded.admin, document)
    assert '"Prospecting"' in refused.value.message and "1 card" in refused.value.message
    assert step_named(sales_graph(), "Prospecting").is_initial_step  # nothing changed


def test_only_admins_and_checked_input(seeded):
    with pytest.raises(Forbidden):
        portable.export(seeded.manager)
    with pytest.raises(Forbidden):
        portable.import_definitions(seeded.manager, {"statuses": []})
    with pytest.raises(ValidationFailed) as bad:
        portable.import_definitions(seeded.admin, {"statuses": [{"name": ""}], "extra": 1})
    assert "statuses.0.name" in bad.value.field_errors and "extra" in bad.value.field_errors
    with pytest.raises(ValidationFailed) as not_yaml:
        portable.from_yaml("statuses: [unclosed")
    assert "line" in not_yaml.value.message
    assert workflows.get_by_name(seeded.admin, "Standard Sales Process") is not None


def test_the_full_export_holds_live_versions_only(seeded):
    draft = versions.create_draft(seeded.admin, sales_graph().id)
    names = [w["name"] for w in portable.export(seeded.admin)["workflows"]]
    assert "Standard Sales Process" in names and draft.name not in names
    one = portable.export(seeded.admin, draft.name)["workflows"]  # asked for by name: there
    assert [w["name"] for w in one] == [draft.name]
