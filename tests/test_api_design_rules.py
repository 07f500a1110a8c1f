"""NL API Design Rules (docs/api.md): one test per testable rule, through each door (anonymous, session, token).

Rules by their ADR id; the problem+json tests cover every error status the API answers.
"""

from __future__ import annotations

import re

import pytest
from django.db import OperationalError
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import roles
from accounts.api import MeView
from kansenagenda.problems import PROBLEM_CONTENT_TYPE
from kansenagenda.version import API_VERSION
from tests.agendas.workflow_fixtures import user_with
from tests.factories import AgendaFactory

pytestmark = pytest.mark.django_db

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")
PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance", "code", "message", "errors"}


def _door(door: str, user) -> APIClient:
    """An API client for ``user`` through one door: the session cookie or an API token."""
    client = APIClient()
    if door == "session":
        client.force_login(user)
    else:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert response["API-Version"] == API_VERSION
    body = response.json()
    assert PROBLEM_MEMBERS <= set(body), body
    assert body["status"] == status and body["code"] == code and body["type"].endswith(f":{code}")
    assert body["detail"] == body["message"] and body["detail"] and body["title"]
    assert body["instance"] == response.wsgi_request.path
    return body


def _api_leaf_routes(patterns=None, prefix: str = "") -> list[tuple[str, str]]:
    """(full route, url name) of every URL pattern under api/v1, however deep its include."""
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + re.sub(r"^\^|\$$|\\Z$", "", str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            found += _api_leaf_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1"):
            found.append((route, pattern.name))
    return found


# --- /core/no-trailing-slash (API-48) ------------------------------------------------------------
def test_api_48_no_url_pattern_under_api_v1_ends_with_a_slash():
    routes = _api_leaf_routes()
    assert len(routes) > 40  # the walk really reaches the included routers and modules
    slashed = [(route, name) for route, name in routes if route.endswith("/")]
    assert slashed == [], "API URLs end without a slash (NL API Design Rules /core/no-trailing-slash)"


@pytest.mark.parametrize("door", ["session", "token"])
def test_api_48_a_slash_url_is_a_404_problem_naming_the_right_url_never_a_redirect(door, coordinator):
    client = _door(door, coordinator)
    right = reverse("agenda-list")
    assert client.get(right).status_code == 200
    body = _assert_problem(client.get(right + "/", {"status": "draft"}), 404, "trailing_slash")
    assert body["correct_url"] == f"{right}?status=draft" and right in body["detail"]
    _assert_problem(client.post(reverse("api-me") + "/", {}, format="json"), 404, "trailing_slash")
    # APPEND_SLASH never redirects an API URL either way round
    _assert_problem(client.get("/api/v1/bestaat-niet"), 404, "not_found")
    _assert_problem(client.get("/api/v1/bestaat-niet/"), 404, "not_found")


def test_api_48_anonymous_slash_url_is_the_same_404():
    _assert_problem(APIClient().get(reverse("agenda-list") + "/"), 404, "trailing_slash")


# --- /core/publish-openapi (API-51) and /core/doc-openapi (API-16) -------------------------------
def test_api_51_openapi_document_is_public_json_with_cors_for_every_origin():
    url = reverse("api-schema")
    assert url == "/api/v1/openapi.json"
    response = APIClient().get(url, HTTP_ORIGIN="https://elders.example.org")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert document["openapi"].startswith("3.")  # API-16: OpenAPI 3
    assert reverse("agenda-list") in document["paths"]


def test_api_51_document_ignores_a_stale_token_and_cors_stays_on_the_document_only(coordinator):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    assert client.get(reverse("api-schema")).status_code == 200
    other = _door("session", coordinator).get(reverse("agenda-list"), HTTP_ORIGIN="https://elders.example.org")
    assert other.status_code == 200 and "Access-Control-Allow-Origin" not in other


# --- /core/uri-version (API-20), /core/semver (API-56), /core/version-header (API-57) ---------------
def test_api_20_every_api_url_carries_the_major_version_of_the_document():
    document = APIClient().get(reverse("api-schema")).json()
    major = document["info"]["version"].split(".")[0]
    assert document["paths"] and all(path.startswith(f"/api/v{major}/") for path in document["paths"])


def test_api_56_the_version_is_semantic_and_one_constant():
    document = APIClient().get(reverse("api-schema")).json()
    assert SEMVER.match(API_VERSION) and document["info"]["version"] == API_VERSION


@pytest.mark.parametrize("door", ["anonymous", "session", "token"])
def test_api_57_api_version_header_on_every_answer(door, coordinator):
    client = APIClient() if door == "anonymous" else _door(door, coordinator)
    for url in (reverse("api-root"), reverse("api-schema"), reverse("api-me"), "/api/v1/bestaat-niet"):
        response = client.get(url)
        assert response["API-Version"] == API_VERSION, (url, response.status_code)
    assert reverse("api-root") == "/api/v1" and client.get(reverse("api-root")).json()["version"] == API_VERSION


def test_api_57_pages_do_not_carry_the_api_header(client):
    assert "API-Version" not in client.get(reverse("health"))


# --- /core/http-methods (API-03) ---------------------------------------------------------------------
def test_api_03_only_standard_methods_in_the_document_and_405_problem_with_allow_otherwise(coordinator):
    document = APIClient().get(reverse("api-schema")).json()
    methods = {m for operations in document["paths"].values() for m in operations if m != "parameters"}
    assert methods <= {"get", "post", "put", "patch", "delete"}
    for door in ("session", "token"):
        response = _door(door, coordinator).delete(reverse("api-me"))
        _assert_problem(response, 405, "method_not_allowed")
        assert "GET" in response["Allow"] and "DELETE" not in response["Allow"]


# --- error handling: application/problem+json for every status ---------------------------------------
def test_problem_401_anonymous_and_bad_token():
    response = APIClient().get(reverse("agenda-list"))
    _assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Token")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    _assert_problem(client.get(reverse("agenda-list")), 401, "authentication_failed")


@pytest.mark.parametrize("door", ["session", "token"])
def test_problem_400_with_field_errors_as_extension(door, coordinator, alliance):
    response = _door(door, coordinator).post(reverse("agenda-list"), {"alliance": alliance.pk}, format="json")
    body = _assert_problem(response, 400, "invalid")
    assert "title" in body["errors"] and all(isinstance(m, str) for m in body["errors"]["title"])


@pytest.mark.parametrize("door", ["session", "token"])
def test_problem_403_refused_by_the_policy(door, partner, alliance):
    agenda = AgendaFactory(alliance=alliance)
    response = _door(door, partner).patch(
        reverse("agenda-detail", kwargs={"pk": agenda.pk}), {"title": "X", "lock_version": 1}, format="json"
    )
    assert response.status_code == 403
    _assert_problem(response, 403, response.json()["code"])


@pytest.mark.parametrize("door", ["session", "token"])
def test_problem_403_second_factor_required(door, settings):
    settings.TWO_FACTOR_ENFORCED = True
    officer = user_with(roles.MINISTRY_OFFICER)
    body = _assert_problem(_door(door, officer).get(reverse("api-me")), 403, "second_factor_required")
    assert "tweestapsverificatie" in body["detail"].lower()


@pytest.mark.parametrize("door", ["session", "token"])
def test_problem_404_hidden_object(door, coordinator, other_alliance):
    hidden = AgendaFactory(alliance=other_alliance)
    _assert_problem(_door(door, coordinator).get(reverse("agenda-detail", kwargs={"pk": hidden.pk})), 404, "not_found")


@pytest.mark.parametrize("door", ["session", "token"])
def test_problem_409_stale_write_carries_current_lock_version_and_changes(door, coordinator, alliance):
    agenda = AgendaFactory(alliance=alliance, title="Oost")
    client = _door(door, coordinator)
    url = reverse("agenda-detail", kwargs={"pk": agenda.pk})
    assert client.patch(url, {"title": "Oost-Groningen", "lock_version": 1}, format="json").status_code == 200
    body = _assert_problem(client.patch(url, {"vision": "Anders", "lock_version": 1}, format="json"), 409, "conflict")
    assert body["current_lock_version"] == 2
    assert body["changes"]["title"] == {"label": "titel", "old": "Oost", "new": "Oost-Groningen"}


@pytest.mark.parametrize("door", ["session", "token"])
def test_problem_415_unsupported_media_type(door, coordinator):
    response = _door(door, coordinator).generic("POST", reverse("agenda-list"), "title=x", content_type="text/plain")
    _assert_problem(response, 415, "unsupported_media_type")


def test_problem_429_throttled(coordinator, settings, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": "1/hour", "anon": "1/hour"})
    from django.core.cache import cache

    cache.clear()
    client = _door("token", coordinator)
    client.get(reverse("api-me"))
    response = client.get(reverse("api-me"))
    _assert_problem(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize("door", ["session", "token"])
def test_problem_500_and_503(door, coordinator, monkeypatch):
    client = _door(door, coordinator)
    client.raise_request_exception = False

    def crash(self, request):
        raise RuntimeError("boom")

    monkeypatch.setattr(MeView, "get", crash)
    body = _assert_problem(client.get(reverse("api-me")), 500, "server_error")
    assert "boom" not in body["detail"]  # nothing of the implementation leaks (API-53)

    def outage(self, request):
        raise OperationalError("connection lost")

    monkeypatch.setattr(MeView, "get", outage)
    response = client.get(reverse("api-me"))
    _assert_problem(response, 503, "service_unavailable")
    assert response["Retry-After"]


# --- query parameters ------------------------------------------------------------------------------
def test_page_size_query_parameter_is_pagesize_and_the_old_name_still_works(coordinator, alliance):
    for _n in range(3):
        AgendaFactory(alliance=alliance)
    client = _door("token", coordinator)
    assert len(client.get(reverse("agenda-list"), {"pageSize": 2}).json()["results"]) == 2
    assert len(client.get(reverse("agenda-list"), {"page_size": 1}).json()["results"]) == 1
    document = APIClient().get(reverse("api-schema")).json()
    names = {p["name"] for p in document["paths"][reverse("agenda-list")]["get"]["parameters"]}
    assert {"page", "pageSize"} <= names and "page_size" not in names


def test_api_48_unknown_or_slash_url_is_no_refusal_in_the_access_log_even_with_debug(coordinator, settings):
    from accounts.accesslog.models import AccessLogEntry

    settings.DEBUG = True  # Django's debug 404 page never answers an API URL
    client = _door("session", coordinator)
    before = AccessLogEntry.objects.count()
    _assert_problem(client.get(reverse("agenda-list") + "/"), 404, "trailing_slash")
    _assert_problem(client.get("/api/v1/bestaat-niet"), 404, "not_found")
    assert AccessLogEntry.objects.count() == before
