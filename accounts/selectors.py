"""Reads about accounts that are more than a ``get``.

The second-factor door check lives here, once: the page middleware, the API authentication
(session and token), the admin site and every download ask :func:`second_factor_missing`.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import salted_hmac

from accounts.models import User


def requires_two_factor(user: User) -> bool:
    """Does this person's role (or superuser status) require a verified second factor?"""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.has_role(*settings.TWO_FACTOR_REQUIRED_ROLES)


def second_factor_missing(user: User) -> bool:
    """True when this request's user must have a verified second factor and has none.

    A session counts as verified once django-otp has verified a device in it; a request with an
    API token counts as verified when the token was created from a verified session (see
    ``accounts.services.api_token_create`` and ``kansenagenda.api.TokenAuthentication``).
    """
    if not getattr(settings, "TWO_FACTOR_ENFORCED", True):
        return False
    if not requires_two_factor(user):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


def second_factor_role_codes(user: User) -> list[str]:
    """The roles (and superuser status) of this person that require a second factor, as a stable list."""
    codes = sorted(set(user.role_codes) & set(settings.TWO_FACTOR_REQUIRED_ROLES))
    if user.is_superuser:
        codes.append("superuser")
    return codes


def password_fingerprint(user: User) -> str:
    """A keyed digest of the stored password hash: changes whenever the password changes."""
    return salted_hmac("accounts.api-token-password", user.password or "", algorithm="sha256").hexdigest()


def api_token_valid(token) -> bool:
    """May this API token still be used? Only while the account is active, the password unchanged and the
    roles requiring a second factor the same as when the token was made. A token without a recorded origin
    (made before this rule) stays usable but never counts as verified, so a role needing 2FA is refused."""
    user = token.user
    if not user.is_active or user.anonymised_at:
        return False
    origin = getattr(token, "origin", None)
    if origin is None:
        return True
    return origin.password_fingerprint == password_fingerprint(user) and origin.second_factor_roles == ",".join(
        second_factor_role_codes(user)
    )


def api_token_second_factor_verified(token) -> bool:
    origin = getattr(token, "origin", None)
    return bool(origin and origin.second_factor_verified)


def pending_role_grants(user: User | None = None):
    from accounts.models import RoleGrant

    qs = RoleGrant.objects.filter(status=RoleGrant.Status.PENDING).select_related("user", "requested_by")
    return qs.filter(user=user) if user is not None else qs
