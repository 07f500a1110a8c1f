"""API foundation: pagination and one error format for every endpoint.

Every error body has the shape ``{"message": str, "code": str, "errors": {field: [messages]}}``.
A role that needs a second factor without one gets 403 ``second_factor_required`` on every endpoint
(accounts.authentication, applied to all views through DEFAULT_AUTHENTICATION_CLASSES).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kansenagenda.errors import ConflictError, TransitionRefused


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


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
            message = response.data.get("message", "") if isinstance(response.data, dict) else ""
            record_refusal(request=request, status_code=response.status_code, reason=message)
    return response


def _exception_response(exc, context):
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(
            {"message": _("De invoer is niet geldig."), "code": "invalid", "errors": errors},
            status=400,
        )
    if isinstance(exc, ConflictError):
        return Response(
            {"message": str(exc.message), "code": "conflict", "errors": {}, "changes": exc.changes},
            status=409,
        )
    if isinstance(exc, TransitionRefused):
        return Response(
            {"message": str(exc.message), "code": exc.code, "errors": {}, "reasons": [str(r) for r in exc.reasons]},
            status=exc.status,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = {"message": _("De invoer is niet geldig."), "code": "invalid", "errors": _flatten(exc.detail)}
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        body = {
            "message": str(detail) if not isinstance(detail, (dict, list)) else _("Fout"),
            "code": getattr(exc, "default_code", "error"),
            "errors": _flatten(detail) if isinstance(detail, (dict, list)) else {},
        }
    response.data = body
    return response
