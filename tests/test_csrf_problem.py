"""A CSRF refusal answers in the one error format: problem+json under /api/ (never Django's bare HTML page, which
the schemathesis run caught as an undocumented content type), the accessible Dutch 403 page elsewhere."""

import pytest
from django.test import Client
from django.urls import reverse

from kansenagenda.problems import PROBLEM_CONTENT_TYPE
from tests.factories import AgendaFactory

pytestmark = pytest.mark.django_db


def test_api_session_write_without_csrf_token_is_a_problem(coordinator, alliance):
    agenda = AgendaFactory(alliance=alliance)
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(
        reverse("api-agenda-withdraw", args=[agenda.pk]), {"lock_version": 0}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith(PROBLEM_CONTENT_TYPE)
    body = response.json()
    assert body["status"] == 403 and body["code"] in ("csrf_failed", "permission_denied")
    assert "CSRF" in body["detail"]


def test_page_post_without_csrf_token_is_the_dutch_403_page(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(reverse("agendas:agenda_create"), {"title": "x"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "beveiligingscontrole" in response.content.decode()
