"""API for what only existed as pages (1.2.0): the signatory's send-back and other outcome, search across
agendas, saved filters. Each: who may, who may NOT, session and token; problem+json; lock_version + 409."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import roles
from agendas.models import Agenda, Decision, Transition
from kansenagenda.version import API_VERSION
from reports.models import SavedFilter
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance
from tests.factories import UserFactory

DOORS = ["session", "token"]
S = Agenda.Status


def api(user, door: str) -> APIClient:
    client = APIClient()
    if door == "session":
        client.force_login(user)
    else:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _problem(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    if code:
        assert response.json()["code"] == code


# --- send back ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("door", DOORS)
def test_signatory_sends_the_nota_back_through_the_api(world: World, door):
    advance(world, "prepared")
    url = reverse("api-agenda-decision-send-back", kwargs={"pk": world.agenda.pk})
    client = api(world.fresh(world.signatory), door)
    _problem(client.post(url, {"lock_version": 1, "remarks": " "}, format="json"), 409, "remarks_required")
    _problem(client.post(url, {"lock_version": 0, "remarks": "Onderbouw"}, format="json"), 409, "conflict")
    r = client.post(url, {"lock_version": 1, "remarks": "Onderbouw de bedragen."}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["sent_back_remarks"] == "Onderbouw de bedragen." and r["API-Version"] == API_VERSION
    assert world.refresh().status == S.AWAITING_DECISION
    assert Transition.objects.filter(action="send_back_decision", actor=world.signatory).count() == 1


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("who", ["officer", "coordinator", "state_rep"])
def test_others_may_not_send_back(world: World, door, who):
    advance(world, "prepared")
    url = reverse("api-agenda-decision-send-back", kwargs={"pk": world.agenda.pk})
    _problem(api(world.fresh(getattr(world, who)), door).post(url, {"lock_version": 1, "remarks": "x"}), 403)
    assert not Transition.objects.filter(action="send_back_decision").exists()


@pytest.mark.parametrize("door", DOORS)
def test_sign_another_outcome_needs_a_reason(world: World, door, settings):
    settings.TWO_FACTOR_ENFORCED = False
    advance(world, "prepared")
    url = reverse("api-agenda-decision-sign", kwargs={"pk": world.agenda.pk})
    client = api(world.fresh(world.signatory), door)
    _problem(client.post(url, {"lock_version": 1, "outcome": "maybe"}, format="json"), 400)
    _problem(client.post(url, {"lock_version": 1, "outcome": "reject"}, format="json"), 409, "deviation_reason")
    assert world.refresh().status == S.AWAITING_DECISION
    r = client.post(url, {"lock_version": 1, "outcome": "reject", "reason": "Te weinig draagvlak."}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["outcome"] == Decision.Outcome.REJECT and world.refresh().status == S.REJECTED


# --- search ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("who", ["officer", "signatory", "state_rep"])
def test_search_finds_visible_agendas(world: World, door, who):
    advance(world, "submitted")
    word = world.agenda.title.split()[0]
    r = api(world.fresh(getattr(world, who)), door).get(reverse("api-search"), {"zoek": word})
    assert r.status_code == 200, r.content
    assert world.agenda.pk in [row["id"] for row in r.json()["results"]]
    empty = api(world.fresh(getattr(world, who)), door).get(reverse("api-search"), {"zoek": ""})
    assert empty.json()["results"] == []


@pytest.mark.parametrize("door", DOORS)
def test_search_hides_what_the_user_may_not_see(world: World, door):
    advance(world, "submitted")
    r = api(world.fresh(world.other_state_rep), door).get(reverse("api-search"), {"zoek": world.agenda.title})
    assert r.status_code == 200 and world.agenda.pk not in [row["id"] for row in r.json()["results"]]


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("who", ["coordinator", "partner", "reviewer"])
def test_search_refused_to_others(world: World, door, who):
    _problem(api(world.fresh(getattr(world, who)), door).get(reverse("api-search"), {"zoek": "a"}), 403)


def test_search_anonymous_is_401():
    _problem(APIClient().get(reverse("api-search"), {"zoek": "a"}), 401)


# --- saved filters ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("door", DOORS)
def test_saved_filters_crud_only_own(db, door):
    owner = UserFactory(role=roles.MINISTRY_OFFICER)
    other = UserFactory(role=roles.MINISTRY_OFFICER)
    client = api(owner, door)
    listing = reverse("api-saved-filters")
    _problem(client.post(listing, {"name": "", "query": "status=active"}, format="json"), 400)
    _problem(client.post(listing, {"name": "Leeg", "query": ""}, format="json"), 400)
    r = client.post(listing, {"name": "Lopend", "query": "status=active&evil=1"}, format="json")
    assert r.status_code == 201, r.content
    saved = r.json()
    assert saved["query"] == "status=active"
    # the same name replaces its query
    again = client.post(listing, {"name": "Lopend", "query": "status=submitted"}, format="json").json()
    assert again["id"] == saved["id"] and again["query"] == "status=submitted"
    assert [row["name"] for row in client.get(listing).json()["results"]] == ["Lopend"]
    detail = reverse("api-saved-filter", kwargs={"pk": saved["id"]})
    assert client.get(detail).json()["query"] == "status=submitted"
    # someone else: not in their list, 404 on read and delete
    stranger = api(other, door)
    assert stranger.get(listing).json()["results"] == []
    _problem(stranger.get(detail), 404)
    _problem(stranger.delete(detail), 404)
    assert SavedFilter.objects.filter(pk=saved["id"]).exists()
    assert client.delete(detail).status_code == 204
    _problem(client.get(detail), 404)


@pytest.mark.parametrize("door", DOORS)
def test_saved_filters_refused_without_the_dashboard(world: World, door):
    client = api(world.fresh(world.coordinator), door)
    _problem(client.get(reverse("api-saved-filters")), 403)
    _problem(client.post(reverse("api-saved-filters"), {"name": "x", "query": "status=active"}, format="json"), 403)
    assert not SavedFilter.objects.exists()


def test_saved_filter_list_query_count_is_flat(db, django_assert_max_num_queries):
    owner = UserFactory(role=roles.MINISTRY_OFFICER)
    client = api(owner, "token")
    SavedFilter.objects.create(user=owner, name="a", query="status=active")
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("api-saved-filters"))
    SavedFilter.objects.bulk_create([SavedFilter(user=owner, name=f"f{n}", query="status=active") for n in range(20)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("api-saved-filters"))
