"""Scheduled monitoring work (called by agendas.monitoring.tasks): open due progress reports, remind and escalate."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from agendas import clocks, notifications
from agendas.models import (
    Agenda,
    ProgressReport,
)
from agendas.monitoring.services import coordinators_of, ministry_officers, opening_date, progress_report_open


# --- scheduled work (called by agendas.monitoring.tasks) ----------------------------------------------
def open_due_reports(*, today: dt.date | None = None) -> list[ProgressReport]:
    """Open the report over last year for every active agenda whose period covers it, once the opening
    date has come. Safe to run any number of times."""
    today = today or timezone.localdate()
    year = today.year - 1
    if today < opening_date(year):
        return []
    opened = []
    for agenda in Agenda.objects.filter(status=Agenda.Status.ACTIVE, start_year__lte=year, end_year__gte=year):
        report, created = progress_report_open(agenda=agenda, year=year)
        if created:
            opened.append(report)
    return opened


def send_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """Reminders before the due date (days in MONITORING_REMINDER_DAYS_BEFORE) to the coordinators, and
    escalation of overdue reports to ministry officers and coordinators: at most once per report per
    recipient per day (outbox dedupe key)."""
    today = today or timezone.localdate()
    days_before = clocks.report_reminder_days()
    counts = {"reminders": 0, "escalations": 0}
    open_reports = ProgressReport.objects.filter(status__in=ProgressReport.EDITABLE_STATUSES).select_related(
        "agenda__alliance"
    )
    officers = None
    for report in open_reports.order_by("due_date", "pk"):
        days_left = (report.due_date - today).days
        context = {"report": report, "agenda": report.agenda, "days_left": days_left, "days_late": -days_left}
        if days_left in days_before:
            counts["reminders"] += notifications.send(
                coordinators_of(report.agenda),
                subject=_("Herinnering: voortgangsrapportage %(year)s uiterlijk %(due)s")
                % {"year": report.year, "due": report.due_date.strftime("%d-%m-%Y")},
                template="agendas/email/monitoring_report_reminder.txt",
                context=context,
                kind="monitoring_report_reminder",
                dedupe_key=f"report-reminder-{report.pk}-{today.isoformat()}",
            )
        elif days_left < 0:
            if officers is None:
                officers = ministry_officers()
            counts["escalations"] += notifications.send(
                officers + coordinators_of(report.agenda),
                subject=_("Te laat: voortgangsrapportage %(year)s van %(agenda)s")
                % {"year": report.year, "agenda": report.agenda.title},
                template="agendas/email/monitoring_report_overdue.txt",
                context=context,
                kind="monitoring_report_overdue",
                dedupe_key=f"report-overdue-{report.pk}-{today.isoformat()}",
            )
    return counts
