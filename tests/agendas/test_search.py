"""Search across agendas: title, region, priority text and organisation; only what the policy shows; only for
the ministry and state representatives; one query per page however many agendas (PostgreSQL full-text search,
SQLite fallback — the suite runs on both)."""

import pytest
from django.urls import reverse

from accounts import roles
from agendas.models import Agenda, Priority
from agendas.search import search_agendas
from tests.factories import OrganisationFactory, UserFactory, make_coordinator, make_state_representative
from tests.factories_reports import build_agenda

pytestmark = pytest.mark.django_db


@pytest.fixture
def agendas(db):
    submitted = build_agenda(status=Agenda.Status.SUBMITTED, current_version=1, title="Kansenagenda Woningbouw Oost")
    Priority.objects.filter(agenda=submitted).update(goals="Meer huisartsen in de kleine kernen.")
    submitted.alliance.organisations.add(OrganisationFactory(name="Stichting Zorgcampus Heuvelland"))
    draft = build_agenda(status=Agenda.Status.DRAFT, title="Kansenagenda Woningbouw Concept")
    other = build_agenda(status=Agenda.Status.ACTIVE, current_version=1, title="Agenda Krimpregio")
    return {"submitted": submitted, "draft": draft, "other": other}


def _titles(user, query):
    return {a.title for a in search_agendas(user, query)}


@pytest.mark.parametrize(
    "query",
    ["Woningbouw", "woningbouw oost", "huisartsen", "Zorgcampus", "kernen"],
)
def test_finds_by_title_priority_text_and_organisation(agendas, query):
    officer = UserFactory(role=roles.MINISTRY_OFFICER)
    assert _titles(officer, query) == {"Kansenagenda Woningbouw Oost"}


def test_finds_by_region_name(agendas):
    officer = UserFactory(role=roles.MINISTRY_OFFICER)
    region = agendas["other"].alliance.region.name
    assert "Agenda Krimpregio" in _titles(officer, region)


def test_never_shows_what_the_policy_hides(agendas):
    officer = UserFactory(role=roles.MINISTRY_OFFICER)
    assert "Kansenagenda Woningbouw Concept" not in _titles(officer, "Concept")  # an unshared draft
    rep = make_state_representative(agendas["other"].alliance.region)
    assert _titles(rep, "Woningbouw") == set()  # another region
    assert _titles(rep, "Krimpregio") == {"Agenda Krimpregio"}


@pytest.mark.parametrize("who", ["coordinator", "partner", "reviewer", "anonymous"])
def test_others_may_not_search(client, agendas, who):
    if who == "coordinator":
        user = make_coordinator(agendas["submitted"].alliance)
    elif who == "anonymous":
        user = None
    else:
        user = UserFactory(role=roles.PARTNER if who == "partner" else roles.REVIEWER)
    if user is not None:
        client.force_login(user)
        assert _titles(user, "Woningbouw") == set()
    response = client.get(reverse("agendas:agenda_search"), {"q": "Woningbouw"})
    assert response.status_code in (302, 403)
    assert "Woningbouw Oost" not in response.content.decode()


def test_empty_query_finds_nothing(agendas):
    assert _titles(UserFactory(role=roles.MINISTRY_SIGNATORY), "   ") == set()


def test_search_page_and_nav_link(client, agendas):
    client.force_login(UserFactory(role=roles.MINISTRY_OFFICER))
    page = client.get(reverse("agendas:agenda_search"), {"q": "huisartsen"}).content.decode()
    assert "1 agenda gevonden" in page and reverse("agendas:agenda_detail", args=[agendas["submitted"].pk]) in page
    assert f'href="{reverse("agendas:agenda_search")}"' in page  # offered in the navigation
    assert "Niets gevonden" in client.get(reverse("agendas:agenda_search"), {"q": "xyzzy"}).content.decode()


def test_search_page_query_count_does_not_grow(client, agendas, django_assert_max_num_queries):
    client.force_login(UserFactory(role=roles.MINISTRY_OFFICER))
    url = reverse("agendas:agenda_search")
    with django_assert_max_num_queries(40) as small:
        client.get(url, {"q": "Kansenagenda"})
    for i in range(4):
        build_agenda(status=Agenda.Status.SUBMITTED, current_version=1, title=f"Kansenagenda extra {i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url, {"q": "Kansenagenda"}).content.decode()
    assert "5 agenda's gevonden" in page
