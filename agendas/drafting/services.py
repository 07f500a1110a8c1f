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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import Alliance, User
from agendas.drafting.models import MAX_LINE_AMOUNT, MAX_PERIOD_YEARS, MAX_YEAR, MIN_YEAR
from agendas.models import (
    Agenda,
    AgendaPartner,
    BudgetLine,
    Comment,
    FundingSource,
    Milestone,
    Priority,
)
from agendas.permissions import agenda_policy
from kansenagenda import money
from kansenagenda.errors import ConflictError
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
)
PARTNER_FIELDS = ("organisation", "role", "commitment_type", "commitment", "commitment_amount")

# Sections of an agenda that can be commented on. "priority" needs the priority it is about.
COMMENT_SECTIONS = {
    "general": gettext_lazy("Algemeen"),
    "vision": gettext_lazy("Visie en ambitie"),
    "analysis": gettext_lazy("Analyse van opgaven en kansen"),
    "baseline": gettext_lazy("Brede-welvaartsnulmeting"),
    "priority": gettext_lazy("Prioriteit"),
    "partners": gettext_lazy("Partners"),
    "budget": gettext_lazy("Begroting"),
    "milestones": gettext_lazy("Mijlpalen"),
    "attachments": gettext_lazy("Bijlagen"),
}


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
    rows = list(BudgetLine.history.filter(priority_id=priority.pk).order_by("history_date", "history_id"))
    before: dict[int, Any] = {}
    after: dict[int, Any] = {}
    for row in rows:
        target = before if row.history_date <= since else after
        target[row.id] = row
    sources = {s.pk: s for s in FundingSource.objects.all()}
    changes = {}
    for line_id, last in after.items():
        prev = before.get(line_id)
        old = prev.amount if prev is not None and prev.history_type != "-" else None
        new = last.amount if last.history_type != "-" else None
        if old == new:
            continue
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
    pk = agenda.pk if isinstance(agenda, Agenda) else agenda
    locked = Agenda.objects.select_for_update(of=("self",)).select_related("alliance__region").filter(pk=pk).first()
    if locked is None:
        raise ConflictError(_("De agenda bestaat niet meer; iemand anders heeft haar verwijderd."))
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


