"""Outages answered calmly (issue 11, item 3).

- Redis stopped (our own redis-server on a free port, stopped by pid): pages, API (session and token),
  the dashboard and an API sign-off keep answering 200; /health/ says "degraded"; e-mails and documents
  queued meanwhile wait in the database and the sweeps deliver them afterwards.
- A dropped database connection (OperationalError / InterfaceError) answers 503 + Retry-After, in the
  API's error format under /api/, and the next request works again.

The figures (requests, 5xx, items left waiting) are printed for the report (pytest -s).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import OutboxMessage
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def own_redis():
    """A redis-server of our own (never the shared one): no persistence, stopped by its pid."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = int(os.environ.get("REDIS_PORT") or _free_port())
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.2)
    for _ in range(50):
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("own redis-server did not start")

    class Handle:
        url = f"redis://127.0.0.1:{port}/0"

        @staticmethod
        def stop():
            if proc.poll() is None:
                proc.terminate()  # by pid: only our own server
                proc.wait(timeout=10)

    yield Handle
    Handle.stop()


@pytest.fixture
def on_own_redis(own_redis, settings):
    """Cache, throttles and Celery's broker on our own Redis, as in production (tasks not eager)."""
    from django.core.cache import caches

    from kansenagenda.celery import app

    settings.REDIS_URL = own_redis.url
    settings.CACHES = {"default": {"BACKEND": "kansenagenda.cache.FailOpenRedisCache", "LOCATION": own_redis.url}}
    settings.DASHBOARD_CACHE_SECONDS = 300
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "100000/hour", "anon": "100000/hour"},
    }
    settings.TWO_FACTOR_ENFORCED = False
    settings.AXES_ENABLED = False
    old = (app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options)
    app.conf.broker_url = own_redis.url
    app.conf.broker_transport_options = {"max_retries": 0, "socket_connect_timeout": 0.3}
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    yield own_redis
    app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options = old
    app._pool = None
    app.amqp._producer_pool = None
    caches["default"].clear()  # (fails open: a no-op when our Redis is already stopped)


def _tally(figures: dict, response) -> None:
    figures["requests"] += 1
    if response.status_code >= 500:
        figures["5xx"] += 1


def test_redis_stopped_pages_api_dashboard_and_sign_off_answer_200(on_own_redis, world: World, settings):
    from kansenagenda.cache import DEGRADED

    advance(world, "prepared", outcome="return")
    page = Client(raise_request_exception=False)
    page.force_login(world.officer)
    signatory = APIClient(raise_request_exception=False)
    signatory.force_login(world.signatory)
    token_client = APIClient(raise_request_exception=False)
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.coordinator).key}")
    dashboard = reverse("reports:dashboard")

    # Redis up: the dashboard is cached in Redis, the API throttles count there.
    assert page.get(dashboard).status_code == 200
    assert token_client.get(reverse("api-me")).status_code == 200
    assert Client().get("/health/").json()["checks"]["cache"] == "ok"

    on_own_redis.stop()
    figures = {"requests": 0, "5xx": 0}
    answers = {}
    for label, client, path in [
        ("page", page, reverse("home")),
        ("agenda page", page, reverse("agendas:agenda_detail", args=[world.agenda.pk])),
        ("dashboard", page, dashboard),
        ("api session", signatory, reverse("api-me")),
        ("api token", token_client, reverse("api-me")),
        ("api list", token_client, reverse("agenda-list")),
    ]:
        response = client.get(path)
        _tally(figures, response)
        answers[label] = response.status_code
    from agendas.models import Decision

    nota = Decision.objects.get(agenda=world.agenda, signed_at__isnull=True)
    sign = signatory.post(
        reverse("api-agenda-decision-sign", kwargs={"pk": world.agenda.pk}),
        {"lock_version": nota.lock_version},
        format="json",
    )
    _tally(figures, sign)
    answers["api sign-off"] = sign.status_code
    health = Client().get("/health/")
    _tally(figures, health)

    assert answers == dict.fromkeys(answers, 200), answers
    assert sign.json()["outcome"] == "return"
    assert world.refresh().status == "returned"  # the sign-off committed
    assert health.status_code == 200 and health.json()["status"] == "degraded"
    assert health.json()["checks"]["cache"] == DEGRADED
    # The e-mails of the sign-off are in the outbox, not lost: the broker publish failed, the request did not.
    waiting = OutboxMessage.objects.filter(delivered_at__isnull=True).count()
    assert waiting >= 1
    print(f"Redis stopped: {figures}, e-mails waiting in the outbox: {waiting}")  # noqa: T201

    # Broker still down: the beat's sweep (run here directly) delivers them all, once.
    import datetime

    from django.core import mail
    from django.utils import timezone

    from accounts.services import sweep_outbox

    OutboxMessage.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    result = sweep_outbox()
    assert result["failed"] == 0 and result["sent"] == waiting
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 0
    assert len(mail.outbox) >= waiting


