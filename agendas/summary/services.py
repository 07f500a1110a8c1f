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
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, QuerySet, Sum

from accounts.models import Alliance, Region
from agendas.models import Agenda, BudgetLine, BudgetLineRealisation, Milestone, MilestoneProgress, ProgressReport
from agendas.permissions import beyond_draft
from agendas.summary.models import (
    ANY_STATUS,
    ZERO,
    AgendaSummary,
    AgendaSummaryCell,
    RegionSummaryCell,
    RegionSummaryStale,
)

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
    """Recompute one agenda's summary, and its region's. Call it inside the transaction of the change that
    moves it."""
    agenda_id = agenda if isinstance(agenda, int) else agenda.pk
    with transaction.atomic(savepoint=False):  # inside the caller's transaction: no savepoint of its own
        cells, latest = compute_cells([agenda_id])
        _write([agenda_id], cells, latest)
        mark_stale(Agenda.objects.filter(pk=agenda_id).values_list("alliance__region_id", flat=True))


def rebuild_summaries(agendas: QuerySet[Agenda] | None = None, *, chunk: int = 500) -> int:
    """Recompute the summaries of ``agendas`` (default: all), ``chunk`` agendas per transaction. Idempotent.
    Returns the number of agendas."""
    ids = list((agendas if agendas is not None else Agenda.objects.all()).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        with transaction.atomic():
            cells, latest = compute_cells(part)
            _write(part, cells, latest)
    regions = Region.objects.filter(alliances__agendas__pk__in=ids) if agendas is not None else Region.objects.all()
    recount_regions(regions.values_list("pk", flat=True))
    return len(ids)


# --- the region summary ----------------------------------------------------------------------------
def compute_region_cells(region_ids: Iterable[int]) -> list[RegionSummaryCell]:
    """Fresh region cells from the stored agenda cells of the regions' agendas: one query."""
    past_draft = ExpressionWrapper(beyond_draft("agenda__"), output_field=BooleanField())
    rows = (
        AgendaSummaryCell.objects.filter(agenda__alliance__region_id__in=list(region_ids))
        .annotate(past_draft=past_draft)
        .values_list(
            "agenda__alliance__region_id",
            "agenda__status",
            "past_draft",
            "kind",
            "theme_id",
            "year",
            "source_id",
            "health",
            "latest",
        )
        .annotate(a=Sum("amount"), p=Sum("planned"), c=Sum("count"))
        .order_by()
    )
    return region_sums(rows)


def region_sums(rows: Iterable[tuple]) -> list[RegionSummaryCell]:
    """THE region grains: ``rows`` are (region, agenda status, past the draft, kind, theme, year, source, health,
    latest, amount, planned, count), summed per agenda status and once more over every status (``status=""``,
    what a dashboard without a status filter reads: a fraction of the rows)."""
    sums: dict[tuple, list] = {}
    for region_id, status, past, kind, theme_id, year, source_id, health, latest, amount, planned, count in rows:
        for grain in (status, ANY_STATUS):
            total = sums.setdefault(
                (region_id, grain, bool(past), kind, theme_id, year, source_id, health, latest), [ZERO, ZERO, 0]
            )
            total[0] += amount or ZERO
            total[1] += planned or ZERO
            total[2] += count or 0
    cells = [
        RegionSummaryCell(
            region_id=region_id,
            status=status,
            beyond_draft=past,
            kind=kind,
            theme_id=theme_id,
            year=year,
            source_id=source_id,
            health=health,
            latest=latest,
            amount=amount,
            planned=planned,
            count=count,
        )
        for (region_id, status, past, kind, theme_id, year, source_id, health, latest), (
            amount,
            planned,
            count,
        ) in sums.items()
    ]
    # Written in reading order: a region's rows over every status together, kind by kind (a dashboard reads a
    # few hundred table pages instead of thousands).
    cells.sort(key=lambda c: (c.status != ANY_STATUS, c.kind))
    return cells


def mark_stale(region_ids: Iterable[int | None]) -> None:
    """A change moved these regions' figures: mark them stale in the change's own transaction (so the dashboard
    counts their agendas from their own cells at once) and queue their recount for after the commit."""
    ids = sorted({pk for pk in region_ids if pk is not None})
    if not ids:
        return
    RegionSummaryStale.objects.bulk_create([RegionSummaryStale(region_id=pk) for pk in ids])

    def queue() -> None:
        from accounts.outbox import enqueue_task
        from agendas.summary.tasks import recount_region_summaries

        enqueue_task(recount_region_summaries, ids)  # broker down: the sweep recounts them

    transaction.on_commit(queue)


def recount_regions(region_ids: Iterable[int]) -> int:
    """Recount the region summary of these regions from the stored agenda cells, one transaction each; returns
    how many were recounted.

    Per region: lock its row (one recount at a time), read its stale marks, recount, remove those marks. A
    change that commits after the marks were read keeps its own mark, so the region stays stale until the next
    recount; every mark read belongs to a committed change, which the recount (a later statement) sees."""
    done = 0
    for region_id in sorted(set(region_ids)):
        with transaction.atomic():
            if not Region.objects.select_for_update().filter(pk=region_id).exists():
                continue
            marks = list(RegionSummaryStale.objects.filter(region_id=region_id).values_list("pk", flat=True))
            RegionSummaryCell.objects.filter(region_id=region_id).delete()
            RegionSummaryCell.objects.bulk_create(compute_region_cells([region_id]), batch_size=2000)
            RegionSummaryStale.objects.filter(pk__in=marks).delete()
            done += 1
    return done


def recount_stale_regions() -> int:
    """The sweep: recount every region marked stale (what the queued task missed, e.g. with the broker down)."""
    return recount_regions(RegionSummaryStale.objects.values_list("region_id", flat=True).distinct())


def region_of(alliance_id: int | None) -> int | None:
    if alliance_id is None:
        return None
    return Alliance.objects.filter(pk=alliance_id).values_list("region_id", flat=True).first()


def stored_cells(agenda_ids: Iterable[int]) -> dict[tuple, tuple]:
    """The stored cells as {key: values}, to compare with a fresh ``compute_cells`` (tests, ``--check``)."""
    return {cell.key(): cell.values() for cell in AgendaSummaryCell.objects.filter(agenda_id__in=list(agenda_ids))}


def fresh_cells(agenda_ids: Iterable[int]) -> dict[tuple, tuple]:
    cells, _latest = compute_cells(list(agenda_ids))
    return {cell.key(): cell.values() for cell in cells}


def stored_region_cells(region_ids: Iterable[int]) -> dict[tuple, tuple]:
    return {cell.key(): cell.values() for cell in RegionSummaryCell.objects.filter(region_id__in=list(region_ids))}


def fresh_region_cells(region_ids: Iterable[int]) -> dict[tuple, tuple]:
    """The region cells summed from fresh agenda cells (not the stored ones): what the region summary must
    equal after every change."""
    ids = list(region_ids)
    past_draft = ExpressionWrapper(beyond_draft(), output_field=BooleanField())
    agendas = Agenda.objects.filter(alliance__region_id__in=ids).annotate(past_draft=past_draft)
    about = {
        pk: (region, status, bool(past))
        for pk, region, status, past in agendas.values_list("pk", "alliance__region_id", "status", "past_draft")
    }
    rows = (
        (*about[c.agenda_id], c.kind, c.theme_id, c.year, c.source_id, c.health, c.latest, c.amount, c.planned, c.count)
        for c in compute_cells(list(about))[0]
    )
    return {cell.key(): cell.values() for cell in region_sums(rows)}
