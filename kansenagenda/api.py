"""API foundation: pagination, one error format for every endpoint, bounded JSON, strict types, and
throttles that fail open.

Every error is ``application/problem+json`` (kansenagenda.problems: type, title, status, detail, instance, plus
the extension members ``code``, ``message`` and ``errors`` {field: [messages]}).
A role that needs a second factor without one gets 403 ``second_factor_required`` on every endpoint
(accounts.authentication, applied to all views through DEFAULT_AUTHENTICATION_CLASSES).
"""

import json
import logging
import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, fields, pagination, parsers
from rest_framework.response import Response

from kansenagenda import throttling as fixed_window
from kansenagenda.errors import ConflictError, TransitionRefused
from kansenagenda.problems import PROBLEM_CONTENT_TYPE, conflict_extensions, problem

logger = logging.getLogger(__name__)

# --- bad input is a 400 ---------------------------------------------------------------------------
MAX_JSON_DEPTH = 32
MAX_JSON_BYTES = 1024 * 1024
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_depth(raw: bytes) -> int:
    """Deepest nesting of arrays/objects in ``raw``, found without recursion (strings skipped)."""
    depth = deepest = 0
    for match in _JSON_TOKENS.finditer(raw):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_JSON_DEPTH:
                    return deepest
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


class LimitedJSONParser(parsers.JSONParser):
    """JSON parser with a size limit (1 MB) and a depth limit (32): both answer 400, never a RecursionError."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read(MAX_JSON_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_JSON_BYTES:
            raise exceptions.ParseError(
                _("Het verzoek is te groot: de JSON-inhoud mag hoogstens %(size)s bytes zijn.")
                % {"size": MAX_JSON_BYTES}
            )
        if json_depth(raw) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(
                _("De JSON-inhoud is te diep genest: hoogstens %(depth)s niveaus.") % {"depth": MAX_JSON_DEPTH}
            )
        encoding = (parser_context or {}).get("encoding") or "utf-8"
        try:
            return json.loads(raw.decode(encoding), parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise exceptions.ParseError(_("De JSON-inhoud is ongeldig: %(error)s") % {"error": exc})


def _refuse_constant(name: str):
    raise ValueError(f"{name} is geen geldige JSON-waarde")


def _strict_char_to_internal_value(self, data):
    """Text fields take text only: ``{"body": 5}`` is a 400, not the string "5" (DRF coerces numbers).

    A field that deliberately takes a number as JSON number or as Dutch text ("12,5") says so with
    ``accepts_numbers = True`` (e.g. ``agendas.monitoring.serializers.NumberOrText``); booleans never pass."""
    if not isinstance(data, str) and not (
        getattr(self, "accepts_numbers", False) and isinstance(data, (int, float)) and not isinstance(data, bool)
    ):
        self.fail("invalid")
    return _drf_char_to_internal_value(self, data)


_drf_char_to_internal_value = fields.CharField.to_internal_value


def install_strict_types() -> None:
    """Called once at start-up (kansenagenda.apps): every CharField and subclass (e-mail, slug, URL, regex)
    of every serializer refuses non-text JSON values, with DRF's own message ("Not a valid string.")."""
    fields.CharField.to_internal_value = _strict_char_to_internal_value


# --- throttles that fail open ---------------------------------------------------------------------
class _FailOpen:
    """A throttle that cannot count (its cache is unreachable) lets the request through and logs it."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # noqa: BLE001 - throttling is a protection, never the cause of an outage
            logger.warning("Throttle %s could not count, request let through: %r", type(self).__name__, exc)
            return True


class UserRateThrottle(_FailOpen, fixed_window.UserRateThrottle):
    """Per user, counted per fixed window in one cache round trip (kansenagenda/throttling.py)."""


class AnonRateThrottle(_FailOpen, fixed_window.AnonRateThrottle):
    pass


class FilterBackend(DjangoFilterBackend):
    """django-filter, but a request that names none of the filter's fields skips building the filter set (its
    form, choice querysets and validation): the same rows, less work on the plain list."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not set(request.query_params) & set(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class Pagination(pagination.PageNumberPagination):
    """``?page=`` and ``?pageSize=`` (NL API Design Rules, docs/api.md); ``page_size`` is still read (deprecated
    in API 1.1.0, docs/api-changelog.md)."""

    page_size_query_param = "pageSize"
    deprecated_page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        params = request.query_params
        raw = params.get(self.page_size_query_param) or params.get(self.deprecated_page_size_query_param)
        if raw:
            try:
                return pagination._positive_int(raw, strict=True, cutoff=self.max_page_size)
            except (KeyError, ValueError):
                pass
        return self.page_size


def _flatten(detail) -> dict:
    if isinstance(detail, dict):
        return {key: [str(m) for m in (value if isinstance(value, list) else [value])] for key, value in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {}


def exception_handler(exc, context):
    response = _exception_response(exc, context)
    if response is not None and response.status_code in (403, 404):
        # Access log: a refusal by the policy (or a hidden object) for a signed-in user, with its reason.
        from accounts.accesslog.services import record_refusal

        request = context.get("request")
        if request is not None:
            record_refusal(request=request, status_code=response.status_code, reason=response.data.get("detail", ""))
    return response


def _problem(context, status: int, *, code: str, detail, headers=None, **extensions) -> Response:
    request = context.get("request")
    body = problem(status, code=code, detail=str(detail), instance=request.path if request else "", **extensions)
    kept = {k: v for k, v in (headers or {}).items() if k.lower() != "content-type"}  # WWW-Authenticate, Retry-After
    return Response(body, status=status, headers=kept, content_type=PROBLEM_CONTENT_TYPE)


def _exception_response(exc, context):
    """Every error of every DRF view as one problem (kansenagenda.problems.problem)."""
    # Imported here: rest_framework.views reads DEFAULT_PARSER_CLASSES, which names this module's parser.
    from rest_framework.views import exception_handler as drf_exception_handler

    invalid = _("De invoer is niet geldig.")
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return _problem(context, 400, code="invalid", detail=invalid, errors=errors)
    if isinstance(exc, ConflictError):
        return _problem(context, 409, code="conflict", detail=exc.message, **conflict_extensions(exc))
    if isinstance(exc, TransitionRefused):
        return _problem(context, exc.status, code=exc.code, detail=exc.message, reasons=[str(r) for r in exc.reasons])
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API exception: Django's handler500 answers (kansenagenda.views.server_error)
    if isinstance(exc, exceptions.ValidationError):
        return _problem(
            context,
            response.status_code,
            code="invalid",
            detail=invalid,
            errors=_flatten(exc.detail),
            headers=response.headers,
        )
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    structured = isinstance(detail, (dict, list))
    return _problem(
        context,
        response.status_code,
        code=getattr(exc, "default_code", "error"),
        detail=_("Fout") if structured else detail,
        errors=_flatten(detail) if structured else {},
        headers=response.headers,
    )
