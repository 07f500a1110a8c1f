"""Monitoring pages: the portfolio list, an agenda's monitoring page (reports, change requests,
accountability figures, milestone timelines), the progress report page and change requests.

Thin views: the policy decides who may do what, the services do every write (the API uses the same).
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_admin, is_ministry
from agendas.models import (
    Attachment,
    ChangeRequest,
    MilestoneProgress,
    ProgressReport,
)
from agendas.monitoring import check_views, services
from agendas.monitoring import transitions as report_transitions
from agendas.monitoring.selectors import (
    ACCOUNTABILITY_COLUMNS,
    accountability_figures,
    is_late,
    milestone_timelines,
    missing_reports,
    report_page,
    reports_for_list,
)
from agendas.permissions import progress_report_policy as policy
from agendas.rijk import selectors as rijk_selectors
from agendas.workflow import PROGRESS_REPORT
from kansenagenda import money
from kansenagenda.errors import ConflictError
from kansenagenda.spreadsheet import csv_response, neutralise

FIELD_RE = re.compile(r"^(milestone|spending)-(\d+)-([a-z_]+)$")
NARRATIVE_RE = re.compile(r"^narrative-(\d+)$")


def _messages_of(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {key: " ".join(value) for key, value in exc.message_dict.items()}
    return {"__all__": " ".join(exc.messages)}


def _num(value: Decimal | None, places: int | None = None) -> str:
    """A value as the user types it (kansenagenda.money: amounts with cents, quantities without trailing zeros)."""
    return money.format_amount_input(value) if places == 2 else money.format_number_input(value)


# --- portfolio list -------------------------------------------------------------------------------------
@login_required
def overview(request):
    """Every report the user may see; the ministry also sees late and missing reports."""
    only_late = request.GET.get("te_laat") == "1"
    reports = list(reports_for_list(policy.visible(request.user), only_late=only_late)[:500])
    today = timezone.localdate()
    rows = [{"report": r, "late": is_late(r, today)} for r in reports]
    missing = []
    if is_ministry(request.user) or is_admin(request.user):
        missing = missing_reports(policy.visible_agendas(request.user), today)
    return render(
        request,
        "agendas/monitoring/overview.html",
        {"rows": rows, "only_late": only_late, "missing": missing},
    )


# --- an agenda's monitoring page ------------------------------------------------------------------------
@login_required
def agenda_monitoring(request, agenda_pk: int):
    agenda = policy.get_agenda_for(request.user, agenda_pk)
    today = timezone.localdate()
    reports = [
        {"report": r, "late": is_late(r, today)} for r in ProgressReport.objects.filter(agenda=agenda).order_by("-year")
    ]
    change_requests = list(
        ChangeRequest.objects.filter(agenda=agenda).select_related("requested_by").order_by("-requested_at", "-pk")
    )
    return render(
        request,
        "agendas/monitoring/agenda.html",
        {
            "agenda": agenda,
            "reports": reports,
            "change_requests": change_requests,
            "can_request_change": policy.can_request_change(request.user, agenda),
            "figures": accountability_figures(agenda),
            "columns": ACCOUNTABILITY_COLUMNS,
            "timelines": milestone_timelines(agenda),
        },
    )


# --- accountability figures downloads -------------------------------------------------------------------


def _figures_rows(agenda):
    header = [str(label) for _key, label in ACCOUNTABILITY_COLUMNS]
    rows = [[row[key] for key, _label in ACCOUNTABILITY_COLUMNS] for row in accountability_figures(agenda)]
    return header, rows


def _filename(agenda, ext: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", agenda.title).strip("-").lower()[:60] or "agenda"
    return f"verantwoording-{agenda.pk}-{slug}.{ext}"


def _record_figures_export(request, agenda, file_format: str) -> None:
    from accounts.accesslog.services import Event, Purpose, record_access

    record_access(
        request=request,
        event=Event.EXPORT,
        obj=("agendas.accountability", file_format, agenda.title),
        purpose=Purpose.MONITORING,
        agenda_id=agenda.pk,
    )


@login_required
def figures_csv(request, agenda_pk: int):
    """UTF-8 CSV (with BOM for spreadsheet programs); ``?scheiding=puntkomma`` gives ; and decimal commas."""
    agenda = policy.get_agenda_for(request.user, agenda_pk)
    _record_figures_export(request, agenda, "csv")
    semicolon = request.GET.get("scheiding") == "puntkomma"
    header, rows = _figures_rows(agenda)
    return csv_response(header, rows, filename=_filename(agenda, "csv"), semicolon=semicolon, places=None)


@login_required
def figures_xlsx(request, agenda_pk: int):
    """XLSX with typed numeric cells (amounts with a euro number format) and neutralised text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    agenda = policy.get_agenda_for(request.user, agenda_pk)
    _record_figures_export(request, agenda, "xlsx")
    header, rows = _figures_rows(agenda)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Verantwoording"
    sheet.append([neutralise(_("Agenda")), neutralise(agenda.title)])
    sheet.append([neutralise(h) for h in header])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    money_columns = {
        i for i, (key, _l) in enumerate(ACCOUNTABILITY_COLUMNS) if key.endswith(("spending", "cofinancing"))
    }
    for row in rows:
        sheet.append([value if isinstance(value, (int, Decimal)) else neutralise(value) for value in row])
        for index, cell in enumerate(sheet[sheet.max_row]):
            if index in money_columns:
                cell.number_format = "#,##0.00"
    for index, title in enumerate(header, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = max(12, min(len(title), 45))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(agenda, "xlsx")}"'
    return response


