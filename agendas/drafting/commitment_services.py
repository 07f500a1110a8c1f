"""Partner commitments: the writes (confirm, revoke, withdraw). The rule and its reasons are in
``agendas/drafting/commitments.py``; who may act is ``agendas.permissions.partner_commitment_policy``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from agendas import notifications
from agendas.drafting.models import MAX_LINE_AMOUNT
from agendas.models import Agenda, FundingSource, PartnerCommitment
from agendas.permissions import partner_commitment_policy as policy
from kansenagenda import money
from kansenagenda.errors import TransitionRefused
from kansenagenda.locking import check_lock

S = Agenda.Status
C = PartnerCommitment.Status
AFTER_DECISION = {S.APPROVED, S.ACTIVE}


def _lock_agenda(agenda: Agenda | int) -> Agenda:
    pk = agenda.pk if isinstance(agenda, Agenda) else agenda
    return Agenda.objects.select_for_update(of=("self",)).select_related("alliance__region").get(pk=pk)


def _amount(raw: Any, errors: dict[str, list]) -> Decimal | None:
    try:
        amount = raw if isinstance(raw, Decimal) else money.parse_api_amount(raw)
    except ValidationError as exc:
        errors.setdefault("amount", []).extend(exc.messages)
        return None
    if amount is None:
        errors.setdefault("amount", []).append(_("Bedrag: vul het bedrag in dat uw organisatie toezegt."))
    elif amount <= 0:
        errors.setdefault("amount", []).append(_("Bedrag: vul een bedrag groter dan € 0,00 in."))
    elif amount > MAX_LINE_AMOUNT:
        errors.setdefault("amount", []).append(
            _("Bedrag: het maximum is %(max)s.") % {"max": money.format_amount(MAX_LINE_AMOUNT)}
        )
    return amount


@transaction.atomic
def commitment_confirm(
    *, agenda: Agenda, actor: User, organisation: Organisation | int | None, year: Any, source: Any, amount: Any
) -> PartnerCommitment:
    """A partner's person confirms (or replaces) the organisation's commitment for one year and source."""
    agenda = _lock_agenda(agenda)
    organisation_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    if not policy.can_sign(actor, agenda, organisation_id):
        raise PermissionDenied(policy.refusal_reason(actor, agenda))
    if not agenda.is_editable:
        raise PermissionDenied(
            _("De agenda is ingediend (status: %(status)s); toezeggingen kunnen nu niet worden bevestigd.")
            % {"status": agenda.get_status_display()}
        )
    errors: dict[str, list] = {}
    source_obj = source if isinstance(source, FundingSource) else None
    if source_obj is None and source not in (None, ""):
        source_obj = FundingSource.objects.filter(code=str(source)).first()
    if source_obj is None or not source_obj.counts_as_cofinancing:
        errors["source"] = [_("Financieringsbron: kies een bron van cofinanciering (regionale of overige middelen).")]
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = None
    if year is None or not agenda.start_year <= year <= agenda.end_year:
        errors["year"] = [
            _("Jaar: kies een jaar binnen de looptijd %(start)s–%(end)s.")
            % {"start": agenda.start_year, "end": agenda.end_year}
        ]
    amount = _amount(amount, errors)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    previous = (
        PartnerCommitment.objects.select_for_update()
        .filter(agenda=agenda, organisation_id=organisation_id, year=year, source=source_obj, status=C.CONFIRMED)
        .first()
    )
    if previous is not None:
        previous.status = C.REVOKED
        previous.ended_by, previous.ended_at = actor, now
        previous.end_reason = _("Vervangen door een nieuwe bevestiging.")
        previous.lock_version += 1
        previous._history_user = actor
        previous.save()
    commitment = PartnerCommitment(
        agenda=agenda,
        organisation_id=organisation_id,
        year=year,
        source=source_obj,
        amount=amount,
        confirmed_by=actor,
        confirmed_at=now,
    )
    commitment._history_user = actor
    commitment.save()
    return commitment


@transaction.atomic
def commitment_end(
    *, commitment: PartnerCommitment, actor: User, reason: str = "", lock_version: Any
) -> PartnerCommitment:
    """Revoke (before submission) or withdraw (after approval: a monitoring signal) a confirmation."""
    agenda = _lock_agenda(commitment.agenda_id)
    if not policy.can_sign(actor, agenda, commitment.organisation_id):
        raise PermissionDenied(policy.refusal_reason(actor, agenda))
    check_lock(commitment, lock_version, what=_("De toezegging van %(org)s") % {"org": commitment.organisation})
    if commitment.status != C.CONFIRMED:
        raise TransitionRefused(_("Deze toezegging is al ingetrokken."), code="already_ended")
    reason = (reason or "").strip()
    if agenda.is_editable:
        commitment.status = C.REVOKED
    elif agenda.status in AFTER_DECISION:
        if not reason:
            raise ValidationError(
                {"reason": [_("Reden: leg uit waarom uw organisatie haar toezegging na het besluit terugtrekt.")]}
            )
        commitment.status = C.WITHDRAWN
    else:
        raise TransitionRefused(
            _(
                "De agenda is ingediend (status: %(status)s); de toezegging hoort bij wat nu wordt beoordeeld en kan "
                "niet worden ingetrokken. Neem contact op met de coördinator."
            )
            % {"status": agenda.get_status_display()},
            code="commitment_locked",
        )
    commitment.ended_by, commitment.ended_at, commitment.end_reason = actor, timezone.now(), reason
    commitment._history_user = actor
    commitment.save()
    if commitment.status == C.WITHDRAWN:
        _tell_withdrawal(agenda, commitment, actor)
    return commitment


def _tell_withdrawal(agenda: Agenda, commitment: PartnerCommitment, actor: User) -> None:
    people = [
        *notifications.coordinators(agenda),
        *notifications.state_representatives(agenda),
        *notifications.officers(),
    ]
    notifications.send(
        people,
        subject=_("Partner trekt toezegging terug: %(title)s") % {"title": agenda.title},
        template="agendas/email/partner_commitment_withdrawn.txt",
        kind="partner_commitment_withdrawn",
        context={
            "agenda": agenda,
            "commitment": commitment,
            "amount": money.format_amount(commitment.amount),
        },
        dedupe_key=f"partner-commitment-withdrawn-{commitment.pk}",
        exclude=[actor],
    )
