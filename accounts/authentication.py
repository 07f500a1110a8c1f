"""API authentication with the second-factor door check (DEFAULT_AUTHENTICATION_CLASSES, so every API view).

Kept apart from kansenagenda.api because DRF imports authentication classes while its own views module loads.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import authentication, exceptions


class SecondFactorRequired(exceptions.PermissionDenied):
    default_code = "second_factor_required"
    default_detail = gettext_lazy(
        "Uw rol vraagt om tweestapsverificatie. Log in op de website, stel tweestapsverificatie in of bevestig "
        "de code uit uw authenticator-app (pagina Tweestapsverificatie), en maak daarna zo nodig een nieuwe "
        "API-sleutel."
    )


def _refuse_without_second_factor(user) -> None:
    from accounts.selectors import second_factor_missing

    if second_factor_missing(user):
        raise SecondFactorRequired()


class SessionAuthentication(authentication.SessionAuthentication):
    """Session login, plus the second-factor door check: a session of a role that needs 2FA counts only
    once django-otp has verified a device in it."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            _refuse_without_second_factor(result[0])
        return result


class TokenAuthentication(authentication.TokenAuthentication):
    """API tokens. Rule: a token of a role that needs 2FA can only be created from a session with a verified
    second factor (accounts.services.api_token_create); such a token then counts as verified. A token is
    refused once the password changes, the account is deactivated or the roles needing 2FA change
    (accounts.selectors.api_token_valid); the services also delete it at those moments."""

    def authenticate_credentials(self, key):
        from accounts.selectors import api_token_second_factor_verified, api_token_valid

        model = self.get_model()
        token = model.objects.select_related("user", "origin").filter(key=key).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Ongeldige of ingetrokken API-sleutel."))
        if not api_token_valid(token):
            raise exceptions.AuthenticationFailed(
                _("Deze API-sleutel is ingetrokken (wachtwoord, rol of account gewijzigd). Maak een nieuwe sleutel.")
            )
        user = token.user
        verified = api_token_second_factor_verified(token)
        user.otp_device = None
        user.is_verified = lambda: verified
        _refuse_without_second_factor(user)
        return (user, token)
