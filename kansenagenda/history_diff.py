"""What changed between two states of a record: the one history diff (CONVENTIONS "One rule, one place").

Every reader of django-simple-history's rows asks the same three questions, and all of them are answered here:

- ``field_changes(model, old, new)``: the fields that differ between two states of one row (instances or
  historical records), as ``FieldChange(label, old, new)`` in the words a person reads (verbose name; choices as
  labels; booleans as ja/nee; amounts as ``€ 1.250.000,50``; related rows by name; empty as "–"). Bookkeeping
  fields (lock version, timestamps) are never a change.
- ``m2m_changes(hmodel, pairs)``: the many-to-many sets that differ between two history rows of an object (the
  sets recorded with each row by ``accounts.audit.AuditedHistoricalRecords``), one query per field.
- ``states_since(history, since)``: for the rows of a child model (a priority's budget lines, a report's
  milestone progress), each row's state at ``since`` and its state now, where it changed after ``since``:
  one query.

Built on them: the 409's ``changes`` (``record_changes``, ``kansenagenda.locking``), an agenda's history page
(``agendas.drafting.selectors.agenda_history``) and the administrator's audit log (``accounts.audit``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from django.db import models
from django.utils.formats import localize
from django.utils.translation import gettext as _

from kansenagenda import money

# Fields that are bookkeeping, not content: never shown as a change.
UNTRACKED_FIELDS = {"id", "lock_version", "updated_at", "created_at", "created_by", "submitted_at", "current_version"}

EMPTY = "–"

#: how a related row's value is shown: (field, raw id) → text. The default looks the rows up (a query per
#: call); readers of many rows pass a ``RelatedLabels`` that fetched every name first.
RelatedLabel = Callable[[models.Field, Any], str]


class FieldChange(NamedTuple):
    """One changed field: its label, the old and the new value as a person reads them."""

    label: str
    old: str
    new: str


def display_value(field: models.Field, value: Any) -> str:
    """A value as a person reads it (choices as labels, empty as a dash)."""
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("ja") if value else _("nee")
    if isinstance(field, models.DecimalField) and field.decimal_places == money.DECIMAL_PLACES:
        return money.format_amount(value)
    if isinstance(field, models.DecimalField):
        return localize(value, use_l10n=True)
    return str(value)


def _lookup_related(field: models.Field, value: Any) -> str:
    if value is None:
        return EMPTY
    row = field.related_model._base_manager.filter(pk=value).first()
    return str(row) if row is not None else f"#{value}"


class RelatedLabels:
    """Names of related rows, fetched once per related model for all the records a reader shows: the reader's
    query count stays flat in the number of records."""

    def __init__(self, model: type[models.Model], records: Iterable[Any]) -> None:
        wanted: dict[type[models.Model], set] = {}
        for field in diffed_fields(model):
            if field.is_relation:
                ids = {getattr(r, field.attname, None) for r in records} - {None}
                wanted.setdefault(field.related_model, set()).update(ids)
        self.names = {
            target: {pk: str(obj) for pk, obj in target._base_manager.in_bulk(list(ids)).items()}
            for target, ids in wanted.items()
            if ids
        }

    def __call__(self, field: models.Field, value: Any) -> str:
        if value is None:
            return EMPTY
        return self.names.get(field.related_model, {}).get(value, f"#{value}")


def diffed_fields(model: type[models.Model], *, exclude: Iterable[str] = ()) -> list[models.Field]:
    skipped = UNTRACKED_FIELDS | set(exclude)
    return [f for f in model._meta.concrete_fields if f.name not in skipped]


def field_changes(
    model: type[models.Model],
    old: Any,
    new: Any,
    *,
    exclude: Iterable[str] = (),
    related_label: RelatedLabel = _lookup_related,
) -> list[tuple[models.Field, FieldChange]]:
    """The fields of ``model`` that differ between the states ``old`` and ``new`` (either may be None: a row
    created or removed), each with its ``FieldChange``; in the model's field order."""
    result = []
    for field in diffed_fields(model, exclude=exclude):
        old_v = getattr(old, field.attname, None) if old is not None else None
        new_v = getattr(new, field.attname, None) if new is not None else None
        if old_v == new_v:
            continue
        show = (
            (lambda v, f=field: related_label(f, v)) if field.is_relation else (lambda v, f=field: display_value(f, v))
        )
        result.append((field, FieldChange(str(field.verbose_name), show(old_v), show(new_v))))
    return result


