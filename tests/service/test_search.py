"""The header's search: every kind a person may see, by name and text fields, each kind's
visibility rules applied (issue 33.4)."""

from __future__ import annotations

import pytest

from wfm_app.entities import deals, leads, search, tickets
from wfm_app.entities.deals import DealCreate
from wfm_app.errors import ValidationFailed


def test_search_finds_cards_of_every_kind_one_may_see(seeded) -> None:
    deals.service.create(seeded.alice, DealCreate(name="Acme renewal"))
    deals.service.create(seeded.bob, DealCreate(name="ACME expansion"))  # Bob's own
    tickets.service.create(
        seeded.alice, tickets.TicketCreate(name="Login fails", customer_email="it@acme.test")
    )
    leads.service.create(seeded.alice, leads.LeadCreate(name="Globex"))
    found = {
        f.kind.entity_type: [c.name for c in f.cards]
        for f in search.everywhere(seeded.alice, "acme")
    }
    assert found == {"DEAL": ["Acme renewal"], "TICKET": ["Login fails"]}  # e-mail matched
    everyone = search.everywhere(seeded.manager, "ACME")
    assert sorted(c.name for c in everyone[0].cards) == ["ACME expansion", "Acme renewal"]
    assert search.everywhere(seeded.alice, "100%_") == []  # wildcards are literal
    for bad in ("", "x" * 201):
        with pytest.raises(ValidationFailed) as refused:
            search.everywhere(seeded.alice, bad)
        assert "search" in refused.value.field_errors
