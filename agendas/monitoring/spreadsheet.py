"""Reporting without retyping: the year's progress report as a pre-filled XLSX, filled offline, uploaded back.

- ``build_workbook(report)``: sheets *Toelichting* (what the file is, the report's id, its lock version and a
  fingerprint of its content at download), *Mijlpalen* (one row per milestone: target, last year's value, status,
  value reached, evidence) and *Besteding* (one row per budget line of the year: planned, spent last year on the
  same priority and source, spent, committed, note) and the overall narrative.
- ``read_workbook(report, file)``: validates every cell and answers ``Upload`` with errors that name the sheet,
  the row and the column (numbers typed as numbers or as Dutch text, through ``kansenagenda/money.py``).
- a stale file (the report changed since the download: its lock version moved on) is refused with what changed
  (``services.changes_since``), before anything is previewed;
- ``preview(report, upload)``: what would change (old → new per cell);
- ``apply_upload(report, actor, upload)``: only after the person confirmed, through ``progress_report_save``
  (the row lock, ``check_lock`` against the file's lock version, validation, history) – nothing else writes.

The upload keeps only the parsed values (strings), so the page can hold it between preview and confirmation.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.models import User
from agendas.models import BudgetLineRealisation, MilestoneProgress, ProgressReport
from agendas.monitoring import services
from kansenagenda import money
from kansenagenda.errors import ConflictError
from kansenagenda.spreadsheet import neutralise

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
INFO, MILESTONES, SPENDING = "Toelichting", "Mijlpalen", "Besteding"
MS_COLUMNS = [
    "id",
    "Prioriteit",
    "Mijlpaal",
    "Eenheid",
    "Streefwaarde",
    "Vorig jaar",
    "Status",
    "Bereikte waarde",
    "Onderbouwing",
]
SP_COLUMNS = ["id", "Prioriteit", "Bron", "Begroot", "Besteed vorig jaar", "Besteed", "Verplicht", "Toelichting"]
MS_EDITABLE = {"Status": "status", "Bereikte waarde": "value_reached", "Onderbouwing": "evidence"}
SP_EDITABLE = {"Besteed": "realised", "Verplicht": "committed", "Toelichting": "note"}
INFO_ROWS = {"report": 3, "lock_version": 4, "fingerprint": 5, "overall_narrative": 7}
EDITABLE_FILL = PatternFill("solid", fgColor="FFF7D6")


@dataclass
class CellError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Blad ‘%(sheet)s’, rij %(row)s, kolom ‘%(column)s’: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Upload:
    report_id: int | None = None
    lock_version: int | None = None
    fingerprint: str = ""
    report_fields: dict[str, str] = field(default_factory=dict)
    milestones: dict[int, dict[str, str]] = field(default_factory=dict)
    spending: dict[int, dict[str, str]] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "report_id": self.report_id,
            "lock_version": self.lock_version,
            "fingerprint": self.fingerprint,
            "report_fields": self.report_fields,
            "milestones": {str(k): v for k, v in self.milestones.items()},
            "spending": {str(k): v for k, v in self.spending.items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> Upload:
        return cls(
            report_id=data["report_id"],
            lock_version=data["lock_version"],
            fingerprint=data["fingerprint"],
            report_fields=data["report_fields"],
            milestones={int(k): v for k, v in data["milestones"].items()},
            spending={int(k): v for k, v in data["spending"].items()},
        )


@dataclass
class Change:
    sheet: str
    row: int
    what: str
    old: str
    new: str


# --- reading the report's rows ----------------------------------------------------------------------------
def _milestone_rows(report: ProgressReport) -> list[MilestoneProgress]:
    return list(
        MilestoneProgress.objects.filter(report=report)
        .select_related("milestone__priority")
        .order_by("milestone__priority__order", "milestone__priority_id", "milestone__target_year", "pk")
    )


def _spending_rows(report: ProgressReport) -> list[BudgetLineRealisation]:
    return list(
        BudgetLineRealisation.objects.filter(report=report)
        .select_related("budget_line__priority", "budget_line__source")
        .order_by("budget_line__priority__order", "budget_line__priority_id", "budget_line__source__order", "pk")
    )


def _last_year(report: ProgressReport):
    """Last year's values: milestone value reached by milestone, spending by (priority, source)."""
    previous = ProgressReport.objects.filter(agenda_id=report.agenda_id, year__lt=report.year).order_by("-year").first()
    if previous is None:
        return {}, {}
    ms = dict(MilestoneProgress.objects.filter(report=previous).values_list("milestone_id", "value_reached"))
    sp = {
        (r["budget_line__priority_id"], r["budget_line__source_id"]): r["realised"]
        for r in BudgetLineRealisation.objects.filter(report=previous).values(
            "budget_line__priority_id", "budget_line__source_id", "realised"
        )
    }
    return ms, sp


