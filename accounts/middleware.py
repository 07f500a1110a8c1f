from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.selectors import second_factor_missing

# The API answers for itself (403 second_factor_required, kansenagenda.api); public pages need no login.
_ALLOWED_PREFIXES = ("/static/", "/health/", "/i18n/", "/api/", "/openbaar/")


class RequireTwoFactorMiddleware:
    """Roles that must use two-factor authentication can do nothing but set it up or verify it
    until the session carries a verified second factor (pages, admin and downloads alike)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and second_factor_missing(user)
        ):
            allowed = {reverse("two_factor"), reverse("logout")}
            if request.path not in allowed:
                target = f"{reverse('two_factor')}?next={request.get_full_path()}"
                if request.headers.get("HX-Request"):
                    # A fragment loaded after the page (htmx) must not receive the whole verification page:
                    # nothing to swap in, and the browser goes to the verification page itself.
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return redirect(target)
        return self.get_response(request)
