"""THE import of the regional Monitor Brede Welvaart (one home: the upload page's Celery task and the
``import_monitor`` management command both call :func:`monitor_import_run`). Format: ``docs/monitor-import.md``.

* Every row is validated before anything is written; one bad row refuses the whole file, and every bad row is
  named (row number as a spreadsheet shows it, the header being row 1, and what is wrong).
* Idempotent: importing a year **replaces** that year — values in the file are created or updated, values of that
  year that the file no longer has are deleted; unchanged values are left alone. Every change leaves a history row
  (simple-history), so what a year looked like before a re-import stays visible.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import save_rows_with_history
from agendas.welfare import progress
from agendas.welfare.models import (
    MONITOR_MAX_YEAR,
    MONITOR_MIN_YEAR,
    MonitorArea,
    MonitorImport,
    MonitorIndicator,
    MonitorValue,
)
from agendas.welfare.permissions import monitor_policy
from kansenagenda import money

#: Header names (lower case) accepted for each column; the first is the documented name.
COLUMNS = {
    "area": ("gebied", "gebiedscode", "regiocode", "regioaanduiding", "area_code"),
    "indicator": ("indicator", "indicatorcode", "indicator_code"),
    "year": ("jaar", "perioden", "year"),
    "value": ("waarde", "value"),
    "theme": ("thema", "theme"),
}
OPTIONAL_COLUMNS = {"area_name": ("gebiedsnaam", "area_name")}
AREA_CODE = re.compile(r"^(NL01|CR\d{2}|PV\d{2}|GM\d{4})$")
YEAR = re.compile(r"^(\d{4})(JJ00)?$")  # CBS StatLine writes years as "2023JJ00"
MISSING_VALUES = {"", ".", "-", "x"}  # CBS: "." = no data, "x" = secret
MAX_FILE_BYTES = 20 * 1024 * 1024
PROGRESS_EVERY = 250


@dataclass
class ParsedFile:
    rows: list[tuple[int, int, int, Decimal]] = field(default_factory=list)  # (area_id, indicator_id, year, value)
    errors: list[dict] = field(default_factory=list)
    skipped: int = 0
    total: int = 0
    new_areas: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (kind, name)


def _error(row: int, message: str) -> dict:
    return {"row": row, "message": message}


def _column_index(header: list[str]) -> tuple[dict[str, int], list[str]]:
    names = [h.strip().lower() for h in header]
    index, missing = {}, []
    for key, aliases in {**COLUMNS, **OPTIONAL_COLUMNS}.items():
        found = next((names.index(a) for a in aliases if a in names), None)
        if found is not None:
            index[key] = found
        elif key in COLUMNS:
            missing.append(aliases[0])
    return index, missing


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("Het bestand is geen UTF-8-tekst (CSV). Sla het op als ‘CSV UTF-8’.")) from exc


def parse_monitor_csv(data: bytes, *, on_progress=None) -> ParsedFile:
    """Read and validate a monitor file; nothing is written. ``on_progress(done, total)`` is called as it goes."""
    result = ParsedFile()
    if len(data) > MAX_FILE_BYTES:
        result.errors.append(_error(0, _("Het bestand is groter dan 20 MB; splits het per jaar.")))
        return result
    try:
        text = _decode(data)
    except ValidationError as exc:
        result.errors.append(_error(0, exc.messages[0]))
        return result
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        result.errors.append(_error(0, _("Het bestand is leeg: de eerste regel moet de kolomnamen bevatten.")))
        return result
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    # Dutch CSV (semicolons) writes a decimal comma; the comma-separated form a decimal point.
    language = "nl" if delimiter == ";" else "en"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    columns, missing = _column_index(header)
    if missing:
        result.errors.append(
            _error(
                1, _("Kolommen ontbreken: %(columns)s. Zie docs/monitor-import.md.") % {"columns": ", ".join(missing)}
            )
        )
        return result
    rows = [(number, cells) for number, cells in enumerate(reader, start=2) if any(c.strip() for c in cells)]
    result.total = len(rows)
    areas = {a.code: a for a in MonitorArea.objects.all()}
    indicators = {i.code.lower(): i for i in MonitorIndicator.objects.select_related("dimension")}
    seen: dict[tuple[str, str, int], int] = {}
    width = max(columns.values()) + 1
    for done, (number, cells) in enumerate(rows, start=1):
        if on_progress and done % PROGRESS_EVERY == 0:
            on_progress(done, result.total)
        if len(cells) < width:
            result.errors.append(
                _error(
                    number,
                    _("Te weinig kolommen: %(found)s in plaats van %(wanted)s.")
                    % {"found": len(cells), "wanted": width},
                )
            )
            continue
        problems = []
        code = cells[columns["area"]].strip().upper()
        area = areas.get(code)
        if not AREA_CODE.match(code):
            problems.append(
                _("gebiedscode ‘%(code)s’ is onbekend (verwacht NL01, CR01–CR40, PV.. of GM....)") % {"code": code}
            )
        elif area is None and code.startswith("CR"):
            problems.append(_("COROP-gebied ‘%(code)s’ bestaat niet (CR01–CR40)") % {"code": code})
        elif area is None:
            name = cells[columns["area_name"]].strip() if "area_name" in columns else ""
            result.new_areas[code] = (code[:2], name[:150] or code)
        indicator_code = cells[columns["indicator"]].strip().lower()
        indicator = indicators.get(indicator_code)
        if indicator is None:
            problems.append(_("indicator ‘%(code)s’ is onbekend") % {"code": cells[columns["indicator"]].strip()})
        theme = cells[columns["theme"]].strip().lower()
        if indicator is not None and theme not in (indicator.dimension.code.lower(), indicator.dimension.name.lower()):
            problems.append(
                _("thema ‘%(theme)s’ past niet bij indicator ‘%(indicator)s’ (thema: %(expected)s)")
                % {
                    "theme": cells[columns["theme"]].strip(),
                    "indicator": indicator.code,
                    "expected": indicator.dimension.code,
                }
            )
        year_match = YEAR.match(cells[columns["year"]].strip())
        year = int(year_match.group(1)) if year_match else None
        if year is None or not MONITOR_MIN_YEAR <= year <= MONITOR_MAX_YEAR:
            problems.append(
                _("jaar ‘%(year)s’ is geen jaartal tussen %(min)s en %(max)s")
                % {"year": cells[columns["year"]].strip(), "min": MONITOR_MIN_YEAR, "max": MONITOR_MAX_YEAR}
            )
        raw_value = cells[columns["value"]].strip()
        value = None
        if raw_value.lower() not in MISSING_VALUES:
            try:
                value = money.parse_number(raw_value, language=language, decimal_places=4, max_digits=18)
            except ValidationError as exc:
                problems.append(_("waarde: %(message)s") % {"message": exc.messages[0]})
        if not problems and year is not None:
            key = (code, indicator_code, year)
            if key in seen:
                problems.append(
                    _("dubbel: dezelfde gebied, indicator en jaar staan al in rij %(row)s") % {"row": seen[key]}
                )
            seen[key] = number
        if problems:
            result.errors.append(_error(number, "; ".join(problems)))
            continue
        if value is None:
            result.skipped += 1
            continue
        result.rows.append((code, indicator.pk, year, value))
    if on_progress:
        on_progress(result.total, result.total)
    return result


def monitor_import_create(*, data: bytes, filename: str, actor) -> MonitorImport:
    """Store an uploaded file for import (the page then queues :func:`monitor_import_run` in Celery).
    ``actor`` None is the system (management command)."""
    if actor is not None and not monitor_policy.can_import(actor):
        raise PermissionDenied(_("Alleen een functioneel beheerder kan monitorcijfers inlezen."))
    record = MonitorImport(original_name=filename[:255], uploaded_by=actor)
    record.file.save(f"monitor-{timezone.now():%Y%m%d%H%M%S}.csv", ContentFile(data), save=False)
    record._history_user = actor
    record.save()
    return record


def _progress(record: MonitorImport):
    def report(done: int, total: int) -> None:
        progress.tick(record.pk, done, total)

    return report


def monitor_import_run(*, import_id: int) -> MonitorImport:
    """Validate and apply one stored import. Safe to run twice: a finished import is returned unchanged."""
    record = MonitorImport.objects.get(pk=import_id)
    if record.status in (MonitorImport.Status.DONE, MonitorImport.Status.FAILED):
        return record
    progress.mark_running(record.pk)
    with record.file.open("rb") as handle:
        data = handle.read()
    parsed = parse_monitor_csv(data, on_progress=_progress(record))
    record.refresh_from_db()
    record.total_rows, record.processed_rows, record.skipped_count = parsed.total, parsed.total, parsed.skipped
    record.finished_at = timezone.now()
    if parsed.errors or not parsed.rows:
        if not parsed.errors:
            parsed.errors.append(_error(0, _("Het bestand bevat geen waarden om in te lezen.")))
        record.status, record.errors = MonitorImport.Status.FAILED, parsed.errors
        record._history_user = record.uploaded_by
        record.save()
        return record
    with transaction.atomic():
        counts = _replace_years(parsed, record)
    record.created_count, record.updated_count, record.deleted_count = counts
    record.years = sorted({year for _a, _i, year, _v in parsed.rows})
    record.status, record.errors = MonitorImport.Status.DONE, []
    record._history_user = record.uploaded_by
    record.save()
    return record


def _replace_years(parsed: ParsedFile, record: MonitorImport) -> tuple[int, int, int]:
    actor = record.uploaded_by
    for code, (kind, name) in parsed.new_areas.items():
        MonitorArea.objects.get_or_create(code=code, defaults={"kind": kind, "name": name})
    area_ids = dict(MonitorArea.objects.values_list("code", "pk"))
    years = {year for _a, _i, year, _v in parsed.rows}
    wanted = [
        MonitorValue(area_id=area_ids[code], indicator_id=indicator_id, year=year, value=value, source_import=record)
        for code, indicator_id, year, value in parsed.rows
    ]
    existing = MonitorValue.objects.filter(year__in=years).select_for_update()
    return save_rows_with_history(
        model=MonitorValue,
        existing=existing,
        wanted=wanted,
        key=lambda v: (v.area_id, v.indicator_id, v.year),
        fields=["value"],  # source_import stays the import that created the value
        actor=actor,
    )