def record_changes(
    model: type[models.Model], old: Any, new: Any, *, key: str = "", label: str = ""
) -> dict[str, dict[str, str]]:
    """The field diff as the one shape of a 409's ``changes``: {key+field: {label, old, new}}. ``key``/``label``
    prefix the entries when one conflict lists several rows (e.g. a report and its milestones)."""
    return {
        f"{key}{field.name}": {
            "label": f"{label} – {change.label}" if label else change.label,
            "old": change.old,
            "new": change.new,
        }
        for field, change in field_changes(model, old, new)
    }


def m2m_snapshots(hmodel, history_ids) -> dict[tuple[int, str], set[int]]:
    """The many-to-many sets recorded with each history row, {(history_id, field name): {ids}}: one query
    per field, whatever the number of rows."""
    from simple_history.models import HistoricalRecords

    sets: dict[tuple[int, str], set[int]] = {}
    for field in getattr(hmodel, "_history_m2m_fields", []):
        target = f"{field.m2m_reverse_field_name()}_id"
        rows = HistoricalRecords.m2m_models[field].objects.filter(history_id__in=list(history_ids))
        for history_id, target_id in rows.values_list("history_id", target):
            sets.setdefault((history_id, field.name), set()).add(target_id)
    return sets


def m2m_changes(hmodel, pairs: Iterable[tuple[Any, Any]]) -> dict[int, list[FieldChange]]:
    """Per (record, record before it) pair: the many-to-many sets that differ, keyed by the record's
    ``history_id``. One query per field for the sets and one per field for the names."""
    fields = getattr(hmodel, "_history_m2m_fields", [])
    pairs = list(pairs)
    if not fields or not pairs:
        return {}
    sets = m2m_snapshots(hmodel, {h.history_id for pair in pairs for h in pair})
    labels = {}
    for field in fields:
        ids = {i for (_hid, name), values in sets.items() if name == field.name for i in values}
        labels[field.name] = {pk: str(obj) for pk, obj in field.related_model._base_manager.in_bulk(ids).items()}
    result: dict[int, list[FieldChange]] = {}
    for record, before in pairs:
        for field in fields:
            old = sets.get((before.history_id, field.name), set())
            new = sets.get((record.history_id, field.name), set())
            if old != new:
                names = labels[field.name]
                result.setdefault(record.history_id, []).append(
                    FieldChange(
                        str(field.verbose_name),
                        ", ".join(sorted(names.get(i, f"#{i}") for i in old)) or EMPTY,
                        ", ".join(sorted(names.get(i, f"#{i}") for i in new)) or EMPTY,
                    )
                )
    return result


def previous_records(records: Iterable[Any]) -> Iterator[tuple[Any, Any | None]]:
    """Each history record (in the order given, oldest first per object) with the record of the same object
    just before it (None for an object's first record): no query."""
    last: dict[Any, Any] = {}
    for record in records:
        yield record, last.get(record.id)
        last[record.id] = record


def states_since(history: models.QuerySet, since) -> list[tuple[Any | None, Any | None]]:
    """For each row in ``history`` (a child model's history rows, e.g. of one priority's budget lines) that
    changed after ``since``: (its state at ``since``, its state now) — None where the row did not exist yet
    or has been removed. One query."""
    before: dict[Any, Any] = {}
    after: dict[Any, Any] = {}
    for row in history.order_by("history_date", "history_id"):
        (before if row.history_date <= since else after)[row.id] = row
    result = []
    for row_id, last in after.items():
        prev = before.get(row_id)
        result.append(
            (
                prev if prev is not None and prev.history_type != "-" else None,
                last if last.history_type != "-" else None,
            )
        )
    return result
