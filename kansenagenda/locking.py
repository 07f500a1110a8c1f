"""Optimistic locking: the one home of the ``lock_version`` rule (CONVENTIONS "One rule, one place").

Every versioned model (agenda, priority, partner, milestone, review, nota, progress report, change request)
carries ``lock_version``. A person's write says which version it was based on; when someone else wrote in
between, the write is refused with a ``ConflictError`` (409) listing what changed, never silently merged.

- ``parse_lock_version(raw) -> int``: what every door (page form, API serializer, service) does with the raw
  value. Missing or not a whole number → ``ValidationError`` with a Dutch message (form error / 400).
- ``check_lock(obj, lock_version)``: locks the row, compares, raises ``ConflictError`` when stale (with the
  row's ``current_lock_version`` and ``changes`` {key: {label, old, new}}, built with ``history_diff.record_changes``) and
  bumps ``obj.lock_version`` for the caller's save. Every API door answers it with the same 409 problem.
- ``LockVersionFormField`` and ``LockVersionSerializerField``: the required hidden field for forms and the
  required field for serializers, both through ``parse_lock_version``.

``IN_PROCESS`` is the default of the transition services' ``lock_version`` argument for callers that are no
person's write (Celery tasks, management commands, demo data, admin actions): they act on the row as it is
locked now. Doors never use it: a door passes what it received, and ``None`` is *missing*, never "skip".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kansenagenda.errors import ConflictError
from kansenagenda.history_diff import (  # noqa: F401 (UNTRACKED_FIELDS, display_value: re-exported)
    UNTRACKED_FIELDS,
    display_value,
    record_changes,
)

FIELD = "lock_version"
MAX_LOCK_VERSION = 2**31 - 1

MISSING_MESSAGE = gettext_lazy("De versie waarop uw wijziging is gebaseerd ontbreekt; laad de pagina opnieuw.")
INVALID_MESSAGE = gettext_lazy("De versie moet een geheel getal zijn; laad de pagina opnieuw.")


_DIGITS = re.compile(r"[0-9]{1,10}")


class _InProcess:
    def __repr__(self) -> str:
        return "IN_PROCESS"


IN_PROCESS: Any = _InProcess()


def parse_lock_version(raw: Any) -> int:
    """The lock version a write was based on, as a whole number ≥ 0.

    Accepts an int or a string of ASCII digits (surrounding spaces ignored). Missing (None, "") raises
    ``ValidationError(code="lock_missing")``; anything else ("abc", "1.5", True, -1, 1e3, lists) raises
    ``ValidationError(code="lock_invalid")``. Never raises anything else, so no door answers 500.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValidationError(MISSING_MESSAGE, code="lock_missing")
    if isinstance(raw, bool):
        raise ValidationError(INVALID_MESSAGE, code="lock_invalid")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _DIGITS.fullmatch(raw.strip()):
        value = int(raw.strip())
    else:
        raise ValidationError(INVALID_MESSAGE, code="lock_invalid")
    if not 0 <= value <= MAX_LOCK_VERSION:
        raise ValidationError(INVALID_MESSAGE, code="lock_invalid")
    return value


def _parse_keyed(raw: Any) -> int:
    try:
        return parse_lock_version(raw)
    except ValidationError as exc:
        raise ValidationError({FIELD: exc.error_list}) from None


def history_base(obj: models.Model, based_on: int):
    """The historical row that carried ``based_on``: the state the writer saw (None when unknown)."""
    history = getattr(obj, "history", None)
    if history is None:
        return None
    return history.filter(lock_version=based_on).order_by("-history_date", "-history_id").first()


def changes_since(obj: models.Model, based_on: int) -> dict[str, dict[str, str]]:
    """What changed in ``obj`` since the version ``based_on``: {field: {label, old, new}} (the 409's shape).

    Found through django-simple-history. Only called on a conflict, so its few extra queries do not matter.
    """
    base = history_base(obj, based_on)
    if base is None:
        return {}
    return record_changes(type(obj), base, obj)


def _default_message(obj: models.Model, what: str) -> str:
    history = getattr(obj, "history", None)
    last = history.order_by("-history_date", "-history_id").select_related("history_user").first() if history else None
    who = str(last.history_user) if last is not None and last.history_user else _("iemand anders")
    when = localize(last.history_date, use_l10n=True) if last is not None else ""
    return _(
        "%(what)s is gewijzigd door %(who)s (%(when)s) nadat u de pagina opende. Uw wijziging is niet "
        "opgeslagen. Bekijk wat er veranderd is en sla daarna opnieuw op."
    ) % {"what": what, "who": who, "when": when}


def check_lock(
    obj: models.Model,
    lock_version: Any,
    *,
    what: str = "",
    message: str | Callable[[models.Model, dict], str] | None = None,
    changes: Callable[[models.Model, int], dict] | None = None,
    bump: bool = True,
) -> models.Model:
    """Refuse a write based on an outdated version of ``obj``; otherwise bump ``obj.lock_version``.

    Call inside the write's transaction: the row is locked (``select_for_update``) so the check and the
    write are atomic. ``lock_version`` is the raw value the door received (parsed by ``parse_lock_version``;
    missing / not a whole number → ``ValidationError`` keyed ``lock_version``), or ``IN_PROCESS`` for a
    caller that is no person's write (no comparison). Stale → ``ConflictError`` with ``message`` (a string, or
    ``message(obj, changes)``; default: who changed ``what`` when) and ``changes(obj, based_on)`` (default:
    ``changes_since``, the field diff {field: {label, old, new}}).
    ``bump=False`` leaves the version alone (a write that changes nothing). The caller saves ``obj``.
    """
    manager = type(obj)._default_manager
    if lock_version is IN_PROCESS:
        current = manager.select_for_update().filter(pk=obj.pk).values_list(FIELD, flat=True).first()
        if current is not None:
            obj.lock_version = current + (1 if bump else 0)
        return obj
    based_on = _parse_keyed(lock_version)
    current = manager.select_for_update().filter(pk=obj.pk).values_list(FIELD, flat=True).first()
    what = what or str(type(obj)._meta.verbose_name).capitalize()
    if current is None:
        raise ConflictError(_("%(what)s bestaat niet meer; iemand anders heeft het verwijderd.") % {"what": what})
    if current != based_on:
        obj.refresh_from_db()
        found = (changes or changes_since)(obj, based_on)
        if callable(message):
            message = message(obj, found)
        raise ConflictError(message or _default_message(obj, what), changes=found, current_lock_version=current)
    obj.lock_version = current + (1 if bump else 0)
    return obj


class LockVersionFormField(forms.Field):
    """The hidden ``lock_version`` of every page form that writes a versioned object: required, parsed once."""

    widget = forms.HiddenInput
    default_error_messages = {"required": MISSING_MESSAGE}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_lock_version(value)


@extend_schema_field(OpenApiTypes.INT)
class LockVersionSerializerField(serializers.Field):
    """``lock_version`` in an API body: required (unless told otherwise), parsed by ``parse_lock_version``."""

    default_error_messages = {"required": MISSING_MESSAGE, "null": MISSING_MESSAGE}

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            gettext_lazy(
                "De versie waarop deze wijziging is gebaseerd (lock_version uit de laatste GET). Verouderd → 409."
            ),
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return parse_lock_version(data)
        except ValidationError as exc:
            raise serializers.ValidationError(list(exc.messages), code=exc.error_list[0].code) from None

    def to_representation(self, value):
        return value
