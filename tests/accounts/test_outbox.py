"""Outbox isolation (issue 11, item 4): one bad e-mail never stops the others.

Each message is sent and its result recorded in its own transaction; any exception marks that message
(attempts + 1, last error, back-off) and the sweep goes on; after N attempts it is failed, visible to
administrators in the admin, who can retry it. Subjects are single lines by construction.
"""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts import roles
from accounts.models import OutboxMessage
from accounts.services import (
    MAX_DELIVERY_ATTEMPTS,
    deliver_outbox_message,
    email_subject,
    outbox_retry,
    queue_email,
    sweep_outbox,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TEMPLATE = "accounts/email/password_reset_subject.txt"


def _old(**kwargs) -> OutboxMessage:
    """A message as stored earlier (bypassing the subject builder, as rows written by older code would be)."""
    message = OutboxMessage.objects.create(body="Tekst", **kwargs)
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    return message


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("X\nBcc: attacker@evil.example", "X Bcc: attacker@evil.example"),
        ("Agenda\r\nTo: a@b.example\r\n\r\nbody", "Agenda To: a@b.example body"),
        ("Tab\tand\x0bvertical\x0cfeed\u2028line", "Tab and vertical feed line"),
        ("  spaces   collapse  ", "spaces collapse"),
        ("x" * 400, "x" * 300),
        ("Rapportage 2027 – Achterhoek", "Rapportage 2027 – Achterhoek"),
    ],
)
def test_subject_builder_makes_one_line(raw, expected):
    assert email_subject(raw) == expected
    assert "\n" not in email_subject(raw) and "\r" not in email_subject(raw)


