import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import make_state_representative

pytestmark = pytest.mark.django_db


def test_me_requires_authentication(client):
    response = client.get(reverse("api-me"))
    assert response.status_code in (401, 403)
    body = response.json()
    assert set(body) >= {"message", "code", "errors"}


def test_me_returns_roles_organisations_regions(client, coordinator, alliance):
    client.force_login(coordinator)
    body = client.get(reverse("api-me")).json()
    assert body["email"] == coordinator.email
    assert body["roles"] == ["coordinator"]
    assert body["role_labels"] == ["Regiocoördinator"]
    assert [o["id"] for o in body["organisations"]] == list(
        coordinator.memberships.values_list("organisation_id", flat=True)
    )
    assert [r["id"] for r in body["regions"]] == [alliance.region_id]


def test_me_with_token_authentication(client, alliance):
    rep = make_state_representative(alliance.region)
    token = Token.objects.create(user=rep)
    body = client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token.key}").json()
    assert body["roles"] == ["state_representative"]
    assert [r["id"] for r in body["regions"]] == [alliance.region_id]


def test_me_query_count_is_constant(client, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        client.get(reverse("api-me"))


def test_schema_and_offline_swagger(client, coordinator):
    client.force_login(coordinator)
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200 and reverse("api-me").encode() in schema.content
    docs = client.get(reverse("api-docs")).content.decode()
    assert "cdn" not in docs.lower() and "/static/drf_spectacular_sidecar/" in docs


def test_health_ok(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_health_reports_unreachable_broker(client, settings):
    # Issue 11: Redis down is "degraded" (200, the site keeps working); only a database outage is a 503.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"].startswith("degraded")


def test_health_is_503_when_the_database_is_down(client, monkeypatch):
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["database"] == "error: OperationalError"