def fingerprint(report: ProgressReport) -> str:
    """A digest of what the file pre-fills: any change to the report's content gives another fingerprint."""
    content = {
        "narrative": report.overall_narrative,
        "ms": [(r.pk, r.status, str(r.value_reached), r.evidence) for r in _milestone_rows(report)],
        "sp": [(r.pk, str(r.realised), str(r.committed), r.note) for r in _spending_rows(report)],
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]


def _number(value: Decimal | None) -> float | int | None:
    """XLSX cells stay numbers (README: "XLSX-cellen blijven getallen")."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --- download ------------------------------------------------------------------------------------------
def build_workbook(report: ProgressReport) -> bytes:
    wb = Workbook()
    info = wb.active
    info.title = INFO
    info["A1"] = _("Voortgangsrapportage %(year)s – %(title)s") % {"year": report.year, "title": report.agenda.title}
    info["A1"].font = Font(bold=True, size=14)
    info["A2"] = _(
        "Vul de gele cellen in op de bladen Mijlpalen en Besteding en upload het bestand. Verander de kolom id en "
        "de cellen B3 tot en met B5 niet: daarmee herkent het systeem de rapportage en de versie waarop u werkt."
    )
    info.cell(INFO_ROWS["report"], 1, _("Rapportage (id)"))
    info.cell(INFO_ROWS["report"], 2, report.pk)
    info.cell(INFO_ROWS["lock_version"], 1, _("Versie"))
    info.cell(INFO_ROWS["lock_version"], 2, report.lock_version)
    info.cell(INFO_ROWS["fingerprint"], 1, _("Vingerafdruk"))
    info.cell(INFO_ROWS["fingerprint"], 2, fingerprint(report))
    info.cell(INFO_ROWS["overall_narrative"], 1, _("Toelichting op het geheel"))
    narrative = info.cell(INFO_ROWS["overall_narrative"], 2, neutralise(report.overall_narrative))
    narrative.fill = EDITABLE_FILL
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 90

    last_ms, last_sp = _last_year(report)
    statuses = [str(label) for _code, label in MilestoneProgress.Status.choices]
    ms = wb.create_sheet(MILESTONES)
    ms.append(MS_COLUMNS)
    for row in _milestone_rows(report):
        m = row.milestone
        ms.append(
            [
                neutralise(v)
                for v in (
                    row.pk,
                    m.priority.title,
                    m.title,
                    m.unit,
                    _number(m.target_value),
                    _number(last_ms.get(m.pk)),
                    row.get_status_display(),
                    _number(row.value_reached),
                    row.evidence,
                )
            ]
        )
    status_list = DataValidation(type="list", formula1='"' + ",".join(statuses) + '"', allow_blank=True)
    ms.add_data_validation(status_list)
    if ms.max_row > 1:
        status_list.add(f"G2:G{ms.max_row}")
    sp = wb.create_sheet(SPENDING)
    sp.append(SP_COLUMNS)
    for row in _spending_rows(report):
        line = row.budget_line
        sp.append(
            [
                neutralise(v)
                for v in (
                    row.pk,
                    line.priority.title,
                    line.source.name,
                    _number(line.amount),
                    _number(last_sp.get((line.priority_id, line.source_id))),
                    _number(row.realised),
                    _number(row.committed),
                    row.note,
                )
            ]
        )
    for sheet, columns, editable in ((ms, MS_COLUMNS, MS_EDITABLE), (sp, SP_COLUMNS, SP_EDITABLE)):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, name in enumerate(columns, start=1):
            sheet.column_dimensions[cell_letter(index)].width = 14 if name != "Mijlpaal" else 40
            if name in editable:
                for r in range(2, sheet.max_row + 1):
                    sheet.cell(r, index).fill = EDITABLE_FILL
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def cell_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def file_name(report: ProgressReport) -> str:
    return f"voortgangsrapportage-{report.agenda_id}-{report.year}.xlsx"


# --- upload --------------------------------------------------------------------------------------------
def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _amount_cell(value: Any, errors: list[CellError], sheet: str, row: int, column: str) -> str:
    """A typed number or Dutch text (``1.250,50``) → a machine string; an error names the cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    try:
        amount = money.parse_api_amount(value) if not isinstance(value, str) else money.parse_amount(value)
    except ValidationError as exc:
        errors.append(CellError(sheet, row, column, exc.messages[0]))
        return ""
    if amount is not None and amount < 0:
        errors.append(CellError(sheet, row, column, _("het bedrag mag niet negatief zijn.")))
        return ""
    return "" if amount is None else str(amount)