def _amount_error(amount: Any, *, what: str) -> str | None:
    """Rules for every money amount: a number, ≥ 0, at most 2 decimals, at most € 10 billion."""
    if not isinstance(amount, Decimal):
        try:
            amount = Decimal(str(amount))
        except InvalidOperation:
            return _("%(what)s is geen geldig bedrag; vul een bedrag in euro's in, bijvoorbeeld 125000,50.") % {
                "what": what
            }
    if not amount.is_finite():
        return _("%(what)s is geen geldig bedrag; vul een bedrag in euro's in.") % {"what": what}
    if amount < 0:
        return _("%(what)s is negatief; vul een bedrag van 0 of meer in.") % {"what": what}
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        return _("%(what)s heeft meer dan twee decimalen; rond af op hele centen.") % {"what": what}
    if amount > MAX_LINE_AMOUNT:
        return _("%(what)s is hoger dan het maximum van € 10 miljard per regel; controleer het bedrag.") % {
            "what": what
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


# --- budget grid -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetCell:
    """One cell of the grid. ``amount`` None or 0 means: no budget line."""

    priority_id: int
    year: int
    source_id: int
    amount: Decimal | None


@dataclass
class BudgetGridResult:
    created: int
    updated: int
    deleted: int
    lock_versions: dict[int, int]


def cell_key(priority_id: int, year: int, source_id: int) -> str:
    """The name of a cell: its input name in the grid form and its error key in the form and API."""
    return f"amount-{priority_id}-{year}-{source_id}"


@transaction.atomic
def budget_grid_save(
    *,
    agenda: Agenda,
    actor: User,
    cells: Iterable[BudgetCell],
    lock_versions: Mapping[int, int | None],
) -> BudgetGridResult:
    """Save budget cells (priority × year × source) of one agenda in one transaction.

    ``lock_versions`` maps priority id → the ``Priority.lock_version`` the cells were based on; it is
    required for every priority whose budget actually changes. Cells equal to what is stored are not
    written. All cells are validated before anything is written: nothing is half-saved.
    """
    agenda = lock_agenda_for_drafting(agenda, actor)
    cells = list(cells)
    priorities = {p.pk: p for p in Priority.objects.select_for_update().filter(agenda=agenda)}
    sources = {s.pk: s for s in FundingSource.objects.all()}
    errors: dict[str, list] = {}
    wanted: dict[tuple[int, int, int], Decimal | None] = {}
    for cell in cells:
        key = cell_key(cell.priority_id, cell.year, cell.source_id)
        priority = priorities.get(cell.priority_id)
        source = sources.get(cell.source_id)
        if priority is None:
            _collect(errors, key, _("Deze prioriteit hoort niet (meer) bij deze agenda; laad de pagina opnieuw."))
            continue
        if source is None:
            _collect(errors, key, _("Onbekende financieringsbron; kies een bron uit de lijst."))
            continue
        what = _("Het bedrag voor ‘%(priority)s’, %(year)s, %(source)s") % {
            "priority": priority.title,
            "year": cell.year,
            "source": source,
        }
        if not isinstance(cell.year, int) or not agenda.start_year <= cell.year <= agenda.end_year:
            _collect(
                errors,
                key,
                _(
                    "Jaar %(year)s valt buiten de looptijd %(start)s–%(end)s van de agenda; kies een jaar binnen de "
                    "looptijd of verleng eerst de looptijd."
                )
                % {"year": cell.year, "start": agenda.start_year, "end": agenda.end_year},
            )
            continue
        if cell.amount is not None:
            error = _amount_error(cell.amount, what=what)
            if error:
                _collect(errors, key, error)
                continue
        triple = (cell.priority_id, cell.year, cell.source_id)
        if triple in wanted:
            _collect(
                errors, key, _("%(what)s staat twee keer in de invoer; vul elke cel één keer in.") % {"what": what}
            )
            continue
        amount = Decimal(str(cell.amount)).quantize(Decimal("0.01")) if cell.amount is not None else None
        wanted[triple] = amount if amount else None
    _raise(errors)

    existing = {
        (line.priority_id, line.year, line.source_id): line
        for line in BudgetLine.objects.filter(priority_id__in={t[0] for t in wanted})
    }
    to_create: list[BudgetLine] = []
    to_update: list[BudgetLine] = []
    to_delete: list[BudgetLine] = []
    changed_priorities: set[int] = set()
    for (priority_id, year, source_id), amount in wanted.items():
        line = existing.get((priority_id, year, source_id))
        if amount is None:
            if line is not None:
                to_delete.append(line)
                changed_priorities.add(priority_id)
        elif line is None:
            to_create.append(BudgetLine(priority_id=priority_id, year=year, source_id=source_id, amount=amount))
            changed_priorities.add(priority_id)
        elif line.amount != amount:
            line.amount = amount
            to_update.append(line)
            changed_priorities.add(priority_id)

    for priority_id in sorted(changed_priorities):
        priority = priorities[priority_id]
        based_on = lock_versions.get(priority_id, lock_versions.get(str(priority_id)))  # type: ignore[call-overload]
        _check_lock(priority, based_on, what=_("De begroting van prioriteit ‘%(title)s’") % {"title": priority.title})

    if to_create:
        bulk_create_with_history(to_create, BudgetLine, default_user=actor)
    if to_update:
        _update_amounts(to_update, actor=actor)
    for line in to_delete:
        line._history_user = actor
        line.delete()
    bumped = [priorities[priority_id] for priority_id in changed_priorities]  # check_lock bumped them
    if bumped:
        # The history row carries the new lock_version, so a later conflict can show what changed since then.
        bulk_update_with_history(bumped, Priority, ["lock_version"], default_user=actor)
    return BudgetGridResult(
        created=len(to_create),
        updated=len(to_update),
        deleted=len(to_delete),
        lock_versions={pk: p.lock_version for pk, p in priorities.items()},
    )


def _update_amounts(lines: list[BudgetLine], *, actor: User, chunk: int = 300) -> None:
    """One UPDATE ... CASE per chunk of lines, then one history row per line. Django's bulk_update builds the
    same statement but spends most of a 500-cell save resolving expressions; the SQL here is plain and
    portable (SQLite, PostgreSQL)."""
    table = connection.ops.quote_name(BudgetLine._meta.db_table)
    for start in range(0, len(lines), chunk):
        part = lines[start : start + chunk]
        cases = " ".join(["WHEN %s THEN %s"] * len(part))
        ids = ", ".join(["%s"] * len(part))
        params: list[Any] = []
        for line in part:
            params += [line.pk, connection.ops.adapt_decimalfield_value(line.amount, 14, 2)]
        params += [line.pk for line in part]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET amount = CAST(CASE id {cases} END AS NUMERIC(14, 2)) WHERE id IN ({ids})",  # noqa: S608
                params,
            )
    BudgetLine.history.bulk_history_create(lines, update=True, default_user=actor)


