"""THE per-agenda summary (``agendas.summary.models``): one computation, one refresh, one rebuild.

``refresh_summary(agenda)`` is called by every service that moves a dashboard figure, inside that
service's transaction: budget grid/line saves, priority update/delete, milestone create/update/delete,
progress report rows and saves, change-request acceptance, dossier destruction. ``rebuild_summaries``
(``manage.py rebuild_summaries``, ``build_portfolio``) recomputes any set of agendas with the same
``compute_cells``. A set-based computation: a fixed number of queries however many agendas.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max, QuerySet, Sum

from agendas.models import Agenda, BudgetLine, BudgetLineRealisation, Milestone, MilestoneProgress, ProgressReport
from agendas.summary.models import ZERO, AgendaSummary, AgendaSummaryCell

Kind = AgendaSummaryCell.Kind


def compute_cells(agenda_ids: Iterable[int] | QuerySet) -> tuple[list[AgendaSummaryCell], dict[int, int | None]]:
    """Fresh summary cells of the given agendas from the source rows, and each agenda's latest report year."""
    ids = agenda_ids if isinstance(agenda_ids, QuerySet) else list(agenda_ids)
    cells: list[AgendaSummaryCell] = []
    by_year: dict[tuple, Decimal] = defaultdict(Decimal)
    by_theme: dict[tuple, Decimal] = defaultdict(Decimal)
    by_source: dict[tuple, Decimal] = defaultdict(Decimal)
    for agenda_id, theme_id, year, source_id, total in (
        BudgetLine.objects.filter(priority__agenda_id__in=ids)
        .values_list("priority__agenda_id", "priority__theme_id", "year", "source_id")
        .annotate(t=Sum("amount"))
        .order_by()
    ):
        cells.append(
            AgendaSummaryCell(
                agenda_id=agenda_id, kind=Kind.BUDGET, theme_id=theme_id, year=year, source_id=source_id, amount=total
            )
        )
        by_year[agenda_id, year, source_id] += total
        by_theme[agenda_id, theme_id, source_id] += total
        by_source[agenda_id, source_id] += total
    cells += [
        AgendaSummaryCell(agenda_id=a, kind=Kind.BUDGET_YEAR, year=y, source_id=s, amount=t)
        for (a, y, s), t in by_year.items()
    ]
    cells += [
        AgendaSummaryCell(agenda_id=a, kind=Kind.BUDGET_THEME, theme_id=th, source_id=s, amount=t)
        for (a, th, s), t in by_theme.items()
    ]
    cells += [
        AgendaSummaryCell(agenda_id=a, kind=Kind.BUDGET_SOURCE, source_id=s, amount=t)
        for (a, s), t in by_source.items()
    ]
    for agenda_id, theme_id, year, n in (
        Milestone.objects.filter(priority__agenda_id__in=ids)
        .values_list("priority__agenda_id", "priority__theme_id", "target_year")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        cells.append(
            AgendaSummaryCell(agenda_id=agenda_id, kind=Kind.MILESTONES, theme_id=theme_id, year=year, count=n)
        )
    for agenda_id, theme_id, year, realised, planned in (
        BudgetLineRealisation.objects.filter(report__agenda_id__in=ids)
        .values_list("report__agenda_id", "budget_line__priority__theme_id", "report__year")
        .annotate(r=Sum("realised"), p=Sum("budget_line__amount"))
        .order_by()
    ):
        cells.append(
            AgendaSummaryCell(
                agenda_id=agenda_id,
                kind=Kind.SPENDING,
                theme_id=theme_id,
                year=year,
                amount=realised or ZERO,
                planned=planned or ZERO,
            )
        )
    latest = dict(
        ProgressReport.objects.filter(agenda_id__in=ids)
        .values_list("agenda_id")
        .annotate(y=Max("year"))
        .order_by()
        .values_list("agenda_id", "y")
    )
    for agenda_id, theme_id, year, health, n in (
        MilestoneProgress.objects.filter(report__agenda_id__in=ids)
        .values_list("report__agenda_id", "milestone__priority__theme_id", "report__year", "health")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        cells.append(
            AgendaSummaryCell(
                agenda_id=agenda_id,
                kind=Kind.HEALTH,
                theme_id=theme_id,
                year=year,
                health=health or "",
                latest=latest.get(agenda_id) == year,
                count=n,
            )
        )
    return cells, latest


def _write(agenda_ids: list[int], cells: list[AgendaSummaryCell], latest: dict[int, int | None]) -> None:
    AgendaSummaryCell.objects.filter(agenda_id__in=agenda_ids).delete()
    AgendaSummaryCell.objects.bulk_create(cells, batch_size=2000)
    AgendaSummary.objects.filter(agenda_id__in=agenda_ids).delete()
    AgendaSummary.objects.bulk_create(
        [AgendaSummary(agenda_id=pk, latest_report_year=latest.get(pk)) for pk in agenda_ids]
    )


def refresh_summary(agenda: Agenda | int) -> None:
    """Recompute one agenda's summary. Call it inside the transaction of the change that moves it."""
    agenda_id = agenda if isinstance(agenda, int) else agenda.pk
    with transaction.atomic(savepoint=False):  # inside the caller's transaction: no savepoint of its own
        cells, latest = compute_cells([agenda_id])
        _write([agenda_id], cells, latest)


def rebuild_summaries(agendas: QuerySet[Agenda] | None = None, *, chunk: int = 500) -> int:
    """Recompute the summaries of ``agendas`` (default: all), ``chunk`` agendas per transaction. Idempotent.
    Returns the number of agendas."""
    ids = list((agendas if agendas is not None else Agenda.objects.all()).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        with transaction.atomic():
            cells, latest = compute_cells(part)
            _write(part, cells, latest)
    return len(ids)


def stored_cells(agenda_ids: Iterable[int]) -> dict[tuple, tuple]:
    """The stored cells as {key: values}, to compare with a fresh ``compute_cells`` (tests, ``--check``)."""
    return {cell.key(): cell.values() for cell in AgendaSummaryCell.objects.filter(agenda_id__in=list(agenda_ids))}


def fresh_cells(agenda_ids: Iterable[int]) -> dict[tuple, tuple]:
    cells, _latest = compute_cells(list(agenda_ids))
    return {cell.key(): cell.values() for cell in cells}