# --- the progress report page ---------------------------------------------------------------------------
def _parse_report_post(post) -> dict:
    """Turn the page's fields into the service's input (only fields that were sent)."""
    milestones: dict[int, dict] = {}
    spending: dict[int, dict] = {}
    narratives: dict[int, str] = {}
    for key in post:
        match = FIELD_RE.match(key)
        if match:
            kind, pk, name = match.group(1), int(match.group(2)), match.group(3)
            target = milestones if kind == "milestone" else spending
            if name == "evidence_attachments":
                target.setdefault(pk, {})[name] = post.getlist(key)
            else:
                target.setdefault(pk, {})[name] = post.get(key)
            continue
        match = NARRATIVE_RE.match(key)
        if match:
            narratives[int(match.group(1))] = post.get(key)
    report_fields = {name: post.get(name) for name in services.REPORT_TEXT_FIELDS if name in post}
    return {"report_fields": report_fields, "milestones": milestones, "spending": spending, "narratives": narratives}


def _bind(page, data: dict | None, errors: dict[str, str]):
    """Give every row the values to show in its inputs (posted values after an error) and its errors."""
    data = data or {"report_fields": {}, "milestones": {}, "spending": {}, "narratives": {}}
    report = page.report
    page.form = {name: data["report_fields"].get(name, getattr(report, name)) for name in services.REPORT_TEXT_FIELDS}
    page.errors = {name: errors.get(name) for name in services.REPORT_TEXT_FIELDS}
    for block in page.priorities:
        key = f"narrative-{block.priority.pk}"
        block.narrative_value = data["narratives"].get(
            block.priority.pk, block.narrative.text if block.narrative else ""
        )
        block.narrative_error = errors.get(key)
        for row in block.milestones:
            posted = data["milestones"].get(row.progress.pk, {})
            p = row.progress
            row.form = {
                "status": posted.get("status", p.status),
                "value_reached": posted.get("value_reached", _num(p.value_reached)),
                "evidence": posted.get("evidence", p.evidence),
                "cancellation_reason": posted.get("cancellation_reason", p.cancellation_reason),
                "achievement_justification": posted.get("achievement_justification", p.achievement_justification),
                "evidence_attachments": {
                    int(a) for a in posted.get("evidence_attachments", [a.pk for a in p.evidence_attachments.all()])
                },
            }
            row.errors = {
                name: errors.get(f"milestone-{p.pk}-{name}")
                for name in (*services.MILESTONE_FIELDS, "evidence_attachments")
            }
            row.has_error = any(row.errors.values())
        for line in block.lines:
            posted = data["spending"].get(line.realisation.pk, {})
            r = line.realisation
            line.form = {
                "realised": posted.get("realised", _num(r.realised, 2)),
                "committed": posted.get("committed", _num(r.committed, 2)),
                "note": posted.get("note", r.note),
            }
            line.errors = {name: errors.get(f"spending-{r.pk}-{name}") for name in services.SPENDING_FIELDS}
    page.error_list = [(key if key != "__all__" else "", message) for key, message in errors.items()]
    return page