@transaction.atomic
def budget_line_create(
    *, priority: Priority, actor: User, year: int, source: FundingSource, amount: Decimal, lock_version: int | None
) -> BudgetLine:
    """One new line (API). Refuses a duplicate (priority, year, source): change the existing line instead."""
    lock_agenda_for_drafting(priority.agenda_id, actor)
    if BudgetLine.objects.filter(priority=priority, year=year, source=source).exists():
        raise ValidationError(
            {
                "source": _(
                    "Er is al een begrotingsregel voor ‘%(priority)s’, %(year)s, %(source)s. Wijzig die regel in "
                    "plaats van een tweede toe te voegen."
                )
                % {"priority": priority.title, "year": year, "source": source}
            }
        )
    if amount is None or Decimal(str(amount)) == 0:
        raise ValidationError({"amount": _("Vul een bedrag groter dan 0 in.")})
    _single_cell(priority, actor, year, source.pk, amount, lock_version)
    return BudgetLine.objects.get(priority=priority, year=year, source=source)


@transaction.atomic
def budget_line_update(*, line: BudgetLine, actor: User, amount: Decimal, lock_version: int | None) -> BudgetLine:
    lock_agenda_for_drafting(line.priority.agenda_id, actor)
    if amount is None or Decimal(str(amount)) == 0:
        raise ValidationError({"amount": _("Vul een bedrag groter dan 0 in, of verwijder de regel.")})
    _single_cell(line.priority, actor, line.year, line.source_id, amount, lock_version)
    line.refresh_from_db()
    return line


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, actor: User, lock_version: int | None) -> None:
    lock_agenda_for_drafting(line.priority.agenda_id, actor)
    _single_cell(line.priority, actor, line.year, line.source_id, None, lock_version)


def _single_cell(priority: Priority, actor: User, year: int, source_id: int, amount, lock_version) -> None:
    try:
        budget_grid_save(
            agenda=priority.agenda,
            actor=actor,
            cells=[BudgetCell(priority.pk, year, source_id, amount)],
            lock_versions={priority.pk: lock_version},
        )
    except ValidationError as exc:
        key = cell_key(priority.pk, year, source_id)
        if hasattr(exc, "error_dict") and key in exc.error_dict:
            field = "year" if any("looptijd" in str(m) for m in exc.message_dict[key]) else "amount"
            raise ValidationError({field: exc.message_dict[key]}) from None
        raise


# --- milestones --------------------------------------------------------------------------------


def _validate_milestone(milestone: Milestone, agenda: Agenda, errors: dict[str, list]) -> None:
    for name, label in (("baseline_year", _("het jaar van de nulmeting")), ("target_year", _("het streefjaar"))):
        error = _year_error(str(label), getattr(milestone, name))
        if error:
            _collect(errors, name, error)
    if "target_year" not in errors:
        target_year = int(milestone.target_year)
        if not agenda.start_year <= target_year <= agenda.end_year:
            _collect(
                errors,
                "target_year",
                _(
                    "Het streefjaar %(year)s valt buiten de looptijd %(start)s–%(end)s; kies een streefjaar binnen "
                    "de looptijd."
                )
                % {"year": target_year, "start": agenda.start_year, "end": agenda.end_year},
            )
        if "baseline_year" not in errors and int(milestone.baseline_year) > target_year:
            _collect(
                errors,
                "baseline_year",
                _("Het jaar van de nulmeting (%(base)s) ligt na het streefjaar (%(target)s); kies een eerder jaar.")
                % {"base": milestone.baseline_year, "target": target_year},
            )
    if (
        milestone.baseline_value not in (None, "")
        and milestone.target_value not in (None, "")
        and Decimal(str(milestone.baseline_value)) == Decimal(str(milestone.target_value))
    ):
        _collect(
            errors,
            "target_value",
            _("De streefwaarde is gelijk aan de nulmeting; vul de waarde in die u wilt bereiken."),
        )


