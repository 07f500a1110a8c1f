"""The ministry's decision: the note is prepared (amounts per year, response points) and signed with four eyes
and a second factor (guards in agendas.workflow)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import save_rows_with_history
from accounts.models import User
from agendas import finance, workflow
from agendas.decision.services import S, _activate, _set_status, current_version, lock_agenda, tell
from agendas.decision.versions import requested_rijk_extra_by_year
from agendas.models import (
    Advice,
    Agenda,
    AgendaVersion,
    Decision,
    DecisionParticipant,
    DecisionYearAmount,
    ResponsePoint,
    Review,
)
from kansenagenda import money
from kansenagenda.errors import TransitionRefused
from kansenagenda.locking import IN_PROCESS, check_lock


# --- decision --------------------------------------------------------------------------------------
def review_summary_text(version: AgendaVersion) -> str:
    """The review verdicts (and the advice) summarised for the nota, stored in Dutch whatever the officer's
    language (pages show it translated: ``agendas.system_texts``; the nota PDF stays Dutch)."""
    with translation.override("nl"):
        return _review_summary_lines(version)


def _review_summary_lines(version: AgendaVersion) -> str:
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
        problem = money.amount_problem(
            amount,
            what=_("De toegekende rijksbijdrage voor %(year)s") % {"year": year},
            maximum=money.MAX_LINE_AMOUNT * 30,
        ) or finance.over_request_problem(year, amount, requested.get(year))
        if problem:
            errors.setdefault(key, []).append(problem)
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
    not_public_information: str = "",
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
    decision.not_public_information = not_public_information.strip()
    # a revision answers the signatory's remarks: the nota is back on the signatory's desk
    decision.sent_back_at, decision.sent_back_by = None, None
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
    *,
    agenda: Agenda,
    actor: User,
    second_factor_verified: bool,
    lock_version: Any = IN_PROCESS,
    outcome: str = "",
    reason: str = "",
) -> Decision:
    """A signatory other than the preparer signs the nota: the advised outcome, or (``outcome``) another one
    with a ``reason`` (the table's guard asks for it). The agenda follows the outcome signed; the letter is
    dispatched today.

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
    advised = decision.advised_decision if decision is not None else "approve"
    name = outcome or advised
    if name not in workflow.SIGN_ACTIONS:
        raise ValidationError({"outcome": _("Kies het besluit: goedkeuren, terugsturen of afwijzen.")})
    reason = (reason or "").strip()
    action = workflow.check(
        name,
        actor=actor,
        agenda=agenda,
        obj=decision,
        second_factor_verified=second_factor_verified,
        reason=reason,
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
    decision.outcome = name
    decision.dispatch_date = timezone.localdate()
    if name != advised:
        decision.deviation_reason = reason
        if name != Decision.Outcome.APPROVE:
            decision.reasons = reason  # the region reads why; the advised conditions no longer apply
            decision.conditions = ""
    decision._history_user = actor
    decision.save()
    if name == Decision.Outcome.APPROVE:
        from agendas.rijk.services import sign_with_decision

        sign_with_decision(decision=decision, actor=actor)  # the Rijk's commitments are signed with it
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


@transaction.atomic
def decision_send_back(*, agenda: Agenda, actor: User, remarks: str, lock_version: Any = IN_PROCESS) -> Decision:
    """The signatory sends the nota back to the officer with remarks instead of signing it (a recorded step
    in the agenda's table: the agenda keeps waiting for a decision). The preparer is told; the nota leaves
    the signatories' "Mijn taken" until it is revised."""
    agenda = lock_agenda(agenda)
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("prepared_by", "signed_by", "sent_back_by")
        .filter(agenda=agenda, version__number=agenda.current_version)
        .first()
    )
    remarks = (remarks or "").strip()
    action = workflow.check("send_back_decision", actor=actor, agenda=agenda, obj=decision, remarks=remarks)
    check_lock(
        decision,
        lock_version,
        bump=False,
        message=_("De nota is gewijzigd nadat u hem opende. Lees de nieuwe versie voordat u hem terugstuurt."),
    )
    decision.sent_back_at = timezone.now()
    decision.sent_back_by = actor
    decision.sent_back_remarks = remarks
    decision.lock_version += 1
    decision._history_user = actor
    decision.save()
    _set_status(agenda=agenda, action=action, actor=actor, comment=remarks)
    tell(
        action,
        agenda=agenda,
        actor=actor,
        obj=decision,
        subject=_("Nota teruggestuurd: %(title)s") % {"title": agenda.title},
        template="decision_sent_back",
        kind="workflow.decision_sent_back",
        context={
            "decision": decision,
            "url": reverse("agendas:workflow-decision", args=[agenda.pk]),
            "decision_due": workflow.decision_due_date(agenda),
        },
    )
    return decision
