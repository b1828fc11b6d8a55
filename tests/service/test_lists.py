"""Server-side lists (entities/listing.py, filtering.py): every sort walked page by page
both ways against the same cards sorted in Python, each filter against the cards it must
keep, what a member sees, bad input, and two organizations."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.service.helpers import sales_graph, step_named
from tests.service.test_organizations import Org, organization
from wfm_app import cli
from wfm_app.engine import custom_fields
from wfm_app.engine.custom_fields import CustomFieldCreate
from wfm_app.entities import deals, export
from wfm_app.entities.deals import DealCreate
from wfm_app.entities.filtering import CardFilter, CustomCondition, FieldRange
from wfm_app.entities.listing import ListSort
from wfm_app.errors import ValidationFailed
from wfm_app.sqltypes import utc_now
from wfm_app.tenancy import acting_in

TODAY = utc_now().date()


def make_deals(seeded):
    """Twelve deals: amounts with a tie and a blank, close dates with blanks, two owners,
    one assigned to the manager, a custom number and a dropdown."""
    admin = seeded.admin
    custom_fields.create(
        admin, CustomFieldCreate(entity_type="DEAL", label="Seats", field_type="NUMBER")
    )
    custom_fields.create(
        admin,
        CustomFieldCreate(
            entity_type="DEAL", label="Region", field_type="DROPDOWN", options=["EMEA", "APAC"]
        ),
    )
    made = []
    for n in range(12):
        owner = seeded.alice if n % 2 else seeded.bob
        made.append(
            deals.service.create(
                seeded.manager if n == 7 else owner,  # hands it to Alice, assigned to himself
                DealCreate(
                    owner_id=owner.user_id,
                    name=f"Deal {n:02d}" + (" Acme" if n % 3 == 0 else ""),
                    amount=None if n == 5 else Decimal(1000 * (n % 4 + 1)),
                    currency="EUR" if n % 4 == 0 else "USD",
                    expected_close_date=None if n % 5 == 0 else TODAY + timedelta(days=n - 4),
                    assignee_id=seeded.manager.user_id if n == 7 else None,
                    custom_fields={"seats": n * 10, "region": "EMEA" if n < 6 else "APAC"},
                ),
            )
        )
    return made


def walk(actor, sort, size, filters=None):
    """Every page forward, then every page backward from the end: the names in order."""
    forward, after, pages = [], None, 0
    while True:
        page = deals.service.list_page(actor, filters, sort, first=size, after=after)
        assert page.has_previous == (after is not None)
        forward += [d.name for d in page.nodes]
        pages += 1
        if not page.has_next:
            break
        after = page.end_cursor
    backward, before = [], None
    while True:
        page = deals.service.list_page(actor, filters, sort, last=size, before=before)
        assert page.has_next == (before is not None)
        backward = [d.name for d in page.nodes] + backward
        if not page.has_previous:
            break
        before = page.start_cursor
    assert backward == forward
    return forward, pages


def expected(cards, key, descending):
    """Python's order: nulls after every value ascending (first descending), ties by id."""
    present = sorted((c for c in cards if key(c) is not None), key=lambda c: (key(c), c.id))
    blank = sorted((c for c in cards if key(c) is None), key=lambda c: c.id)
    ordered = present + blank
    return [c.name for c in (reversed(ordered) if descending else ordered)]


@pytest.mark.parametrize(
    "key",
    ["expected_close_date", "amount", "name", "created_at", "weighted_amount", "currency"],
)
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_pages_both_ways_in_the_order_python_sorts(seeded, key, descending):
    made = make_deals(seeded)
    names, pages = walk(seeded.manager, ListSort(key, descending), size=5)
    assert names == expected(made, lambda c: getattr(c, key), descending)
    assert pages == 3


def test_filters_keep_exactly_the_matching_cards(seeded):
    made = make_deals(seeded)
    manager = seeded.manager
    graph = sales_graph()
    prospecting = step_named(graph, "Prospecting")

    def names(**given):
        filters = CardFilter(**given)
        page = deals.service.list_page(manager, filters, ListSort("name", False), first=50)
        assert deals.service.count(manager, filters) == len(page.nodes)
        return [d.name for d in page.nodes]

    def kept(keep):
        return sorted(c.name for c in made if keep(c))

    assert names(ranges=(FieldRange("amount", "2000", "3000"),)) == kept(
        lambda c: c.amount is not None and 2000 <= c.amount <= 3000
    )
    assert names(equals=(("currency", "EUR"),)) == kept(lambda c: c.currency == "EUR")
    low, high = TODAY, TODAY + timedelta(days=3)
    assert names(ranges=(FieldRange("expected_close_date", low, high),)) == kept(
        lambda c: c.expected_close_date is not None and low <= c.expected_close_date <= high
    )
    assert names(search="acme") == kept(lambda c: "Acme" in c.name)
    assert names(search="100%") == []  # a LIKE wildcard is a character here
    assert names(owner_ids=(seeded.alice.user_id,)) == kept(
        lambda c: c.owner_id == seeded.alice.user_id
    )
    assert names(assignee_ids=(seeded.manager.user_id,)) == ["Deal 07"]
    assert len(names(unassigned=True)) == 11
    assert names(step_ids=(prospecting.id,)) == kept(lambda c: True)
    assert names(status_ids=(prospecting.status.id,)) == kept(lambda c: True)
    assert names(workflow_ids=(graph.id,)) == kept(lambda c: True)
    seats = CustomCondition("seats", "GREATER_THAN", ("75",))
    assert names(custom=(seats,)) == kept(lambda c: c.custom_fields["seats"] > 75)
    apac = CustomCondition("region", "IN", ("APAC",))
    assert names(custom=(apac,)) == kept(lambda c: c.custom_fields["region"] == "APAC")
    between = CustomCondition("seats", "BETWEEN", ("20", "40"))
    assert names(custom=(between,)) == ["Deal 02", "Deal 03 Acme", "Deal 04"]
    past = FieldRange("expected_close_date", None, TODAY - timedelta(days=1))
    assert names(ranges=(past,), open_only=True) == kept(
        lambda c: c.expected_close_date is not None and c.expected_close_date < TODAY
    )


