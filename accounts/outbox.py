"""E-mail through the outbox: every message is written in the sender's transaction and delivered after
commit by a Celery task, retried with backoff, swept when a worker missed it, and retried by hand from the
admin. Reached as ``accounts.services.queue_email`` etc. (services re-exports it)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import OutboxMessage, User
from kansenagenda.links import site_url

logger = logging.getLogger("accounts.services")


def email_subject(text: str) -> str:
    """The one subject builder: a single line of at most 300 characters.

    Every outbox message's subject passes through here, so a title such as ``"X\nBcc: a@b"`` can never
    become a header (header injection impossible by construction): any line break or control character
    collapses to one space.
    """
    collapsed = " ".join("".join(ch if ch.isprintable() else " " for ch in str(text)).split())
    return collapsed[:300]


def queue_email(
    *, recipient: str, subject: str, template: str, context: dict, kind: str = "", dedupe_key: str = ""
) -> OutboxMessage | None:
    """Record an e-mail in the outbox (inside the caller's transaction) and deliver it after commit.

    Every template gets ``site_url`` (kansenagenda/links.py) so its links are absolute.
    With a ``dedupe_key`` the same message for the same recipient is recorded at most once
    (used for reminders: once per item per day).
    """
    body = render_to_string(template, {"site_url": site_url(), **context}).strip()
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                recipient=recipient, subject=email_subject(subject), body=body, kind=kind, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return None
    from accounts.tasks import deliver_outbox_message

    transaction.on_commit(lambda: enqueue_task(deliver_outbox_message, message.pk))
    return message


def enqueue_task(task, *args) -> bool:
    """Queue a Celery task from a request; never fails the request.

    If the broker is unreachable the failure is logged and the work stays recorded in the database
    (outbox row, pending document): a periodic sweep queues it again. Returns whether it was queued.
    """
    try:
        task.delay(*args)
    except Exception as exc:  # noqa: BLE001 - broker down: the work stays recorded for the sweep
        logger.warning("Could not queue %s%s, left for the periodic sweep: %r", task.name, args, exc)
        return False
    return True


MAX_DELIVERY_ATTEMPTS = 8
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 6 * 3600


def delivery_backoff(attempts: int) -> timezone.timedelta:
    """1, 2, 4 … minutes after each failed attempt, at most six hours."""
    return timezone.timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


def deliver_outbox_message(*, message_id: int) -> bool:
    """Send one outbox message exactly once. Returns True if it was sent by this call.

    Isolated: the message is locked, sent and its result recorded in its own transaction. ANY exception
    while sending (SMTP refusal, ``BadHeaderError``, a bug) is recorded on this message — attempts + 1,
    the error, the time of the next attempt (back-off) — and committed, never re-raised, so one bad
    message cannot roll back its own record or stop the sweep. After ``MAX_DELIVERY_ATTEMPTS`` the
    message is failed permanently; administrators see it in the admin and can retry it.
    """
    from django.core.mail import send_mail

    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.delivered_at or message.failed_permanently:
            return False
        message.attempts += 1
        try:
            with transaction.atomic():  # a database error inside sending must not poison the outer block
                send_mail(message.subject, message.body, None, [message.recipient], fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - recorded on the message; the sweep goes on
            logger.warning("Delivery of outbox message %s failed (attempt %s): %r", message.pk, message.attempts, exc)
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            message.failed_permanently = message.attempts >= MAX_DELIVERY_ATTEMPTS
            message.next_attempt_at = (
                None if message.failed_permanently else timezone.now() + delivery_backoff(message.attempts)
            )
            message.save(update_fields=["attempts", "last_error", "failed_permanently", "next_attempt_at"])
            return False
        message.delivered_at = timezone.now()
        message.next_attempt_at = None
        message.save(update_fields=["attempts", "delivered_at", "next_attempt_at"])
        return True


def outbox_due_ids(*, now=None, min_age_seconds: int = 30, limit: int = 500) -> list[int]:
    """Messages the sweep should try now: undelivered, not failed, older than a moment, back-off passed."""
    from django.db.models import Q

    now = now or timezone.now()
    return list(
        OutboxMessage.objects.filter(
            delivered_at__isnull=True,
            failed_permanently=False,
            created_at__lte=now - timezone.timedelta(seconds=min_age_seconds),
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def sweep_outbox() -> dict:
    """Try every due message, each in its own transaction; one failure never stops the others."""
    counts = {"sent": 0, "failed": 0}
    for pk in outbox_due_ids():
        try:
            sent = deliver_outbox_message(message_id=pk)
        except Exception:  # noqa: BLE001 - e.g. the database dropped mid-sweep: log, go on with the next
            logger.exception("Outbox sweep: message %s could not be processed", pk)
            sent = False
        counts["sent" if sent else "failed"] += 1
    return counts


@transaction.atomic
def outbox_retry(*, message_ids: Iterable[int], actor: User | None = None) -> int:
    """An administrator asks to try failed (or waiting) messages again: attempts start over, due now."""
    messages = OutboxMessage.objects.select_for_update().filter(pk__in=list(message_ids), delivered_at__isnull=True)
    updated = 0
    for message in messages:
        message.failed_permanently = False
        message.attempts = 0
        message.next_attempt_at = None
        if actor is not None:
            message._history_user = actor
        message.save(update_fields=["failed_permanently", "attempts", "next_attempt_at"])
        updated += 1
    from accounts.tasks import deliver_outbox_message

    ids = [m.pk for m in messages]
    transaction.on_commit(lambda: [enqueue_task(deliver_outbox_message, pk) for pk in ids])
    return updated
