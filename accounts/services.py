"""Every write to accounts data goes through these functions (admin uses the same ones where it matters)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Alliance, OutboxMessage, User

logger = logging.getLogger(__name__)
COORDINATOR_ALLIANCE_PERMS = ("accounts.view_alliance", "accounts.change_alliance")


def sync_alliance_coordinator_perms(*, alliance: Alliance, added: Iterable[User] = (), removed: Iterable[User] = ()):
    """Keep guardian's object permissions in step with ``Alliance.coordinators``."""
    for user in added:
        for perm in COORDINATOR_ALLIANCE_PERMS:
            assign_perm(perm, user, alliance)
    for user in removed:
        for perm in COORDINATOR_ALLIANCE_PERMS:
            remove_perm(perm, user, alliance)


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

    With a ``dedupe_key`` the same message for the same recipient is recorded at most once
    (used for reminders: once per item per day).
    """
    body = render_to_string(template, context).strip()
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


# --- Privacy (AVG) -------------------------------------------------------------------------------


def personal_data_export(*, user: User) -> dict:
    """Everything the system holds about a person, for an access request (AVG art. 15)."""
    from django.apps import apps

    data = {
        "user": {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "roles": sorted(user.role_codes),
        },
        "memberships": [
            {"organisation": m.organisation.name, "start_date": str(m.start_date), "end_date": str(m.end_date or "")}
            for m in user.memberships.select_related("organisation")
        ],
        "state_representative_regions": list(user.region_assignments.values_list("region__name", flat=True)),
        "coordinated_alliances": list(user.coordinated_alliances.values_list("name", flat=True)),
        "recorded_actions": [],
    }
    # Every change this person made, across all audited models.
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "history_user"):
            for row in model.objects.filter(history_user=user).values("history_date", "history_type")[:5000]:
                data["recorded_actions"].append(
                    {
                        "model": model._meta.verbose_name.replace("historical ", ""),
                        "when": row["history_date"].isoformat(),
                        "type": {"+": "created", "~": "changed", "-": "deleted"}[row["history_type"]],
                    }
                )
    return data


@transaction.atomic
def user_anonymise(*, user: User, actor: User) -> User:
    """Anonymise a departed user. The audit trail keeps every record and its link to this user, who is
    shown as "een voormalige gebruiker" from now on; the person's name and e-mail are removed everywhere."""
    from django.contrib.sessions.models import Session
    from rest_framework.authtoken.models import Token

    if user.pk == actor.pk:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError(_("U kunt uw eigen account niet anonimiseren."))
    placeholder = f"voormalige-gebruiker-{user.pk}@geanonimiseerd.invalid"
    user.email = placeholder
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.anonymised_at = timezone.now()
    user._history_user = actor
    user.save()
    # Scrub personal fields from the person's own history rows (the rows themselves stay).
    user.history.exclude(history_id=user.history.latest().history_id).update(
        email=placeholder, first_name="", last_name=""
    )
    user.groups.clear()
    Token.objects.filter(user=user).delete()
    for session in Session.objects.all().iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
    return user


# --- API tokens ----------------------------------------------------------------------------------


def api_token_create(*, user: User) -> str:
    """Create (or replace) the user's API token and return the key. It is shown once; afterwards only
    its last four characters are displayed."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key


def api_token_revoke(*, user: User) -> bool:
    from rest_framework.authtoken.models import Token

    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
