"""Clocks: reminders 7 days before and on overdue, escalation to officers, at most once per item per day."""

import datetime

from django.conf import settings
from django.utils import timezone

from accounts.models import OutboxMessage
from agendas.decision import reminders as reminder_services
from agendas.decision import services, tasks
from agendas.models import Agenda, ReviewAssignment
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance


def _kinds():
    return sorted(
        OutboxMessage.objects.filter(kind__in=["workflow.reminder", "workflow.escalation"]).values_list(
            "kind", "recipient"
        )
    )


def test_beat_schedule_has_the_workflow_jobs():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"agendas.tasks.send_workflow_reminders", "agendas.tasks.activate_started_agendas"} <= tasks_scheduled


def test_review_reminder_seven_days_before_and_overdue_escalation(world: World):
    advance(world, "under_review")
    a = ReviewAssignment.objects.get()
    today = timezone.localdate()
    ReviewAssignment.objects.filter(pk=a.pk).update(due_date=today + datetime.timedelta(days=8))
    assert reminder_services.send_due_reminders(today=today) == 0
    ReviewAssignment.objects.filter(pk=a.pk).update(due_date=today + datetime.timedelta(days=7))
    assert reminder_services.send_due_reminders(today=today) == 1
    assert reminder_services.send_due_reminders(today=today) == 0  # same day: nothing twice
    assert _kinds() == [("workflow.reminder", world.reviewer.email)]
    # overdue: reviewer reminded and officers escalated, once per day
    ReviewAssignment.objects.filter(pk=a.pk).update(due_date=today - datetime.timedelta(days=1))
    OutboxMessage.objects.all().delete()
    assert reminder_services.send_due_reminders(today=today) == 3
    assert reminder_services.send_due_reminders(today=today) == 0
    assert _kinds() == sorted(
        [
            ("workflow.reminder", world.reviewer.email),
            ("workflow.escalation", world.officer.email),
            ("workflow.escalation", world.officer2.email),
        ]
    )
    # the next day it reminds again
    assert reminder_services.send_due_reminders(today=today + datetime.timedelta(days=1)) == 3


def test_decision_clock_five_months_after_submission(world: World):
    advance(world, "awaiting_decision")
    agenda = world.refresh()
    due = services.workflow.decision_due_date(agenda)
    assert due == services.workflow.add_months(timezone.localdate(agenda.submitted_at), 5)
    OutboxMessage.objects.all().delete()
    reminder_services.send_due_reminders(today=due - datetime.timedelta(days=7))
    recipients = {r for _k, r in _kinds()}
    assert {world.officer.email, world.signatory.email} <= recipients
    OutboxMessage.objects.all().delete()
    reminder_services.send_due_reminders(today=due + datetime.timedelta(days=1))
    assert {k for k, _r in _kinds()} == {"workflow.escalation"}


def test_add_months_clamps_to_month_end():
    assert services.workflow.add_months(datetime.date(2026, 9, 30), 5) == datetime.date(2027, 2, 28)
    assert services.workflow.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)


def test_tasks_call_the_services(world: World):
    advance(world, "approved")
    Agenda.objects.filter(pk=world.agenda.pk).update(start_year=timezone.localdate().year)
    assert tasks.activate_started_agendas.delay().get() == 1
    assert world.refresh().status == Agenda.Status.ACTIVE
    assert tasks.send_workflow_reminders.delay().get() == 0
