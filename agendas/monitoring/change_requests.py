"""Change requests on an active agenda: shift budget between years or priorities, change a milestone's
target or target year. Small changes are decided by the state representative; large ones by the ministry
(an officer prepares, a different person with the signatory role decides: four eyes). An accepted change
is applied and recorded as a new agenda version; the old versions and the field history stay visible.

Validation errors are keyed ``reason``, ``items``, ``budget_shifts-<n>-<field>``, ``milestone_changes-<n>-<field>``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from agendas import notifications
from agendas.models import (
    Agenda,
    AgendaVersion,
    BudgetLine,
    ChangeRequest,
    ChangeRequestItem,
    ChangeRequestParticipant,
    Milestone,
    Priority,
    ProgressReport,
)
from agendas.monitoring.services import amount_value, ensure_report_rows, milestone_value, refresh_health
from agendas.permissions import progress_report_policy as policy
from agendas.summary.services import refresh_summary
from agendas.workflow import AGENDA, CHANGE_REQUEST, Context
from agendas.workflow.change_request import (  # noqa: F401 - the routing rule lives with the table
    SMALL_CHANGE_SHARE,
    SMALL_YEAR_SHIFT,
    change_request_route,
    rijk_contribution_by_priority,
)
from kansenagenda import money
from kansenagenda.errors import TransitionRefused
from kansenagenda.locking import IN_PROCESS

Route = ChangeRequest.Route
Status = ChangeRequest.Status
Role = ChangeRequestParticipant.Role


# --- create -------------------------------------------------------------------------------------------
def _int(raw: Any) -> int | None:
    try:
        return int(str(raw).strip()) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


@transaction.atomic
def change_request_create(
    *,
    agenda: Agenda,
    actor: User,
    reason: str,
    budget_shifts: list[dict[str, Any]] | None = None,
    milestone_changes: list[dict[str, Any]] | None = None,
) -> ChangeRequest:
    """``budget_shifts``: [{from_line, to_priority, to_year, amount}] (ids); ``milestone_changes``:
    [{milestone, new_target_value, new_target_year}]."""
    agenda = AGENDA.lock(agenda)
    if not policy.can_request_change(actor, agenda):
        raise PermissionDenied(policy.request_change_refusal_reason(actor, agenda))
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Reden: leg uit waarom de wijziging nodig is.")
    budget_shifts = [s for s in (budget_shifts or []) if any(v not in (None, "") for v in s.values())]
    milestone_changes = [c for c in (milestone_changes or []) if any(v not in (None, "") for v in c.values())]
    if not budget_shifts and not milestone_changes:
        errors["items"] = _("Geef minstens één wijziging op: een budgetverschuiving of een mijlpaalwijziging.")

    lines = {
        line.pk: line
        for line in BudgetLine.objects.filter(priority__agenda=agenda).select_related("priority", "source")
    }
    priorities = {p.pk: p for p in Priority.objects.filter(agenda=agenda)}
    milestones = {m.pk: m for m in Milestone.objects.filter(priority__agenda=agenda)}
    closed_years = set(
        ProgressReport.objects.filter(
            agenda=agenda, status__in=[ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED]
        ).values_list("year", flat=True)
    )
    shift_items: list[ChangeRequestItem] = []
    taken: dict[int, Decimal] = defaultdict(Decimal)
    for n, data in enumerate(budget_shifts):
        key = f"budget_shifts-{n}"
        line = lines.get(_int(data.get("from_line")))
        to_priority = priorities.get(_int(data.get("to_priority")))
        to_year = _int(data.get("to_year"))
        amount = amount_value(
            data.get("amount"), _("Bedrag (verschuiving %(n)s)") % {"n": n + 1}, errors, f"{key}-amount"
        )
        if line is None:
            errors[f"{key}-from_line"] = _(
                "Van begrotingsregel (verschuiving %(n)s): kies een regel van deze agenda."
            ) % {"n": n + 1}
        if to_priority is None:
            errors[f"{key}-to_priority"] = _(
                "Naar prioriteit (verschuiving %(n)s): kies een prioriteit van deze agenda."
            ) % {"n": n + 1}
        if to_year is None or not agenda.start_year <= to_year <= agenda.end_year:
            errors[f"{key}-to_year"] = _(
                "Naar jaar (verschuiving %(n)s): kies een jaar binnen de looptijd %(start)s–%(end)s."
            ) % {"n": n + 1, "start": agenda.start_year, "end": agenda.end_year}
        if amount is not None and amount <= 0 and f"{key}-amount" not in errors:
            errors[f"{key}-amount"] = _("Bedrag (verschuiving %(n)s): vul een bedrag groter dan 0 in.") % {"n": n + 1}
        elif data.get("amount") in (None, "") and f"{key}-amount" not in errors:
            errors[f"{key}-amount"] = _("Bedrag (verschuiving %(n)s): vul het te verschuiven bedrag in.") % {"n": n + 1}
        if line is None or to_priority is None or to_year is None or amount is None or f"{key}-to_year" in errors:
            continue
        if line.priority_id == to_priority.pk and line.year == to_year:
            errors[f"{key}-to_year"] = _(
                "Naar jaar (verschuiving %(n)s): kies een ander jaar of een andere prioriteit dan de regel zelf."
            ) % {"n": n + 1}
            continue
        for year in {line.year, to_year} & closed_years:
            errors[f"{key}-to_year"] = _(
                "Verschuiving %(n)s raakt %(year)s, waarvoor de voortgangsrapportage al is ingediend of "
                "geaccepteerd; kies een ander jaar."
            ) % {"n": n + 1, "year": year}
        taken[line.pk] += amount
        if taken[line.pk] > line.amount:
            errors[f"{key}-amount"] = _(
                "Bedrag (verschuiving %(n)s): er staat maar %(available)s op de regel %(line)s."
            ) % {
                "n": n + 1,
                "available": money.format_amount(line.amount),
                "line": f"{line.priority.title} {line.year} {line.source.label}",
            }
        shift_items.append(
            ChangeRequestItem(
                kind=ChangeRequestItem.Kind.BUDGET_SHIFT,
                from_line=line,
                to_priority=to_priority,
                to_year=to_year,
                amount=amount,
            )
        )

    ms_items: list[ChangeRequestItem] = []
    for n, data in enumerate(milestone_changes):
        key = f"milestone_changes-{n}"
        milestone = milestones.get(_int(data.get("milestone")))
        if milestone is None:
            errors[f"{key}-milestone"] = _("Mijlpaal (wijziging %(n)s): kies een mijlpaal van deze agenda.") % {
                "n": n + 1
            }
            continue
        new_value = milestone_value(
            data.get("new_target_value"),
            milestone,
            _("Nieuwe streefwaarde (wijziging %(n)s)") % {"n": n + 1},
            errors,
            f"{key}-new_target_value",
        )
        new_year = _int(data.get("new_target_year"))
        if data.get("new_target_year") not in (None, "") and new_year is None:
            errors[f"{key}-new_target_year"] = _("Nieuw streefjaar (wijziging %(n)s): vul een jaartal in.") % {
                "n": n + 1
            }
        if new_value is not None and new_value == milestone.baseline_value:
            errors[f"{key}-new_target_value"] = _(
                "Nieuwe streefwaarde (wijziging %(n)s): moet verschillen van de nulmeting (%(baseline)s)."
            ) % {"n": n + 1, "baseline": f"{milestone.baseline_value.normalize():f}"}
        if new_year is not None and not (
            max(agenda.start_year, milestone.baseline_year) <= new_year <= agenda.end_year
        ):
            errors[f"{key}-new_target_year"] = _(
                "Nieuw streefjaar (wijziging %(n)s): kies een jaar van %(start)s tot en met %(end)s."
            ) % {"n": n + 1, "start": max(agenda.start_year, milestone.baseline_year), "end": agenda.end_year}
        if (new_value is None or new_value == milestone.target_value) and (
            new_year is None or new_year == milestone.target_year
        ):
            errors.setdefault(
                f"{key}-new_target_value",
                _(
                    "Wijziging %(n)s: geef een nieuwe streefwaarde of een nieuw streefjaar op dat verschilt van het huidige."
                )
                % {"n": n + 1},
            )
        ms_items.append(
            ChangeRequestItem(
                kind=ChangeRequestItem.Kind.MILESTONE,
                milestone=milestone,
                new_target_value=new_value if new_value != milestone.target_value else None,
                new_target_year=new_year if new_year != milestone.target_year else None,
                old_target_value=milestone.target_value,
                old_target_year=milestone.target_year,
            )
        )
    if errors:
        raise ValidationError(errors)

    change_request = ChangeRequest(
        agenda=agenda,
        reason=reason,
        requested_by=actor,
        route=change_request_route(agenda=agenda, shifts=shift_items, milestone_changes=ms_items),
    )
    change_request._history_user = actor
    change_request.save()
    for item in [*shift_items, *ms_items]:
        item.change_request = change_request
        item._history_user = actor
        item.save()
    ChangeRequestParticipant.objects.create(change_request=change_request, user=actor, role=Role.REQUESTER)
    step = CHANGE_REQUEST.actions["submit"]
    CHANGE_REQUEST.record_model.objects.create(
        change_request=change_request,
        action=step.name,
        from_status="",
        to_status=change_request.status,
        actor=actor,
        comment=reason,
    )
    _tell(
        step,
        change_request,
        actor,
        subject=_("Nieuw wijzigingsverzoek voor %(agenda)s") % {"agenda": agenda.title},
        event="submitted",
        kind="monitoring_change_request_submitted",
    )
    return change_request


def _tell(step, change_request: ChangeRequest, actor: User, *, subject: str, event: str, kind: str) -> int:
    """Tell the audiences the change-request table declares for ``step``."""
    return notifications.notify_action(
        step,
        Context(case=change_request, actor=actor),
        subject=subject,
        template="agendas/email/monitoring_change_request.txt",
        context={"change_request": change_request, "agenda": change_request.agenda, "event": event},
        kind=kind,
    )


# --- transitions (through the change-request table: agendas/workflow/change_request.py) ----------------
def _conflict_message(change_request: ChangeRequest, changes: dict) -> str:
    return _("Dit wijzigingsverzoek is intussen gewijzigd (nu: %(status)s). Laad de pagina opnieuw.") % {
        "status": change_request.get_status_display()
    }


def _lock(change_request: ChangeRequest, lock_version: Any, actor: User, action: str, **params):
    """Lock the row, ask the table (role, route, state, four eyes, separation of duties, second factor), then
    the optimistic lock (the one lock rule) – in that order, so that someone who may not act never learns
    what changed from a 409. The transitions bump the version themselves."""
    return CHANGE_REQUEST.take(
        action, case=change_request, actor=actor, lock_version=lock_version, message=_conflict_message, **params
    )


def _participate(change_request: ChangeRequest, actor: User, role: str) -> None:
    """Record ``actor`` among the people of this request; the unique (request, user) pair refuses – in the
    database – a requester who decides or a preparer who signs."""
    ChangeRequestParticipant.objects.create(change_request=change_request, user=actor, role=role)


def _outcome(outcome: str) -> str:
    if outcome not in ChangeRequest.Outcome.values:
        raise ValidationError({"outcome": _("Besluit: kies accepteren of afwijzen.")})
    return outcome


def _finish(change_request: ChangeRequest, step, *, actor: User, outcome: str, remarks: str, role: str):
    _participate(change_request, actor, role)
    change_request.decided_by = actor
    change_request.decided_at = timezone.now()
    change_request.decision_remarks = remarks
    if outcome == ChangeRequest.Outcome.ACCEPT:
        change_request.resulting_version = apply_change_request(change_request=change_request, actor=actor)
    CHANGE_REQUEST.apply(step, case=change_request, actor=actor, comment=remarks, params={"outcome": outcome})
    _tell(
        step,
        change_request,
        actor,
        subject=_("Besluit over uw wijzigingsverzoek: %(status)s") % {"status": change_request.get_status_display()},
        event="decided",
        kind="monitoring_change_request_decided",
    )
    return change_request


@transaction.atomic
def change_request_decide(
    *, change_request: ChangeRequest, actor: User, outcome: str, remarks: str = "", lock_version: Any = IN_PROCESS
) -> ChangeRequest:
    """The state representative decides a small change."""
    outcome = _outcome(outcome)
    locked, step = _lock(change_request, lock_version, actor, policy.DECIDE_CHANGE, outcome=outcome)
    remarks = (remarks or "").strip()
    if outcome == ChangeRequest.Outcome.REJECT and not remarks:
        raise ValidationError({"remarks": _("Toelichting: geef aan waarom u de wijziging afwijst.")})
    return _finish(locked, step, actor=actor, outcome=outcome, remarks=remarks, role=Role.DECIDER)


@transaction.atomic
def change_request_prepare(
    *, change_request: ChangeRequest, actor: User, advised_outcome: str, note: str, lock_version: Any = IN_PROCESS
) -> ChangeRequest:
    """A ministry officer prepares the decision on a large change (advised outcome and a note)."""
    locked, step = _lock(change_request, lock_version, actor, policy.PREPARE_CHANGE)
    errors = {}
    if advised_outcome not in ChangeRequest.Outcome.values:
        errors["advised_outcome"] = _("Geadviseerd besluit: kies accepteren of afwijzen.")
    note = (note or "").strip()
    if not note:
        errors["note"] = _("Voorbereidende nota: onderbouw het geadviseerde besluit.")
    if errors:
        raise ValidationError(errors)
    _participate(locked, actor, Role.PREPARER)
    locked.prepared_by = actor
    locked.prepared_at = timezone.now()
    locked.advised_outcome = advised_outcome
    locked.preparation_note = note
    CHANGE_REQUEST.apply(step, case=locked, actor=actor, comment=note)
    _tell(
        step,
        locked,
        actor,
        subject=_("Wijzigingsverzoek %(agenda)s ligt klaar voor besluit") % {"agenda": locked.agenda.title},
        event="prepared",
        kind="monitoring_change_request_prepared",
    )
    return locked


@transaction.atomic
def change_request_sign(
    *,
    change_request: ChangeRequest,
    actor: User,
    outcome: str,
    remarks: str = "",
    lock_version: Any = IN_PROCESS,
    second_factor_verified: bool = False,
) -> ChangeRequest:
    """A ministry signatory decides a prepared large change; never someone who prepared or revised it (four
    eyes), and – like signing an agenda decision – only with a verified second factor (the same guards)."""
    locked, step = _lock(
        change_request, lock_version, actor, policy.SIGN_CHANGE, second_factor_verified=second_factor_verified
    )
    outcome = _outcome(outcome)
    remarks = (remarks or "").strip()
    if outcome != locked.advised_outcome and not remarks:
        raise ValidationError({"remarks": _("Toelichting: u wijkt af van het geadviseerde besluit; leg uit waarom.")})
    return _finish(locked, step, actor=actor, outcome=outcome, remarks=remarks, role=Role.SIGNER)


@transaction.atomic
def change_request_withdraw(
    *, change_request: ChangeRequest, actor: User, lock_version: Any = IN_PROCESS
) -> ChangeRequest:
    locked, step = _lock(change_request, lock_version, actor, policy.WITHDRAW_CHANGE)
    CHANGE_REQUEST.apply(step, case=locked, actor=actor)
    return locked


# --- applying an accepted change ----------------------------------------------------------------------
def agenda_snapshot(agenda: Agenda) -> dict:
    """The same snapshot as a submission (agendas.decision.versions.build_snapshot), so versions made by
    accepted changes can be compared with submitted ones."""
    from agendas.decision.versions import build_snapshot

    return build_snapshot(agenda)


def create_change_version(*, agenda: Agenda, actor: User) -> AgendaVersion:
    """A new numbered agenda version after an accepted change (reason CHANGE_REQUEST)."""
    agenda = AGENDA.lock(agenda)
    version = AgendaVersion.objects.create(
        agenda=agenda,
        number=agenda.current_version + 1,
        reason=AgendaVersion.Reason.CHANGE_REQUEST,
        snapshot=agenda_snapshot(agenda),
        created_by=actor,
    )
    agenda.current_version = version.number
    agenda.lock_version += 1
    agenda._history_user = actor
    agenda.save(update_fields=["current_version", "lock_version", "updated_at"])
    return version


def apply_change_request(*, change_request: ChangeRequest, actor: User) -> AgendaVersion:
    """Apply the items (in the caller's transaction), then record a new agenda version."""
    for item in change_request.items.select_related("from_line", "milestone").order_by("pk"):
        if item.kind == ChangeRequestItem.Kind.BUDGET_SHIFT:
            line = BudgetLine.objects.select_for_update().get(pk=item.from_line_id)
            if line.amount < item.amount:
                raise TransitionRefused(
                    _("De wijziging kan niet meer worden doorgevoerd: op de regel staat nog maar %(amount)s.")
                    % {"amount": money.format_amount(line.amount)},
                    code="stale_change",
                )
            line.amount -= item.amount
            line._history_user = actor
            line.save()
            target = (
                BudgetLine.objects.select_for_update()
                .filter(priority_id=item.to_priority_id, year=item.to_year, source_id=line.source_id)
                .first()
            )
            if target is None:
                target = BudgetLine(
                    priority_id=item.to_priority_id, year=item.to_year, source_id=line.source_id, amount=Decimal("0")
                )
            target.amount += item.amount
            target._history_user = actor
            target.save()
        else:
            milestone = Milestone.objects.select_for_update().get(pk=item.milestone_id)
            if item.new_target_value is not None:
                milestone.target_value = item.new_target_value
            if item.new_target_year is not None:
                milestone.target_year = item.new_target_year
            milestone._history_user = actor
            milestone.save()
    for report in ProgressReport.objects.filter(
        agenda_id=change_request.agenda_id, status__in=ProgressReport.EDITABLE_STATUSES
    ):
        ensure_report_rows(report=report, actor=actor)
    refresh_health(agenda_id=change_request.agenda_id)  # the plan changed: health of every report follows
    refresh_summary(change_request.agenda_id)
    return create_change_version(agenda=change_request.agenda, actor=actor)
