"""Outages answered calmly: a dropped database connection is a 503 with ``Retry-After``, never a 500.

``DatabaseUnavailableMiddleware`` catches ``OperationalError`` / ``InterfaceError`` raised by a view (pages
and API alike: DRF's exception handler leaves them to us). Errors raised earlier, inside other middleware
(session or user lookup), reach ``kansenagenda.views.server_error``, which asks ``unavailable_response``
too. Either way the broken connection is closed, so the next request opens a fresh one.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from kansenagenda.problems import is_api, problem_response

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
DATABASE_ERRORS = (OperationalError, InterfaceError)


def is_database_outage(exc: BaseException | None) -> bool:
    """A database error, or an error caused by one (e.g. the session middleware's ``SessionInterrupted``,
    raised when saving the session failed because the connection dropped)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DATABASE_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _close_broken_connections() -> None:
    for conn in connections.all(initialized_only=True):
        if conn.in_atomic_block:
            continue  # an enclosing transaction (tests) owns it; it is discarded when that ends
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - the connection is already gone; closing is best effort
            logger.debug("Closing a broken database connection failed", exc_info=True)


def unavailable_response(request, exc: BaseException) -> HttpResponse:
    """503 with Retry-After, a problem+json under /api/, a plain page (no database needed) elsewhere."""
    logger.warning("Database unavailable during %s %s: %r", request.method, request.path, exc)
    _close_broken_connections()
    message = _("De database is tijdelijk niet bereikbaar. Probeer het zo opnieuw.")
    if is_api(request):
        response = problem_response(request, 503, code="service_unavailable", detail=message)
    else:
        body = render_to_string("503.html", {"message": message, "retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return unavailable_response(request, exception)
        return None
