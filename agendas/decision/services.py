"""One service per workflow transition (the table lives in agendas/workflow/agenda.py).

Each service: locks the agenda row (``select_for_update``), asks the table whether the step is allowed
(raising ``TransitionRefused`` with reasons a person can act on), writes, appends exactly one
``Transition`` row when the status changes (``AGENDA.apply``), and tells the audiences the table declares
for the action (agendas/notifications.py; outbox now, delivery after commit).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from accounts.audit import save_rows_with_history
from accounts.models import User
from agendas import clocks, notifications, workflow
from agendas.decision.versions import requested_rijk_extra_by_year, version_create
from agendas.models import (
    Advice,
    Agenda,
    AgendaVersion,
    Decision,
    DecisionParticipant,
    DecisionYearAmount,
    ResponsePoint,
    Review,
    ReviewAssignment,
    Transition,
)
from kansenagenda import money
from kansenagenda.errors import TransitionRefused
from kansenagenda.locking import IN_PROCESS, check_lock

S = Agenda.Status


# --- helpers ---------------------------------------------------------------------------------------
def lock_agenda(agenda: Agenda | int) -> Agenda:
    pk = agenda.pk if isinstance(agenda, Agenda) else agenda
    return Agenda.objects.select_for_update(of=("self",)).select_related("alliance__region").get(pk=pk)


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
    agenda = lock_agenda(agenda)
    check_lock(
        agenda,
        lock_version,
        bump=False,  # the status change bumps it
        message=_("De agenda is intussen gewijzigd. Bekijk de wijzigingen en dien daarna opnieuw in."),
    )
    action = workflow.check("submit", actor=actor, agenda=agenda)
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
    agenda = lock_agenda(agenda)
    check_lock(agenda, lock_version, bump=False)  # the status change bumps it
    action = workflow.check("withdraw", actor=actor, agenda=agenda)
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
        comment=_("Automatisch: alle beoordelingen en het advies zijn binnen."),
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


# --- decision --------------------------------------------------------------------------------------
def review_summary_text(version: AgendaVersion) -> str:
    """The review verdicts (and the advice) summarised for the nota, in Dutch."""
    lines = []
    reviews = (
        Review.objects.filter(assignment__version=version, submitted_at__isnull=False)
        .select_related("assignment__reviewer")
        .order_by("submitted_at")
    )
    for i, review in enumerate(reviews, start=1):
        lines.append(
            _("Beoordeling %(n)s (%(name)s): %(verdict)s.")
            % {
                "n": i,
                "name": review.assignment.reviewer,
                "verdict": review.get_verdict_display(),
            }
        )
        if review.recommendations:
            lines.append(_("  Aanbevelingen: %(text)s") % {"text": workflow._short(review.recommendations, 300)})
    advice = Advice.objects.filter(version=version, submitted_at__isnull=False).first()
    if advice:
        lines.append(_("Advies rijksvertegenwoordiger: %(rec)s.") % {"rec": advice.get_recommendation_display()})
    return "\n".join(lines)


def _parse_amounts(year_amounts: dict, agenda: Agenda, requested: dict[int, Decimal]) -> dict[int, Decimal]:
    errors: dict[str, list[str]] = {}
    parsed: dict[int, Decimal] = {}
    for raw_year, raw_amount in (year_amounts or {}).items():
        try:
            year = int(raw_year)
        except (TypeError, ValueError):
            errors.setdefault("year_amounts", []).append(_("‘%(year)s’ is geen jaartal.") % {"year": raw_year})
            continue
        key = f"amount_{year}"
        if raw_amount in (None, ""):
            continue
        if year < agenda.start_year or year > agenda.end_year:
            errors.setdefault(key, []).append(
                _("%(year)s valt buiten de looptijd %(start)s–%(end)s.")
                % {"year": year, "start": agenda.start_year, "end": agenda.end_year}
            )
            continue
        try:
            amount = money.parse_api_amount(raw_amount, allow_negative=True)
        except ValidationError as exc:
            errors.setdefault(key, []).extend(exc.messages)
            continue
        if amount < 0:
            errors.setdefault(key, []).append(_("Het bedrag kan niet negatief zijn."))
            continue
        asked = requested.get(year, Decimal("0.00"))
        if amount > asked:
            errors.setdefault(key, []).append(
                _("De toegekende rijksbijdrage voor %(year)s (%(amount)s) is hoger dan gevraagd (%(asked)s).")
                % {"year": year, "amount": money.format_amount(amount), "asked": money.format_amount(asked)}
            )
            continue
        parsed[year] = amount
    if errors:
        raise ValidationError(errors)
    return parsed


@transaction.atomic
def decision_prepare(
    *,
    agenda: Agenda,
    actor: User,
    advised_decision: str,
    core: str,
    explanation: str = "",
    addressed_to: str = "",
    sender: str = "",
    reference: str = "",
    date: datetime.date | None = None,
    actively_published: bool = False,
    conditions: str = "",
    reasons: str = "",
    year_amounts: dict | None = None,
    lock_version: Any = IN_PROCESS,
) -> Decision:
    """The officer prepares (or revises, until signed) the nota ter besluitvorming for the current version."""
    agenda = lock_agenda(agenda)
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("prepared_by")
        .filter(agenda=agenda, version__number=agenda.current_version)
        .first()
    )
    workflow.check("prepare_decision", actor=actor, agenda=agenda, obj=decision)
    version = current_version(agenda)
    if decision is not None:  # a revision is based on the nota the officer read; a first nota has no version yet
        check_lock(
            decision,
            lock_version,
            bump=False,  # bumped below, with the save
            message=_(
                "%(name)s heeft de nota intussen gewijzigd. Bekijk de nieuwe tekst en pas uw wijziging opnieuw toe."
            )
            % {"name": _last_editor(decision)},
        )
    errors = {}
    if advised_decision not in Decision.Outcome.values:
        errors["advised_decision"] = _("Kies het geadviseerde besluit: goedkeuren, terugsturen of afwijzen.")
    if not core.strip():
        errors["core"] = _("Vat de kern van het besluit samen.")
    if advised_decision in (Decision.Outcome.RETURN, Decision.Outcome.REJECT) and not reasons.strip():
        errors["reasons"] = _("Geef de redenen voor terugsturen of afwijzen; de regio ziet ze bij het besluit.")
    if errors:
        raise ValidationError(errors)
    requested = requested_rijk_extra_by_year(version)
    amounts = (
        _parse_amounts(year_amounts or {}, agenda, requested) if advised_decision == Decision.Outcome.APPROVE else {}
    )
    is_new = decision is None
    if is_new:
        # the first preparer stays ``prepared_by``; every later reviser is ADDED as a participant (four eyes)
        decision = Decision(agenda=agenda, version=version, prepared_by=actor)
    decision.addressed_to = addressed_to.strip() or _("minBZK")
    decision.sender = sender.strip() or _("DGOBDR / Regionale ontwikkeling")
    decision.reference = reference.strip() or f"KA-{timezone.localdate().year}-{agenda.pk:05d}-v{version.number}"
    decision.date = date or timezone.localdate()
    decision.advised_decision = advised_decision
    decision.core = core.strip()
    decision.explanation = explanation.strip()
    decision.review_summary = review_summary_text(version)
    decision.actively_published = actively_published
    decision.conditions = conditions.strip() if advised_decision == Decision.Outcome.APPROVE else ""
    decision.reasons = reasons.strip()
    if not is_new:
        decision.lock_version += 1
    decision._history_user = actor
    decision.full_clean(exclude=["agenda", "version", "prepared_by", "signed_by"])
    decision.save()
    record_decision_participant(
        decision=decision,
        user=actor,
        role=DecisionParticipant.Role.PREPARER if is_new else DecisionParticipant.Role.REVISER,
    )
    save_rows_with_history(  # only changed years are written, each with its history row
        model=DecisionYearAmount,
        existing=decision.year_amounts.all(),
        wanted=[DecisionYearAmount(decision=decision, year=y, approved_amount=a) for y, a in sorted(amounts.items())],
        key=lambda row: row.year,
        fields=["approved_amount"],
        actor=actor,
    )
    if is_new:
        tell(
            "prepare_decision",
            agenda=agenda,
            actor=actor,
            obj=decision,
            subject=_("Besluit ter ondertekening: %(title)s") % {"title": agenda.title},
            template="decision_prepared",
            kind="workflow.decision_prepared",
            context={"decision": decision},
        )
    return decision


def _last_editor(decision: Decision):
    """Who saved the nota last: the latest preparer or reviser (falls back to the first preparer)."""
    last = decision.participants.select_related("user").order_by("-at", "-pk").first()
    return last.user if last else decision.prepared_by


def record_decision_participant(*, decision: Decision, user: User, role: str) -> DecisionParticipant:
    """Add ``user`` to the people who prepared, revised or signed the nota; someone already listed keeps the
    first role (a preparer who re-saves stays the preparer). The unique (decision, user) constraint means a
    signer row for a preparer or reviser can never be written."""
    participant, _created = DecisionParticipant.objects.get_or_create(
        decision=decision, user=user, defaults={"role": role}
    )
    return participant


@transaction.atomic
def decision_sign(
    *, agenda: Agenda, actor: User, second_factor_verified: bool, lock_version: Any = IN_PROCESS
) -> Decision:
    """A signatory other than the preparer signs the nota; the agenda follows the advised decision.

    Two signatories at once: the agenda row lock serialises them; the second sees the signed decision
    and is refused with who signed it and when.
    """
    agenda = lock_agenda(agenda)
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("prepared_by", "signed_by", "version")
        .filter(agenda=agenda, version__number=agenda.current_version)
        .first()
    )
    if agenda.status != S.AWAITING_DECISION and decision is not None and decision.signed_at is not None:
        # a concurrent signatory got there first: say so rather than "wrong state"
        raise TransitionRefused(
            _("Het besluit is al ondertekend door %(name)s op %(at)s.")
            % {"name": decision.signed_by, "at": timezone.localtime(decision.signed_at).strftime("%d-%m-%Y %H:%M")},
            code="already_signed",
            status=409,
        )
    name = decision.advised_decision if decision is not None else "approve"
    action = workflow.check(
        name, actor=actor, agenda=agenda, obj=decision, second_factor_verified=second_factor_verified
    )
    check_lock(
        decision,  # the table refused above when there is no nota
        lock_version,
        bump=False,  # signing does not change the nota's text
        message=_("De nota is gewijzigd nadat u hem opende. Lees de nieuwe versie en onderteken opnieuw."),
    )
    DecisionParticipant.objects.create(decision=decision, user=actor, role=DecisionParticipant.Role.SIGNER)
    decision.signed_by = actor
    decision.signed_at = timezone.now()
    decision.outcome = decision.advised_decision
    decision._history_user = actor
    decision.save()
    _set_status(agenda=agenda, action=action, actor=actor, comment=decision.reasons or decision.conditions)
    subject = _("Besluit over %(title)s: %(outcome)s") % {
        "title": agenda.title,
        "outcome": decision.get_outcome_display(),
    }
    tell(
        action,
        agenda=agenda,
        actor=actor,
        obj=decision,
        subject=subject,
        template="decided",
        kind="workflow.decided",
        context={"decision": decision, "points": _response_points(decision.version)},
    )
    if action.name == "approve" and workflow.refusal("activate", actor=actor, agenda=agenda, automatic=True) is None:
        _activate(agenda=agenda, actor=None)
    return decision


def _response_points(version: AgendaVersion):
    return list(
        ResponsePoint.objects.filter(review__assignment__version=version, review__submitted_at__isnull=False)
        .select_related("priority")
        .order_by("pk")
    )


# --- after the decision ----------------------------------------------------------------------------
def _activate(*, agenda: Agenda, actor: User | None) -> Transition | None:
    action = workflow.ACTIONS["activate"]
    record = _set_status(
        agenda=agenda,
        action=action,
        actor=actor,
        comment=_("Automatisch: het beginjaar %(year)s is aangebroken.") % {"year": agenda.start_year},
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
    agenda = lock_agenda(agenda)
    check_lock(agenda, lock_version, bump=False)  # the status change bumps it
    action = workflow.check("close", actor=actor, agenda=agenda)
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
