"""No dead ends: the procedure page says when the region has no state representative (no advice, no
decision) and who can fix it; the ministry officer or administrator assigns one (and a successor, with
history) on the region page; others may not."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import StateRepresentativeAssignment
from agendas import notifications
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance
from tests.factories import UserFactory

WARNING = "heeft geen rijksvertegenwoordiger"


def _unassign(world):
    StateRepresentativeAssignment.objects.filter(region=world.agenda.alliance.region).delete()


def test_coordinator_is_told_who_can_fix_it(world: World, client):
    advance(world, "submitted")
    client.force_login(world.coordinator)
    url = reverse("agendas:workflow-overview", args=[world.agenda.pk])
    assert WARNING not in client.get(url).content.decode()
    _unassign(world)
    page = client.get(url).content.decode()
    assert WARNING in page and "BZK-medewerker of de functioneel beheerder" in page
    assert reverse("region_assign", args=[world.agenda.alliance.region_id]) not in page


@pytest.mark.parametrize("who", ["officer", "admin"])
def test_officer_and_admin_get_the_link_to_the_assign_page(world: World, client, who):
    advance(world, "submitted")
    _unassign(world)
    client.force_login(getattr(world, who))
    page = client.get(reverse("agendas:workflow-overview", args=[world.agenda.pk])).content.decode()
    assert WARNING in page and reverse("region_assign", args=[world.agenda.alliance.region_id]) in page


@pytest.mark.parametrize("who", ["officer", "admin"])
def test_assign_then_change_with_history(world: World, client, who):
    region = world.agenda.alliance.region
    _unassign(world)
    assert notifications.state_representatives(world.agenda) == []
    actor = getattr(world, who)
    client.force_login(actor)
    page = reverse("region_assign", args=[region.pk])
    html = client.get(page).content.decode()
    assert WARNING in html
    today = timezone.localdate()
    response = client.post(page, {"user": world.state_rep.pk, "start_date": today.isoformat()})
    assert response.status_code == 302
    assert notifications.state_representatives(world.agenda) == [world.state_rep]
    # a successor: the current one ends the day before
    later = today + timedelta(days=10)
    response = client.post(page, {"user": world.other_state_rep.pk, "start_date": later.isoformat()})
    assert response.status_code == 302
    first = StateRepresentativeAssignment.objects.get(region=region, user=world.state_rep)
    assert first.end_date == later - timedelta(days=1)
    html = client.get(page).content.decode()
    assert str(world.other_state_rep) in html and "Geschiedenis" in html
    history = StateRepresentativeAssignment.history.filter(region_id=region.pk)
    assert history.filter(history_user=actor).count() == 3  # create, end the first, create the successor
    # the list marks regions without one and shows who represents this one
    listing = client.get(reverse("region_list")).content.decode()
    assert region.name in listing and str(world.state_rep) in listing


def test_assign_refuses_a_user_without_the_role_and_an_overlap(world: World, client):
    region = world.agenda.alliance.region
    client.force_login(world.officer)
    page = reverse("region_assign", args=[region.pk])
    response = client.post(page, {"user": world.coordinator.pk, "start_date": date.today().isoformat()})
    assert response.status_code == 400  # not a candidate: the field refuses it
    future = timezone.localdate() + timedelta(days=30)
    client.post(page, {"user": world.other_state_rep.pk, "start_date": future.isoformat()})
    response = client.post(page, {"user": world.free_reviewer.pk, "start_date": future.isoformat()})
    assert response.status_code == 400
    newcomer = UserFactory(role=roles.STATE_REPRESENTATIVE)
    response = client.post(page, {"user": newcomer.pk, "start_date": timezone.localdate().isoformat()})
    assert response.status_code == 400 and "op of na deze datum" in response.content.decode()
    assert not StateRepresentativeAssignment.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("who", ["coordinator", "state_rep", "signatory", "reviewer", "partner"])
def test_others_may_not_assign(world: World, client, who):
    region = world.agenda.alliance.region
    _unassign(world)
    client.force_login(getattr(world, who))
    page = reverse("region_assign", args=[region.pk])
    assert client.get(page).status_code == 403
    assert client.get(reverse("region_list")).status_code == 403
    assert client.post(page, {"user": world.state_rep.pk, "start_date": "2026-01-01"}).status_code == 403
    assert not StateRepresentativeAssignment.objects.filter(region=region).exists()


def test_region_list_query_count_is_flat(world: World, client, django_assert_max_num_queries):
    from tests.factories import RegionFactory, make_state_representative

    client.force_login(world.officer)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("region_list"))
    for _n in range(5):
        make_state_representative(RegionFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("region_list"))
