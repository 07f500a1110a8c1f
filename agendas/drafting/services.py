"""Drafting an agenda: every write to an agenda, its priorities, partners, budget, milestones and comments.

Each service is keyword-only and runs in one transaction. It
1. locks the agenda row and asks the policy on the locked row (``lock_agenda_for_drafting``): nothing is
   written after a concurrent submit, and a period change and a budget save never interleave;
2. checks the optimistic lock (``kansenagenda.locking.check_lock``: the ``lock_version`` the write was
   based on) and raises ``ConflictError`` listing what changed since then;
3. validates (``ValidationError`` keyed by field, Dutch messages naming the field and what to do);
4. writes, sets the acting user for django-simple-history (who/when/old → new) and bumps ``lock_version``.

The browser forms and the API call these same functions, so they can never disagree.

Locking granularity: the agenda's own fields carry ``Agenda.lock_version``; a priority's fields and its
budget lines carry ``Priority.lock_version`` (a budget save bumps it); milestones and partners carry their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from accounts.models import Alliance, User
from agendas.drafting.models import MAX_PERIOD_YEARS, MAX_YEAR, MIN_YEAR
from agendas.models import (
    Agenda,
    AgendaPartner,
    BudgetLine,
    FundingSource,
    Milestone,
    Priority,
)
from agendas.permissions import agenda_policy
from agendas.summary.services import refresh_summary
from agendas.workflow.agenda import AGENDA
from kansenagenda import money
from kansenagenda.history_diff import states_since
from kansenagenda.locking import UNTRACKED_FIELDS, changes_since, check_lock, display_value, history_base  # noqa: F401 (re-exported for selectors)

AGENDA_FIELDS = (
    "title",
    "start_year",
    "end_year",
    "vision",
    "analysis",
    "baseline_notes",
    "low_cofinancing_justification",
)
PRIORITY_FIELDS = (
    "theme",
    "title",
    "goals",
    "theory_cause",
    "theory_action",
    "theory_conditions",
    "theory_expected_change",
    "lead_partner",
    "order",
)
PRIORITY_M2M_FIELDS = ("dimensions", "programmes")
MILESTONE_FIELDS = (
    "title",
    "indicator_name",
    "unit",
    "type",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "measurement",
    "chain_link",
    "monitor_indicator",
)
PARTNER_FIELDS = ("organisation", "role", "commitment_type", "commitment", "commitment_amount")


# --- helpers -----------------------------------------------------------------------------------


def _authorise(actor: User, action: str, agenda: Agenda) -> None:
    if not agenda_policy.can(actor, action, agenda):
        raise PermissionDenied(agenda_policy.refusal_reason(actor, action, agenda))


def euro(amount: Decimal | None) -> str:
    return money.format_amount(amount)


def _changes_since(obj: models.Model, based_on: int) -> dict[str, dict[str, str]]:
    """The 409's "what changed": the field diff (``locking.changes_since``), plus the budget cells of a priority."""
    changes = changes_since(obj, based_on)
    base = history_base(obj, based_on)
    if isinstance(obj, Priority) and base is not None:
        changes.update(_budget_changes_since(obj, base.history_date))
    return changes


def _budget_changes_since(priority: Priority, since) -> dict[str, dict[str, str]]:
    """The priority's budget cells that changed after ``since`` (``history_diff.states_since``)."""
    sources = {s.pk: s for s in FundingSource.objects.all()}
    changes = {}
    for before, now in states_since(BudgetLine.history.filter(priority_id=priority.pk), since):
        old = before.amount if before is not None else None
        new = now.amount if now is not None else None
        if old == new:
            continue
        last = now or before or BudgetLine(year=0)
        source = sources.get(last.source_id)
        changes[f"budget:{last.year}:{source.code if source else last.source_id}"] = {
            "label": _("Begroting %(year)s – %(source)s") % {"year": last.year, "source": source},
            "old": euro(old),
            "new": euro(new),
        }
    return changes


def _check_lock(obj: models.Model, lock_version: Any, *, what: str) -> None:
    """Drafting's use of the one lock rule: the 409 lists fields and, for a priority, budget cells."""
    check_lock(obj, lock_version, what=what, changes=_changes_since)


def lock_agenda_for_drafting(agenda: Agenda | int, actor: User, action: str = agenda_policy.EDIT) -> Agenda:
    """Lock the agenda row for a drafting write and check, on the locked row, that ``actor`` may make it.

    Every drafting write (agenda, priorities, partners, budget, milestones, attachments) calls this first,
    inside its transaction: a concurrent submit either waits for the write (and freezes it into the
    version) or goes first (and the write is refused: no longer editable); a period change and a budget
    save are serialised, so no budget line or milestone can end up outside the period. The caller's
    ``agenda`` object gets the locked row's status, period and lock version.
    """
    locked = AGENDA.lock(agenda, missing=_("De agenda bestaat niet meer; iemand anders heeft haar verwijderd."))
    _authorise(actor, action, locked)
    if isinstance(agenda, Agenda) and agenda is not locked:
        for name in ("status", "start_year", "end_year", "current_version", "lock_version"):
            setattr(agenda, name, getattr(locked, name))
    return locked