def _render_report(request, report, *, data=None, errors=None, conflict=None, status=200):
    page = report_page(report)
    _bind(page, data, errors or {})
    user = request.user
    can_edit = policy.can(user, policy.EDIT, report)
    buttons = PROGRESS_REPORT.buttons(user, report)  # the table's action panel (as /actions/)
    context = {
        "report": report,
        "agenda": report.agenda,
        "page": page,
        "can_edit": can_edit,
        "buttons": buttons,
        "can_decide": any(buttons[a].allowed for a in ("accept", "return") if a in buttons),
        "can_reopen": "reopen" in buttons and buttons["reopen"].allowed,
        "can_comment": policy.can(user, policy.COMMENT, report),
        "status_choices": MilestoneProgress.Status.choices,
        "attachments": list(Attachment.objects.filter(agenda_id=report.agenda_id).order_by("original_name"))
        if can_edit
        else [],
        "comments": list(report.comments.select_related("author")),
        "transitions": list(report.transitions.select_related("actor")),
        "late": is_late(report),
        "conflict": conflict,
        "rijk_rows": rijk_selectors.year_rows(user, report.agenda, report.year),
    }
    return render(request, "agendas/monitoring/report.html", context, status=status)


@login_required
def report_detail(request, pk: int):
    report = policy.get_for(request.user, pk)
    if request.method != "POST":
        return _render_report(request, report)
    report = policy.get_for(request.user, pk, policy.EDIT)
    data = _parse_report_post(request.POST)
    lock_version = request.POST.get("lock_version")  # parsed by the one lock rule: missing / "abc" → 400
    try:
        report = services.progress_report_save(report=report, actor=request.user, lock_version=lock_version, **data)
        if request.POST.get("action") == "submit":
            report = report_transitions.progress_report_submit(
                report=report, actor=request.user, lock_version=report.lock_version
            )
            messages.success(request, _("De rapportage is ingediend bij de rijksvertegenwoordiger."))
        else:
            messages.success(request, _("De rapportage is opgeslagen."))
    except ValidationError as exc:
        report.refresh_from_db()
        return _render_report(request, report, data=data, errors=_messages_of(exc), status=400)
    except ConflictError as exc:
        report.refresh_from_db()
        return _render_report(request, report, conflict=exc, status=409)
    return redirect("agendas:monitoring-report", pk=report.pk)


@login_required
@require_POST
def report_decide(request, pk: int):
    if request.POST.get("decision") == "accept":  # never in one click: the check page confirms
        return check_views.report_accept_check(request, pk)
    report = policy.get_for(request.user, pk, policy.DECIDE)
    remarks = request.POST.get("remarks", "")
    try:
        report_transitions.progress_report_return(
            report=report, actor=request.user, remarks=remarks, lock_version=request.POST.get("lock_version")
        )
        messages.success(request, _("De rapportage is teruggestuurd naar de coördinator."))
    except (ValidationError, ConflictError) as exc:
        messages.error(
            request, " ".join(_messages_of(exc).values()) if isinstance(exc, ValidationError) else exc.message
        )
    return redirect("agendas:monitoring-report", pk=report.pk)


@login_required
@require_POST
def report_reopen(request, pk: int):
    report = policy.get_for(request.user, pk, policy.REOPEN)
    try:
        report_transitions.progress_report_reopen(
            report=report,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            lock_version=request.POST.get("lock_version"),
        )
        messages.success(request, _("De rapportage is heropend; de reden is vastgelegd."))
    except (ValidationError, ConflictError) as exc:
        messages.error(
            request, " ".join(_messages_of(exc).values()) if isinstance(exc, ValidationError) else exc.message
        )
    return redirect("agendas:monitoring-report", pk=report.pk)


@login_required
@require_POST
def report_comment(request, pk: int):
    report = policy.get_for(request.user, pk, policy.COMMENT)
    try:
        report_transitions.progress_report_comment(report=report, actor=request.user, body=request.POST.get("body", ""))
        messages.success(request, _("Uw reactie is geplaatst."))
    except ValidationError as exc:
        messages.error(request, " ".join(_messages_of(exc).values()))
    return redirect(reverse("agendas:monitoring-report", args=[report.pk]) + "#reacties")


urlpatterns = [
    path("voortgang/", overview, name="monitoring-overview"),
    path("<int:agenda_pk>/voortgang/", agenda_monitoring, name="monitoring-agenda"),
    path("<int:agenda_pk>/voortgang/verantwoording.csv", figures_csv, name="monitoring-figures-csv"),
    path("<int:agenda_pk>/voortgang/verantwoording.xlsx", figures_xlsx, name="monitoring-figures-xlsx"),
    path("voortgang/rapportages/<int:pk>/", report_detail, name="monitoring-report"),
    path("voortgang/rapportages/<int:pk>/beoordelen/", report_decide, name="monitoring-report-decide"),
    path("voortgang/rapportages/<int:pk>/heropenen/", report_reopen, name="monitoring-report-reopen"),
    path("voortgang/rapportages/<int:pk>/reacties/", report_comment, name="monitoring-report-comment"),
]
