"""The Rijk's commitments: the writes and the rules they carry (who may act: ``agendas.rijk.policy``).

- a commitment names a ministry, optionally a national programme, the text and a due year within the agenda's
  period (or up to five years after it);
- it is recorded and changed by a ministry officer while the decision is prepared; signing an *approving*
  decision signs every unsigned commitment of the agenda with it (:func:`sign_with_decision`, called by
  ``decision_sign``) and locks them; a nota sent back or an agenda returned leaves them open;
- each year of the agenda, up to the current one, the ministry officer reports on each signed commitment:
  on track, late or done, with an explanation (required for late) — in the same yearly cycle as the region's
  progress report, read-only for the alliance.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from agendas.models import Agenda, Decision, NationalProgramme
from agendas.rijk.models import Ministry, RijkCommitment, RijkCommitmentReport
from agendas.rijk.policy import rijk_commitment_policy as policy
from kansenagenda.locking import check_lock

YEARS_AFTER_END = 5
R = RijkCommitmentReport.Status


def _lock_agenda(agenda: Agenda | int) -> Agenda:
    pk = agenda.pk if isinstance(agenda, Agenda) else agenda
    return Agenda.objects.select_for_update(of=("self",)).select_related("alliance__region").get(pk=pk)


def _reference(model, raw, errors, key, message, *, required=True):
    if raw in (None, ""):
        if required:
            errors[key] = [message]
        return None
    if isinstance(raw, model):
        return raw
    found = model.objects.filter(code=str(raw), active=True).first()
    if found is None and str(raw).isdigit():
        found = model.objects.filter(pk=int(raw), active=True).first()
    if found is None:
        errors[key] = [message]
    return found


def _clean(agenda: Agenda, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list] = {}
    ministry = _reference(Ministry, data.get("ministry"), errors, "ministry", _("Ministerie: kies het ministerie."))
    programme = _reference(
        NationalProgramme,
        data.get("programme"),
        errors,
        "programme",
        _("Nationaal programma: kies een programma uit de lijst, of laat het leeg."),
        required=False,
    )
    text = (data.get("text") or "").strip()
    if not text:
        errors["text"] = [_("Toezegging: beschrijf wat het Rijk toezegt.")]
    elif len(text) > 5000:
        errors["text"] = [_("Toezegging: gebruik hoogstens 5000 tekens.")]
    try:
        due_year = int(data.get("due_year"))
    except (TypeError, ValueError):
        due_year = None
    last = agenda.end_year + YEARS_AFTER_END
    if due_year is None or not agenda.start_year <= due_year <= last:
        errors["due_year"] = [
            _("Uiterlijk in jaar: kies een jaar van %(start)s tot en met %(last)s.")
            % {"start": agenda.start_year, "last": last}
        ]
    if errors:
        raise ValidationError(errors)
    return {"ministry": ministry, "programme": programme, "text": text, "due_year": due_year}


@transaction.atomic
def rijk_commitment_create(*, agenda: Agenda, actor: User, data: dict[str, Any]) -> RijkCommitment:
    agenda = _lock_agenda(agenda)
    if not policy.can_record(actor, agenda):
        raise PermissionDenied(policy.record_refusal(actor, agenda))
    commitment = RijkCommitment(agenda=agenda, recorded_by=actor, **_clean(agenda, data))
    commitment._history_user = actor
    commitment.save()
    return commitment


@transaction.atomic
def rijk_commitment_update(
    *, commitment: RijkCommitment, actor: User, data: dict[str, Any], lock_version: Any
) -> RijkCommitment:
    agenda = _lock_agenda(commitment.agenda_id)
    commitment = RijkCommitment.objects.select_for_update().get(pk=commitment.pk)
    commitment.agenda = agenda
    if not policy.can_change(actor, commitment):
        raise PermissionDenied(policy.record_refusal(actor, agenda, commitment))
    check_lock(commitment, lock_version, what=_("De rijkstoezegging"))
    for name, value in _clean(agenda, data).items():
        setattr(commitment, name, value)
    commitment._history_user = actor
    commitment.save()
    return commitment


def sign_with_decision(*, decision: Decision, actor: User) -> int:
    """Called inside ``decision_sign`` for an approving decision: the open commitments become part of it."""
    now = timezone.now()
    signed = 0
    for commitment in RijkCommitment.objects.select_for_update().filter(
        agenda_id=decision.agenda_id, signed_at__isnull=True
    ):
        commitment.decision, commitment.signed_at = decision, now
        commitment.lock_version += 1
        commitment._history_user = actor
        commitment.save()
        signed += 1
    return signed


def reporting_years(agenda: Agenda, today=None) -> list[int]:
    """The years the ministry can report on: the agenda's years up to the current one."""
    year = (today or timezone.localdate()).year
    return list(range(agenda.start_year, min(agenda.end_year, year) + 1))


@transaction.atomic
def rijk_commitment_report(
    *, commitment: RijkCommitment, actor: User, year: Any, status: str, explanation: str = "", lock_version: Any
) -> RijkCommitmentReport:
    """The ministry side's yearly report on one commitment (create or update the year's row).
    ``lock_version`` is the year's report's version (ignored for the year's first report)."""
    commitment = RijkCommitment.objects.select_for_update(of=("self",)).select_related("agenda").get(pk=commitment.pk)
    if not policy.can_report(actor, commitment):
        raise PermissionDenied(policy.report_refusal(actor, commitment))
    errors: dict[str, list] = {}
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = None
    years = reporting_years(commitment.agenda)
    if year not in years:
        errors["year"] = [
            _("Jaar: kies een verslagjaar van de agenda tot en met dit jaar (%(years)s).")
            % {"years": ", ".join(str(y) for y in years) or "–"}
        ]
    if status not in R.values:
        errors["status"] = [_("Stand van zaken: kies op schema, vertraagd of nagekomen.")]
    explanation = (explanation or "").strip()
    if status == R.LATE and not explanation:
        errors["explanation"] = [_("Toelichting: leg uit waarom de toezegging vertraagd is en wat er gebeurt.")]
    elif len(explanation) > 5000:
        errors["explanation"] = [_("Toelichting: gebruik hoogstens 5000 tekens.")]
    if errors:
        raise ValidationError(errors)
    row = RijkCommitmentReport.objects.select_for_update().filter(commitment=commitment, year=year).first()
    if row is None:  # the year's first report: nothing to be stale against (the commitment row serialises)
        row = RijkCommitmentReport(commitment=commitment, year=year)
    else:
        check_lock(row, lock_version, what=_("De rapportage over deze toezegging"))
    row.status, row.explanation, row.reported_by = status, explanation, actor
    row._history_user = actor
    row.save()
    return row