def _number_cell(value: Any, errors: list[CellError], sheet: str, row: int, column: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    try:
        if isinstance(value, bool):
            raise ValidationError(_("vul een getal in."))
        number = Decimal(repr(value)) if isinstance(value, float) else money.parse_number(value)
    except ValidationError as exc:
        errors.append(CellError(sheet, row, column, exc.messages[0]))
        return ""
    return str(number)


def _header(sheet, expected: list[str], errors: list[CellError]) -> dict[str, int] | None:
    header = [_text(c.value) for c in sheet[1]]
    positions = {name: i for i, name in enumerate(header)}
    missing = [name for name in expected if name not in positions]
    if missing:
        errors.append(
            CellError(sheet.title, 1, ", ".join(missing), _("deze kolom ontbreekt; gebruik het gedownloade bestand."))
        )
        return None
    return positions


def read_workbook(report: ProgressReport, uploaded) -> Upload:
    """Parse and validate an uploaded file for ``report`` (every cell; errors name sheet, row, column)."""
    upload = Upload()
    data = uploaded.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        upload.errors.append(CellError("-", 0, "-", _("Het bestand is groter dan 5 MB.")))
        return upload
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception:  # noqa: BLE001 - any unreadable file is the same answer to a person
        upload.errors.append(
            CellError("-", 0, "-", _("Dit is geen leesbaar XLSX-bestand. Upload het gedownloade bestand."))
        )
        return upload
    for name in (INFO, MILESTONES, SPENDING):
        if name not in wb.sheetnames:
            upload.errors.append(CellError(name, 0, "-", _("dit blad ontbreekt; gebruik het gedownloade bestand.")))
    if upload.errors:
        return upload
    info = wb[INFO]
    try:
        upload.report_id = int(info.cell(INFO_ROWS["report"], 2).value)
        upload.lock_version = int(info.cell(INFO_ROWS["lock_version"], 2).value)
    except (TypeError, ValueError):
        upload.errors.append(CellError(INFO, INFO_ROWS["report"], "B", _("de rapportage en versie zijn onleesbaar.")))
        return upload
    upload.fingerprint = _text(info.cell(INFO_ROWS["fingerprint"], 2).value)
    if upload.report_id != report.pk:
        upload.errors.append(
            CellError(INFO, INFO_ROWS["report"], "B", _("dit bestand hoort bij een andere rapportage."))
        )
        return upload
    upload.report_fields["overall_narrative"] = _text(info.cell(INFO_ROWS["overall_narrative"], 2).value)

    status_by_label = {str(label).lower(): code for code, label in MilestoneProgress.Status.choices}
    status_by_label.update({code: code for code in MilestoneProgress.Status.values})
    known_ms = {r.pk: r for r in _milestone_rows(report)}
    sheet = wb[MILESTONES]
    cols = _header(sheet, MS_COLUMNS, upload.errors)
    seen: set[int] = set()
    if cols is not None:
        for r, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            if all(v in (None, "") for v in values):
                continue
            pk = _row_id(values[cols["id"]], known_ms, seen, upload.errors, MILESTONES, r)
            if pk is None:
                continue
            status_raw = _text(values[cols["Status"]]).lower()
            status = status_by_label.get(status_raw)
            if status is None:
                upload.errors.append(
                    CellError(
                        MILESTONES,
                        r,
                        "Status",
                        _("kies een van: %(choices)s.")
                        % {"choices": ", ".join(str(label) for _c, label in MilestoneProgress.Status.choices)},
                    )
                )
                status = known_ms[pk].status
            upload.milestones[pk] = {
                "status": status,
                "value_reached": _number_cell(
                    values[cols["Bereikte waarde"]], upload.errors, MILESTONES, r, "Bereikte waarde"
                ),
                "evidence": _text(values[cols["Onderbouwing"]]),
            }
    known_sp = {r.pk: r for r in _spending_rows(report)}
    sheet = wb[SPENDING]
    cols = _header(sheet, SP_COLUMNS, upload.errors)
    seen = set()
    if cols is not None:
        for r, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            if all(v in (None, "") for v in values):
                continue
            pk = _row_id(values[cols["id"]], known_sp, seen, upload.errors, SPENDING, r)
            if pk is None:
                continue
            upload.spending[pk] = {
                "realised": _amount_cell(values[cols["Besteed"]], upload.errors, SPENDING, r, "Besteed"),
                "committed": _amount_cell(values[cols["Verplicht"]], upload.errors, SPENDING, r, "Verplicht"),
                "note": _text(values[cols["Toelichting"]]),
            }
            if len(upload.spending[pk]["note"]) > 500:
                upload.errors.append(CellError(SPENDING, r, "Toelichting", _("gebruik hoogstens 500 tekens.")))
    return upload


def _row_id(raw, known: dict, seen: set, errors: list[CellError], sheet: str, row: int) -> int | None:
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        pk = None
    if pk is None or pk not in known:
        errors.append(
            CellError(sheet, row, "id", _("deze regel hoort niet bij deze rapportage; verander de kolom id niet."))
        )
        return None
    if pk in seen:
        errors.append(CellError(sheet, row, "id", _("deze regel staat twee keer in het bestand.")))
        return None
    seen.add(pk)
    return pk


def refuse_if_stale(report: ProgressReport, upload: Upload) -> None:
    """The report changed since the download: refuse with what changed (the same 409 as every lock)."""
    # not an optimistic lock on a write (that is check_lock's, in progress_report_save): the file as a whole must
    # match the report as it is now — its version and the fingerprint of its content
    if (upload.lock_version, upload.fingerprint) != (report.lock_version, fingerprint(report)):
        changes = services.changes_since(report, upload.lock_version or 0)
        raise ConflictError(
            _(
                "De rapportage is gewijzigd nadat u het bestand downloadde (%(fields)s). Download het bestand opnieuw "
                "en vul het aan; uw bestand is niet verwerkt."
            )
            % {"fields": ", ".join(str(c["label"]) for c in changes.values()) or _("de inhoud")},
            changes=changes,
        )


# --- preview and apply ----------------------------------------------------------------------------------
def _show_amount(value) -> str:
    return money.format_amount(Decimal(value)) if value not in (None, "") else "–"


def preview(report: ProgressReport, upload: Upload) -> list[Change]:
    changes: list[Change] = []
    if upload.report_fields.get("overall_narrative", "") != report.overall_narrative:
        changes.append(
            Change(
                INFO,
                INFO_ROWS["overall_narrative"],
                _("Toelichting op het geheel"),
                report.overall_narrative,
                upload.report_fields["overall_narrative"],
            )
        )
    statuses = dict(MilestoneProgress.Status.choices)
    for n, row in enumerate(_milestone_rows(report), start=2):
        new = upload.milestones.get(row.pk)
        if new is None:
            continue
        title = row.milestone.title
        if new["status"] != row.status:
            changes.append(
                Change(
                    MILESTONES,
                    n,
                    _("Status ‘%(t)s’") % {"t": title},
                    str(statuses[row.status]),
                    str(statuses[new["status"]]),
                )
            )
        old_value = money.format_number_input(row.value_reached)
        new_value = money.format_number_input(Decimal(new["value_reached"]) if new["value_reached"] else None)
        if old_value != new_value:
            changes.append(
                Change(MILESTONES, n, _("Bereikte waarde ‘%(t)s’") % {"t": title}, old_value or "–", new_value or "–")
            )
        if new["evidence"] != row.evidence:
            changes.append(
                Change(
                    MILESTONES, n, _("Onderbouwing ‘%(t)s’") % {"t": title}, row.evidence or "–", new["evidence"] or "–"
                )
            )
    for n, row in enumerate(_spending_rows(report), start=2):
        new = upload.spending.get(row.pk)
        if new is None:
            continue
        where = f"{row.budget_line.priority.title} – {row.budget_line.source.name}"
        for name, label in (("realised", _("Besteed")), ("committed", _("Verplicht"))):
            old = getattr(row, name)
            if (old is None and new[name] != "") or (
                old is not None and (new[name] == "" or Decimal(new[name]) != old)
            ):
                changes.append(Change(SPENDING, n, f"{label} ({where})", _show_amount(old), _show_amount(new[name])))
        if new["note"] != row.note:
            changes.append(
                Change(SPENDING, n, _("Toelichting (%(w)s)") % {"w": where}, row.note or "–", new["note"] or "–")
            )
    return changes


def apply_upload(*, report: ProgressReport, actor: User, upload: Upload) -> ProgressReport:
    """Write a confirmed upload through the one save service (lock against the file's version, audit)."""
    refuse_if_stale(report, upload)

    def value(raw: str):
        return Decimal(raw) if raw != "" else None

    return services.progress_report_save(
        report=report,
        actor=actor,
        lock_version=upload.lock_version,
        report_fields=upload.report_fields,
        milestones={
            pk: {"status": v["status"], "value_reached": value(v["value_reached"]), "evidence": v["evidence"]}
            for pk, v in upload.milestones.items()
        },
        spending={
            pk: {"realised": value(v["realised"]), "committed": value(v["committed"]), "note": v["note"]}
            for pk, v in upload.spending.items()
        },
    )
