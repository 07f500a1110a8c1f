"""One service per workflow transition (the table lives in agendas/workflow/agenda.py).

Each service: locks the agenda row (``select_for_update``), asks the table whether the step is allowed
(raising ``TransitionRefused`` with reasons a person can act on), writes, appends exactly one
``Transition`` row when the status changes (``AGENDA.apply``), and tells the audiences the table declares
for the action (agendas/notifications.py; outbox now, delivery after commit).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from accounts.models import User
from agendas import clocks, notifications, workflow
from agendas.decision.versions import version_create
from agendas.models import (
    Advice,
    Agenda,
    AgendaVersion,
    ResponsePoint,
    Review,
    ReviewAssignment,
    Transition,
)
from agendas.system_texts import automatic_comment
from kansenagenda.locking import IN_PROCESS

S = Agenda.Status


# --- helpers ---------------------------------------------------------------------------------------
def lock_agenda(agenda: Agenda | int) -> Agenda:
    return workflow.AGENDA.lock(agenda)


def _set_status(*, agenda: Agenda, action: workflow.Action, actor: User | None, comment: str = "") -> Transition | None:
    """Move to the action's target and append the transition record; nothing when the status stays."""
    return workflow.AGENDA.apply(
        action, case=agenda, actor=actor, comment=comment, version_number=agenda.current_version or None
    )


def current_version(agenda: Agenda) -> AgendaVersion:
    return AgendaVersion.objects.get(agenda=agenda, number=agenda.current_version)


def officers() -> list[User]:
    return notifications.officers()


def _agenda_url(agenda: Agenda) -> str:
    return reverse("agendas:workflow-overview", args=[agenda.pk])


def _agenda_context(agenda: Agenda, context: dict | None) -> dict:
    return {"agenda": agenda, "url": _agenda_url(agenda), **(context or {})}


def notify(
    users: Iterable[User],
    *,
    agenda: Agenda,
    subject: str,
    template: str,
    kind: str,
    context: dict | None = None,
    dedupe_key: str = "",
    exclude: Iterable[User | None] = (),
) -> int:
    """Mail these people about ``agenda`` (reminders, escalations): the one helper with the agenda's link."""
    return notifications.send(
        users,
        subject=subject,
        template=f"agendas/email/{template}.txt",
        kind=kind,
        context=_agenda_context(agenda, context),
        dedupe_key=dedupe_key,
        exclude=exclude,
    )


def tell(
    action: workflow.Action | str,
    *,
    agenda: Agenda,
    actor: User | None,
    subject: str,
    template: str,
    kind: str,
    obj=None,
    params: dict | None = None,
    context: dict | None = None,
) -> int:
    """Tell the audiences the agenda table declares for ``action`` (``Action.notify``)."""
    action = workflow.ACTIONS[action] if isinstance(action, str) else action
    return notifications.notify_action(
        action,
        workflow.Context(case=agenda, actor=actor, obj=obj, params=params or {}),
        subject=subject,
        template=f"agendas/email/{template}.txt",
        kind=kind,
        context=_agenda_context(agenda, context),
    )


# --- submit / withdraw -----------------------------------------------------------------------------
@transaction.atomic
def agenda_submit(*, agenda: Agenda, actor: User, comment: str = "", lock_version: Any = IN_PROCESS) -> AgendaVersion:
    """Coordinator submits: completeness checklist, open response points, then freeze a numbered version."""
    agenda, action = workflow.AGENDA.take(
        "submit",
        case=agenda,
        actor=actor,
        lock_version=lock_version,
        message=_("De agenda is intussen gewijzigd. Bekijk de wijzigingen en dien daarna opnieuw in."),
    )
    version = version_create(agenda=agenda, actor=actor)
    agenda.submitted_at = timezone.now()
    _set_status(agenda=agenda, action=action, actor=actor, comment=comment)
    subject = _("Kansenagenda ingediend: %(title)s (versie %(n)s)") % {"title": agenda.title, "n": version.number}
    tell(
        action,
        agenda=agenda,
        actor=actor,
        subject=subject,
        template="submitted",
        kind="workflow.submitted",
        context={"version": version, "decision_due": workflow.decision_due_date(agenda)},
    )
    return version


