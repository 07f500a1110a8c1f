import datetime

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Membership, Organisation, StateRepresentativeAssignment
from tests.factories import OrganisationFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_logs_in_with_email_and_has_no_username():
    user = UserFactory(email="Anna@Example.NL")
    assert user.USERNAME_FIELD == "email"
    assert not hasattr(user, "username") or user.username is None


def test_email_is_unique():
    UserFactory(email="a@example.nl")
    with pytest.raises(IntegrityError):
        UserFactory(email="a@example.nl")


def test_organisation_identifier_unique_only_when_given():
    OrganisationFactory(identifier="")
    OrganisationFactory(identifier="")  # several without an identifier are fine
    OrganisationFactory(identifier="12345678")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(identifier="12345678")


def test_organisation_name_required_in_database():
    with pytest.raises(IntegrityError):
        Organisation.objects.create(name="", type=Organisation.Type.MUNICIPALITY)


def test_membership_end_not_before_start():
    user, org = UserFactory(), OrganisationFactory()
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=user, organisation=org, start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2024, 1, 1)
        )


def test_membership_is_current():
    m = Membership(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1))
    assert m.is_current(datetime.date(2020, 6, 1))
    assert not m.is_current(datetime.date(2022, 1, 1))


def test_state_representative_assignment_unique_per_region():
    user, region = UserFactory(), RegionFactory()
    StateRepresentativeAssignment.objects.create(user=user, region=region)
    with pytest.raises(IntegrityError):
        StateRepresentativeAssignment.objects.create(user=user, region=region)


def test_roles_exist_as_groups():
    from django.contrib.auth.models import Group

    from accounts import roles

    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)


def test_edits_are_recorded_with_old_and_new_values():
    region = RegionFactory(name="Oud")
    region.name = "Nieuw"
    region.save()
    newest, previous = region.history.all()[:2]
    delta = newest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("name", "Oud", "Nieuw")]
