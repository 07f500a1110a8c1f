"""THE clocks (agendas.clocks): review due, decision term (calendar months), report due — one setting
each, and the workflow, the inbox, the dashboard (counts, the list behind them, the API) and the reminder
jobs all follow them."""

from __future__ import annotations

import datetime
import random

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import OutboxMessage
from agendas import clocks, workflow
from agendas.decision import services, tasks
from agendas.decision.forms import AssignReviewerForm
from agendas.inbox.selectors import inbox_items
from agendas.models import Agenda, ProgressReport
from agendas.monitoring import services as monitoring_services
from agendas.monitoring.selectors import is_late, reports_for_list
from reports.permissions import dashboard_policy
from reports.selectors import DashboardFilters, clock_conditions, portfolio, reference_lists
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance
from tests.factories import AgendaFactory, UserFactory

S = Agenda.Status
d = datetime.date


# --- calendar months ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (d(2027, 1, 31), 5, d(2027, 6, 30)),  # 31 June does not exist
        (d(2027, 1, 31), 1, d(2027, 2, 28)),
        (d(2028, 1, 31), 1, d(2028, 2, 29)),  # leap year
        (d(2027, 9, 30), 5, d(2028, 2, 29)),
        (d(2026, 9, 30), 5, d(2027, 2, 28)),
        (d(2027, 10, 31), 5, d(2028, 3, 31)),
        (d(2027, 8, 31), 6, d(2028, 2, 29)),
        (d(2027, 3, 15), 5, d(2027, 8, 15)),
        (d(2027, 12, 31), 5, d(2028, 5, 31)),
        (d(2028, 2, 29), 12, d(2029, 2, 28)),
        (d(2027, 6, 30), -5, d(2027, 1, 30)),
        (d(2027, 7, 31), -5, d(2027, 2, 28)),
        (d(2027, 1, 15), 0, d(2027, 1, 15)),
    ],
)
def test_add_months_table(start, months, expected):
    assert clocks.add_months(start, months) == expected
    assert workflow.add_months is clocks.add_months  # re-exported, not a copy


def test_add_months_equals_dateutil_for_every_day_of_two_years():
    day = d(2027, 1, 1)
    while day < d(2029, 1, 1):
        for months in (1, 5, 6, 12, -1, -5):
            assert clocks.add_months(day, months) == day + relativedelta(months=months), (day, months)
        day += datetime.timedelta(days=1)


@pytest.mark.django_db
def test_decision_due_is_five_calendar_months_from_the_local_submission_date():
    tz = timezone.get_current_timezone()
    agenda = Agenda(submitted_at=datetime.datetime(2027, 1, 31, 12, 0, tzinfo=tz))
    assert clocks.decision_due_date(agenda) == d(2027, 6, 30)
    # 23:30 UTC on 31 January is already 1 February in Amsterdam: due 1 July
    agenda.submitted_at = datetime.datetime(2027, 1, 31, 23, 30, tzinfo=datetime.UTC)
    assert clocks.decision_due_date(agenda) == d(2027, 7, 1)
    agenda.submitted_at = datetime.datetime(2027, 9, 30, 9, 0, tzinfo=tz)
    assert clocks.decision_due_date(agenda) == d(2028, 2, 29)
    agenda.submitted_at = None
    assert clocks.decision_due_date(agenda) is None
    assert workflow.decision_due_date is clocks.decision_due_date


@pytest.mark.django_db
def test_settings_override_is_honoured_by_every_clock(settings):
    tz = timezone.get_current_timezone()
    agenda = Agenda(submitted_at=datetime.datetime(2028, 1, 31, 12, 0, tzinfo=tz))
    settings.KA_DECISION_TERM_MONTHS = 1
    assert clocks.decision_due_date(agenda) == d(2028, 2, 29)
    settings.KA_DECISION_TERM_MONTHS = 3
    assert clocks.decision_due_date(agenda) == d(2028, 4, 30)
    settings.KA_REVIEW_DUE_DAYS = 10
    today = timezone.localdate()
    assert clocks.review_due_date() == today + datetime.timedelta(days=10)
    assert AssignReviewerForm().fields["due_date"].initial == today + datetime.timedelta(days=10)
    settings.MONITORING_REPORT_DUE_MONTH_DAY = (5, 15)
    settings.MONITORING_REPORT_OPEN_MONTH_DAY = (2, 1)
    assert clocks.report_due_date(2027) == monitoring_services.due_date(2027) == d(2028, 5, 15)
    assert clocks.report_opening_date(2027) == monitoring_services.opening_date(2027) == d(2028, 2, 1)
    settings.MONITORING_REMINDER_DAYS_BEFORE = (3,)
    assert clocks.report_reminder_days() == {3}
    settings.KA_CLOCK_WARNING_DAYS = 12
    assert clocks.warning_days() == 12


