"""Optional single sign-on through OpenID Connect (off unless OIDC_RP_CLIENT_ID is set).

Users are matched to EXISTING accounts by e-mail address only; nobody is created and no role is granted.
"""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class EmailOnlyOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):  # never create accounts from SSO
        return None

    def update_user(self, user, claims):  # never change names/roles from SSO
        return user