def test_redis_stopped_document_request_waits_and_the_sweep_renders_it(
    on_own_redis, world: World, monkeypatch, django_capture_on_commit_callbacks
):
    """A publish failure never fails the request: the document stays pending; the stale sweep re-queues it."""
    import datetime

    from django.utils import timezone

    from kansenagenda.celery import app
    from reports import documents, services
    from reports.models import GeneratedDocument

    monkeypatch.setattr(
        documents,
        "render_pdf",
        lambda kind, data: documents.RenderedPdf(content=b"%PDF-1.7 ok", page_count=1, seconds=0.1, cpu_seconds=0.1),
    )
    advance(world, "submitted")
    client = Client(raise_request_exception=False)
    client.force_login(world.officer)
    on_own_redis.stop()
    with django_capture_on_commit_callbacks(execute=True):  # the publish is tried after commit, and fails
        response = client.post(reverse("reports:agenda_documents", args=[world.agenda.pk]), {"kind": "dossier"})
    assert response.status_code == 302
    document = GeneratedDocument.objects.get()
    assert document.status == "pending" and document.attempts == 0  # queued nowhere: the broker is down
    # Broker back (eager here); ten minutes later the beat job queues it again and it is made.
    app.conf.task_always_eager = True
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.requeue_stale_documents(now=timezone.now() + datetime.timedelta(minutes=11))
    assert counts == {"requeued": 1, "failed": 0}
    document.refresh_from_db()
    assert document.status == "ready"


# --- a dropped database connection ---------------------------------------------------------------
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_dropped_database_connection_in_a_view_is_503_with_retry_after(world: World, monkeypatch, error):
    from agendas.drafting import views as drafting_views

    page = Client(raise_request_exception=False)
    page.force_login(world.coordinator)
    api = APIClient(raise_request_exception=False)
    api.force_login(world.coordinator)
    detail = reverse("agendas:agenda_detail", args=[world.agenda.pk])

    def dropped(*args, **kwargs):
        raise error("server closed the connection unexpectedly")

    monkeypatch.setattr("accounts.api.MeView.get", lambda self, request: dropped())
    monkeypatch.setattr(drafting_views, "_agenda", lambda *a, **k: dropped())
    response = page.get(detail)
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "Traceback" not in response.content.decode() and "tijdelijk niet" in response.content.decode()
    api_response = api.get(reverse("api-me"))
    assert api_response.status_code == 503 and api_response["Retry-After"] == "5"
    assert api_response.json()["code"] == "service_unavailable"
    monkeypatch.undo()
    # The next request works again.
    assert page.get(detail).status_code == 200
    assert api.get(reverse("api-me")).status_code == 200