def test_the_dashboard_has_no_day_count_setting_of_its_own():
    import inspect

    import reports.selectors

    source = inspect.getsource(reports.selectors)
    assert "DECISION_DEADLINE_DAYS" not in source and "150" not in source
    assert "CLOCK_WARNING_DAYS" not in source.replace("KA_CLOCK_WARNING_DAYS", "")


# --- the database filter follows the calendar rule ------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("months", [5, 1, 3])
def test_decision_due_before_filter_equals_the_python_rule(settings, months):
    settings.KA_DECISION_TERM_MONTHS = months
    rng = random.Random(months)
    tz = timezone.get_current_timezone()
    base = datetime.datetime(2027, 1, 1, tzinfo=tz)
    agendas = []
    for _ in range(80):
        moment = base + datetime.timedelta(days=rng.randint(0, 500), minutes=rng.randint(0, 24 * 60 - 1))
        if rng.random() < 0.3:  # near midnight, both sides
            moment = moment.replace(hour=rng.choice([0, 23]), minute=rng.choice([0, 1, 59]))
        agendas.append(AgendaFactory(submitted_at=moment, status=S.SUBMITTED))
    for _ in range(40):
        day = d(2027, 3, 1) + datetime.timedelta(days=rng.randint(0, 600))
        in_sql = set(Agenda.objects.filter(clocks.decision_due_before_q(day)).values_list("pk", flat=True))
        in_python = {a.pk for a in agendas if clocks.decision_due_date(a) < day}
        assert in_sql == in_python, day


# --- the dashboard uses it ---------------------------------------------------------------------------------
@pytest.fixture
def around_the_term(db):
    """Agendas submitted 140–160 days ago (local noon) in clock statuses, plus ones whose clock is stopped."""
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    agendas = []
    for days in range(140, 161):
        day = today - datetime.timedelta(days=days)
        moment = datetime.datetime(day.year, day.month, day.day, 12, 0, tzinfo=tz)
        status = [S.SUBMITTED, S.UNDER_REVIEW, S.AWAITING_DECISION][days % 3]
        agendas.append(AgendaFactory(status=status, current_version=1, submitted_at=moment, title=f"Klok {days}"))
    stopped = AgendaFactory(
        status=S.APPROVED, current_version=1, submitted_at=timezone.now() - datetime.timedelta(days=400)
    )
    return today, agendas, stopped


def _overdue_by_calendar(agendas, today):
    """Independent oracle: dateutil's calendar months on the local submission date."""
    return {a.pk for a in agendas if timezone.localdate(a.submitted_at) + relativedelta(months=5) < today}


def test_dashboard_counts_and_list_use_the_calendar_term(client, around_the_term):
    today, agendas, stopped = around_the_term
    officer = UserFactory(role="ministry_officer")
    expected = _overdue_by_calendar(agendas, today)
    assert expected and len(expected) < len(agendas)
    by_150_days = {a.pk for a in agendas if a.submitted_at < timezone.now() - datetime.timedelta(days=150)}
    region_ids = dashboard_policy.region_ids(officer)
    data = portfolio(dashboard_policy.agendas(officer, region_ids), DashboardFilters(), reference_lists(region_ids))
    assert data.clocks["decision_overdue"]["count"] == len(expected)
    if by_150_days != expected:  # most months: 5 calendar months are 151–153 days
        assert data.clocks["decision_overdue"]["count"] != len(by_150_days)
    listed = set(Agenda.objects.filter(clock_conditions()["decision_overdue"]).values_list("pk", flat=True))
    assert listed == expected and stopped.pk not in listed
    for agenda in data.clock_agendas:
        if agenda.pk in {a.pk for a in agendas}:
            assert agenda.decision_due == clocks.decision_due_date(agenda)
    # the page behind the count lists exactly those agendas
    client.force_login(officer)
    html = client.get(reverse("reports:agenda_list"), {"clock": "decision_overdue"}).content.decode()
    for agenda in agendas:
        assert (agenda.title in html) is (agenda.pk in expected), agenda.title
    # the API (token) counts the same
    key, _ = Token.objects.get_or_create(user=officer)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key.key}")
    assert api.get(reverse("api-reports-dashboard")).json()["clocks"]["decision_overdue"] == len(expected)


