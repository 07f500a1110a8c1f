"""Daily decision-stage clocks (beat job, agendas.decision.tasks): reminders before a due date, escalation when
overdue, once per item per day; activation of approved agendas whose start year has begun."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agendas import clocks, notifications, workflow
from agendas.decision.services import S, agenda_activate, notify, officers
from agendas.models import (
    Agenda,
    ReviewAssignment,
)


# --- clocks: reminders and escalation (daily beat job) ----------------------------------------------
def send_due_reminders(*, today: datetime.date | None = None) -> int:
    """Remind whoever must act 7 days before a due date and on every overdue day; escalate overdue items
    to the ministry officers. At most once per item per recipient per day (outbox dedupe key)."""
    today = today or timezone.localdate()
    sent = 0
    open_assignments = (
        ReviewAssignment.objects.filter(
            status__in=[ReviewAssignment.Status.AWAITING_DECLARATION, ReviewAssignment.Status.ACTIVE],
            agenda__status=S.UNDER_REVIEW,
            due_date__lte=today + datetime.timedelta(days=workflow.REMINDER_DAYS_BEFORE),
        )
        .select_related("agenda__alliance__region", "reviewer")
        .order_by("pk")
    )
    officer_list = None
    for a in open_assignments:
        days_left = (a.due_date - today).days
        if days_left != workflow.REMINDER_DAYS_BEFORE and days_left >= 0:
            continue
        key = f"reminder:assignment:{a.pk}:{today.isoformat()}"
        with transaction.atomic():
            sent += notify(
                [a.reviewer],
                agenda=a.agenda,
                subject=(
                    _("Herinnering: brede-welvaartstoets %(title)s uiterlijk %(due)s")
                    if days_left >= 0
                    else _("Te laat: brede-welvaartstoets %(title)s (uiterste datum %(due)s)")
                )
                % {"title": a.agenda.title, "due": a.due_date.strftime("%d-%m-%Y")},
                template="reminder",
                kind="workflow.reminder",
                context={
                    "what": _("de brede-welvaartstoets"),
                    "due": a.due_date,
                    "overdue": days_left < 0,
                    "url": reverse("agendas:workflow-assignment", args=[a.pk]),
                },
                dedupe_key=key,
            )
            if days_left < 0:
                officer_list = officer_list if officer_list is not None else officers()
                sent += notify(
                    officer_list,
                    agenda=a.agenda,
                    subject=_("Escalatie: toets te laat voor %(title)s") % {"title": a.agenda.title},
                    template="escalation",
                    kind="workflow.escalation",
                    context={
                        "what": _("de brede-welvaartstoets van %(name)s") % {"name": a.reviewer},
                        "due": a.due_date,
                    },
                    dedupe_key=f"escalation:assignment:{a.pk}:{today.isoformat()}",
                )
    # the decision clock: within N months of submission (agendas.clocks)
    pending = Agenda.objects.filter(clocks.decision_clock_q()).select_related("alliance__region")
    for agenda in pending:
        due = workflow.decision_due_date(agenda)
        days_left = (due - today).days
        if days_left != workflow.REMINDER_DAYS_BEFORE and days_left >= 0:
            continue
        officer_list = officer_list if officer_list is not None else officers()
        people = officer_list + (notifications.signatories() if agenda.status == S.AWAITING_DECISION else [])
        with transaction.atomic():
            sent += notify(
                people,
                agenda=agenda,
                subject=(
                    _("Herinnering: besluit over %(title)s uiterlijk %(due)s")
                    if days_left >= 0
                    else _("Escalatie: besluit over %(title)s te laat (termijn %(due)s)")
                )
                % {"title": agenda.title, "due": due.strftime("%d-%m-%Y")},
                template="reminder" if days_left >= 0 else "escalation",
                kind="workflow.reminder" if days_left >= 0 else "workflow.escalation",
                context={"what": _("het besluit"), "due": due, "overdue": days_left < 0},
                dedupe_key=f"reminder:decision:{agenda.pk}:v{agenda.current_version}:{today.isoformat()}",
            )
    return sent


def activate_started_agendas(*, today: datetime.date | None = None) -> int:
    year = (today or timezone.localdate()).year
    count = 0
    for pk in Agenda.objects.filter(status=S.APPROVED, start_year__lte=year).values_list("pk", flat=True):
        if agenda_activate(agenda=Agenda(pk=pk)) is not None:
            count += 1
    return count
