"""People's pictures from their identity provider on card faces (issue 33.3): only what a
browser may safely load, each organization's own."""

from __future__ import annotations

from decimal import Decimal

from tests.service.test_organizations import organization
from wfm_app.auth import users
from wfm_app.demo import BOB_PICTURE
from wfm_app.engine import definitions, people
from wfm_app.entities import deals
from wfm_app.entities.deals import DealCreate, DealUpdate
from wfm_app.tenancy import acting_in
from wfm_app.ui.state.card_face import card_view


def _person(subject: str, picture: str | None) -> users.UserRead:
    return users.upsert(
        issuer="https://idp",
        subject=subject,
        email=None,
        display_name=subject.title(),
        avatar_url=picture,
    )


def test_a_card_shows_its_owner_and_assignee_pictures_in_their_organization_only(
    database: str,
) -> None:
    acme, globex = organization("acme"), organization("globex")
    definitions.invalidate()
    with acting_in(acme.id):
        pat = _person("pat", BOB_PICTURE)
        _person("sly", "javascript:alert(1)")  # stored by an older version: never shown
        deal = deals.service.create(acme.admin, DealCreate(name="Faces", amount=Decimal(1)))
        deal = deals.service.update(acme.admin, deal.id, DealUpdate(owner_id=pat.id))
        assigned = deals.service.kind.update_model(assignee_id=pat.id)
        deal = deals.service.update(acme.admin, deal.id, assigned)
        face = card_view(deals.service, deal, "")
        assert (face.picture, face.assignee_picture, face.initials) == (
            BOB_PICTURE,
            BOB_PICTURE,
            "P",
        )
        assert list(people.pictures_by_person().values()) == [BOB_PICTURE]
    with acting_in(globex.id):
        assert people.pictures_by_person() == {}
