"""Every write to accounts data goes through these functions (admin uses the same ones where it matters)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Alliance, User

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


# --- E-mail: the outbox lives in accounts/outbox.py ------------------------------------------------
from accounts.outbox import (  # noqa: E402, F401 (re-exported: callers use accounts.services)
    MAX_DELIVERY_ATTEMPTS,
    RETRY_BASE_SECONDS,
    RETRY_MAX_SECONDS,
    deliver_outbox_message,
    delivery_backoff,
    email_subject,
    enqueue_task,
    outbox_due_ids,
    outbox_retry,
    queue_email,
    sweep_outbox,
)

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
    api_tokens_revoke(user=user, actor=actor, reason="anonymised")
    for session in Session.objects.all().iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
    return user


# --- API tokens ----------------------------------------------------------------------------------
# Rule: for a role that needs a second factor, a token can only be created from a session with a verified
# second factor, and then counts as verified (kansenagenda.api.TokenAuthentication). Tokens are revoked on a
# password change, deactivation and a change of the roles needing 2FA (api_tokens_revoke_if_security_changed,
# called by the views, the admin and the role services); accounts.selectors.api_token_valid refuses a token
# whose account changed through any other door (shell, changepassword) as well.


@transaction.atomic
def api_token_create(*, user: User) -> str:
    """Create (or replace) the user's API token and return the key. ``user`` is the request's user (it carries
    the session's second-factor state). Shown once; afterwards only its last four characters are displayed."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _
    from rest_framework.authtoken.models import Token

    from accounts.models import AccountEvent, ApiTokenOrigin
    from accounts.selectors import (
        password_fingerprint,
        requires_two_factor,
        second_factor_missing,
        second_factor_role_codes,
    )

    if second_factor_missing(user):
        raise PermissionDenied(
            _("Een API-sleutel kunt u pas maken nadat u in deze sessie tweestapsverificatie heeft bevestigd.")
        )
    verified = requires_two_factor(user) and bool(getattr(user, "is_verified", lambda: False)())
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    ApiTokenOrigin.objects.create(
        token=token,
        second_factor_verified=verified,
        password_fingerprint=password_fingerprint(user),
        second_factor_roles=",".join(second_factor_role_codes(user)),
    )
    AccountEvent.objects.create(kind=AccountEvent.Kind.TOKEN_CREATED, user=user, actor=user)
    return token.key


def api_token_revoke(*, user: User) -> bool:
    """The user revokes their own token."""
    return api_tokens_revoke(user=user, actor=user, reason="revoked by user") > 0


@transaction.atomic
def api_tokens_revoke(*, user: User, reason: str, actor: User | None = None) -> int:
    """Delete every API token of this person (audited when there was one)."""
    from rest_framework.authtoken.models import Token

    from accounts.models import AccountEvent

    deleted, _per_model = Token.objects.filter(user=user).delete()
    if deleted:
        AccountEvent.objects.create(kind=AccountEvent.Kind.TOKENS_REVOKED, user=user, actor=actor, reason=reason[:500])
    return deleted


def security_state(user: User) -> tuple:
    """What API tokens are bound to: password, active flag, roles needing a second factor."""
    from accounts.selectors import password_fingerprint, second_factor_role_codes

    fresh = User.objects.get(pk=user.pk)
    return (password_fingerprint(fresh), fresh.is_active, tuple(second_factor_role_codes(fresh)))


def api_tokens_revoke_if_security_changed(*, user: User, before: tuple, actor: User | None = None) -> int:
    """Every door that may change a password, deactivate an account or change roles calls this afterwards."""
    after = security_state(user)
    reasons = [
        label
        for changed, label in zip(
            (before[0] != after[0], before[1] and not after[1], before[2] != after[2]),
            ("password changed", "deactivated", "second-factor roles changed"),
            strict=True,
        )
        if changed
    ]
    return api_tokens_revoke(user=user, actor=actor, reason=", ".join(reasons)) if reasons else 0


# --- Second factor: verification, backup codes, reset by an administrator ------------------------

BACKUP_CODE_COUNT = 10


def second_factor_verify(*, user: User, code: str):
    """Check a code from the authenticator app or a backup code (each backup code works once).
    Returns the device that accepted it, or None."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import AccountEvent

    code = (code or "").strip().replace(" ", "").lower()
    if not code:
        return None
    if code.isdigit():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
        return None
    with transaction.atomic():
        for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                AccountEvent.objects.create(kind=AccountEvent.Kind.BACKUP_CODE_USED, user=user, actor=user)
                return device
    return None


@transaction.atomic
def backup_codes_create(*, user: User) -> list[str]:
    """(Re)create the person's backup codes; the old ones stop working. Shown once, stored only by django-otp."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import AccountEvent

    if (
        not bool(getattr(user, "is_verified", lambda: False)())
        or not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    ):
        raise PermissionDenied(_("Reservecodes kunt u pas maken nadat u tweestapsverificatie heeft bevestigd."))
    device, _created = StaticDevice.objects.get_or_create(user=user, name="reservecodes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    AccountEvent.objects.create(kind=AccountEvent.Kind.BACKUP_CODES_CREATED, user=user, actor=user)
    return codes


@transaction.atomic
def second_factor_reset(*, user: User, actor: User, reason: str) -> int:
    """An administrator removes a person's devices (lost phone and no backup codes). Needs a reason; audited;
    the person is told by e-mail and sets up a new device at the next login. Their API tokens are revoked."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import AccountEvent
    from accounts.permissions import account_admin_policy

    reason = " ".join((reason or "").split())
    if len(reason) < 10:
        raise ValidationError({"reason": _("Geef een reden van ten minste tien tekens.")})
    if not account_admin_policy.can_reset_second_factor(actor, user):
        raise PermissionDenied(account_admin_policy.reset_refusal(actor, user))
    # django-otp's devices carry no history of their own; the reset is recorded as an AccountEvent below.
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    api_tokens_revoke(user=user, actor=actor, reason="second factor reset")
    AccountEvent.objects.create(kind=AccountEvent.Kind.DEVICES_RESET, user=user, actor=actor, reason=reason[:500])
    queue_email(
        recipient=user.email,
        subject=_("Uw tweestapsverificatie is gereset"),
        template="accounts/email/second_factor_reset.txt",
        context={"user": user, "actor": actor, "reason": reason},
        kind="second_factor_reset",
    )
    return removed


# --- Roles: four eyes on privileged roles ---------------------------------------------------------


@transaction.atomic
def user_roles_change(*, actor: User, user: User, requested: Iterable[str]) -> list:
    """Set a person's roles as an administrator asks. Removing a role and adding an ordinary role take effect
    at once; adding a privileged role (roles.FOUR_EYES_GRANT_ROLES) creates a pending grant that a second
    administrator must confirm. Nobody changes their own roles."""
    from django.contrib.auth.models import Group
    from django.core.exceptions import PermissionDenied

    from accounts import roles
    from accounts.permissions import account_admin_policy

    if not account_admin_policy.can_change_roles(actor, user):
        raise PermissionDenied(account_admin_policy.roles_refusal(actor, user))
    before = security_state(user)
    requested = set(requested)
    current = set(user.groups.values_list("name", flat=True))
    removed = current - requested
    added = requested - current
    if removed:
        user.groups.remove(*Group.objects.filter(name__in=removed))
    direct = added - roles.FOUR_EYES_GRANT_ROLES
    if direct:
        user.groups.add(*Group.objects.filter(name__in=direct))
    grants = [
        role_grant_request(actor=actor, user=user, role=role) for role in sorted(added & roles.FOUR_EYES_GRANT_ROLES)
    ]
    user.__dict__.pop("role_codes", None)
    api_tokens_revoke_if_security_changed(user=user, before=before, actor=actor)
    return grants


@transaction.atomic
def role_grant_request(*, actor: User, user: User, role: str):
    from django.core.exceptions import PermissionDenied

    from accounts.models import RoleGrant
    from accounts.permissions import account_admin_policy

    if not account_admin_policy.can_request_grant(actor, user):
        raise PermissionDenied(account_admin_policy.roles_refusal(actor, user))
    grant, _created = RoleGrant.objects.get_or_create(
        user=user, role=role, status=RoleGrant.Status.PENDING, defaults={"requested_by": actor}
    )
    return grant


@transaction.atomic
def role_grant_confirm(*, grant_id: int, actor: User):
    """A second administrator confirms: only now is the role added."""
    from django.contrib.auth.models import Group
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _

    from accounts.models import RoleGrant
    from accounts.permissions import account_admin_policy

    grant = RoleGrant.objects.select_for_update().select_related("user", "requested_by").get(pk=grant_id)
    if grant.status != RoleGrant.Status.PENDING:
        raise ValidationError(_("Deze roltoekenning is al afgehandeld."))
    if not account_admin_policy.can_confirm_grant(actor, grant):
        raise PermissionDenied(account_admin_policy.confirm_refusal(actor, grant))
    before = security_state(grant.user)
    grant.user.groups.add(Group.objects.get(name=grant.role))
    grant.status = RoleGrant.Status.CONFIRMED
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant._history_user = actor
    grant.save()
    api_tokens_revoke_if_security_changed(user=grant.user, before=before, actor=actor)
    return grant


@transaction.atomic
def role_grant_refuse(*, grant_id: int, actor: User):
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _

    from accounts.models import RoleGrant
    from accounts.permissions import is_admin

    grant = RoleGrant.objects.select_for_update().get(pk=grant_id)
    if grant.status != RoleGrant.Status.PENDING:
        raise ValidationError(_("Deze roltoekenning is al afgehandeld."))
    if not is_admin(actor) or actor.pk == grant.user_id:
        raise PermissionDenied(_("U kunt niet beslissen over een roltoekenning voor uzelf."))
    grant.status = RoleGrant.Status.REFUSED
    grant.decided_by = actor if actor.pk != grant.requested_by_id else None
    grant.decided_at = timezone.now()
    grant._history_user = actor
    grant.save()
    return grant
