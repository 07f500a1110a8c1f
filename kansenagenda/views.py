"""Error pages: problem+json under /api/ (kansenagenda.problems), accessible Dutch pages elsewhere; and the
toegankelijkheidsverklaring."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from kansenagenda.problems import is_api, problem_response


def _error(request, status: int, code: str, message: str, template: str):
    if is_api(request):
        return problem_response(request, status, code=code, detail=message)
    return render(request, template, {"message": message}, status=status)


def bad_request(request, exception=None):
    from kansenagenda.middleware import is_database_outage, unavailable_response

    if is_database_outage(exception):  # the session could not be saved because the database dropped
        return unavailable_response(request, exception)
    return _error(request, 400, "bad_request", _("Het verzoek kon niet worden verwerkt."), "400.html")


def record_refusal(request, status: int, reason: str = "") -> None:
    from accounts.accesslog.services import record_refusal

    record_refusal(request=request, status_code=status, reason=reason)


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else _("U heeft geen toestemming voor deze pagina.")
    record_refusal(request, 403, message)
    return _error(request, 403, "permission_denied", message, "403.html")


def not_found(request, exception=None):
    record_refusal(request, 404)
    return _error(
        request,
        404,
        "not_found",
        _("Deze pagina of dit object bestaat niet, of u heeft er geen toegang toe."),
        "404.html",
    )


def csrf_failure(request, reason: str = ""):
    """CSRF refused (settings.CSRF_FAILURE_VIEW): a problem+json 403 under /api/, the Dutch 403 page elsewhere —
    never Django's bare HTML page."""
    record_refusal(request, 403, "csrf")
    return _error(
        request,
        403,
        "csrf_failed",
        _(
            "De beveiligingscontrole van dit verzoek is mislukt (CSRF). Laad de pagina opnieuw en probeer het nog "
            "eens; gebruikt u de API met een sessie, stuur dan de header X-CSRFToken mee."
        ),
        "403.html",
    )


def server_error(request):
    import sys

    from kansenagenda.middleware import is_database_outage, unavailable_response

    exc = sys.exc_info()[1]  # Django calls this handler while the uncaught exception is being handled
    if is_database_outage(exc):
        return unavailable_response(request, exc)
    return _error(
        request, 500, "server_error", _("Er ging iets mis aan onze kant. Probeer het later opnieuw."), "500.html"
    )


def accessibility_statement(request):
    """The toegankelijkheidsverklaring (Besluit digitale toegankelijkheid overheid): public, linked from every footer."""
    return render(request, "accessibility.html", {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL})