def test_hostile_title_is_delivered_as_one_subject_line_without_extra_recipients(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_email(
            recipient="coordinator@example.nl",
            subject="X\nBcc: attacker@evil.example",
            template=TEMPLATE,
            context={},
        )
    message.refresh_from_db()
    assert message.delivered_at is not None and message.attempts == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == "X Bcc: attacker@evil.example"
    assert sent.recipients() == ["coordinator@example.nl"] and not sent.bcc
    assert "attacker" not in str(sent.message()["Bcc"] or "")


def test_poison_message_is_marked_and_the_good_ones_behind_it_are_all_delivered():
    good_before = _old(recipient="a@example.nl", subject="Eerste")
    poison = _old(recipient="b@example.nl", subject="X\nBcc: attacker@evil.example")  # BadHeaderError
    good_after = [_old(recipient=f"c{i}@example.nl", subject=f"Bericht {i}") for i in range(5)]

    result = sweep_outbox()

    assert result == {"sent": 6, "failed": 1}
    assert {m.to[0] for m in mail.outbox} == {"a@example.nl"} | {f"c{i}@example.nl" for i in range(5)}
    poison.refresh_from_db()
    assert poison.delivered_at is None and poison.attempts == 1  # recorded, not rolled back
    assert "BadHeaderError" in poison.last_error
    assert poison.next_attempt_at is not None and poison.next_attempt_at > timezone.now()
    assert not poison.failed_permanently
    for message in [good_before, *good_after]:
        message.refresh_from_db()
        assert message.delivered_at is not None
    # While the back-off runs the sweep leaves it alone; nothing is sent twice.
    assert sweep_outbox() == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 6
    print("poison e-mail: 7 messages, 6 delivered, 1 marked (attempts=1, back-off), 0 stuck behind it")  # noqa: T201


@pytest.mark.parametrize("error", [RuntimeError("bug"), ConnectionRefusedError("smtp down"), ValueError("x")])
def test_any_exception_is_recorded_on_the_message_never_raised(monkeypatch, error):
    message = _old(recipient="a@example.nl", subject="Hallo")
    second = _old(recipient="b@example.nl", subject="Hallo")
    calls = []

    def send_mail(subject, body, from_email, recipients, **kwargs):
        calls.append(recipients[0])
        if recipients[0] == "a@example.nl":
            raise error
        return 1

    monkeypatch.setattr("django.core.mail.send_mail", send_mail)
    assert sweep_outbox() == {"sent": 1, "failed": 1}
    message.refresh_from_db()
    second.refresh_from_db()
    assert message.attempts == 1 and type(error).__name__ in message.last_error
    assert second.delivered_at is not None
    assert calls == ["a@example.nl", "b@example.nl"]


def test_back_off_grows_and_after_n_attempts_the_message_is_failed(monkeypatch):
    monkeypatch.setattr("django.core.mail.send_mail", lambda *a, **k: (_ for _ in ()).throw(OSError("weg")))
    message = _old(recipient="a@example.nl", subject="Hallo")
    gaps = []
    for attempt in range(1, MAX_DELIVERY_ATTEMPTS + 1):
        before = timezone.now()
        assert deliver_outbox_message(message_id=message.pk) is False
        message.refresh_from_db()
        assert message.attempts == attempt
        if attempt < MAX_DELIVERY_ATTEMPTS:
            gaps.append((message.next_attempt_at - before).total_seconds())
    assert gaps == sorted(gaps) and gaps[0] >= 55 and gaps[-1] <= 6 * 3600 + 5
    assert message.failed_permanently and message.next_attempt_at is None
    assert deliver_outbox_message(message_id=message.pk) is False  # failed: left alone
    assert OutboxMessage.objects.get(pk=message.pk).attempts == MAX_DELIVERY_ATTEMPTS


def test_due_messages_only(monkeypatch):
    later = _old(
        recipient="a@example.nl", subject="Later", next_attempt_at=timezone.now() + datetime.timedelta(hours=1)
    )
    due = _old(recipient="b@example.nl", subject="Nu", next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    fresh = OutboxMessage.objects.create(recipient="c@example.nl", subject="Net", body="x")  # its own task sends it
    assert sweep_outbox() == {"sent": 1, "failed": 0}
    assert [m.to[0] for m in mail.outbox] == ["b@example.nl"]
    del later, due, fresh


def test_retry_service_makes_a_failed_message_due_again(django_capture_on_commit_callbacks):
    message = _old(recipient="a@example.nl", subject="Hallo", attempts=8, failed_permanently=True, last_error="x")
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_retry(message_ids=[message.pk]) == 1
    message.refresh_from_db()
    assert message.delivered_at is not None and message.attempts == 1 and not message.failed_permanently


# --- the admin: administrators see failures and retry them; others cannot -------------------------
@pytest.fixture
def failed_message():
    return _old(recipient="a@example.nl", subject="Hallo", attempts=8, failed_permanently=True, last_error="Boem")


def _admin_client(role):
    user = UserFactory(role=role, is_staff=role == roles.ADMINISTRATOR)
    if role == roles.ADMINISTRATOR:
        from accounts.apps import _grant_administrator_permissions

        _grant_administrator_permissions(None)
    client = Client()
    client.force_login(user)
    return client


def test_administrator_sees_the_failed_message_and_retries_it(
    failed_message, settings, django_capture_on_commit_callbacks
):
    settings.TWO_FACTOR_ENFORCED = False
    client = _admin_client(roles.ADMINISTRATOR)
    changelist = client.get("/beheer/accounts/outboxmessage/?failed_permanently__exact=1")
    assert changelist.status_code == 200
    content = changelist.content.decode()
    assert "a@example.nl" in content and "retry_delivery" in content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/beheer/accounts/outboxmessage/",
            {"action": "retry_delivery", "_selected_action": [failed_message.pk]},
            follow=True,
        )
    assert response.status_code == 200
    failed_message.refresh_from_db()
    assert failed_message.delivered_at is not None and not failed_message.failed_permanently
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "role",
    [roles.COORDINATOR, roles.PARTNER, roles.REVIEWER, roles.STATE_REPRESENTATIVE, roles.MINISTRY_OFFICER],
)
def test_other_roles_cannot_see_or_retry_outbox_messages(failed_message, settings, role):
    settings.TWO_FACTOR_ENFORCED = False
    client = _admin_client(role)
    assert client.get("/beheer/accounts/outboxmessage/").status_code in (302, 403)
    client.post(
        "/beheer/accounts/outboxmessage/", {"action": "retry_delivery", "_selected_action": [failed_message.pk]}
    )
    failed_message.refresh_from_db()
    assert failed_message.failed_permanently and failed_message.delivered_at is None
    assert mail.outbox == []
