"""The one write path of the access log: ``record_access`` for every read, download or export of a sensitive
record; ``record_security_event`` for logins, lockouts, second factor, role changes; ``record_refusal`` for
403/404 answers of the policies (pages and API).

Each call writes the row(s) and one structured log line (``kansenagenda.security``) with the same fields.
Only identifiers and short labels are stored — never a password, a token, a query string or document content.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import structlog
from django.db import DatabaseError, models, transaction

from accounts.accesslog.models import AccessLogEntry

Event = AccessLogEntry.Event
Purpose = AccessLogEntry.Purpose
Channel = AccessLogEntry.Channel

logger = structlog.get_logger("kansenagenda.security")

LABEL_ATTRIBUTES = ("title", "original_name", "reference", "name")


def _http_request(request):
    """The Django HttpRequest behind a DRF Request (or the request itself)."""
    return getattr(request, "_request", request)


def _actor(request, actor):
    if actor is not None:
        return actor if getattr(actor, "is_authenticated", False) else None
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


def channel_of(request) -> str:
    if request is None:
        return Channel.SYSTEM
    path = _http_request(request).path
    if path.startswith("/api/"):
        return Channel.API
    if path.startswith("/beheer/"):
        return Channel.ADMIN
    return Channel.PAGE


def _request_fields(request) -> dict:
    if request is None:
        return {"channel": Channel.SYSTEM, "route": "", "ip_address": None, "request_id": _request_id()}
    http = _http_request(request)
    match = getattr(http, "resolver_match", None)
    return {
        "channel": channel_of(request),
        # The URL pattern, never the path itself: a path may carry a password-reset token.
        "route": (match.route if match is not None else "")[:200],
        "ip_address": _client_ip(http),
        "request_id": _request_id(),
    }


def _client_ip(http) -> str | None:
    """The client's address as django-structlog logs it (ipware: proxy headers first, then REMOTE_ADDR)."""
    from ipware import get_client_ip

    try:
        ip, _routable = get_client_ip(http)
    except Exception:  # noqa: BLE001 - a malformed header must not stop the log
        ip = None
    return ip or http.META.get("REMOTE_ADDR") or None


def _request_id() -> str:
    return str(structlog.contextvars.get_contextvars().get("request_id", ""))[:64]


def _label(obj) -> str:
    for attribute in LABEL_ATTRIBUTES:
        value = getattr(obj, attribute, None)
        if value:
            return str(value)[:200]
    return f"{obj._meta.verbose_name} #{obj.pk}"[:200]


def _object_fields(obj) -> dict:
    if obj is None:
        return {"object_type": "", "object_id": "", "object_label": ""}
    if isinstance(obj, models.Model):
        return {"object_type": obj._meta.label_lower, "object_id": str(obj.pk), "object_label": _label(obj)}
    # (type, id, label) for things that are not a model row, e.g. an export of a filtered portfolio view
    kind, ident, label = obj
    return {"object_type": str(kind)[:100], "object_id": str(ident)[:64], "object_label": str(label)[:200]}


def _agenda_id_of(obj, agenda_id):
    if agenda_id is not None:
        return agenda_id
    if isinstance(obj, models.Model):
        if obj._meta.label_lower == "agendas.agenda":
            return obj.pk
        return getattr(obj, "agenda_id", None)
    return None


def _write(entries: list[AccessLogEntry], *, level: int = logging.INFO) -> list[AccessLogEntry]:
    AccessLogEntry.objects.bulk_create(entries)
    for entry in entries:
        fields = {
            "security_event": entry.event,
            "user_id": entry.user_id,
            "role": entry.user_roles,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "agenda_id": entry.agenda_id,
            "purpose": entry.purpose,
            "channel": entry.channel,
            "route": entry.route,
            "status_code": entry.status_code,
            "detail": entry.detail,
        }
        logger.log(level, "security_event", **{k: v for k, v in fields.items() if v not in (None, "")})
    return entries


