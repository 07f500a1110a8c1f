"""Security logs: events for login, failed login, lockout, second factor, role changes (table + log line);
JSON lines with request_id / user_id / role in the production configuration; never a password or token."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import roles
from accounts.accesslog.models import AccessLogEntry
from accounts.accesslog.services import Event
from accounts.services import api_token_create
from kansenagenda.logconfig import logging_config, mask_path
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Zeer-geheim-wachtwoord-4711"
WRONG = "Fout-wachtwoord-0815-xyz"


@pytest.fixture
def user(db):
    user = UserFactory(role=roles.MINISTRY_OFFICER)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def json_logs():
    """The production logging configuration (JSON renderer), writing into a buffer."""
    buffer = io.StringIO()
    logging.config.dictConfig(logging_config(json=True, level="INFO"))
    logging.getLogger().handlers[0].setStream(buffer)
    yield buffer
    logging.config.dictConfig(settings.LOGGING)


def _lines(buffer) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def _login(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


# --- events in the table --------------------------------------------------------------------------------
def test_login_and_failed_login_are_recorded(client, user):
    assert _login(client, user.email, WRONG).status_code == 200
    assert _login(client, user.email, PASSWORD).status_code == 302
    failed = AccessLogEntry.objects.get(event=Event.LOGIN_FAILED)
    assert failed.user_id == user.pk and user.email in failed.detail and failed.channel == "page"
    login = AccessLogEntry.objects.get(event=Event.LOGIN)
    assert login.user_id == user.pk and login.channel == "page" and login.route


def test_failed_login_for_an_unknown_name_is_recorded_without_user(client):
    _login(client, "niemand@example.nl", WRONG)
    failed = AccessLogEntry.objects.get(event=Event.LOGIN_FAILED)
    assert failed.user_id is None and "niemand@example.nl" in failed.detail


def test_lockout_is_recorded(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.email, WRONG)
    locked = AccessLogEntry.objects.filter(event=Event.LOCKOUT)
    assert locked.count() >= 1 and locked.first().user_id == user.pk


def test_second_factor_set_up_and_failure_are_recorded(client, user):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    assert client.get(reverse("two_factor")).status_code == 200  # creates the unconfirmed device
    device = TOTPDevice.objects.get(user=user)
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    assert client.post(reverse("two_factor"), {"token": f"{token:06d}"}).status_code == 302
    assert AccessLogEntry.objects.filter(event=Event.SECOND_FACTOR_SETUP, user=user).count() == 1
    client.post(reverse("two_factor"), {"token": "000000" if token != 0 else "111111"})
    failure = AccessLogEntry.objects.get(event=Event.SECOND_FACTOR_FAILED)
    assert failure.user_id == user.pk and failure.channel == "page"


def test_role_changes_are_recorded_with_who_did_it(user):
    admin = UserFactory(role=roles.ADMINISTRATOR, is_staff=True)
    client = Client()
    client.force_login(admin)
    signatory = Group.objects.get(name=roles.MINISTRY_SIGNATORY)
    before = AccessLogEntry.objects.filter(event=Event.ROLE_CHANGE).count()
    user.groups.add(signatory)  # from code (a service, a command): the system
    change = AccessLogEntry.objects.filter(event=Event.ROLE_CHANGE).order_by("-pk").first()
    assert change.object_id == str(user.pk) and change.detail == f"+{roles.MINISTRY_SIGNATORY}"
    user.groups.remove(signatory)
    assert AccessLogEntry.objects.filter(event=Event.ROLE_CHANGE).count() == before + 2
    assert AccessLogEntry.objects.order_by("-pk").first().detail == f"-{roles.MINISTRY_SIGNATORY}"


def test_role_change_through_the_admin_names_the_administrator(user):
    from simple_history.models import HistoricalRecords

    admin = UserFactory(role=roles.ADMINISTRATOR, is_staff=True)

    class FakeRequest:  # what HistoryRequestMiddleware keeps for the admin's request
        path = "/beheer/accounts/user/1/change/"
        META = {"REMOTE_ADDR": "10.0.0.7"}
        resolver_match = None

    FakeRequest.user = admin
    HistoricalRecords.context.request = FakeRequest()
    try:
        user.groups.add(Group.objects.get(name=roles.PARTNER))
    finally:
        del HistoricalRecords.context.request
    change = AccessLogEntry.objects.filter(event=Event.ROLE_CHANGE).order_by("-pk").first()
    assert change.user_id == admin.pk and change.channel == "admin" and change.object_id == str(user.pk)


# --- log lines --------------------------------------------------------------------------------------------
def test_log_lines_are_json_with_request_id_user_id_and_role(json_logs, user):
    client = Client()
    client.force_login(user)
    json_logs.truncate(0)
    json_logs.seek(0)
    assert client.get(reverse("api-me")).status_code == 200
    lines = _lines(json_logs)
    assert lines, "no log lines"
    request_ids = {line.get("request_id") for line in lines}
    assert len(request_ids) == 1 and None not in request_ids
    for line in lines:
        assert line["user_id"] == user.pk and line["role"] == roles.MINISTRY_OFFICER
        assert {"timestamp", "level", "event"} <= set(line)
    assert any(line["event"] == "request_finished" and line["code"] == 200 for line in lines)


def test_security_event_line_in_json(json_logs, user):
    _login(Client(), user.email, WRONG)
    events = [line for line in _lines(json_logs) if line.get("security_event") == "login_failed"]
    assert len(events) == 1 and events[0]["level"] == "warning" and events[0]["user_id"] == user.pk
    assert events[0]["request_id"] and events[0]["channel"] == "page"


def test_token_users_get_their_id_and_role_on_the_request_line(json_logs, user):
    key = api_token_create(user=user)
    client = Client(headers={"Authorization": f"Token {key}"})
    assert client.get(reverse("api-me")).status_code == 200
    finished = [line for line in _lines(json_logs) if line["event"] == "request_finished"]
    assert finished[-1]["user_id"] == user.pk and finished[-1]["role"] == roles.MINISTRY_OFFICER


def test_logs_never_hold_a_password_or_token(json_logs, user):
    client = Client()
    _login(client, user.email, WRONG)
    _login(client, user.email, PASSWORD)
    key = api_token_create(user=user)
    api = Client(headers={"Authorization": f"Token {key}"})
    assert api.get(reverse("api-me"), {"token": key}).status_code == 200
    assert api.get(reverse("api-agenda-decision", kwargs={"pk": 999999})).status_code == 404  # a refusal line too
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    reset_token = default_token_generator.make_token(user)
    Client().get(reverse("password_reset_confirm", args=[uid, reset_token]))
    logging.getLogger("django.request").warning("probe", extra={"request": _FakeRequest(f"/x/?token={key}")})
    output = json_logs.getvalue()
    assert output  # something was logged
    for secret in (PASSWORD, WRONG, key, reset_token):
        assert secret not in output, secret
    rows = " ".join(str(v) for row in AccessLogEntry.objects.values() for v in row.values())
    for secret in (PASSWORD, WRONG, key, reset_token):
        assert secret not in rows, secret


class _FakeRequest:
    method = "GET"

    def __init__(self, path):
        self.path = path

    def get_full_path(self):
        return self.path


def test_mask_path():
    assert mask_path("/wachtwoord-herstellen/MQ/abc-123/?x=1") == "/wachtwoord-herstellen/MQ/[verborgen]/"
    assert mask_path("/agendas/1/?token=geheim") == "/agendas/1/"


def test_production_settings_render_json_lines(tmp_path):
    """The real production settings module, in a fresh interpreter: every line is a JSON object."""
    root = Path(__file__).resolve().parent.parent
    script = (
        "import django, logging, structlog\n"
        "django.setup()\n"
        "structlog.contextvars.bind_contextvars(request_id='r-1', user_id=7, role='ministry_officer')\n"
        "structlog.get_logger('kansenagenda.security').info('security_event', password='x', object_id='5')\n"
        "logging.getLogger('django.request').warning('plain %s line', 'stdlib')\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kansenagenda.settings.production",
        "SECRET_KEY": "p" * 20 + "r" * 20 + "o" * 10 + "duction-key-for-this-test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "REDIS_URL": "",
    }
    env.pop("LOG_JSON", None)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]  # every line parses
    security = next(line for line in lines if line["event"] == "security_event")
    plain = next(line for line in lines if line["event"] == "plain stdlib line")
    assert security["event"] == "security_event" and security["password"] == "[verborgen]"
    assert security["request_id"] == "r-1" and security["user_id"] == 7 and security["role"] == "ministry_officer"
    assert plain["event"] == "plain stdlib line" and plain["request_id"] == "r-1" and plain["level"] == "warning"
