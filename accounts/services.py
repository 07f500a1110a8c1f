"""Every write to accounts data goes through these functions (admin uses the same ones where it matters)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Alliance, OutboxMessage, User

COORDINATOR_ALLIANCE_PERMS = ("accounts.view_alliance", "accounts.change_alliance")


def sync_alliance_coordinator_perms(*, alliance: Alliance, added: Iterable[User] = (), removed: Iterable[User] = ()):
    """Keep guardian's object permissions in step with ``Alliance.coordinators``."""
    for user in added:
        for perm in COORDINATOR_ALLIANCE_PERMS:
            assign_perm(perm, user, alliance)
    for user in removed:
        for perm in COORDINATOR_ALLIANCE_PERMS:
            remove_perm(perm, user, alliance)


def queue_email(
    *, recipient: str, subject: str, template: str, context: dict, kind: str = "", dedupe_key: str = ""
) -> OutboxMessage | None:
    """Record an e-mail in the outbox (inside the caller's transaction) and deliver it after commit.

    With a ``dedupe_key`` the same message for the same recipient is recorded at most once
    (used for reminders: once per item per day).
    """
    body = render_to_string(template, context).strip()
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                recipient=recipient, subject=subject[:300], body=body, kind=kind, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return None
    from accounts.tasks import deliver_outbox_message

    transaction.on_commit(lambda: _enqueue(deliver_outbox_message, message.pk))
    return message


def _enqueue(task, *args) -> None:
    """Queue a task; if the broker is unreachable the outbox sweep delivers later."""
    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 - broker down: the message stays in the outbox
        import logging

        logging.getLogger(__name__).warning("Broker unreachable; %s(%s) left for the outbox sweep", task.name, args)


MAX_DELIVERY_ATTEMPTS = 8


def deliver_outbox_message(*, message_id: int) -> bool:
    """Send one outbox message exactly once. Returns True if it was sent by this call."""
    from django.core.mail import send_mail

    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.delivered_at or message.failed_permanently:
            return False
        message.attempts += 1
        try:
            send_mail(message.subject, message.body, None, [message.recipient], fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - recorded and retried
            message.last_error = str(exc)[:2000]
            message.failed_permanently = message.attempts >= MAX_DELIVERY_ATTEMPTS
            message.save(update_fields=["attempts", "last_error", "failed_permanently"])
            raise
        message.delivered_at = timezone.now()
        message.save(update_fields=["attempts", "delivered_at"])
        return True
