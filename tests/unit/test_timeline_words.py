"""How an edit's values read in a card's timeline: as the card's panel shows them."""

from __future__ import annotations

from wfm_app.entities import deals
from wfm_app.ui.state.timeline import Words


def test_values_read_as_the_panel_shows_them() -> None:
    words = Words(deals.DESCRIPTION, [], {"7": "Max Manager"}, {})
    assert words.value("deal_specific_probability", "0.7500") == "75 %"
    assert words.value("amount", "12000.00") == "12,000"  # its currency then is not kept
    assert words.value("amount", "12000.50") == "12,000.50"
    assert words.value("expected_close_date", None) == "empty"
    assert words.value("owner_id", "7") == "Max Manager"
    assert words.value("custom_fields.regions", ["EMEA", "APAC"]) == "EMEA, APAC"
    assert words.value("custom_fields.urgent", False) == "No"
    assert words.label("deal_specific_probability") == "Probability override"
    assert words.label("assignee_id") == "Assigned to"
