from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from accounts.selectors import requires_two_factor

_ALLOWED_PREFIXES = ("/static/", "/health/", "/i18n/", "/api/", "/openbaar/")


class RequireTwoFactorMiddleware:
    """Roles that must use two-factor authentication can do nothing but set it up or verify it
    until the session carries a verified second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            getattr(settings, "TWO_FACTOR_ENFORCED", True)
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and requires_two_factor(user)
            and not user.is_verified()
        ):
            allowed = {reverse("two_factor"), reverse("logout")}
            if request.path not in allowed:
                return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
