import uuid

from wfm_app.auth.actor import (
    ADMIN,
    MANAGE_DEFINITIONS,
    MANAGER,
    MEMBER,
    READ_ANY_PROJECT,
    READ_PROJECTS,
    UPDATE_PROJECTS,
    Actor,
)


def test_roles_grant_the_spec_permissions():
    user = uuid.uuid4()
    admin = Actor.for_user(user, {ADMIN})
    manager = Actor.for_user(user, {MANAGER})
    member = Actor.for_user(user, {MEMBER})
    assert admin.can(MANAGE_DEFINITIONS) and admin.can(READ_ANY_PROJECT)
    assert not manager.can(MANAGE_DEFINITIONS) and manager.can(READ_ANY_PROJECT)
    assert member.can(READ_PROJECTS) and member.can(UPDATE_PROJECTS)
    assert not member.can(READ_ANY_PROJECT) and not member.can(MANAGE_DEFINITIONS)


def test_unknown_or_missing_roles_mean_no_access():
    for roles in (set(), {"superuser"}):
        nobody = Actor.for_user(uuid.uuid4(), roles)
        assert nobody.roles == frozenset() and not nobody.has_access
        assert not nobody.can(READ_PROJECTS)


def test_an_operator_may_grant_everyone_a_default_role():
    granted = Actor.for_user(uuid.uuid4(), set(), default_role=MEMBER)
    assert granted.roles == {MEMBER} and granted.can(READ_PROJECTS)
    assert Actor.for_user(uuid.uuid4(), {ADMIN}, default_role=MEMBER).roles == {ADMIN}
    assert not Actor.for_user(uuid.uuid4(), set(), default_role="root").has_access