def test_dashboard_warning_window_follows_the_setting(settings, around_the_term):
    today, agendas, _stopped = around_the_term
    officer = UserFactory(role="ministry_officer")
    region_ids = dashboard_policy.region_ids(officer)
    for window in (0, 3, 30):
        settings.KA_CLOCK_WARNING_DAYS = window
        expected = {
            a.pk for a in agendas if today <= clocks.decision_due_date(a) <= today + datetime.timedelta(days=window)
        }
        data = portfolio(dashboard_policy.agendas(officer, region_ids), DashboardFilters(), reference_lists(region_ids))
        assert data.clocks["decision_soon"]["count"] == len(expected), window


def test_dashboard_term_follows_the_setting(settings, around_the_term):
    today, agendas, _stopped = around_the_term
    settings.KA_DECISION_TERM_MONTHS = 12
    assert not Agenda.objects.filter(clock_conditions()["decision_overdue"]).exists()
    settings.KA_DECISION_TERM_MONTHS = 1
    assert Agenda.objects.filter(clock_conditions()["decision_overdue"]).count() == len(agendas)


# --- inbox and reminders --------------------------------------------------------------------------------
def test_inbox_due_dates_are_the_decision_term(world: World, settings):
    advance(world, "submitted")
    agenda = world.refresh()
    items = [i for i in inbox_items(world.fresh(world.officer)) if i.agenda_id == agenda.pk]
    assert items and all(i.due_date == clocks.decision_due_date(agenda) for i in items)
    assert all(i.overdue is False for i in items)
    # two months ago, with a one-month term: overdue in the inbox page and API
    Agenda.objects.filter(pk=agenda.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=62))
    settings.KA_DECISION_TERM_MONTHS = 1
    items = [i for i in inbox_items(world.fresh(world.officer)) if i.agenda_id == agenda.pk]
    assert all(i.overdue for i in items)
    key, _ = Token.objects.get_or_create(user=world.officer)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key.key}")
    rows = [r for r in api.get(reverse("api-inbox")).json() if r["agenda_id"] == agenda.pk]
    assert rows and all(r["overdue"] for r in rows)
    assert all(r["due_date"] == clocks.decision_due_date(world.refresh()).isoformat() for r in rows)
    # people with nothing to do on it see no item
    for person in (world.partner, world.reviewer, world.other_coordinator):
        assert not [i for i in inbox_items(world.fresh(person)) if i.agenda_id == agenda.pk]


def test_reminder_task_escalates_by_the_configured_term(world: World, settings):
    advance(world, "awaiting_decision")
    agenda = world.refresh()
    Agenda.objects.filter(pk=agenda.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=62))
    OutboxMessage.objects.all().delete()
    tasks.send_workflow_reminders.delay().get()  # five months: not late, not within 7 days
    assert not OutboxMessage.objects.filter(kind="workflow.escalation").exists()
    settings.KA_DECISION_TERM_MONTHS = 1
    tasks.send_workflow_reminders.delay().get()
    assert OutboxMessage.objects.filter(kind="workflow.escalation", recipient=world.officer.email).exists()


def test_review_due_default_follows_the_setting(world: World, settings):
    settings.KA_REVIEW_DUE_DAYS = 9
    services.agenda_submit(agenda=world.agenda, actor=world.fresh(world.coordinator))
    assignment = services.reviewer_assign(
        agenda=world.agenda, actor=world.fresh(world.officer), reviewer=world.reviewer
    )
    assert assignment.due_date == timezone.localdate() + datetime.timedelta(days=9) == clocks.review_due_date()


def test_progress_report_lateness_is_one_rule(world: World):
    agenda = world.agenda
    today = timezone.localdate()
    late = ProgressReport.objects.create(agenda=agenda, year=2027, due_date=today - datetime.timedelta(days=1))
    due_today = ProgressReport.objects.create(agenda=agenda, year=2028, due_date=today)
    done = ProgressReport.objects.create(
        agenda=agenda,
        year=2029,
        due_date=today - datetime.timedelta(days=5),
        status=ProgressReport.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    assert is_late(late) and not is_late(due_today) and not is_late(done)
    listed = set(reports_for_list(ProgressReport.objects.all(), only_late=True))
    assert listed == {late}
    assert set(ProgressReport.objects.filter(clocks.report_overdue_q())) == {late}
