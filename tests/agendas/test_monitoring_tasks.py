"""Celery beat work: opening reports on the configured date (idempotent), reminders and escalation."""

import datetime as dt

import pytest

from accounts.models import OutboxMessage
from agendas.models import ProgressReport
from agendas.monitoring.reminders import open_due_reports, send_reminders
from agendas.monitoring.tasks import open_progress_reports, send_progress_report_reminders
from tests.agendas.monitoring_fixtures import *  # noqa: F403
from tests.agendas.monitoring_fixtures import People, make_active_agenda
from tests.factories import AgendaFactory


def test_opens_last_years_report_for_active_agendas_only(active_agenda, people):
    AgendaFactory(status="draft")
    AgendaFactory(status="closed")
    later = make_active_agenda(start_year=2029, end_year=2035)
    opened = open_due_reports(today=dt.date(2028, 1, 1))
    assert [(r.agenda_id, r.year) for r in opened] == [(active_agenda.pk, 2027)]
    assert not ProgressReport.objects.filter(agenda=later).exists()


def test_running_twice_creates_nothing_twice(active_agenda, people):
    open_due_reports(today=dt.date(2028, 1, 1))
    assert open_due_reports(today=dt.date(2028, 1, 2)) == []
    assert ProgressReport.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="monitoring_report_opened").count() == 1


def test_opening_date_is_configurable(active_agenda, people, settings):
    settings.MONITORING_REPORT_OPEN_MONTH_DAY = (2, 15)
    settings.MONITORING_REPORT_DUE_MONTH_DAY = (5, 1)
    assert open_due_reports(today=dt.date(2028, 2, 14)) == []
    (report,) = open_due_reports(today=dt.date(2028, 2, 15))
    assert report.year == 2027 and report.due_date == dt.date(2028, 5, 1)


def test_celery_task_runs_the_service(db, settings):
    settings.MONITORING_REPORT_OPEN_MONTH_DAY = (1, 1)
    last_year = dt.date.today().year - 1
    agenda = make_active_agenda(start_year=last_year, end_year=last_year + 5, years=[last_year])
    People(agenda)
    assert open_progress_reports.delay().get() == 1
    assert open_progress_reports.delay().get() == 0
    assert ProgressReport.objects.get().year == last_year


def test_beat_schedule_has_the_monitoring_tasks(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "agendas.tasks_monitoring.open_progress_reports",
        "agendas.tasks_monitoring.send_progress_report_reminders",
    } <= tasks


@pytest.fixture
def opened(active_agenda, people):
    (report,) = open_due_reports(today=dt.date(2028, 1, 1))  # due 1 April 2028
    return report


@pytest.mark.parametrize(
    ("today", "reminders"),
    [
        (dt.date(2028, 3, 2), 1),  # 30 days before
        (dt.date(2028, 3, 3), 0),
        (dt.date(2028, 3, 18), 1),  # 14
        (dt.date(2028, 3, 25), 1),  # 7
        (dt.date(2028, 3, 31), 1),  # 1
        (dt.date(2028, 4, 1), 0),  # due today: neither reminder nor late
    ],
)
def test_reminders_before_the_due_date(opened, people, today, reminders):
    counts = send_reminders(today=today)
    assert counts == {"reminders": reminders, "escalations": 0}
    assert (
        OutboxMessage.objects.filter(kind="monitoring_report_reminder", recipient=people.coordinator.email).count()
        == reminders
    )


def test_overdue_escalates_to_officers_once_per_day(opened, people):
    day = dt.date(2028, 4, 3)
    first = send_reminders(today=day)
    again = send_reminders(today=day)
    assert first["escalations"] == 2  # the ministry officer and the coordinator
    assert again["escalations"] == 0
    officer_mail = OutboxMessage.objects.get(kind="monitoring_report_overdue", recipient=people.officer.email)
    assert "2 dag(en) te laat" in officer_mail.body
    assert not OutboxMessage.objects.filter(recipient=people.signatory.email, kind="monitoring_report_overdue").exists()
    assert send_reminders(today=day + dt.timedelta(days=1))["escalations"] == 2  # next day again


def test_submitted_or_accepted_reports_are_not_chased(opened, people):
    ProgressReport.objects.filter(pk=opened.pk).update(status="submitted", submitted_at="2028-03-01T10:00:00Z")
    assert send_reminders(today=dt.date(2028, 4, 10)) == {"reminders": 0, "escalations": 0}


def test_reminder_task(opened, people):
    result = send_progress_report_reminders.delay().get()
    assert set(result) == {"reminders", "escalations"}


def test_other_agendas_do_not_get_each_others_mail(opened, people):
    other = make_active_agenda()
    other_people = People(other)
    open_due_reports(today=dt.date(2028, 1, 1))
    send_reminders(today=dt.date(2028, 3, 31))
    assert OutboxMessage.objects.filter(kind="monitoring_report_reminder").count() == 2
    mail = OutboxMessage.objects.get(kind="monitoring_report_reminder", recipient=other_people.coordinator.email)
    assert other.title in mail.body and opened.agenda.title not in mail.body
