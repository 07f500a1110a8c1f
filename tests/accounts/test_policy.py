import pytest
from django.http import Http404

from accounts import roles
from accounts.permissions import alliance_policy
from tests.factories import (
    AllianceFactory,
    OrganisationFactory,
    UserFactory,
    make_coordinator,
    make_partner,
    make_state_representative,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    own = AllianceFactory(organisations=[OrganisationFactory()])
    other = AllianceFactory(organisations=[OrganisationFactory()])
    return own, other


def _user(kind, own):
    if kind == "coordinator":
        return make_coordinator(own)
    if kind == "partner":
        return make_partner(own)
    if kind == "state_representative":
        return make_state_representative(own.region)
    if kind == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return UserFactory(role=kind)


# (kind, sees own, sees other, may change own)
MATRIX = [
    ("coordinator", True, False, True),
    ("partner", True, False, False),
    ("state_representative", True, False, False),
    ("reviewer", False, False, False),
    ("ministry_officer", True, True, False),
    ("ministry_signatory", True, True, False),
    ("administrator", True, True, True),
    ("anonymous", False, False, False),
]


@pytest.mark.parametrize("kind,sees_own,sees_other,changes_own", MATRIX)
def test_alliance_policy_matrix(world, kind, sees_own, sees_other, changes_own):
    own, other = world
    user = _user(kind, own)
    visible = set(alliance_policy.visible(user))
    assert (own in visible) is sees_own
    assert (other in visible) is sees_other
    assert alliance_policy.can(user, "change", own) is changes_own
    assert alliance_policy.can(user, "change", other) is (kind == "administrator")


def test_coordinator_of_other_alliance_gets_404(world):
    own, other = world
    user = make_coordinator(own)
    assert alliance_policy.get_for(user, own.pk, "change") == own
    with pytest.raises(Http404):
        alliance_policy.get_for(user, other.pk)


def test_removed_coordinator_loses_rights(world):
    own, _ = world
    user = make_coordinator(own)
    assert alliance_policy.can(user, "change", own)
    own.coordinators.remove(user)
    assert not alliance_policy.can(user, "change", own)


def test_coordinator_role_without_assignment_sees_nothing(world):
    user = UserFactory(role=roles.COORDINATOR)
    assert list(alliance_policy.visible(user)) == []


def test_partner_whose_membership_ended_sees_nothing(world):
    import datetime

    own, _ = world
    user = make_partner(own)
    user.memberships.update(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1))
    assert list(alliance_policy.visible(user)) == []