def test_a_member_lists_and_counts_only_their_own(seeded):
    make_deals(seeded)
    page = deals.service.list_page(seeded.alice, None, None, first=50)
    assert {d.owner_id for d in page.nodes} == {seeded.alice.user_id}
    assert len(page.nodes) == deals.service.count(seeded.alice) == 6


def test_every_card_once_in_batches_for_an_export(seeded):
    made = make_deals(seeded)
    exported = list(deals.service.each(seeded.manager, None, ListSort("amount"), batch=5))
    assert sorted(d.id for d in exported) == sorted(d.id for d in made)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda a: deals.service.list_page(a, first=0), "first"),
        (lambda a: deals.service.list_page(a, first=201), "first"),
        (lambda a: deals.service.list_page(a, first=5, last=5), "last"),
        (lambda a: deals.service.list_page(a, after="not a cursor"), "after"),
        (lambda a: deals.service.list_page(a, before="x" * 2000), "before"),
        (lambda a: deals.service.list_page(a, sort=ListSort("secret")), "sort"),
        (lambda a: deals.service.list_page(a, CardFilter(search="x" * 5000)), "search"),
        (
            lambda a: deals.service.count(a, CardFilter(ranges=(FieldRange("amount", "lots"),))),
            "amount",
        ),
        (
            lambda a: deals.service.count(a, CardFilter(ranges=(FieldRange("name", "a"),))),
            "name",
        ),
        (
            lambda a: deals.service.count(a, CardFilter(custom=(CustomCondition("nope", "IN"),))),
            "custom.nope",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(seeded, call, field):
    with pytest.raises(ValidationFailed) as refused:
        call(seeded.manager)
    assert field in refused.value.field_errors


def test_a_cursor_of_one_sort_is_refused_by_another(seeded):
    make_deals(seeded)
    page = deals.service.list_page(seeded.manager, None, ListSort("amount"), first=2)
    with pytest.raises(ValidationFailed, match="another sort"):
        deals.service.list_page(seeded.manager, None, ListSort("name"), after=page.end_cursor)


def test_lists_stay_inside_their_organization(database):
    if database != "postgresql":
        pytest.skip("organizations live on PostgreSQL")
    acme, globex = organization("acme"), organization("globex")

    def add(org: Org, name: str) -> None:
        with acting_in(org.id):
            deals.service.create(
                org.admin, DealCreate(name=name, expected_close_date=date(2027, 1, 1))
            )

    add(acme, "Acme's")
    add(globex, "Globex's")
    for org, name in ((acme, "Acme's"), (globex, "Globex's")):
        with acting_in(org.id):
            page = deals.service.list_page(org.admin, None, ListSort("expected_close_date"))
            assert [d.name for d in page.nodes] == [name]
            assert deals.service.count(org.admin) == 1


def test_an_export_holds_every_match_with_safe_cells(seeded, capsys):
    made = make_deals(seeded)
    deals.service.create(seeded.alice, DealCreate(name="=HYPERLINK(evil) Acme"))
    text = "".join(export.lines(deals.service, seeded.manager, CardFilter(search="acme")))
    rows = list(csv.DictReader(io.StringIO(text)))
    expected_names = {c.name for c in made if "Acme" in c.name} | {"'=HYPERLINK(evil) Acme"}
    assert {row["Name"] for row in rows} == expected_names
    first = next(row for row in rows if row["Name"] == "Deal 00 Acme")
    assert (first["Seats"], first["Region"], first["Step"]) == ("0", "EMEA", "Prospecting")
    assert first["Owner"] == "Bob Member"
    mine = list(
        csv.DictReader(
            io.StringIO("".join(export.lines(deals.service, seeded.alice, CardFilter())))
        )
    )
    assert len(mine) == 7  # her six and the formula one

    assert cli.main(["export-cards", "deal", "--search", "acme"]) == 0
    printed = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {row["Name"] for row in printed} == expected_names
    assert cli.main(["export-cards", "nothing-like-it"]) == 2
    assert "no kind" in capsys.readouterr().err
