"""The one error body of the API: ``application/problem+json`` (RFC 9457, NL API Design Rules), and the
headers every API response carries (``API-Version``).

Every API error, whoever answers it (DRF's exception handler in kansenagenda.api, Django's error handlers
in kansenagenda.views, the 503 of kansenagenda.middleware, the unknown-URL / trailing-slash 404 below), is
built by
``problem()``::

    {"type": "urn:kansenagenda:probleem:conflict", "title": "Conflict", "status": 409,
     "detail": "…", "instance": "/api/v1/agendas/3",
     "code": "conflict", "message": "…", "errors": {field: [messages]}, …extension members}

``code``, ``message`` (= ``detail``) and ``errors`` are the members clients relied on before 1.1.0; they stay
as extension members. Further extensions per problem: ``reasons`` (a refused action), ``changes`` and
``current_lock_version`` (a stale write, ``conflict_extensions``), ``correct_url`` (a trailing slash).
"""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import is_valid_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kansenagenda.version import API_VERSION

API_PREFIX = "/api/"
PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:kansenagenda:probleem:"

TITLES = {
    400: gettext_lazy("Ongeldig verzoek"),
    401: gettext_lazy("Niet ingelogd"),
    403: gettext_lazy("Geen toestemming"),
    404: gettext_lazy("Niet gevonden"),
    405: gettext_lazy("Methode niet toegestaan"),
    406: gettext_lazy("Gevraagd formaat niet beschikbaar"),
    409: gettext_lazy("Conflict"),
    413: gettext_lazy("Verzoek te groot"),
    415: gettext_lazy("Mediatype niet ondersteund"),
    429: gettext_lazy("Te veel verzoeken"),
    500: gettext_lazy("Interne fout"),
    503: gettext_lazy("Dienst tijdelijk niet beschikbaar"),
}


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def problem(
    status: int, *, code: str, detail: str, instance: str = "", errors: dict | None = None, **extensions
) -> dict:
    """The problem-details body for ``status``; ``code`` names the problem type (``type`` is derived from it)."""
    body = {
        "type": f"{TYPE_PREFIX}{code}",
        "title": str(TITLES.get(status, _("Fout"))),
        "status": status,
        "detail": str(detail),
        "instance": instance,
        "code": code,
        "message": str(detail),
        "errors": errors or {},
    }
    body.update(extensions)
    return body


def problem_response(request, status: int, *, code: str, detail: str, **extensions) -> JsonResponse:
    """A problem answer from a plain Django view or handler (DRF views answer through kansenagenda.api)."""
    body = problem(status, code=code, detail=detail, instance=request.path, **extensions)
    return JsonResponse(
        body, status=status, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def conflict_extensions(exc) -> dict:
    """What a stale write's 409 carries besides the message (``kansenagenda.errors.ConflictError``): the lock's
    current version (``None`` when the object is gone) and what changed, {key: {label, old, new}}."""
    return {"current_lock_version": exc.current_lock_version, "changes": exc.changes}


def without_trailing_slash(request) -> str | None:
    """The API URL the request meant, when it only differs by a trailing slash (ADR /core/no-trailing-slash)."""
    path = request.path_info
    if not path.endswith("/") or path == API_PREFIX:
        return None
    candidate = path.rstrip("/")
    if not is_valid_path(candidate, getattr(request, "urlconf", None)):
        return None
    query = request.META.get("QUERY_STRING", "")
    return f"{request.path.rstrip('/')}?{query}" if query else request.path.rstrip("/")


def api_not_found(request):
    """An API URL no endpoint answers: a 404 problem, never a redirect. A URL with a trailing slash gets a hint
    naming the right URL (``correct_url``). Not a refusal for the access log: there is no route."""
    correct_url = without_trailing_slash(request)
    if correct_url is not None:
        detail = _("API-adressen eindigen niet op een slash. Gebruik %(url)s.") % {"url": correct_url}
        return problem_response(request, 404, code="trailing_slash", detail=detail, correct_url=correct_url)
    return problem_response(
        request, 404, code="not_found", detail=_("Dit API-adres bestaat niet. Zie /api/v1/openapi.json.")
    )


class ApiUnknownUrlMiddleware:
    """Answers every /api/ URL that resolves to no endpoint with ``api_not_found``, before CommonMiddleware
    could redirect it (APPEND_SLASH) and whatever DEBUG says. Sits just before CommonMiddleware in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api(request) and not is_valid_path(request.path_info, getattr(request, "urlconf", None)):
            return api_not_found(request)
        return self.get_response(request)


class ApiHeadersMiddleware:
    """``API-Version`` on every response under /api/ (errors, 503s and 404s included; ADR /core/version-header).

    Outermost in MIDDLEWARE, so that answers made by other middleware carry it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_api(request):
            response["API-Version"] = API_VERSION
        return response
