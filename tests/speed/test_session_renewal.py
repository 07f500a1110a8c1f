"""Sessions: the inactivity timeout holds without a session write on every request (kansenagenda/sessions.py)."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from kansenagenda.sessions import RENEWED_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")]


def _row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory(role=roles.COORDINATOR))
    client.get(reverse("home"))  # the first request after the login stores the renewal moment
    return client


def test_requests_within_the_window_do_not_write_the_session(signed_in):
    before = _row(signed_in).expire_date
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert signed_in.get(reverse("home")).status_code == 200
    assert _session_writes(queries.captured_queries) == []
    assert _row(signed_in).expire_date == before


def test_a_request_after_the_window_renews_the_expiry_once(signed_in, settings):
    session = signed_in.session
    session[RENEWED_KEY] = int(timezone.now().timestamp()) - settings.SESSION_RENEW_SECONDS - 1
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() + timedelta(seconds=90))
    with CaptureQueriesContext(connection) as queries:
        signed_in.get(reverse("home"))
        signed_in.get(reverse("home"))
    assert len(_session_writes(queries.captured_queries)) == 1  # renewed by the first, not by the second
    expire = _row(signed_in).expire_date
    assert expire > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 30)


def test_the_inactivity_timeout_still_logs_out(signed_in):
    Session.objects.filter(session_key=signed_in.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = signed_in.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_session_without_renewal_moment_is_renewed(signed_in):
    session = signed_in.session
    del session[RENEWED_KEY]
    session.save()
    with CaptureQueriesContext(connection) as queries:
        signed_in.get(reverse("home"))
    assert len(_session_writes(queries.captured_queries)) == 1
    assert RENEWED_KEY in signed_in.session


def test_anonymous_requests_store_no_session(client):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("login"))
    assert _session_writes(queries.captured_queries) == []
    assert Session.objects.count() == 0


def test_logout_still_ends_the_session(signed_in):
    key = signed_in.session.session_key
    signed_in.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
