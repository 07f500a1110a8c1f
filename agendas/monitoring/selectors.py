"""Reads for monitoring: the report page (with computed cumulative figures and milestone health), the
accountability figures (computed in the database) and the milestone timelines. Every function runs a
fixed number of queries, whatever the number of milestones, budget lines or reports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from agendas import clocks, finance
from agendas.health import HealthResult, milestone_health
from agendas.models import (
    Agenda,
    BudgetLine,
    BudgetLineRealisation,
    FundingSource,
    Milestone,
    MilestoneProgress,
    Priority,
    PriorityNarrative,
    ProgressReport,
)
from kansenagenda import money

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
QUANTITY = DecimalField(max_digits=20, decimal_places=4)


# --- the report page ----------------------------------------------------------------------------------
@dataclass
class MilestoneRow:
    progress: MilestoneProgress
    milestone: Milestone
    health: HealthResult
    previous_value: Decimal | None


@dataclass
class SpendingRow:
    realisation: BudgetLineRealisation
    line: BudgetLine
    label: str


@dataclass
class PriorityBlock:
    priority: Priority
    narrative: PriorityNarrative | None
    milestones: list[MilestoneRow] = field(default_factory=list)
    lines: list[SpendingRow] = field(default_factory=list)
    planned_year: Decimal = ZERO
    realised_year: Decimal = ZERO
    committed_year: Decimal = ZERO
    planned_to_date: Decimal = ZERO  # planned budget from the start up to and including the report year
    realised_to_date: Decimal = ZERO  # cumulative realised spending (all reports up to this year)
    planned_total: Decimal = ZERO


@dataclass
class SourceRow:
    source: FundingSource
    planned_year: Decimal
    realised_year: Decimal
    realised_to_date: Decimal


@dataclass
class ReportPage:
    report: ProgressReport
    priorities: list[PriorityBlock]
    sources: list[SourceRow]
    health_counts: dict[str, int]
    planned_year: Decimal = ZERO
    realised_year: Decimal = ZERO
    realised_to_date: Decimal = ZERO
    cofinancing_year: Decimal = ZERO
    cofinancing_to_date: Decimal = ZERO

    @property
    def milestone_count(self) -> int:
        return sum(len(b.milestones) for b in self.priorities)


def report_page(report: ProgressReport) -> ReportPage:
    """Everything the report page shows, in 8 queries (the narratives come with the priorities)."""
    agenda_id, year = report.agenda_id, report.year
    # the priorities with this report's narrative of each, in one query
    narrative = PriorityNarrative.objects.filter(report=report, priority=OuterRef("pk"))
    priorities = list(
        Priority.objects.filter(agenda_id=agenda_id)
        .annotate(
            narrative_pk=Subquery(narrative.values("pk")[:1]), narrative_text=Subquery(narrative.values("text")[:1])
        )
        .order_by("order", "pk")
    )
    blocks = {
        p.pk: PriorityBlock(
            priority=p,
            narrative=None
            if p.narrative_pk is None
            else PriorityNarrative(pk=p.narrative_pk, report=report, priority=p, text=p.narrative_text),
        )
        for p in priorities
    }

    # planned per priority and year (for budget totals and the health rule's spending share)
    planned: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for pid, line_year, total in (
        BudgetLine.objects.filter(priority__agenda_id=agenda_id)
        .values_list("priority_id", "year")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        planned[pid][line_year] = total or ZERO
    # cumulative realised per priority and per source, over all reports up to and including this year
    realised_to_date: dict[int, Decimal] = defaultdict(lambda: ZERO)
    source_to_date: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for pid, source_id, total in (
        BudgetLineRealisation.objects.filter(report__agenda_id=agenda_id, report__year__lte=year)
        .values_list("budget_line__priority_id", "budget_line__source_id")
        .annotate(total=Sum("realised"))
        .order_by()
    ):
        realised_to_date[pid] += total or ZERO
        source_to_date[source_id] += total or ZERO

    # this report's entries and last year's values (the "previous value" column) in one read
    entries = list(
        MilestoneProgress.objects.filter(Q(report=report) | Q(report__agenda_id=agenda_id, report__year=year - 1))
        .select_related("milestone__monitor_indicator")
        .prefetch_related("evidence_attachments")
        .order_by("milestone__target_year", "milestone_id", "pk")
    )
    previous_values = {row.milestone_id: row.value_reached for row in entries if row.report_id != report.pk}
    health_counts: dict[str, int] = defaultdict(int)
    for row in entries:
        if row.report_id != report.pk:
            continue
        m = row.milestone
        block = blocks.get(m.priority_id)
        if block is None:
            continue
        plan = planned.get(m.priority_id, {})
        health = milestone_health(
            baseline_value=m.baseline_value,
            baseline_year=m.baseline_year,
            target_value=m.target_value,
            target_year=m.target_year,
            report_year=year,
            value_reached=row.value_reached,
            reported_status=row.status,
            spent=realised_to_date[m.priority_id],
            planned=sum((v for y, v in plan.items() if y <= m.target_year), ZERO),
        )
        health_counts[health.code] += 1
        block.milestones.append(MilestoneRow(row, m, health, previous_values.get(m.pk)))

    sources: dict[int, SourceRow] = {}
    page = ReportPage(report=report, priorities=[], sources=[], health_counts=dict(health_counts))
    for row in (
        BudgetLineRealisation.objects.filter(report=report)
        .select_related("budget_line__source")
        .order_by("budget_line__source__order", "budget_line_id")
    ):
        line = row.budget_line
        block = blocks.get(line.priority_id)
        if block is None:
            continue
        block.lines.append(SpendingRow(row, line, line.source.label))
        block.planned_year += line.amount
        block.realised_year += row.realised or ZERO
        block.committed_year += row.committed or ZERO
        src = sources.get(line.source_id)
        if src is None:
            src = sources[line.source_id] = SourceRow(line.source, ZERO, ZERO, source_to_date[line.source_id])
        src.planned_year += line.amount
        src.realised_year += row.realised or ZERO
    for pid, block in blocks.items():
        plan = planned.get(pid, {})
        block.planned_to_date = sum((v for y, v in plan.items() if y <= year), ZERO)
        block.planned_total = sum(plan.values(), ZERO)
        block.realised_to_date = realised_to_date[pid]
        page.priorities.append(block)
        page.planned_year += block.planned_year
        page.realised_year += block.realised_year
        page.realised_to_date += block.realised_to_date
    page.sources = sorted(sources.values(), key=lambda s: (s.source.order, s.source.pk))
    for src in page.sources:
        if finance.classify(src.source) == finance.COFINANCING:
            page.cofinancing_year += src.realised_year
            page.cofinancing_to_date += src.realised_to_date
    return page


# --- lists --------------------------------------------------------------------------------------------
def reports_for_list(qs: QuerySet[ProgressReport], *, only_late: bool = False) -> QuerySet[ProgressReport]:
    qs = qs.select_related("agenda__alliance__region").order_by("due_date", "agenda__title", "-year")
    if only_late:
        qs = qs.filter(clocks.report_overdue_q())
    return qs


def is_late(report: ProgressReport, today: dt.date | None = None) -> bool:
    return clocks.report_is_overdue(report, today)


def missing_reports(agendas: QuerySet[Agenda], today: dt.date | None = None) -> list[tuple[Agenda, int]]:
    """Active agendas without a report over last year (e.g. opened late or the job did not run)."""
    today = today or timezone.localdate()
    year = today.year - 1
    have = ProgressReport.objects.filter(year=year).values("agenda_id")
    return [
        (agenda, year)
        for agenda in agendas.filter(status=Agenda.Status.ACTIVE, start_year__lte=year, end_year__gte=year)
        .exclude(pk__in=have)
        .select_related("alliance__region")
    ]


# --- accountability figures (SiSa / SPUK shape) --------------------------------------------------------
ACCOUNTABILITY_COLUMNS = [
    ("year", _lazy("Jaar")),
    ("report_status", _lazy("Status rapportage")),
    ("rijk_spending", _lazy("Besteding rijksbijdrage (EUR)")),
    ("cumulative_rijk_spending", _lazy("Cumulatieve besteding rijksbijdrage (EUR)")),
    ("total_spending", _lazy("Totale besteding (EUR)")),
    ("cumulative_spending", _lazy("Cumulatieve totale besteding (EUR)")),
    ("cofinancing", _lazy("Cofinanciering (EUR)")),
    ("cumulative_cofinancing", _lazy("Cumulatieve cofinanciering (EUR)")),
    ("measures_completed", _lazy("Afgeronde maatregelen (behaalde mijlpalen)")),
    ("units_delivered", _lazy("Geleverde eenheden (output-mijlpalen, t.o.v. nulmeting)")),
]


def _realised_sum(condition: Q) -> Coalesce:
    sub = (
        BudgetLineRealisation.objects.filter(report=OuterRef("pk"))
        .filter(condition)
        .values("report")
        .annotate(total=Sum("realised"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(sub, output_field=MONEY), Value(ZERO), output_field=MONEY)


def accountability_figures(agenda: Agenda) -> list[dict]:
    """Per report year: spending (Rijk contribution and total), cumulative spending, co-financing and
    cumulative co-financing, measures completed and units delivered – one query, computed in the database.

    Co-financing is realised spending from regional and other sources; "Rijk" is the extra Rijk
    contribution. Cumulative figures run over all reports up to and including the year; the report
    status is included so that a reader can tell accepted figures from figures not yet accepted.
    """
    rijk = finance.requested_q("budget_line__source__")
    cofin = finance.cofinancing_q("budget_line__source__")
    measures = (
        MilestoneProgress.objects.filter(report=OuterRef("pk"), status=MilestoneProgress.Status.ACHIEVED)
        .values("report")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    units = (
        MilestoneProgress.objects.filter(
            report=OuterRef("pk"), milestone__type=Milestone.Type.OUTPUT, value_reached__isnull=False
        )
        .values("report")
        .annotate(
            total=Sum(
                Case(
                    When(
                        value_reached__gt=F("milestone__baseline_value"),
                        then=F("value_reached") - F("milestone__baseline_value"),
                    ),
                    default=Value(Decimal("0")),
                    output_field=QUANTITY,
                )
            )
        )
        .values("total")[:1]
    )
    running = {"order_by": F("year").asc()}
    rows = (
        ProgressReport.objects.filter(agenda=agenda)
        .annotate(
            rijk_spending=_realised_sum(rijk),
            total_spending=_realised_sum(Q()),
            cofinancing=_realised_sum(cofin),
            measures_completed=Coalesce(Subquery(measures), Value(0)),
            units_delivered=Coalesce(
                Subquery(units, output_field=QUANTITY), Value(Decimal("0")), output_field=QUANTITY
            ),
        )
        .annotate(
            cumulative_rijk_spending=Window(Sum("rijk_spending"), output_field=MONEY, **running),
            cumulative_spending=Window(Sum("total_spending"), output_field=MONEY, **running),
            cumulative_cofinancing=Window(Sum("cofinancing"), output_field=MONEY, **running),
        )
        .order_by("year")
        .values(
            "year",
            "status",
            "rijk_spending",
            "cumulative_rijk_spending",
            "total_spending",
            "cumulative_spending",
            "cofinancing",
            "cumulative_cofinancing",
            "measures_completed",
            "units_delivered",
        )
    )
    labels = dict(ProgressReport.Status.choices)
    result = []
    for row in rows:
        row["report_status"] = str(labels.get(row.pop("status"), ""))
        for key in ("rijk_spending", "cumulative_rijk_spending", "total_spending", "cumulative_spending"):
            row[key] = Decimal(row[key] or 0).quantize(Decimal("0.01"))
        for key in ("cofinancing", "cumulative_cofinancing"):
            row[key] = Decimal(row[key] or 0).quantize(Decimal("0.01"))
        row["units_delivered"] = Decimal(row["units_delivered"] or 0).normalize()
        if row["units_delivered"] == row["units_delivered"].to_integral():
            row["units_delivered"] = row["units_delivered"].quantize(Decimal("1"))
        row["measures_completed"] = int(row["measures_completed"] or 0)
        result.append(row)
    return result


# --- milestone timelines (server-rendered SVG + the same data as a table) ------------------------------
@dataclass
class TimelinePoint:
    year: int
    value: Decimal
    kind: str  # "baseline", "reported", "target"
    label: str
    x: float = 0
    y: float = 0


@dataclass
class Timeline:
    milestone: Milestone
    points: list[TimelinePoint]
    width: int = 560
    height: int = 200
    plan_path: str = ""
    actual_path: str = ""
    x_ticks: list[tuple[float, int]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)

    @property
    def reported(self) -> list[TimelinePoint]:
        return [p for p in self.points if p.kind == "reported"]


PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 70, 20, 15, 35


def _fmt(value: Decimal) -> str:
    return money.format_number_input(value)


def _layout(t: Timeline) -> None:
    years = [p.year for p in t.points]
    values = [p.value for p in t.points]
    y0, y1 = min(years), max(years)
    v0, v1 = min(values), max(values)
    if y1 == y0:
        y1 = y0 + 1
    if v1 == v0:
        v1 = v0 + 1
    inner_w = t.width - PAD_LEFT - PAD_RIGHT
    inner_h = t.height - PAD_TOP - PAD_BOTTOM

    def sx(year: int) -> float:
        return round(PAD_LEFT + (year - y0) / (y1 - y0) * inner_w, 1)

    def sy(value: Decimal) -> float:
        return round(PAD_TOP + float((v1 - value) / (v1 - v0)) * inner_h, 1)

    for p in t.points:
        p.x, p.y = sx(p.year), sy(p.value)
    base = next(p for p in t.points if p.kind == "baseline")
    target = next(p for p in t.points if p.kind == "target")
    t.plan_path = f"M{base.x},{base.y} L{target.x},{target.y}"
    actual = [base, *t.reported]
    t.actual_path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(actual))
    step = max(1, (y1 - y0 + 9) // 10)
    t.x_ticks = [(sx(y), y) for y in range(y0, y1 + 1, step)]
    t.y_ticks = [(sy(v0), _fmt(v0)), (sy(v1), _fmt(v1))]


def milestone_timelines(agenda: Agenda) -> list[Timeline]:
    """Per milestone: baseline → value reached per report year → target. Two queries."""
    reported: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for milestone_id, year, value in (
        MilestoneProgress.objects.filter(report__agenda=agenda, value_reached__isnull=False)
        .order_by("report__year")
        .values_list("milestone_id", "report__year", "value_reached")
    ):
        reported[milestone_id].append((year, value))
    timelines = []
    for m in (
        Milestone.objects.filter(priority__agenda=agenda)
        .select_related("priority")
        .order_by("priority__order", "priority_id", "target_year", "pk")
    ):
        points = [TimelinePoint(m.baseline_year, m.baseline_value, "baseline", _("Nulmeting"))]
        points += [TimelinePoint(y, v, "reported", _("Gerapporteerd")) for y, v in reported.get(m.pk, [])]
        points.append(TimelinePoint(m.target_year, m.target_value, "target", _("Streefwaarde")))
        timeline = Timeline(milestone=m, points=points)
        _layout(timeline)
        timelines.append(timeline)
    return timelines