@transaction.atomic
def milestone_create(*, priority: Priority, actor: User, data: Mapping[str, Any]) -> Milestone:
    agenda = lock_agenda_for_drafting(priority.agenda_id, actor)
    milestone = Milestone(priority=priority)
    _apply(milestone, data, MILESTONE_FIELDS)
    errors: dict[str, list] = {}
    _validate_milestone(milestone, agenda, errors)
    _clean_fields(milestone, errors, exclude=["priority"])
    _raise(errors)
    milestone._history_user = actor
    milestone.save()
    return milestone


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, actor: User, data: Mapping[str, Any], lock_version: int | None
) -> Milestone:
    agenda = lock_agenda_for_drafting(milestone.priority.agenda_id, actor)
    _check_lock(milestone, lock_version, what=_("Mijlpaal ‘%(title)s’") % {"title": milestone.title})
    _apply(milestone, data, MILESTONE_FIELDS)
    errors: dict[str, list] = {}
    _validate_milestone(milestone, agenda, errors)
    _clean_fields(milestone, errors, exclude=["priority"])
    _raise(errors)
    milestone._history_user = actor
    milestone.save()
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, actor: User, lock_version: int | None) -> None:
    lock_agenda_for_drafting(milestone.priority.agenda_id, actor)
    _check_lock(milestone, lock_version, what=_("Mijlpaal ‘%(title)s’") % {"title": milestone.title})
    milestone._history_user = actor
    milestone.delete()


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
        error = _amount_error(amount, what=str(_("Het bedrag van de toezegging")))
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


def _validate_comment(
    agenda: Agenda, section: str, priority: Priority | None, parent: Comment | None, body: str
) -> dict[str, list]:
    errors: dict[str, list] = {}
    if section not in COMMENT_SECTIONS:
        _collect(errors, "section", _("Kies het onderdeel van de agenda waarop u reageert."))
    if section == "priority" and priority is None:
        _collect(errors, "priority", _("Kies de prioriteit waarop u reageert."))
    if priority is not None and priority.agenda_id != agenda.pk:
        _collect(errors, "priority", _("Deze prioriteit hoort niet bij deze agenda."))
    if parent is not None and parent.agenda_id != agenda.pk:
        _collect(errors, "parent", _("U kunt alleen reageren op een reactie bij dezelfde agenda."))
    text = (body or "").strip()
    if not text:
        _collect(errors, "body", _("Schrijf uw reactie; een lege reactie kan niet worden geplaatst."))
    elif len(text) > 5000:
        _collect(
            errors,
            "body",
            _("Uw reactie is %(n)s tekens; het maximum is 5000. Maak haar korter.") % {"n": len(text)},
        )
    return errors


@transaction.atomic
def comment_add(
    *,
    agenda: Agenda,
    actor: User,
    section: str,
    body: str,
    priority: Priority | None = None,
    parent: Comment | None = None,
) -> Comment:
    """A comment by an alliance member on a section; a reply joins the thread of the comment it answers."""
    _authorise(actor, agenda_policy.COMMENT, agenda)
    if parent is not None:
        # One level of threading: a reply to a reply joins the same thread, on the same section.
        parent = parent.parent or parent
        section, priority = parent.section, parent.priority
    errors = _validate_comment(agenda, section, priority, parent, body)
    _raise(errors)
    comment = Comment(
        agenda=agenda,
        section=section,
        priority=priority if section == "priority" else None,
        parent=parent,
        author=actor,
        body=body.strip(),
    )
    comment._history_user = actor
    comment.save()
    return comment


def _authorise_comment_change(actor: User, comment: Comment) -> None:
    if not agenda_policy.can_change_comment(actor, comment):
        raise PermissionDenied(_("Alleen de schrijver van een reactie kan haar wijzigen of verwijderen."))


@transaction.atomic
def comment_update(*, comment: Comment, actor: User, body: str) -> Comment:
    _authorise_comment_change(actor, comment)
    errors = _validate_comment(comment.agenda, comment.section, comment.priority, comment.parent, body)
    _raise(errors)
    comment.body = body.strip()
    comment._history_user = actor
    comment.save(update_fields=["body"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor: User) -> None:
    _authorise_comment_change(actor, comment)
    comment._history_user = actor
    comment.delete()
