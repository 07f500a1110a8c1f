import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_api_404_is_a_problem(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("agenda-list") + "/not-a-number")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert {"type", "title", "status", "detail", "instance", "message", "code", "errors"} <= set(response.json())


def test_page_404_is_dutch_html(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Foutmelding 404" in response.content.decode()