@transaction.atomic
def agenda_withdraw(*, agenda: Agenda, actor: User, comment: str = "", lock_version: Any = IN_PROCESS) -> Agenda:
    agenda, action = workflow.AGENDA.take("withdraw", case=agenda, actor=actor, lock_version=lock_version)
    _set_status(agenda=agenda, action=action, actor=actor, comment=comment)
    tell(
        action,
        agenda=agenda,
        actor=actor,
        subject=_("Indiening ingetrokken: %(title)s") % {"title": agenda.title},
        template="withdrawn",
        kind="workflow.withdrawn",
        context={"comment": comment, "actor": actor},
    )
    return agenda


# --- reviewers -------------------------------------------------------------------------------------
@transaction.atomic
def reviewer_assign(
    *, agenda: Agenda, actor: User, reviewer: User, due_date: datetime.date | None = None
) -> ReviewAssignment:
    """Officer assigns an independent reviewer to the current version (the first one starts the review)."""
    agenda = lock_agenda(agenda)
    action = workflow.check("assign_reviewer", actor=actor, agenda=agenda, reviewer=reviewer, due_date=due_date)
    due_date = due_date or clocks.review_due_date()
    assignment = ReviewAssignment(
        agenda=agenda, version=current_version(agenda), reviewer=reviewer, assigned_by=actor, due_date=due_date
    )
    assignment._history_user = actor
    assignment.save()
    _set_status(agenda=agenda, action=action, actor=actor)
    tell(
        action,
        agenda=agenda,
        actor=actor,
        params={"reviewer": reviewer},
        subject=_("Verzoek om een brede-welvaartstoets: %(title)s") % {"title": agenda.title},
        template="reviewer_assigned",
        kind="workflow.reviewer_assigned",
        context={
            "assignment": assignment,
            "assignment_url": reverse("agendas:workflow-assignment", args=[assignment.pk]),
        },
    )
    return assignment


@transaction.atomic
def assignment_declare(
    *, assignment: ReviewAssignment, actor: User, has_conflict: bool, text: str = ""
) -> ReviewAssignment:
    """The reviewer declares (no) conflict of interest. No conflict opens the version to them (object
    permission on that one version); a conflict recuses them and asks the officer to reassign."""
    agenda = lock_agenda(assignment.agenda_id)
    assignment = (
        ReviewAssignment.objects.select_for_update().select_related("version", "reviewer").get(pk=assignment.pk)
    )
    name = "declare_conflict" if has_conflict else "declare_no_conflict"
    workflow.check(name, actor=actor, agenda=agenda, obj=assignment)
    if has_conflict and not text.strip():
        raise ValidationError({"declaration_text": _("Beschrijf kort welk belang er speelt.")})
    assignment.declaration_at = timezone.now()
    assignment.declaration_text = text.strip()
    assignment.status = ReviewAssignment.Status.RECUSED if has_conflict else ReviewAssignment.Status.ACTIVE
    assignment._history_user = actor
    assignment.save()
    if has_conflict:
        tell(
            name,
            agenda=agenda,
            actor=actor,
            obj=assignment,
            subject=_("Belangenconflict gemeld – wijs een andere beoordelaar toe: %(title)s") % {"title": agenda.title},
            template="conflict_declared",
            kind="workflow.conflict_declared",
            context={"assignment": assignment},
        )
        maybe_complete_review(agenda=agenda, actor=actor)
    else:
        assign_perm("agendas.view_agendaversion", assignment.reviewer, assignment.version)
        Review.objects.get_or_create(assignment=assignment)
    return assignment


# --- completion of the review stage ----------------------------------------------------------------
def maybe_complete_review(*, agenda: Agenda, actor: User | None) -> Transition | None:
    """under_review → awaiting_decision as soon as all counting reviews and the advice are in.

    Called (inside the caller's transaction, agenda locked) after every review submission, advice and recusal.
    """
    if workflow.refusal("complete_review", actor=actor, agenda=agenda, automatic=True) is not None:
        return None
    action = workflow.ACTIONS["complete_review"]
    record = _set_status(
        agenda=agenda,
        action=action,
        actor=actor,
        comment=automatic_comment("review_complete"),
    )
    tell(
        action,
        agenda=agenda,
        actor=None,
        subject=_("Klaar voor besluit: %(title)s") % {"title": agenda.title},
        template="awaiting_decision",
        kind="workflow.awaiting_decision",
        context={"decision_due": workflow.decision_due_date(agenda)},
    )
    return record


