import pytest

pytestmark = pytest.mark.django_db


def test_api_404_is_json_in_error_format(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/api/v1/agendas/not-a-number/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"message", "code", "errors"}


def test_page_404_is_dutch_html(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Foutmelding 404" in response.content.decode()
