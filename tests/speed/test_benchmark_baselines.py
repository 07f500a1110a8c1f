"""The benchmark's bare references exist only with BENCHMARK_BASELINES on, never in production URLs."""

import importlib

import pytest
from django.urls import NoReverseMatch, clear_url_caches, get_resolver, reverse

from accounts import roles
from agendas.models import Agenda
from tests.factories import UserFactory
from tests.factories_reports import build_agenda


def _all_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _all_routes(pattern, route)
        else:
            yield route, pattern.name


def _reload_urls():
    import kansenagenda.urls

    clear_url_caches()
    importlib.reload(kansenagenda.urls)
    clear_url_caches()


@pytest.fixture
def baselines_on(settings):
    settings.BENCHMARK_BASELINES = True
    _reload_urls()
    yield
    settings.BENCHMARK_BASELINES = False
    _reload_urls()


def test_production_urls_hold_no_baseline_route(settings):
    assert settings.BENCHMARK_BASELINES is False  # the default
    routes = list(_all_routes())
    assert routes, "the resolver lists the project's routes"
    assert not [r for r in routes if "baseline" in r[0] or "_benchmark" in r[0] or "benchmark" in (r[1] or "")]
    for name in ("benchmark-anonymous", "benchmark-session", "benchmark-drf-list", "reports:baseline"):
        with pytest.raises(NoReverseMatch):
            reverse(name)


def test_production_settings_keep_baselines_off_by_default(monkeypatch):
    import kansenagenda.settings.base as base

    monkeypatch.delenv("BENCHMARK_BASELINES", raising=False)
    assert importlib.reload(base).BENCHMARK_BASELINES is False


def test_references_when_switched_on(baselines_on, client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("benchmark-anonymous"))
    assert response.status_code == 200 and response.json() == {"ok": True}
    # the logged-in reference really needs a login
    assert client.get(reverse("benchmark-session")).status_code == 302
    assert client.get(reverse("benchmark-drf-list")).status_code in (401, 403)
    officer = UserFactory(role=roles.MINISTRY_OFFICER)
    client.force_login(officer)
    assert client.get(reverse("benchmark-session")).json() == {"ok": True, "user": officer.pk}


def test_bare_drf_list_holds_the_same_agendas_as_the_api(baselines_on, client, db):
    visible = [build_agenda(status=Agenda.Status.SUBMITTED, priorities=1) for _ in range(3)]
    build_agenda(status=Agenda.Status.DRAFT, priorities=1)  # a draft: the ministry does not see it
    client.force_login(UserFactory(role=roles.MINISTRY_OFFICER))
    bare = client.get(reverse("benchmark-drf-list")).json()
    api = client.get(reverse("agenda-list")).json()
    assert [row["id"] for row in bare["results"]] == [row["id"] for row in api["results"]]
    assert sorted(row["id"] for row in bare["results"]) == sorted(a.pk for a in visible)
