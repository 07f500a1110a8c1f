"""THE clocks — one home (CONVENTIONS, "One rule, one place"), one setting each.

* **Review due**: an independent review is due ``KA_REVIEW_DUE_DAYS`` (default 42: six weeks) days
  after it is assigned.
* **Decision term**: the ministry decides within ``KA_DECISION_TERM_MONTHS`` (default 5) *calendar*
  months of the (latest) submission, counted from the local submission date; a day that does not exist
  in the target month is clamped to that month's last day (31 January + 1 month = 28/29 February).
  The decision clock runs while the agenda is submitted, under review or awaiting a decision.
* **Report due**: the progress report over year Y opens on ``MONITORING_REPORT_OPEN_MONTH_DAY`` and is
  due on ``MONITORING_REPORT_DUE_MONTH_DAY`` of Y+1; coordinators are reminded
  ``MONITORING_REMINDER_DAYS_BEFORE`` days before. A report still editable after its due date is late.
* **Change request due**: an open change request is due ``KA_CHANGE_REQUEST_TERM_WEEKS`` (default 8) weeks
  after it was requested – no statutory term applies, so the Awb's "reasonable term, at most eight weeks"
  (art. 4:13) does.
* **Objection term** (Awb 6:7, 6:8): six weeks, starting the day after the date the decision letter was
  dispatched; :func:`objection_deadline` gives the last day.
* Something is **overdue** when its due date lies before today; it is **due soon** when it falls within
  ``KA_CLOCK_WARNING_DAYS`` (default 30) days from today (the dashboard's warning window).
  Workflow reminders go ``REMINDER_DAYS_BEFORE`` days before a due date and on every overdue day.

The workflow, the inbox ("Mijn taken"), the dashboard, the reminder jobs and the PDFs all ask here;
database filters (:func:`decision_due_before_q`, :func:`report_overdue_q`) are derived from the same
functions so a list and a count can never disagree with a page.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from agendas.models import Agenda, ProgressReport

REVIEW_DUE_DAYS_DEFAULT = 42  # six weeks
DECISION_TERM_MONTHS_DEFAULT = 5  # SFC-style: a decision within five months of submission
CLOCK_WARNING_DAYS_DEFAULT = 30
REMINDER_DAYS_BEFORE = 7
REPORT_OPEN_MONTH_DAY_DEFAULT = (1, 1)
REPORT_DUE_MONTH_DAY_DEFAULT = (4, 1)
REPORT_REMINDER_DAYS_DEFAULT = (30, 14, 7, 1)
CHANGE_REQUEST_TERM_WEEKS_DEFAULT = 8  # Awb art. 4:13: at most eight weeks

#: Agenda statuses in which the decision clock runs.
DECISION_CLOCK_STATUSES = (Agenda.Status.SUBMITTED, Agenda.Status.UNDER_REVIEW, Agenda.Status.AWAITING_DECISION)


def today() -> datetime.date:
    return timezone.localdate()


def is_overdue(due: datetime.date | None, on: datetime.date | None = None) -> bool:
    return due is not None and due < (on or today())


def is_due_soon(due: datetime.date | None, on: datetime.date | None = None, days: int | None = None) -> bool:
    """Not overdue yet, and due within ``days`` (default: ``REMINDER_DAYS_BEFORE``)."""
    on = on or today()
    if due is None or due < on:
        return False
    return (due - on).days <= (REMINDER_DAYS_BEFORE if days is None else days)


def warning_days() -> int:
    return int(getattr(settings, "KA_CLOCK_WARNING_DAYS", CLOCK_WARNING_DAYS_DEFAULT))


# --- review ---------------------------------------------------------------------------------------
def review_due_days() -> int:
    return int(getattr(settings, "KA_REVIEW_DUE_DAYS", REVIEW_DUE_DAYS_DEFAULT))


def review_due_date(assigned_on: datetime.date | None = None) -> datetime.date:
    """The default due date of a review assigned on ``assigned_on`` (default today)."""
    return (assigned_on or today()) + datetime.timedelta(days=review_due_days())


# --- decision -------------------------------------------------------------------------------------
def decision_term_months() -> int:
    return int(getattr(settings, "KA_DECISION_TERM_MONTHS", DECISION_TERM_MONTHS_DEFAULT))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the target month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def decision_due_from(submitted_at: datetime.datetime | None) -> datetime.date | None:
    if not submitted_at:
        return None
    return add_months(timezone.localdate(submitted_at), decision_term_months())


def decision_due_date(agenda) -> datetime.date | None:
    """The date by which the ministry should have decided on the latest submission."""
    return decision_due_from(agenda.submitted_at)


def decision_clock_runs(agenda) -> bool:
    return bool(agenda.submitted_at) and agenda.status in DECISION_CLOCK_STATUSES


def _first_submission_day_due_on_or_after(day: datetime.date) -> datetime.date:
    """The earliest local submission date whose decision is due on or after ``day``.

    ``add_months`` never decreases when its start date increases, so "due before ``day``" is exactly
    "submitted before this date": the database filter follows the calendar-month rule itself.
    """
    months = decision_term_months()
    candidate = add_months(day, -months)
    while add_months(candidate - datetime.timedelta(days=1), months) >= day:
        candidate -= datetime.timedelta(days=1)
    while add_months(candidate, months) < day:
        candidate += datetime.timedelta(days=1)
    return candidate


def decision_due_before_q(day: datetime.date, prefix: str = "") -> Q:
    """Agendas whose decision due date (by :func:`decision_due_date`) lies before ``day``."""
    first = _first_submission_day_due_on_or_after(day)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    return Q(**{f"{prefix}submitted_at__lt": start})


def decision_clock_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": DECISION_CLOCK_STATUSES, f"{prefix}submitted_at__isnull": False})


def decision_overdue_q(on: datetime.date | None = None) -> Q:
    """Running decision clocks whose due date has passed (due date before today)."""
    return decision_clock_q() & decision_due_before_q(on or today())


def decision_due_soon_q(on: datetime.date | None = None, days: int | None = None) -> Q:
    """Running decision clocks due today or within ``days`` (default ``KA_CLOCK_WARNING_DAYS``)."""
    on = on or today()
    days = warning_days() if days is None else days
    return (
        decision_clock_q() & ~decision_due_before_q(on) & decision_due_before_q(on + datetime.timedelta(days=days + 1))
    )


# --- progress reports -------------------------------------------------------------------------------
def _month_day(name: str, default: tuple[int, int]) -> tuple[int, int]:
    month, day = getattr(settings, name, default)
    return int(month), int(day)


def report_opening_date(year: int) -> datetime.date:
    """The day the report over ``year`` opens (default 1 January of the following year)."""
    month, day = _month_day("MONITORING_REPORT_OPEN_MONTH_DAY", REPORT_OPEN_MONTH_DAY_DEFAULT)
    return datetime.date(year + 1, month, day)


def report_due_date(year: int) -> datetime.date:
    """The day the report over ``year`` is due (default 1 April of the following year)."""
    month, day = _month_day("MONITORING_REPORT_DUE_MONTH_DAY", REPORT_DUE_MONTH_DAY_DEFAULT)
    return datetime.date(year + 1, month, day)


def report_reminder_days() -> set[int]:
    return {int(d) for d in getattr(settings, "MONITORING_REMINDER_DAYS_BEFORE", REPORT_REMINDER_DAYS_DEFAULT)}


def report_overdue_q(on: datetime.date | None = None, prefix: str = "") -> Q:
    """Progress reports still editable (open or returned) after their due date."""
    return Q(**{f"{prefix}status__in": list(ProgressReport.EDITABLE_STATUSES), f"{prefix}due_date__lt": on or today()})


def report_is_overdue(report, on: datetime.date | None = None) -> bool:
    return report.is_editable and is_overdue(report.due_date, on)


# --- change requests ----------------------------------------------------------------------------------
def change_request_term_weeks() -> int:
    return int(getattr(settings, "KA_CHANGE_REQUEST_TERM_WEEKS", CHANGE_REQUEST_TERM_WEEKS_DEFAULT))


def change_request_due_date(change_request) -> datetime.date | None:
    """The date by which an open change request should be decided (``None`` once it is closed)."""
    if not change_request.is_open or not change_request.requested_at:
        return None
    return timezone.localdate(change_request.requested_at) + datetime.timedelta(weeks=change_request_term_weeks())


# --- archive (Archiefwet) -----------------------------------------------------------------------------
def archive_action_date(closed_on: datetime.date, retention_years: int) -> datetime.date:
    """The archiefactiedatum: the day the dossier closed plus the category's bewaartermijn (calendar years;
    29 February falls back to 28 February)."""
    return add_months(closed_on, 12 * retention_years)


# --- objection (Awb 6:7, 6:8) ------------------------------------------------------------------------
OBJECTION_WEEKS = 6


def objection_deadline(dispatched_on: datetime.date) -> datetime.date:
    """The last day to object: the term starts the day after dispatch and lasts six weeks (Awb 6:8, 6:7)."""
    return dispatched_on + datetime.timedelta(weeks=OBJECTION_WEEKS)
