"""Read side of the audit trail: every historical record (django-simple-history) and every workflow
transition, across all project models. Records are immutable: nothing here writes."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps

PROJECT_APPS = ("accounts", "agendas", "reports")
TYPE_LABELS = {"+": "aangemaakt", "~": "gewijzigd", "-": "verwijderd"}


@dataclass
class AuditEntry:
    when: datetime
    model: str
    object_id: str
    object_repr: str
    action: str
    user: str
    changes: list[tuple[str, str, str]]


def history_models():
    for model in apps.get_models():
        if (
            model._meta.app_label in PROJECT_APPS
            and model.__name__.startswith("Historical")
            and hasattr(model, "history_date")
            and hasattr(model, "instance_type")
        ):
            yield model


def audit_entries(*, model_label: str = "", user_id: int | None = None, since=None, until=None, limit: int = 200):
    """Newest first. One query per audited model (plus one for previous versions), never per row."""
    streams = []
    for hmodel in history_models():
        original = hmodel.instance_type
        label = f"{original._meta.app_label}.{original._meta.model_name}"
        if model_label and label != model_label:
            continue
        qs = hmodel.objects.select_related("history_user").order_by("-history_date")
        if user_id:
            qs = qs.filter(history_user_id=user_id)
        if since:
            qs = qs.filter(history_date__gte=since)
        if until:
            qs = qs.filter(history_date__lte=until)
        rows = list(qs[:limit])
        previous = _previous_records(hmodel, rows)
        streams.append([(r.history_date, id(r), r, original, previous.get(r.history_id)) for r in rows])
    merged = heapq.merge(*streams, key=lambda item: item[0], reverse=True)
    result = []
    for when, _, record, original, previous in merged:
        if len(result) >= limit:
            break
        changes = []
        if record.history_type == "~":
            if previous is not None:
                m2m = [f.name for f in getattr(record, "_history_m2m_fields", [])]
                delta = record.diff_against(previous, excluded_fields=m2m, foreign_keys_are_objs=False)
                changes = [(c.field, _short(c.old), _short(c.new)) for c in delta.changes]
        result.append(
            AuditEntry(
                when=when,
                model=str(original._meta.verbose_name),
                object_id=str(record.pk if not hasattr(record, "id") else record.id),
                object_repr=_describe(record),
                action=TYPE_LABELS.get(record.history_type, record.history_type),
                user=str(record.history_user) if record.history_user else "systeem",
                changes=changes,
            )
        )
    return result


def _previous_records(hmodel, rows) -> dict:
    """For each record, the record of the same object just before it: one query per model."""
    ids = {r.id for r in rows if r.history_type == "~"}
    if not ids:
        return {}
    by_object: dict = {}
    for rec in hmodel.objects.filter(id__in=ids).order_by("id", "history_date", "history_id"):
        by_object.setdefault(rec.id, []).append(rec)
    result = {}
    for rec_list in by_object.values():
        for before, after in zip(rec_list, rec_list[1:], strict=False):
            result[after.history_id] = before
    return result


def _describe(record) -> str:
    """A label from the record's own columns (no extra queries per row)."""
    for attr in ("title", "name", "email", "reference", "subject", "original_name"):
        value = getattr(record, attr, None)
        if value:
            return _short(f"{value} (#{record.id})")
    return f"#{record.id}"


def _short(value, n: int = 200) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= n else text[: n - 1] + "…"
