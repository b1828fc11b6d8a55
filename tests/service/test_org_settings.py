"""An organization's default currency (issue 33.6): new deals start in it, forms offer it
first, only an admin sets it, each organization its own."""

from __future__ import annotations

import pytest

from tests.conftest import make_actor
from tests.service.test_organizations import organization
from wfm_app.auth.actor import MANAGER
from wfm_app.engine import org_settings
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate
from wfm_app.errors import Forbidden, ValidationFailed
from wfm_app.tenancy import acting_in
from wfm_app.ui.state.entity_views import builtin_fields


def test_each_organization_has_its_own_default_currency(database: str) -> None:
    acme, globex = organization("acme"), organization("globex")
    with acting_in(acme.id):
        assert org_settings.set_default_currency(acme.admin, " eur ") == "EUR"
        made = deals.service.create(acme.admin, DealCreate(name="Euro deal"))
        assert made.currency == "EUR"
        given = deals.service.create(acme.admin, DealCreate(name="Yen deal", currency="JPY"))
        assert given.currency == "JPY"
        currency = next(f for f in builtin_fields(deals.DESCRIPTION) if f.key == "currency")
        assert (currency.default, currency.options[:2]) == ("EUR", ["EUR", "USD"])
        assert currency.options.count("EUR") == 1
        with pytest.raises(ValidationFailed) as refused:
            org_settings.set_default_currency(acme.admin, "EURO")
        assert "default_currency" in refused.value.field_errors
        with pytest.raises(Forbidden):
            org_settings.set_default_currency(make_actor("max", "Max", MANAGER), "GBP")
    with acting_in(globex.id):
        assert org_settings.default_currency() == "USD"
        assert deals.service.create(globex.admin, DealCreate(name="Dollar deal")).currency == "USD"
    with acting_in(acme.id):
        assert org_settings.default_currency() == "EUR"