def _collect(errors: dict[str, list], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _clean_fields(obj: models.Model, errors: dict[str, list], exclude: Iterable[str] = ()) -> None:
    """Field-level checks from the model (lengths, required, validators); our own messages win per field."""
    for field in obj._meta.concrete_fields:
        # Django enforces max_length of a TextField only in forms; the API must respect it too.
        value = getattr(obj, field.attname, None)
        if isinstance(field, models.TextField) and field.max_length and isinstance(value, str):
            if len(value) > field.max_length:
                _collect(
                    errors,
                    field.name,
                    _("%(label)s is %(n)s tekens lang; het maximum is %(max)s. Maak de tekst korter.")
                    % {"label": str(field.verbose_name).capitalize(), "n": len(value), "max": field.max_length},
                )
    try:
        obj.clean_fields(exclude=list(set(exclude) | set(errors)))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                _collect(errors, field, message)


def _raise(errors: dict[str, list]) -> None:
    if errors:
        raise ValidationError(errors)


def _apply(obj: models.Model, data: Mapping[str, Any], fields: Iterable[str]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def _year_error(label: str, value: Any) -> str | None:
    if value in (None, ""):
        return _("Vul %(label)s in.") % {"label": label}
    try:
        year = int(value)
    except (TypeError, ValueError):
        return _("%(label)s moet een jaartal zijn, bijvoorbeeld 2027.") % {"label": label.capitalize()}
    if not MIN_YEAR <= year <= MAX_YEAR:
        return _("%(label)s moet tussen %(min)s en %(max)s liggen.") % {
            "label": label.capitalize(),
            "min": MIN_YEAR,
            "max": MAX_YEAR,
        }
    return None


# --- agenda ------------------------------------------------------------------------------------


def _validate_agenda(agenda: Agenda, errors: dict[str, list]) -> None:
    start_error = _year_error(str(_("het beginjaar")), agenda.start_year)
    end_error = _year_error(str(_("het eindjaar")), agenda.end_year)
    if start_error:
        _collect(errors, "start_year", start_error)
    if end_error:
        _collect(errors, "end_year", end_error)
    if start_error or end_error:
        return
    agenda.start_year, agenda.end_year = int(agenda.start_year), int(agenda.end_year)
    if agenda.end_year < agenda.start_year:
        _collect(
            errors,
            "end_year",
            _("Het eindjaar (%(end)s) ligt vóór het beginjaar (%(start)s). Kies een eindjaar van %(start)s of later.")
            % {"end": agenda.end_year, "start": agenda.start_year},
        )
    elif agenda.end_year - agenda.start_year + 1 > MAX_PERIOD_YEARS:
        _collect(
            errors,
            "end_year",
            _("De looptijd is %(years)s jaar; het maximum is %(max)s jaar. Kies een eindjaar van uiterlijk %(last)s.")
            % {
                "years": agenda.end_year - agenda.start_year + 1,
                "max": MAX_PERIOD_YEARS,
                "last": agenda.start_year + MAX_PERIOD_YEARS - 1,
            },
        )


def _validate_period_against_content(agenda: Agenda, errors: dict[str, list]) -> None:
    """A shorter period may not leave budget lines or milestones outside it (they would disappear from the grid)."""
    if errors.get("start_year") or errors.get("end_year") or not agenda.pk:
        return
    outside = models.Q(year__lt=agenda.start_year) | models.Q(year__gt=agenda.end_year)
    lines = BudgetLine.objects.filter(priority__agenda=agenda).filter(outside)
    milestones = Milestone.objects.filter(priority__agenda=agenda).filter(
        models.Q(target_year__lt=agenda.start_year) | models.Q(target_year__gt=agenda.end_year)
    )
    years = sorted(set(lines.values_list("year", flat=True)) | set(milestones.values_list("target_year", flat=True)))
    if years:
        _collect(
            errors,
            "start_year" if years[0] < agenda.start_year else "end_year",
            _(
                "Er staan nog begrotingsregels of mijlpalen in %(years)s, buiten de nieuwe looptijd "
                "%(start)s–%(end)s. Pas die eerst aan of kies een looptijd die deze jaren omvat."
            )
            % {"years": ", ".join(str(y) for y in years), "start": agenda.start_year, "end": agenda.end_year},
        )


@transaction.atomic
def agenda_create(*, alliance: Alliance, actor: User, data: Mapping[str, Any]) -> Agenda:
    if not agenda_policy.can_create_for_alliance(actor, alliance.pk):
        raise PermissionDenied(
            _("Alleen een coördinator van alliantie ‘%(alliance)s’ kan hiervoor een agenda maken.")
            % {"alliance": alliance}
        )
    agenda = Agenda(alliance=alliance, created_by=actor)
    _apply(agenda, data, AGENDA_FIELDS)
    errors: dict[str, list] = {}
    _validate_agenda(agenda, errors)
    _clean_fields(agenda, errors, exclude=["alliance", "created_by"])
    _raise(errors)
    agenda._history_user = actor
    agenda.save()
    return agenda


@transaction.atomic
def agenda_update(*, agenda: Agenda, actor: User, data: Mapping[str, Any], lock_version: int | None) -> Agenda:
    lock_agenda_for_drafting(agenda, actor)
    _check_lock(agenda, lock_version, what=_("De agenda"))
    _apply(agenda, data, AGENDA_FIELDS)
    errors: dict[str, list] = {}
    _validate_agenda(agenda, errors)
    _validate_period_against_content(agenda, errors)
    _clean_fields(agenda, errors, exclude=["alliance", "created_by"])
    _raise(errors)
    agenda._history_user = actor
    agenda.save()
    return agenda


@transaction.atomic
def agenda_set_shared(*, agenda: Agenda, actor: User, shared: bool) -> Agenda:
    """Share the draft with the ministry (or stop sharing). Idempotent: the desired state is given."""
    locked = lock_agenda_for_drafting(agenda, actor, agenda_policy.SHARE)
    if locked.shared_with_ministry != bool(shared):
        locked.shared_with_ministry = bool(shared)
        locked.lock_version += 1
        locked._history_user = actor
        locked.save(update_fields=["shared_with_ministry", "lock_version", "updated_at"])
    agenda.shared_with_ministry, agenda.lock_version = locked.shared_with_ministry, locked.lock_version
    return agenda


@transaction.atomic
def agenda_delete(*, agenda: Agenda, actor: User, lock_version: int | None) -> None:
    """Delete a draft that was never submitted (a submitted agenda is a government record and stays)."""
    lock_agenda_for_drafting(agenda, actor, agenda_policy.DELETE)
    _check_lock(agenda, lock_version, what=_("De agenda"))
    agenda._history_user = actor
    for attachment in agenda.attachments.all():
        attachment.file.delete(save=False)
    agenda.delete()


# --- priorities --------------------------------------------------------------------------------


def _validate_priority(priority: Priority, agenda: Agenda, data: Mapping[str, Any], errors: dict[str, list]) -> None:
    theme = priority.theme if priority.theme_id else None
    if theme is not None and not theme.active:
        _collect(
            errors, "theme", _("Thema ‘%(theme)s’ is niet meer in gebruik; kies een ander thema.") % {"theme": theme}
        )
    if priority.lead_partner_id and not agenda.alliance.organisations.filter(pk=priority.lead_partner_id).exists():
        _collect(
            errors,
            "lead_partner",
            _(
                "De trekker moet een organisatie van de alliantie zijn. Kies een deelnemende organisatie of vraag "
                "de functioneel beheerder de organisatie aan de alliantie toe te voegen."
            ),
        )
    for name in PRIORITY_M2M_FIELDS:
        for item in data.get(name) or []:
            if not getattr(item, "active", True):
                _collect(errors, name, _("‘%(item)s’ is niet meer in gebruik; kies een ander item.") % {"item": item})


def _set_priority_m2m(priority: Priority, data: Mapping[str, Any]) -> None:
    for name in PRIORITY_M2M_FIELDS:
        if name in data:
            getattr(priority, name).set(data[name] or [])


@transaction.atomic
def priority_create(*, agenda: Agenda, actor: User, data: Mapping[str, Any]) -> Priority:
    agenda = lock_agenda_for_drafting(agenda, actor)
    priority = Priority(agenda=agenda)
    _apply(priority, data, PRIORITY_FIELDS)
    if "order" not in data or data.get("order") in (None, ""):
        priority.order = (agenda.priorities.aggregate(m=models.Max("order"))["m"] or 0) + 1
    errors: dict[str, list] = {}
    _validate_priority(priority, agenda, data, errors)
    _clean_fields(priority, errors, exclude=["agenda"])
    _raise(errors)
    priority._history_user = actor
    priority.save()
    _set_priority_m2m(priority, data)
    return priority


@transaction.atomic
def priority_update(*, priority: Priority, actor: User, data: Mapping[str, Any], lock_version: int | None) -> Priority:
    agenda = lock_agenda_for_drafting(priority.agenda_id, actor)
    _check_lock(priority, lock_version, what=_("Prioriteit ‘%(title)s’") % {"title": priority.title})
    # An empty order keeps the priority where it is.
    _apply(priority, data, [f for f in PRIORITY_FIELDS if not (f == "order" and data.get("order") in (None, ""))])
    errors: dict[str, list] = {}
    _validate_priority(priority, agenda, data, errors)
    _clean_fields(priority, errors, exclude=["agenda"])
    _raise(errors)
    priority._history_user = actor
    priority.save()
    _set_priority_m2m(priority, data)
    refresh_summary(agenda)  # the theme moves the priority's money and milestones
    return priority


@transaction.atomic
def priority_delete(*, priority: Priority, actor: User, lock_version: int | None) -> None:
    """Removes the priority with its budget lines, milestones and comments (all recorded in history)."""
    lock_agenda_for_drafting(priority.agenda_id, actor)
    _check_lock(priority, lock_version, what=_("Prioriteit ‘%(title)s’") % {"title": priority.title})
    for related in (*priority.budget_lines.all(), *priority.milestones.all()):
        related._history_user = actor
        related.delete()
    priority._history_user = actor
    priority.delete()
    refresh_summary(priority.agenda_id)


# --- budget grid -------------------------------------------------------------------------------


# --- milestones --------------------------------------------------------------------------------


# --- partners ----------------------------------------------------------------------------------


def _validate_partner(partner: AgendaPartner, agenda: Agenda, errors: dict[str, list]) -> None:
    if partner.organisation_id:
        if not agenda.alliance.organisations.filter(pk=partner.organisation_id).exists():
            _collect(
                errors,
                "organisation",
                _(
                    "Deze organisatie doet niet mee in de alliantie. Kies een deelnemende organisatie of vraag de "
                    "functioneel beheerder haar aan de alliantie toe te voegen."
                ),
            )
        elif (
            AgendaPartner.objects.filter(agenda=agenda, organisation_id=partner.organisation_id)
            .exclude(pk=partner.pk)
            .exists()
        ):
            _collect(
                errors,
                "organisation",
                _(
                    "Deze organisatie staat al bij de partners; wijzig die partner in plaats van haar opnieuw toe te voegen."
                ),
            )
    amount = partner.commitment_amount
    if amount not in (None, ""):
        error = money.amount_problem(amount, what=str(_("Het bedrag van de toezegging")))
        if error:
            _collect(errors, "commitment_amount", error)
    elif partner.commitment_type == AgendaPartner.Commitment.MONEY:
        _collect(errors, "commitment_amount", _("Vul het toegezegde bedrag in (soort inzet is ‘Geld’)."))


@transaction.atomic
def partner_create(*, agenda: Agenda, actor: User, data: Mapping[str, Any]) -> AgendaPartner:
    agenda = lock_agenda_for_drafting(agenda, actor)
    partner = AgendaPartner(agenda=agenda)
    _apply(partner, data, PARTNER_FIELDS)
    errors: dict[str, list] = {}
    _validate_partner(partner, agenda, errors)
    _clean_fields(partner, errors, exclude=["agenda"])
    _raise(errors)
    partner._history_user = actor
    partner.save()
    return partner


@transaction.atomic
def partner_update(
    *, partner: AgendaPartner, actor: User, data: Mapping[str, Any], lock_version: int | None
) -> AgendaPartner:
    agenda = lock_agenda_for_drafting(partner.agenda_id, actor)
    _check_lock(partner, lock_version, what=_("Partner ‘%(name)s’") % {"name": partner.organisation})
    _apply(partner, data, PARTNER_FIELDS)
    errors: dict[str, list] = {}
    _validate_partner(partner, agenda, errors)
    _clean_fields(partner, errors, exclude=["agenda"])
    _raise(errors)
    partner._history_user = actor
    partner.save()
    return partner


@transaction.atomic
def partner_delete(*, partner: AgendaPartner, actor: User, lock_version: int | None) -> None:
    lock_agenda_for_drafting(partner.agenda_id, actor)
    _check_lock(partner, lock_version, what=_("Partner ‘%(name)s’") % {"name": partner.organisation})
    if Priority.objects.filter(agenda=partner.agenda, lead_partner_id=partner.organisation_id).exists():
        raise ValidationError(
            {
                "organisation": _(
                    "Deze partner is trekker van een prioriteit. Kies eerst een andere trekker voor die prioriteit."
                )
            }
        )
    partner._history_user = actor
    partner.delete()


# --- comments ----------------------------------------------------------------------------------