def test_dropped_database_connection_before_the_view_is_503_too(world: World, monkeypatch):
    """Raised inside another middleware (here: loading the session), it reaches handler500, which answers 503."""
    from django.contrib.sessions.backends.db import SessionStore

    client = Client(raise_request_exception=False)
    client.force_login(world.coordinator)

    def dropped(self, *args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(SessionStore, "load", dropped)
    response = client.get(reverse("home"))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    api = client.get(reverse("api-me"))
    assert api.status_code == 503 and api.json()["code"] == "service_unavailable"
    monkeypatch.undo()
    assert client.get(reverse("home")).status_code == 200


def test_server_error_that_is_not_the_database_stays_a_500(world: World, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(world.coordinator)
    monkeypatch.setattr("accounts.api.MeView.get", lambda self, request: 1 / 0)
    response = client.get(reverse("api-me"))
    assert response.status_code == 500 and "Retry-After" not in response


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_backend_terminated_during_requests_is_503_then_recovers(world: World, settings):
    """pg_terminate_backend of the request's own connection in the middle of each request."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    import psycopg

    settings.TWO_FACTOR_ENFORCED = False
    db = connection.settings_dict
    killer = psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"], autocommit=True
    )
    from accounts import api as accounts_api

    real_get = accounts_api.MeView.get

    def get_after_kill(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        killer.execute("SELECT pg_terminate_backend(%s)", [pid])
        return real_get(self, request)

    api = APIClient(raise_request_exception=False)
    api.force_login(world.coordinator)
    figures = {"requests": 0, "5xx_not_503": 0, "503": 0, "recovered": 0}
    try:
        accounts_api.MeView.get = get_after_kill
        for _ in range(10):
            response = api.get(reverse("api-me"))
            figures["requests"] += 1
            if response.status_code == 503:
                figures["503"] += 1
                assert response["Retry-After"] == "5"
            elif response.status_code >= 500:
                figures["5xx_not_503"] += 1
    finally:
        accounts_api.MeView.get = real_get
        killer.close()
    for _ in range(3):
        response = api.get(reverse("api-me"))
        figures["requests"] += 1
        figures["recovered"] += response.status_code == 200
    print(f"pg_terminate_backend during requests: {figures}")  # noqa: T201
    assert figures["5xx_not_503"] == 0 and figures["503"] == 10 and figures["recovered"] == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_backends_killed_under_load_never_answer_500(live_server, settings):
    """The finding of issue 11: backends killed while requests run. Every answer is 200 or 503 + Retry-After;
    once the killing stops, every request succeeds again (reconnects)."""
    import threading
    import urllib.error
    import urllib.request

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    import psycopg

    from accounts import roles
    from tests.factories import UserFactory

    settings.TWO_FACTOR_ENFORCED = False
    settings.AXES_ENABLED = False
    user = UserFactory(role=roles.MINISTRY_OFFICER)
    token = Token.objects.create(user=user).key
    session_client = Client()
    session_client.force_login(user)
    session_cookie = session_client.cookies[settings.SESSION_COOKIE_NAME].value
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own_pid = cursor.fetchone()[0]
    db = connection.settings_dict
    killer = psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"], autocommit=True
    )
    stop = threading.Event()
    figures = {"requests": 0, "200": 0, "503": 0, "other": 0, "503_without_retry_after": 0, "killed": 0}
    lock = threading.Lock()

    def kill_loop():
        while not stop.is_set():
            rows = killer.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid NOT IN (pg_backend_pid(), %s)",
                [db["NAME"], own_pid],
            ).fetchall()
            with lock:
                figures["killed"] += sum(1 for (ok,) in rows if ok)
            stop.wait(0.05)

    def fetch(path, headers):
        request = urllib.request.Request(live_server.url + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - our own live server
                return response.status, response.headers
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers

    def load(n):
        for i in range(n):
            if i % 2:
                status, headers = fetch(reverse("api-me"), {"Authorization": f"Token {token}"})
            else:
                status, headers = fetch("/", {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_cookie}"})
            with lock:
                figures["requests"] += 1
                if status == 200:
                    figures["200"] += 1
                elif status == 503:
                    figures["503"] += 1
                    figures["503_without_retry_after"] += headers.get("Retry-After") is None
                else:  # a 500, or a misleading 4xx (the request itself was fine)
                    figures["other"] += 1

    killer_thread = threading.Thread(target=kill_loop)
    killer_thread.start()
    workers = [threading.Thread(target=load, args=(40,)) for _ in range(4)]
    try:
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    finally:
        stop.set()
        killer_thread.join()
        killer.close()
    after = [fetch(reverse("api-me"), {"Authorization": f"Token {token}"})[0] for _ in range(5)]
    print(f"backends killed under load: {figures}, after: {after}")  # noqa: T201
    assert figures["killed"] > 0
    assert figures["other"] == 0 and figures["503_without_retry_after"] == 0
    assert after == [200] * 5


def test_session_save_failing_on_a_dropped_connection_is_503_not_400(world: World, monkeypatch, settings):
    """SessionMiddleware turns a failed save into SessionInterrupted (a 400); caused by the database, it is a 503."""
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.backends.db import SessionStore

    settings.SESSION_RENEW_SECONDS = 0  # this request renews the session, so it saves it
    client = Client(raise_request_exception=False)
    client.force_login(world.coordinator)

    def save(self, must_create=False):
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError:
            raise UpdateError  # as Django's db session backend does

    monkeypatch.setattr(SessionStore, "save", save)
    response = client.get(reverse("home"))
    assert response.status_code == 503 and response["Retry-After"] == "5"


def test_fail_open_cache_logs_once_per_outage_and_recovers(own_redis, caplog):
    import logging

    from kansenagenda import cache as cache_module
    from kansenagenda.cache import FailOpenRedisCache

    backend = FailOpenRedisCache(own_redis.url, {})
    backend.set("k", "in redis")
    assert backend.get("k") == "in redis" and backend.ping() == "ok"
    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="kansenagenda.cache"):
        started = time.monotonic()
        for i in range(50):
            backend.set(f"x{i}", i)
            assert backend.get(f"x{i}") is None  # nothing kept in this process: every replica sees the same
        assert backend.get_or_set("y", "z") == "z"
        elapsed = time.monotonic() - started
    assert backend.state() == "degraded"
    assert [r.levelname for r in caplog.records] == ["ERROR"]  # logged once, not per call
    assert elapsed < 3  # Redis is not asked again during the back-off: no per-call connect timeout
    # After the back-off Redis is tried again; it is still down: still answering, still logged once.
    assert backend._retry_at - time.monotonic() <= cache_module.RETRY_SECONDS
    backend._retry_at = 0
    assert backend.get("x2") is None
    assert len(caplog.records) == 1


def test_throttles_fail_open_when_they_cannot_count(monkeypatch):
    from rest_framework.test import APIRequestFactory

    from kansenagenda.api import AnonRateThrottle, UserRateThrottle

    def broken(self, *args, **kwargs):
        raise ConnectionError("cache down")

    for throttle_class in (UserRateThrottle, AnonRateThrottle):
        throttle = throttle_class()
        monkeypatch.setattr(throttle, "cache", type("Broken", (), {"get": broken, "set": broken})())
        request = APIRequestFactory().get(reverse("api-me"))
        request.user = type("Anon", (), {"is_authenticated": False})()
        assert throttle.allow_request(request, None) is True