def _entry(*, request, actor, event, obj, purpose, agenda_id, detail, status_code) -> AccessLogEntry:
    user = _actor(request, actor)
    return AccessLogEntry(
        event=event,
        user=user,
        user_roles=",".join(sorted(user.role_codes))[:200] if user is not None else "",
        agenda_id=_agenda_id_of(obj, agenda_id),
        purpose=purpose or "",
        status_code=status_code,
        detail=(str(detail) if detail else "")[:300],
        **_object_fields(obj),
        **_request_fields(request),
    )


def record_access(
    *,
    request=None,
    actor=None,
    event: str = Event.READ,
    obj=None,
    objects: Iterable | None = None,
    purpose: str,
    agenda_id: int | None = None,
    detail: str = "",
) -> list[AccessLogEntry]:
    """Log a read, download or export: who (``actor`` or ``request.user``), what (``obj``, or each of
    ``objects``; a model row or a ``(type, id, label)`` triple), when (now), why (``purpose``), through which
    door (from ``request``). One row per object, in one INSERT."""
    if event not in (Event.READ, Event.DOWNLOAD, Event.EXPORT):
        raise ValueError(f"record_access logs reads, downloads and exports, not {event!r}")
    targets = list(objects) if objects is not None else [obj]
    entries = [
        _entry(
            request=request,
            actor=actor,
            event=event,
            obj=target,
            purpose=purpose,
            agenda_id=agenda_id,
            detail=detail,
            status_code=200,
        )
        for target in targets
    ]
    return _write(entries)


def record_security_event(
    *, event: str, request=None, actor=None, obj=None, detail: str = "", status_code: int | None = None
) -> AccessLogEntry:
    """Log a login, failed login, lockout, second-factor set-up or failure, or role change."""
    entry = _entry(
        request=request,
        actor=actor,
        event=event,
        obj=obj,
        purpose=Purpose.SECURITY,
        agenda_id=None,
        detail=detail,
        status_code=status_code,
    )
    level = (
        logging.WARNING if event in (Event.LOGIN_FAILED, Event.LOCKOUT, Event.SECOND_FACTOR_FAILED) else logging.INFO
    )
    return _write([entry], level=level)[0]


def record_refusal(*, request, status_code: int, reason: str = "") -> AccessLogEntry | None:
    """A 403, or a 404 on a real route (an object the policy hides), answered to a signed-in user."""
    http = _http_request(request)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if status_code == 404 and getattr(http, "resolver_match", None) is None:
        return None  # an unknown address, not a refusal
    if getattr(http, "_ka_refusal_logged", False):
        return None  # one refusal per request
    http._ka_refusal_logged = True
    match = getattr(http, "resolver_match", None)
    target = None
    if match is not None:
        # Only the ids from the URL (never other path arguments: a reset link carries a token).
        ids = [str(v) for k, v in sorted(match.kwargs.items()) if k == "pk" or k.endswith(("_pk", "_id"))]
        target = (match.view_name, "/".join(ids), "")
    try:
        with transaction.atomic():
            entry = _entry(
                request=request,
                actor=None,
                event=Event.REFUSED,
                obj=target,
                purpose=Purpose.SECURITY,
                agenda_id=None,
                detail=reason,
                status_code=status_code,
            )
            return _write([entry], level=logging.WARNING)[0]
    except DatabaseError:
        # The refusal is answered anyway; the log line keeps it when the table cannot be written.
        logger.error("security_event_not_stored", security_event=Event.REFUSED, status_code=status_code)
        return None


def purpose_for(user, default: str = Purpose.DRAFTING) -> str:
    """The purpose of a read through a door several roles share, from the reader's roles (ministry first:
    one person with two roles reads for the weightier task)."""
    from accounts import roles

    codes = getattr(user, "role_codes", frozenset()) if getattr(user, "is_authenticated", False) else frozenset()
    if codes & roles.MINISTRY_ROLES:
        return Purpose.DECISION
    if roles.STATE_REPRESENTATIVE in codes:
        return Purpose.ADVICE
    if roles.REVIEWER in codes:
        return Purpose.REVIEW
    if codes & {roles.COORDINATOR, roles.PARTNER}:
        return Purpose.DRAFTING
    if roles.ADMINISTRATOR in codes:
        return Purpose.ADMINISTRATION
    return default
