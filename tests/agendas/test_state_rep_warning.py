"""No dead ends: the procedure page says when the region has no state representative (no advice, no decision)."""

import pytest
from django.urls import reverse

from accounts.models import StateRepresentativeAssignment
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance

WARNING = "heeft geen rijksvertegenwoordiger"


@pytest.mark.parametrize("who", ["coordinator", "officer"])
def test_warning_when_the_region_has_no_state_representative(world: World, client, who):
    advance(world, "submitted")
    client.force_login(getattr(world, who))
    url = reverse("agendas:workflow-overview", args=[world.agenda.pk])
    assert WARNING not in client.get(url).content.decode()
    StateRepresentativeAssignment.objects.filter(region=world.agenda.alliance.region).delete()
    page = client.get(url).content.decode()
    assert WARNING in page and "functioneel beheerder" in page


def test_an_administrator_gets_the_link_to_assign_one(world: World, client):
    advance(world, "submitted")
    from accounts import roles
    from tests.factories import UserFactory

    StateRepresentativeAssignment.objects.filter(region=world.agenda.alliance.region).delete()
    admin = UserFactory(role=roles.MINISTRY_OFFICER, is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("agendas:workflow-overview", args=[world.agenda.pk])).content.decode()
    assert reverse("admin:accounts_staterepresentativeassignment_add") in page
