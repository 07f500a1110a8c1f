"""Budget of an agenda: the grid (priority × year × funding source) saved in one go, and single budget lines (API).
Every write locks the agenda first (services.lock_agenda_for_drafting)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from agendas.drafting.services import _check_lock, _collect, _raise, lock_agenda_for_drafting
from agendas.models import (
    Agenda,
    BudgetLine,
    FundingSource,
    Priority,
)
from agendas.summary.services import refresh_summary
from kansenagenda import money
from kansenagenda.locking import UNTRACKED_FIELDS, changes_since, check_lock, display_value, history_base  # noqa: F401 (re-exported for selectors)


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
            error = money.amount_problem(cell.amount, what=what)
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
    if to_create or to_update or to_delete:
        refresh_summary(agenda)
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
