"""/health/live answers without touching anything; /health/ready names each failing dependency with a 503;
/health/ stays the full report (503 only without a database)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CursorWrapper, "execute", broken)


@pytest.fixture
def broker_down(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"


@pytest.fixture
def storage_down(settings, tmp_path, monkeypatch):
    import os

    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda path, mode, **kw: False if str(path) == str(settings.MEDIA_ROOT) else real_access(path, mode),
    )


def test_live_answers_without_dependencies(client, database_down, broker_down, storage_down, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("health-live"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_ready_when_everything_answers(client, settings):
    response = client.get(reverse("health-ready"))
    assert response.status_code == 200
    broker = "ok" if settings.REDIS_URL else "eager (not configured)"
    assert response.json()["checks"] == {"database": "ok", "broker": broker, "storage": "ok"}


@pytest.mark.parametrize(
    "down, failing",
    [
        ("database_down", ["database"]),
        ("broker_down", ["broker"]),
        ("storage_down", ["storage"]),
    ],
)
def test_ready_is_503_naming_the_failing_part(client, request, down, failing):
    request.getfixturevalue(down)
    response = client.get(reverse("health-ready"))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    body = response.json()
    assert body["status"] == "unavailable" and body["failing"] == failing
    assert body["checks"][failing[0]].startswith("error: ")


def test_ready_names_every_failing_part_at_once(client, broker_down, storage_down):
    response = client.get(reverse("health-ready"))
    assert response.status_code == 503 and response.json()["failing"] == ["broker", "storage"]


def test_ready_with_the_bucket_unreachable(client, moto_s3, settings):
    from tests.servers import free_port

    bucket = moto_s3.new_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": moto_s3.storage_setting(bucket)}
    assert client.get(reverse("health-ready")).json()["checks"]["storage"] == "ok"
    settings.STORAGES = {**settings.STORAGES, "default": moto_s3.storage_setting("no-such-bucket")}
    missing = client.get(reverse("health-ready"))
    assert missing.status_code == 503 and missing.json()["failing"] == ["storage"]
    dead = f"http://127.0.0.1:{free_port()}"
    settings.STORAGES = {**settings.STORAGES, "default": moto_s3.storage_setting(bucket, endpoint=dead)}
    response = client.get(reverse("health-ready"))
    assert response.status_code == 503 and response.json()["failing"] == ["storage"]


def test_full_report_keeps_its_rules(client, broker_down, storage_down):
    response = client.get(reverse("health"))
    assert response.status_code == 200 and response.json()["status"] == "degraded"
    assert response.json()["checks"]["storage"].startswith("degraded: ")
    assert response.json()["checks"]["broker"].startswith("degraded: ")


def test_full_report_is_503_without_database(client, database_down):
    response = client.get(reverse("health"))
    assert response.status_code == 503 and response.json()["checks"]["database"] == "error: OperationalError"


def test_probes_refuse_writes(client):
    assert client.post(reverse("health-ready")).status_code == 405
    assert client.post(reverse("health-live")).status_code == 405