# --- advice ----------------------------------------------------------------------------------------
@transaction.atomic
def advice_save(*, agenda: Agenda, actor: User, text: str, recommendation: str, submit: bool) -> Advice:
    """The state representative of the region writes (draft) and submits the advice on the current version."""
    agenda = lock_agenda(agenda)
    workflow.check("give_advice", actor=actor, agenda=agenda)
    errors = {}
    if submit and not text.strip():
        errors["text"] = _("Schrijf het advies voordat u het uitbrengt.")
    if recommendation not in Advice.Recommendation.values:
        errors["recommendation"] = _("Kies een aanbeveling.")
    if errors:
        raise ValidationError(errors)
    version = current_version(agenda)
    advice = Advice.objects.filter(version=version).first() or Advice(agenda=agenda, version=version, author=actor)
    advice.author = actor
    advice.text = text.strip()
    advice.recommendation = recommendation
    if submit:
        advice.submitted_at = timezone.now()
    advice._history_user = actor
    advice.full_clean(exclude=["agenda", "version", "author"])
    advice.save()
    if submit:
        tell(
            "give_advice",
            agenda=agenda,
            actor=actor,
            subject=_("Advies rijksvertegenwoordiger uitgebracht: %(title)s") % {"title": agenda.title},
            template="advice_given",
            kind="workflow.advice_given",
            context={"advice": advice},
        )
        maybe_complete_review(agenda=agenda, actor=actor)
    return advice


# --- after the decision ----------------------------------------------------------------------------
def _activate(*, agenda: Agenda, actor: User | None) -> Transition | None:
    action = workflow.ACTIONS["activate"]
    record = _set_status(
        agenda=agenda,
        action=action,
        actor=actor,
        comment=automatic_comment("start_year", year=agenda.start_year),
    )
    tell(
        action,
        agenda=agenda,
        actor=actor,
        subject=_("Uw kansenagenda loopt: %(title)s") % {"title": agenda.title},
        template="activated",
        kind="workflow.activated",
    )
    return record


@transaction.atomic
def agenda_activate(*, agenda: Agenda) -> Agenda | None:
    """approved → active once the start year has begun (called by the daily beat job; idempotent)."""
    agenda = lock_agenda(agenda)
    if workflow.refusal("activate", actor=None, agenda=agenda, automatic=True) is not None:
        return None
    _activate(agenda=agenda, actor=None)
    return agenda


@transaction.atomic
def agenda_close(*, agenda: Agenda, actor: User, comment: str = "", lock_version: Any = IN_PROCESS) -> Agenda:
    agenda, action = workflow.AGENDA.take("close", case=agenda, actor=actor, lock_version=lock_version)
    _set_status(agenda=agenda, action=action, actor=actor, comment=comment)
    tell(
        action,
        agenda=agenda,
        actor=actor,
        subject=_("Kansenagenda afgesloten: %(title)s") % {"title": agenda.title},
        template="closed",
        kind="workflow.closed",
        context={"comment": comment},
    )
    return agenda


@transaction.atomic
def response_point_answer(*, point: ResponsePoint, actor: User, answer: str) -> ResponsePoint:
    """The coordinator answers a 'response required' point of a returned agenda."""
    point = ResponsePoint.objects.select_related("review__assignment").get(pk=point.pk)
    agenda = lock_agenda(point.review.assignment.agenda_id)
    workflow.check("answer_response_point", actor=actor, agenda=agenda, obj=point)
    if not answer.strip():
        raise ValidationError({"answer": _("Schrijf een reactie op dit punt.")})
    point.answer = answer.strip()
    point.answered_by = actor
    point.answered_at = timezone.now()
    point._history_user = actor
    point.full_clean(exclude=["review", "priority", "answered_by"])
    point.save()
    return point
