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
