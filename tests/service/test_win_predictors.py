"""Custom fields an admin marks as win-chance predictors (issue 31.3): what the model
learns from them, where there is too little data, that a card's chance and a board's SQL
totals read the same values, the bounds on marking, files and GraphQL, and that each
organization learns from its own marks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.api.flows import codes, data
from tests.service.helpers import sales_graph, step_named
from tests.service.test_custom_fields import define, run
from tests.service.test_organizations import organization
from tests.service.test_win_chance import _closed_deal
from wfm_app.engine import custom_fields, portable, workflows
from wfm_app.engine.custom_fields import MAX_PREDICTORS_PER_KIND, CustomFieldUpdate
from wfm_app.engine.schemas import WorkflowUpdate
from wfm_app.engine.win_chance import store as win_chance
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate
from wfm_app.errors import ValidationFailed
from wfm_app.tenancy import acting_in
from wfm_app.ui.state.entity_views import detail_fields
from wfm_app.ui.state.workflow_win_chance import describe

STAYS = [("Prospecting", 24.0), ("Qualification", 48.0)]  # the same pace for every deal


def _history_where_region_decides(actor) -> None:
    """40 closed deals alike in every step and age: 16 of 20 from EMEA won, 4 of 20 from
    APAC; a few carry a number of seats (too few to learn from)."""
    for index in range(40):
        region = "EMEA" if index % 2 == 0 else "APAC"
        won = (index % 10 < 8) if region == "EMEA" else (index % 10 < 2)
        custom = {"region": region} | ({"seats": index} if index < 5 else {})
        _closed_deal(actor, STAYS, "Closed Won" if won else "Closed Lost", custom)


def _fields(admin, *, mark: bool = True):
    region = define(
        admin, label="Region", field_type="DROPDOWN", options=["EMEA", "APAC"], predicts_win=mark
    )
    seats = define(admin, label="Seats", field_type="NUMBER", predicts_win=mark)
    return region, seats


def test_it_learns_what_a_marked_field_says_and_beats_the_model_without_it(seeded) -> None:
    admin = seeded.admin
    region, _seats = _fields(admin)
    _history_where_region_decides(admin)
    graph = sales_graph()
    prospecting = step_named(graph, "Prospecting").id
    model, note = win_chance.learn(admin, graph.id)
    assert model is not None and note == ""
    assert model.predictor_labels == ["Region"]
    assert [t.value for t in model.terms] == ["APAC", "EMEA"]
    assert model.skipped == ("Seats (fewer than 20 closed cards with a number)",)
    emea = model.chance(prospecting, 2, "DEAL", {"region": "EMEA"})
    apac = model.chance(prospecting, 2, "DEAL", {"region": "APAC"})
    unknown = model.chance(prospecting, 2, "DEAL", {})
    assert emea is not None and apac is not None and unknown is not None
    assert emea > 0.6 > unknown > 0.4 > apac
    assert model.chance(prospecting, 2, "LEAD", {"region": "EMEA"}) == unknown  # not a lead's
    said = describe(win_chance.learned(graph.id))
    assert "by step, age in step and Region" in said
    assert "Not used yet: Seats (fewer than 20 closed cards with a number)." in said

    custom_fields.update(admin, region.id, CustomFieldUpdate(predicts_win=False))
    without, _ = win_chance.learn(admin, graph.id)
    assert without is not None and without.terms == () and len(without.skipped) == 1
    assert model.brier < without.brier  # the region tells it something step and age do not
    flat = without.chance(prospecting, 2)
    assert flat is not None and 0.4 < flat < 0.6


def test_a_cards_chance_and_the_boards_sql_totals_read_the_same_values(seeded) -> None:
    admin = seeded.admin
    _fields(admin)
    _history_where_region_decides(admin)
    graph = sales_graph()
    win_chance.learn(admin, graph.id)
    workflows.update(admin, graph.id, WorkflowUpdate(learned_win_chance=True))
    values = [{"region": "EMEA"}, {"region": "APAC"}, None, {"region": "EMEA", "seats": 40}]
    made = [
        deals.service.create(
            admin, DealCreate(name=f"Open {n}", amount=Decimal(1000), custom_fields=custom)
        )
        for n, custom in enumerate(values)
    ]
    cards = [deals.service.get_by_id(admin, d.id) for d in made]
    chances = [card.wfm.win_chance for card in cards]
    assert all(c is not None for c in chances)
    assert chances[0] > chances[2] > chances[1]
    assert chances[3] == pytest.approx(chances[0], abs=1e-6)  # seats were not learned
    for card in cards:
        assert card.weighted_amount == (Decimal(1000) * Decimal(card.wfm.win_chance)).quantize(
            Decimal("0.01")
        )
    board = deals.service.board(admin)
    prospecting = step_named(graph, "Prospecting").id
    column = next(c for c in board.columns if c.step.id == prospecting)
    expected = sum(card.weighted_amount for card in cards)
    assert abs(column.weighted_amount - expected) <= Decimal("0.04")  # rounding per card
    rows = {r["label"]: r["value"] for r in detail_fields(deals.DESCRIPTION, cards[0], [])}
    assert rows["Win chance"].endswith("learned from 40 closed deals and their Region")


def test_marking_is_bounded_and_each_refusal_names_the_field(seeded) -> None:
    admin = seeded.admin
    with pytest.raises(ValidationFailed) as refused:
        define(admin, label="Notes", field_type="TEXT", predicts_win=True)
    assert set(refused.value.field_errors) == {"predicts_win"}
    notes = define(admin, label="Notes", field_type="TEXT")
    with pytest.raises(ValidationFailed) as refused:
        custom_fields.update(admin, notes.id, CustomFieldUpdate(predicts_win=True))
    assert set(refused.value.field_errors) == {"predicts_win"}
    for n in range(MAX_PREDICTORS_PER_KIND):
        define(admin, label=f"Score {n}", field_type="NUMBER", predicts_win=True)
    with pytest.raises(ValidationFailed) as refused:
        define(admin, label="One more", field_type="BOOLEAN", predicts_win=True)
    assert "at most 10 fields" in refused.value.field_errors["predicts_win"]
    assert define(admin, label="Lead lens", entity_type="LEAD", field_type="BOOLEAN").key


def test_definition_files_and_graphql_carry_the_mark(seeded) -> None:
    admin = seeded.admin
    _fields(admin)
    document = portable.export(admin)
    marks = {f["key"]: f["predicts_win"] for f in document["custom_fields"]}
    assert marks == {"region": True, "seats": True}
    document["custom_fields"][0]["predicts_win"] = False  # region
    report = portable.import_definitions(admin, document)
    assert 'custom field "region" of DEAL updated' in report.changes
    listed = data(
        run(admin, "{ customFieldDefinitions(entityType: DEAL) { fieldName predictsWin } }")
    )["customFieldDefinitions"]
    assert {f["fieldName"]: f["predictsWin"] for f in listed} == {"region": False, "seats": True}
    refused = run(
        admin,
        """mutation { createCustomFieldDefinition(input: {entityType: DEAL,
             fieldLabel: "Notes", fieldType: TEXT, predictsWin: true}) { id } }""",
    )
    assert codes(refused) == ["VALIDATION"]
    assert set(refused["errors"][0]["extensions"]["fieldErrors"]) == {"predicts_win"}


def test_each_organization_learns_from_its_own_marks(database) -> None:
    acme, globex = organization("acme"), organization("globex")
    with acting_in(acme.id):
        _fields(acme.admin, mark=True)
        _history_where_region_decides(acme.admin)
        model, _ = win_chance.learn(acme.admin, sales_graph().id)
        assert model is not None and model.predictor_labels == ["Region"]
    with acting_in(globex.id):
        _fields(globex.admin, mark=False)  # the same fields, not marked
        _history_where_region_decides(globex.admin)
        model, _ = win_chance.learn(globex.admin, sales_graph().id)
        assert model is not None and model.terms == () and model.skipped == ()
    with acting_in(acme.id):  # acme's model is still its own
        found = win_chance.learned(sales_graph().id)
        assert found is not None and found[0] is not None
        assert found[0].predictor_labels == ["Region"]
