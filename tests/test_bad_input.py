"""Bad input is a 400 (issue 11, item 6): bounded JSON and strict types at the API, in its error format."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from kansenagenda.api import MAX_JSON_BYTES, MAX_JSON_DEPTH, json_depth
from tests.agendas.monitoring_fixtures import *  # noqa: F403
from tests.factories import make_coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(alliance):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(make_coordinator(alliance))
    return client


def _post_raw(client, path, raw: bytes):
    return client.generic("POST", path, raw, content_type="application/json")


@pytest.mark.parametrize(
    "raw, depth",
    [
        (b"{}", 1),
        (b'{"a": [1, {"b": []}]}', 4),
        (b'"[[[[{{{{"', 0),  # brackets inside strings do not count
        (b'{"a": "\\"[[[["}', 1),  # nor after an escaped quote
        (b"[" * 100 + b"]" * 100, 33),  # stops counting just past the limit
    ],
)
def test_json_depth(raw, depth):
    assert json_depth(raw) == depth


@pytest.mark.parametrize("depth", [100_000, 10_000, MAX_JSON_DEPTH + 1])
def test_deeply_nested_json_is_400_not_a_recursion_error(api, depth):
    response = _post_raw(api, reverse("agenda-list"), b"[" * depth + b"]" * depth)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "parse_error" and "te diep genest" in body["message"]


def test_nesting_at_the_limit_is_parsed(api):
    depth = MAX_JSON_DEPTH
    response = _post_raw(
        api, reverse("agenda-list"), ('{"title": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}").encode()
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid"  # a field error, not a parse error


def test_body_over_one_megabyte_is_400(api):
    raw = json.dumps({"title": "x" * MAX_JSON_BYTES}).encode()
    response = _post_raw(api, reverse("agenda-list"), raw)
    assert response.status_code == 400 and "te groot" in response.json()["message"]


@pytest.mark.parametrize("raw", [b"{", b'{"a": NaN}', b'{"a": Infinity}', b"\xff\xfe", b'{"a": 1}}'])
def test_malformed_json_is_400(api, raw):
    response = _post_raw(api, reverse("agenda-list"), raw)
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


@pytest.mark.parametrize("body", [5, 5.5, True, ["tekst"], {"tekst": 1}, None])
def test_progress_report_comment_with_a_wrong_type_is_400(report, people, body):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(people.coordinator)
    response = client.post(reverse("progress-report-comments", kwargs={"pk": report.pk}), {"body": body}, format="json")
    assert response.status_code == 400, response.content
    assert "body" in response.json()["errors"]
    assert report.comments.count() == 0


def test_progress_report_comment_with_text_is_created(report, people):
    client = APIClient()
    client.force_authenticate(people.coordinator)
    response = client.post(
        reverse("progress-report-comments", kwargs={"pk": report.pk}), {"body": "Klopt"}, format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize("title", [5, 1.5, True, ["x"], {"x": 1}])
def test_text_fields_of_other_serializers_refuse_numbers_too(api, alliance, title):
    response = api.post(reverse("agenda-list"), {"title": title, "alliance": alliance.pk}, format="json")
    assert response.status_code == 400 and "title" in response.json()["errors"]


def test_number_or_text_fields_still_take_json_numbers(report, people):
    """Monitoring's amounts say so explicitly (accepts_numbers): 50 and "1.000,00" are both fine."""
    line = report.realisations.first()
    client = APIClient()
    client.force_authenticate(people.coordinator)
    response = client.patch(
        reverse("progress-report-detail", kwargs={"pk": report.pk}),
        {"lock_version": report.lock_version, "spending": [{"id": line.pk, "realised": "1.000,00", "committed": 50}]},
        format="json",
    )
    assert response.status_code == 200, response.content
