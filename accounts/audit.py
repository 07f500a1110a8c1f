"""The audit trail: one configuration of django-simple-history for every project model (the write side,
``AuditedHistoricalRecords`` and the bulk helpers) and the read side (every historical record and every
workflow transition, across all project models).

THE rule (one place): one edit of one object writes exactly one history row, holding the object's fields
AND its many-to-many sets as they are after the edit; rows written in bulk get their history (with their
many-to-many sets) too; a save of untracked fields only writes no row. A row is completed only while its
edit is still in progress (a set changed right after the save, same person, same atomic block); after
that, historical records are never edited, except by anonymisation (accounts.services.user_anonymise).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.db import models, router, transaction
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kansenagenda.history_diff import FieldChange, RelatedLabels, field_changes, m2m_changes

PROJECT_APPS = ("accounts", "agendas", "reports")
TYPE_LABELS = {"+": "aangemaakt", "~": "gewijzigd", "-": "verwijderd"}


# --- write side ----------------------------------------------------------------------------------


def _history_enabled() -> bool:
    return getattr(settings, "SIMPLE_HISTORY_ENABLED", True)


def _edit_anchor(using: str | None):
    """The atomic block an edit belongs to: the innermost block opened by the caller (a service, a view,
    an admin request or a test; Django's own many-to-many managers open blocks without a savepoint), else
    the outermost block, else None (autocommit: every statement is its own edit)."""
    blocks = transaction.get_connection(using).atomic_blocks
    for block in reversed(blocks):
        if block.savepoint:
            return block
    return blocks[0] if blocks else None


@dataclass
class _OpenRecord:
    """The history row of an edit still in progress: later many-to-many changes of the same object by the
    same person in the same atomic block complete this row instead of adding rows of their own."""

    record: models.Model
    anchor: object

    def accepts(self, user_id, using) -> bool:
        if self.anchor is None or self.record.history_user_id != user_id:
            return False
        blocks = transaction.get_connection(using).atomic_blocks
        return any(block is self.anchor for block in blocks) and _edit_anchor(using) is self.anchor


def _m2m_history_model(field):
    return HistoricalRecords.m2m_models[field]


def _snapshot_m2m(records_by_pk: dict, model, fields, *, replace: bool = False) -> None:
    """Copy the current many-to-many rows of the objects into their history rows: one query per field."""
    if not records_by_pk:
        return
    for field in fields:
        through = getattr(model, field.name).through
        source = field.m2m_field_name()
        names = [f.attname for f in through._meta.fields]
        history_model = _m2m_history_model(field)
        if replace:
            history_model.objects.filter(history__in=[r.pk for r in records_by_pk.values()]).delete()
        rows = through.objects.filter(**{f"{source}__in": list(records_by_pk)}).values(*names)
        history_model.objects.bulk_create(
            [history_model(history=records_by_pk[row[f"{source}_id"]], **row) for row in rows]
        )


class AuditedHistoryManager(HistoryManager):
    def bulk_history_create(self, objs, *args, **kwargs):
        """simple-history's bulk history leaves the many-to-many sets out, so the next diff would read every
        set as removed ("IZA, Regio Deal → –"); here each bulk row gets its sets like a single save."""
        objs = list(objs)
        created = super().bulk_history_create(objs, *args, **kwargs)
        m2m_fields = getattr(self.model, "_history_m2m_fields", [])
        if not created or not m2m_fields:
            return created
        if any(row.pk is None for row in created):  # a backend without RETURNING: look the rows up
            latest = {}
            for row in self.model.objects.filter(id__in=[o.pk for o in objs]).order_by("history_id"):
                latest[row.id] = row
            created = [latest[o.pk] for o in objs]
        model = self.model.instance_type
        _snapshot_m2m({row.id: row for row in created}, model, m2m_fields)
        return created


class AuditedHistoricalRecords(HistoricalRecords):
    """HistoricalRecords with THE rule above: ``Model.save()`` then ``m2m.set()`` (services, admin, forms)
    is one history row, not three (saved, items removed, items added); a bulk row carries its sets."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("history_manager", AuditedHistoryManager)
        super().__init__(*args, **kwargs)

    def post_save(self, instance, created, using=None, **kwargs):
        """A save of untracked fields only (a login's ``last_login``) changes nothing the history keeps."""
        update_fields = kwargs.get("update_fields")
        if not created and update_fields is not None:
            tracked = {name for f in self.fields_included(instance) for name in (f.name, f.attname)}
            if not tracked & set(update_fields):
                return
        super().post_save(instance, created, using=using, **kwargs)

    def post_delete(self, instance, using=None, origin=None, **kwargs):
        """Rows deleted with their parent (cascade) are deleted by whoever deleted the parent."""
        if origin is not None and origin is not instance and not hasattr(instance, "_history_user"):
            user = getattr(origin, "_history_user", None)
            if user is not None:
                instance._history_user = user
        super().post_delete(instance, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not _history_enabled() or hasattr(instance, "skip_history_when_saving"):
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            if reverse and action == "pre_clear":
                field = self.cls._meta.get_field(attr)
                through = field.remote_field.through
                instance._audit_cleared = set(
                    through.objects.filter(**{field.m2m_reverse_field_name(): instance}).values_list(
                        f"{field.m2m_field_name()}_id", flat=True
                    )
                )
            return
        if action in ("post_add", "post_remove") and not pk_set:
            return  # Django signals an add of members already there (or a remove of absent ones): no change
        if reverse:
            # ``instance`` is the other side (e.g. an organisation added to alliances): the objects of this
            # model whose set changed are the ones named in pk_set.
            pks = instance.__dict__.pop("_audit_cleared", set()) if action == "post_clear" else pk_set or set()
            user = self.get_history_user(instance)
            for obj in self.cls._default_manager.filter(pk__in=pks):
                obj._history_user = user
                self.create_historical_record(obj, "~")
            return
        using = router.db_for_write(self.cls, instance=instance)
        open_record = getattr(instance, "_audit_open_record", None)
        user = self.get_history_user(instance)
        if open_record is not None and open_record.accepts(getattr(user, "pk", None), using):
            field = self.cls._meta.get_field(attr)
            _snapshot_m2m({instance.pk: open_record.record}, self.cls, [field], replace=True)
            return
        self.create_historical_record(instance, "~")

    def create_historical_record(self, instance, history_type, using=None):
        super().create_historical_record(instance, history_type, using=using)
        if history_type == "-":
            instance.__dict__.pop("_audit_open_record", None)


def _remember_open_record(sender, instance, history_instance, using=None, **kwargs):
    if history_instance.history_type != "-":
        instance._audit_open_record = _OpenRecord(
            history_instance, _edit_anchor(using or router.db_for_write(type(instance), instance=instance))
        )


post_create_historical_record.connect(_remember_open_record, dispatch_uid="audit_open_record")


def save_rows_with_history(
    *,
    model: type[models.Model],
    existing: Iterable[models.Model],
    wanted: Iterable[models.Model],
    key: Callable[[models.Model], object],
    fields: list[str],
    actor,
) -> tuple[int, int, int]:
    """Make a set of child rows (a review's scores, a nota's year amounts …) equal to ``wanted``, writing only
    what differs: new rows are created, changed rows updated, missing rows deleted — each with exactly one
    history row by ``actor``; unchanged rows are left alone. Returns (created, updated, deleted)."""
    by_key: dict[object, list[models.Model]] = defaultdict(list)
    for obj in existing:
        by_key[key(obj)].append(obj)
    to_create, to_update = [], []
    for obj in wanted:
        matches = by_key.get(key(obj))
        old = matches.pop(0) if matches else None
        if old is None:
            to_create.append(obj)
        elif any(getattr(old, name) != getattr(obj, name) for name in fields):
            for name in fields:
                setattr(old, name, getattr(obj, name))
            to_update.append(old)
    to_delete = [obj for objs in by_key.values() for obj in objs]
    delete_with_history(to_delete, actor=actor)
    if to_create:
        bulk_create_with_history(to_create, model, default_user=actor)
    if to_update:
        bulk_update_with_history(to_update, model, fields, default_user=actor)
    return len(to_create), len(to_update), len(to_delete)


def delete_with_history(objs: Iterable[models.Model], *, actor) -> int:
    """Delete each object by itself, so that its history row names who deleted it (a queryset delete
    records the rows but not the person outside a request)."""
    count = 0
    for obj in objs:
        obj._history_user = actor
        obj.delete()
        count += 1
    return count


def audited_models() -> list[type[models.Model]]:
    """Every project model with a history (the models whose writes must leave history rows)."""
    return [hmodel.instance_type for hmodel in history_models()]


@dataclass
class AuditEntry:
    when: datetime
    model: str
    object_id: str
    object_repr: str
    action: str
    user: str
    changes: list[FieldChange]


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
        pairs = [(r, previous[r.history_id]) for r in rows if r.history_type == "~" and r.history_id in previous]
        labels = RelatedLabels(original, [h for pair in pairs for h in pair])
        set_changes = m2m_changes(hmodel, pairs)
        changes = {
            record.history_id: [
                FieldChange(c.label, _short(c.old), _short(c.new))
                for c in [change for _f, change in field_changes(original, before, record, related_label=labels)]
                + set_changes.get(record.history_id, [])
            ]
            for record, before in pairs
        }
        streams.append([(r.history_date, id(r), r, original, changes.get(r.history_id, [])) for r in rows])
    merged = heapq.merge(*streams, key=lambda item: item[0], reverse=True)
    result = []
    for when, _, record, original, changes in merged:
        if len(result) >= limit:
            break
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
