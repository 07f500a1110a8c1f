"""Monitoring figures: the portfolio's spending realised vs plan and milestone health (dashboard), and one
agenda's figures for a year (progress report, accountability documents). The monitoring models are
imported directly; the portfolio figures come from the per-agenda summary (``agendas.summary``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from agendas import clocks, finance
from agendas.models import Agenda, AgendaSummaryCell, BudgetLineRealisation, MilestoneProgress, ProgressReport
from reports.dashboard_filters import DashboardFilters, RefItem, priority_conditions
from reports.summary_source import CellSource, union_all

ZERO = Decimal("0.00")
Cell = AgendaSummaryCell.Kind


@dataclass
class PortfolioMonitoring:
    available: bool = False
    planned: Decimal = ZERO  # planned spending in the reported years
    realised: Decimal = ZERO  # realised spending reported
    health_by_region: list[dict] = field(default_factory=list)  # {label, counts{status: n}}
    health_by_theme: list[dict] = field(default_factory=list)
    health_statuses: list[tuple[str, str]] = field(default_factory=list)  # (code, label)
    overdue_reports: int = 0


@dataclass
class AgendaMonitoring:
    available: bool = False
    report_status: str = ""
    narrative: str = ""
    realised_by_priority: dict[int, Decimal] = field(default_factory=dict)
    milestone_status: dict[int, str] = field(default_factory=dict)
    milestone_value: dict[int, str] = field(default_factory=dict)
    spending_year: Decimal = ZERO
    spending_cumulative: Decimal = ZERO
    cofinancing_cumulative: Decimal = ZERO
    measures_completed: int = 0
    units_delivered: Decimal = ZERO


def portfolio_monitoring(
    agendas: QuerySet[Agenda],
    filters: DashboardFilters,
    region_names: dict[int, str],
    themes: dict[int, RefItem],
    *,
    source: CellSource | None = None,
) -> PortfolioMonitoring:
    """Spending realised vs plan, milestone health per region and theme, overdue progress reports. 3 queries.

    Read from the summary cells of ``source`` (``reports.summary_source``); without one (a programme filter
    needs the priorities themselves) from the monitoring models — both give the same figures."""
    from agendas.health import Health

    result = PortfolioMonitoring(available=True)
    reports = ProgressReport.objects.filter(agenda__in=agendas.values("pk"))
    if filters.year:
        reports = reports.filter(year=filters.year)
    result.overdue_reports = reports.filter(clocks.report_overdue_q()).count()

    # Health by THE rule (agendas.health), stored on each entry by the monitoring services, in each
    # agenda's latest report (or the filtered year's report); counted in the database.
    if source is not None:
        condition = priority_conditions(filters) & (Q(year=filters.year) if filters.year else Q())
        spending = union_all(
            cells.values_list("kind").annotate(realised=Sum("amount"), planned=Sum("planned")).order_by()
            for cells, _region in source.narrowed(condition, kind=Cell.SPENDING)
        )
        sums = {"realised": None, "planned": None}
        for _kind, realised, planned in spending:
            sums = {"realised": (sums["realised"] or ZERO) + realised, "planned": (sums["planned"] or ZERO) + planned}
        latest = Q() if filters.year else Q(latest=True)
        health_rows = union_all(
            cells.values_list(region, "theme_id", "health").annotate(n=Sum("count")).order_by()
            for cells, region in source.narrowed(condition & latest, kind=Cell.HEALTH)
        )
    else:
        entries = BudgetLineRealisation.objects.filter(report__in=reports)
        entries = entries.filter(priority_conditions(filters, "budget_line__priority__"))
        sums = entries.aggregate(realised=Sum("realised"), planned=Sum("budget_line__amount"))
        latest = reports
        if not filters.year:
            later = ProgressReport.objects.filter(agenda=OuterRef("agenda"), year__gt=OuterRef("year"))
            latest = reports.exclude(Exists(later))
        progress = MilestoneProgress.objects.filter(report__in=latest)
        progress = progress.filter(priority_conditions(filters, "milestone__priority__"))
        health_rows = (
            progress.values_list(
                "milestone__priority__agenda__alliance__region_id", "milestone__priority__theme_id", "health"
            )
            .annotate(n=Count("pk"))
            .order_by()
        )
    result.realised = sums["realised"] or ZERO
    result.planned = sums["planned"] or ZERO
    by_region: dict[int, dict[str, int]] = defaultdict(dict)
    by_theme: dict[int, dict[str, int]] = defaultdict(dict)
    statuses: set[str] = set()
    for region_id, theme_id, health, n in health_rows:
        if not n:
            continue
        health = health or "unknown"
        statuses.add(health)
        by_region[region_id][health] = by_region[region_id].get(health, 0) + n
        by_theme[theme_id][health] = by_theme[theme_id].get(health, 0) + n
    labels = {**dict(Health.LABELS), "unknown": _("Nog niet berekend")}
    result.health_statuses = [(code, str(labels.get(code, code))) for code in labels if code in statuses]
    result.health_statuses += [(code, code) for code in sorted(statuses) if code not in labels]
    result.health_by_region = [{"label": region_names.get(pk, "?"), "counts": c} for pk, c in sorted(by_region.items())]
    result.health_by_theme = [
        {"label": themes[pk].name if pk in themes else "?", "counts": c} for pk, c in by_theme.items()
    ]
    return result


def agenda_monitoring(agenda: Agenda, year: int) -> AgendaMonitoring:
    """One agenda's monitoring figures for a year (progress report and accountability documents)."""
    report = ProgressReport.objects.filter(agenda=agenda, year=year).order_by("-pk").first()
    if report is None:
        return AgendaMonitoring()
    result = AgendaMonitoring(available=True)
    result.report_status = str(report.get_status_display())
    result.narrative = report.overall_narrative or ""
    for priority_id, row_year, category, total in (
        BudgetLineRealisation.objects.filter(report__agenda=agenda, report__year__lte=year)
        .values_list("budget_line__priority_id", "report__year", "budget_line__source__category")
        .annotate(t=Sum("realised"))
        .order_by()
    ):
        total = total or ZERO
        kind = finance.classify(category)
        if kind == finance.REQUESTED:
            result.spending_cumulative += total
            if row_year == year:
                result.spending_year += total
        elif kind == finance.COFINANCING:
            result.cofinancing_cumulative += total
        if row_year == year:
            result.realised_by_priority[priority_id] = result.realised_by_priority.get(priority_id, ZERO) + total
    for entry in MilestoneProgress.objects.filter(report=report):
        result.milestone_status[entry.milestone_id] = str(entry.get_status_display())
        if entry.status == MilestoneProgress.Status.ACHIEVED:
            result.measures_completed += 1
        if entry.value_reached is not None:
            result.milestone_value[entry.milestone_id] = str(entry.value_reached)
            result.units_delivered += entry.value_reached
    return result
