"""Portfolio figures for the ministry's dashboard, aggregated in the database.

Every figure is a GROUP BY over the agendas the user may see (``DashboardPolicy.agendas``) narrowed by
the filters; Python only arranges the (small) grouped rows into tables. The number of queries is fixed:
it does not depend on the number of regions, agendas, priorities, budget lines or milestones.

Money follows THE finance rules (``agendas.finance``: what is requested, what counts as co-financing,
the ratio rounded down, what is approved) and the clocks THE clock rules (``agendas.clocks``). Monitoring
figures (spending realised vs plan, milestone health, overdue progress reports) come straight from the
monitoring models (``ProgressReport``, ``BudgetLineRealisation``, ``MilestoneProgress``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db import connection
from django.db.models import CharField, Count, Exists, F, IntegerField, Min, OuterRef, Q, QuerySet, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Province, Region
from agendas import clocks, finance
from agendas.models import (
    Agenda,
    BudgetLine,
    BudgetLineRealisation,
    FundingSource,
    Milestone,
    MilestoneProgress,
    NationalProgramme,
    Priority,
    ProgressReport,
    ReviewAssignment,
    Theme,
)

ZERO = Decimal("0.00")
Status = Agenda.Status

#: Statuses in which the ministry's decision clock runs (THE decision term: agendas.clocks).
DECISION_CLOCK_STATUSES = list(clocks.DECISION_CLOCK_STATUSES)
OPEN_REVIEW_STATUSES = [ReviewAssignment.Status.AWAITING_DECLARATION, ReviewAssignment.Status.ACTIVE]
APPROVED_STATUSES = [Status.APPROVED, Status.ACTIVE, Status.CLOSED]


# --- filters ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DashboardFilters:
    region: int | None = None
    province: int | None = None
    theme: int | None = None
    status: str | None = None
    year: int | None = None
    programme: int | None = None

    FIELDS = ("region", "province", "theme", "status", "year", "programme")

    def as_params(self, **changes) -> dict[str, str]:
        values = {name: getattr(self, name) for name in self.FIELDS}
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def query(self, **changes) -> str:
        """The URL query string of these filters, optionally changed (for links behind a figure)."""
        return urlencode(self.as_params(**changes))

    @property
    def active(self) -> bool:
        return bool(self.as_params())

    @property
    def narrows_priorities(self) -> bool:
        """A theme or programme filter picks agendas by some of their priorities; decisions grant money per
        agenda, not per priority, so the agendas' figures are then shown for the whole agenda."""
        return bool(self.theme or self.programme)


def priority_conditions(filters: DashboardFilters, prefix: str = "") -> Q:
    """Filters that apply to one priority (theme, national programme)."""
    condition = Q()
    if filters.theme:
        condition &= Q(**{f"{prefix}theme_id": filters.theme})
    if filters.programme:
        condition &= Q(**{f"{prefix}programmes": filters.programme})
    return condition


def filter_agendas(agendas: QuerySet[Agenda], filters: DashboardFilters) -> QuerySet[Agenda]:
    if filters.region:
        agendas = agendas.filter(alliance__region_id=filters.region)
    if filters.province:
        agendas = agendas.filter(alliance__region__provinces=filters.province)
    if filters.status:
        agendas = agendas.filter(status=filters.status)
    if filters.year:
        agendas = agendas.filter(start_year__lte=filters.year, end_year__gte=filters.year)
    if filters.theme or filters.programme:
        priorities = Priority.objects.filter(priority_conditions(filters), agenda=OuterRef("pk"))
        agendas = agendas.filter(Exists(priorities))
    return agendas


def clock_conditions(now: datetime.datetime | None = None) -> dict[str, Q]:
    """The clocks (agendas.clocks) as conditions on Agenda, shared by the dashboard counts and the list
    behind them: overdue = due date before today; soon = due within KA_CLOCK_WARNING_DAYS."""
    today = timezone.localdate(now) if now else clocks.today()
    warning = clocks.warning_days()
    open_reviews = ReviewAssignment.objects.filter(agenda=OuterRef("pk"), status__in=OPEN_REVIEW_STATUSES)
    return {
        "decision_overdue": clocks.decision_overdue_q(today),
        "decision_soon": clocks.decision_due_soon_q(today, warning),
        "review_overdue": Q(Exists(open_reviews.filter(due_date__lt=today))),
        "review_soon": Q(
            Exists(open_reviews.filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=warning)))
        ),
    }


CLOCK_LABELS = {
    "decision_overdue": _("Besluit te laat"),
    "decision_soon": _("Besluittermijn verloopt binnenkort"),
    "review_overdue": _("Beoordeling te laat"),
    "review_soon": _("Beoordelingstermijn verloopt binnenkort"),
}


# --- reference lists (for filters and labels) ---------------------------------------------------
@dataclass(frozen=True)
class RefItem:
    pk: int
    name: str
    code: str
    category: str = ""


@dataclass
class ReferenceLists:
    regions: list[RefItem]
    provinces: list[RefItem]
    themes: list[RefItem]
    sources: list[RefItem]
    programmes: list[RefItem]

    @property
    def region_names(self) -> dict[int, str]:
        return {r.pk: r.name for r in self.regions}


def reference_lists(region_ids: set[int] | None = None) -> ReferenceLists:
    """Regions, provinces, themes, funding sources and national programmes in ONE query (UNION ALL):
    the dashboard's query budget is spent on figures, not on labels."""
    text = CharField()

    def part(model, kind: str, sort=None, category=None):
        return (
            model.objects.annotate(
                ref_kind=Value(kind, output_field=text),
                ref_sort=sort if sort is not None else Value(0, output_field=IntegerField()),
                ref_category=category if category is not None else Value("", output_field=text),
            )
            .values_list("ref_kind", "pk", "name", "code", "ref_sort", "ref_category")
            .order_by()
        )

    regions = part(Region, "region")
    if region_ids is not None:
        regions = regions.filter(pk__in=region_ids)
    union = regions.union(
        part(Province, "province"),
        part(Theme, "theme", sort=F("order")),
        part(FundingSource, "source", sort=F("order"), category=F("category")),
        part(NationalProgramme, "programme", sort=F("order")),
        all=True,
    )
    lists: dict[str, list[RefItem]] = defaultdict(list)
    for kind, pk, name, code, _sort, category in sorted(union, key=lambda row: (row[0], row[4], row[2])):
        lists[kind].append(RefItem(pk=pk, name=name, code=code, category=category or ""))
    return ReferenceLists(
        regions=lists["region"],
        provinces=lists["province"],
        themes=lists["theme"],
        sources=lists["source"],
        programmes=lists["programme"],
    )


# --- the figures --------------------------------------------------------------------------------
@dataclass
class MoneyRow:
    key: object
    label: str
    requested: Decimal = ZERO  # extra Rijk contribution asked for (agendas.finance: requested)
    cofinancing: Decimal = ZERO  # agendas.finance: sources that count as co-financing
    planned_total: Decimal = ZERO  # every source
    approved: Decimal | None = None  # extra Rijk contribution granted by signed decisions
    link: str = ""

    @property
    def cofinancing_ratio(self) -> Decimal | None:
        return finance.cofinancing_ratio(self.cofinancing, self.requested)


@dataclass
class Portfolio:
    filters: DashboardFilters
    agenda_count: int = 0
    status_counts: list[dict] = field(default_factory=list)  # {code, label, count, link}
    region_rows: list[dict] = field(default_factory=list)  # {region, counts{status: n}, total, money: MoneyRow}
    statuses_present: list[tuple[str, str]] = field(default_factory=list)
    by_year: list[MoneyRow] = field(default_factory=list)
    by_region: list[MoneyRow] = field(default_factory=list)
    by_theme: list[MoneyRow] = field(default_factory=list)
    by_source: list[MoneyRow] = field(default_factory=list)
    totals: MoneyRow | None = None
    milestones_by_region: list[dict] = field(default_factory=list)
    milestones_by_theme: list[dict] = field(default_factory=list)
    milestone_total: int = 0
    clocks: dict[str, dict] = field(default_factory=dict)  # code → {label, count, link}
    clock_agendas: list[Agenda] = field(default_factory=list)
    monitoring: PortfolioMonitoring | None = None


def portfolio(agendas: QuerySet[Agenda], filters: DashboardFilters, refs: ReferenceLists) -> Portfolio:
    """All dashboard figures for ``agendas`` (already limited to what the user may see). ≤ 10 queries."""
    agendas = filter_agendas(agendas, filters)
    result = Portfolio(filters=filters)
    region_names = refs.region_names
    sources = {s.pk: s for s in refs.sources}
    themes = {t.pk: t for t in refs.themes}

    # 1. Agendas per region × status.
    counts = agendas.values_list("alliance__region_id", "status").annotate(n=Count("pk")).order_by()
    per_region: dict[int, dict[str, int]] = defaultdict(dict)
    per_status: dict[str, int] = defaultdict(int)
    for region_id, status, n in counts:
        per_region[region_id][status] = n
        per_status[status] += n
    result.agenda_count = sum(per_status.values())
    result.statuses_present = [(code, label) for code, label in Status.choices if per_status.get(code)]
    result.status_counts = [
        {"code": code, "label": label, "count": per_status.get(code, 0), "link": filters.query(status=code)}
        for code, label in Status.choices
    ]

    # 2–4. Budget lines grouped by (year, source), (region, source) and (theme, source): one scan.
    lines = BudgetLine.objects.filter(priority__agenda__in=agendas.values("pk"))
    lines = lines.filter(priority_conditions(filters, "priority__"))
    if filters.year:
        lines = lines.filter(year=filters.year)
    by_year: dict[int, MoneyRow] = {}
    by_source: dict[int, MoneyRow] = {}
    by_region: dict[int, MoneyRow] = {}
    by_theme: dict[int, MoneyRow] = {}
    totals = MoneyRow(key="total", label=str(_("Totaal")))
    for grouping, key, source_id, total in budget_groups(lines):
        category = sources[source_id].category
        if grouping == "year":
            if key not in by_year:
                by_year[key] = MoneyRow(key=key, label=str(key), link=filters.query(year=key))
            if source_id not in by_source:
                by_source[source_id] = MoneyRow(key=source_id, label=sources[source_id].name)
            for target in (by_year[key], by_source[source_id], totals):
                _add(target, category, total)
        elif grouping == "region":
            if key not in by_region:
                by_region[key] = MoneyRow(key=key, label=region_names.get(key, "?"), link=filters.query(region=key))
            _add(by_region[key], category, total)
        else:
            if key not in by_theme:
                by_theme[key] = MoneyRow(key=key, label=themes[key].name, link=filters.query(theme=key))
            _add(by_theme[key], category, total)

    # 5. Approved extra Rijk contribution: the latest signed approving decision of each agenda.
    approved = finance.approved_year_amounts(agendas.values("pk"))
    if filters.year:
        approved = approved.filter(year=filters.year)
    approved_total = ZERO
    for region_id, year, total in (
        approved.values_list("decision__agenda__alliance__region_id", "year")
        .annotate(t=Sum("approved_amount"))
        .order_by()
    ):
        approved_total += total
        if year not in by_year:
            by_year[year] = MoneyRow(key=year, label=str(year), link=filters.query(year=year))
        by_year[year].approved = (by_year[year].approved or ZERO) + total
        if region_id not in by_region:
            by_region[region_id] = MoneyRow(
                key=region_id, label=region_names.get(region_id, "?"), link=filters.query(region=region_id)
            )
        by_region[region_id].approved = (by_region[region_id].approved or ZERO) + total
    totals.approved = approved_total
    result.by_year = [by_year[y] for y in sorted(by_year)]
    result.by_region = sorted(by_region.values(), key=lambda r: r.label)
    result.by_theme = [by_theme[t.pk] for t in refs.themes if t.pk in by_theme]
    result.by_source = [by_source[s.pk] for s in refs.sources if s.pk in by_source]
    result.totals = totals

    result.region_rows = [
        {
            "region_id": region_id,
            "region": region_names.get(region_id, "?"),
            "counts": per_region[region_id],
            "total": sum(per_region[region_id].values()),
            "link": filters.query(region=region_id),
        }
        for region_id in sorted(per_region, key=lambda pk: region_names.get(pk, ""))
    ]

    # 6. Milestones per region and per theme (planned results).
    milestones = Milestone.objects.filter(priority__agenda__in=agendas.values("pk"))
    milestones = milestones.filter(priority_conditions(filters, "priority__"))
    if filters.year:
        milestones = milestones.filter(target_year=filters.year)
    m_region: dict[int, int] = defaultdict(int)
    m_theme: dict[int, int] = defaultdict(int)
    for region_id, theme_id, n in (
        milestones.values_list("priority__agenda__alliance__region_id", "priority__theme_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        m_region[region_id] += n
        m_theme[theme_id] += n
    result.milestone_total = sum(m_region.values())
    result.milestones_by_region = [
        {"label": region_names.get(pk, "?"), "count": n, "link": filters.query(region=pk)}
        for pk, n in sorted(m_region.items(), key=lambda item: region_names.get(item[0], ""))
    ]
    result.milestones_by_theme = [
        {"label": t.name, "count": m_theme[t.pk], "link": filters.query(theme=t.pk)}
        for t in refs.themes
        if t.pk in m_theme
    ]

    # 7. Clocks: counts in one aggregate, and the agendas whose clocks run out soonest.
    conditions = clock_conditions()
    clock_counts = agendas.aggregate(**{code: Count("pk", filter=cond) for code, cond in conditions.items()})
    result.clocks = {
        code: {
            "label": CLOCK_LABELS[code],
            "count": clock_counts[code] or 0,
            "link": f"{filters.query()}&clock={code}" if filters.active else f"clock={code}",
        }
        for code in conditions
    }
    urgent = conditions["decision_overdue"] | conditions["decision_soon"] | conditions["review_overdue"]
    urgent |= conditions["review_soon"]
    result.clock_agendas = list(
        agendas.filter(urgent)
        .select_related("alliance__region")
        .annotate(
            next_review_due=Min(
                "review_assignments__due_date", filter=Q(review_assignments__status__in=OPEN_REVIEW_STATUSES)
            )
        )
        .order_by("submitted_at", "pk")[:15]
    )
    for agenda in result.clock_agendas:
        agenda.decision_due = clocks.decision_due_date(agenda) if clocks.decision_clock_runs(agenda) else None

    # 8. Monitoring.
    result.monitoring = portfolio_monitoring(agendas, filters, region_names, themes)
    return result


GROUPING_SETS_SQL = (
    "SELECT GROUPING(l.year), GROUPING(l.region_id), l.year, l.region_id, l.theme_id, l.source_id, SUM(l.amount) "
    "FROM ({inner}) AS l(year, source_id, amount, region_id, theme_id) "
    "GROUP BY GROUPING SETS ((l.year, l.source_id), (l.region_id, l.source_id), (l.theme_id, l.source_id))"
)


def budget_groups(lines: QuerySet[BudgetLine]) -> list[tuple[str, int, int, Decimal]]:
    """Sums of ``lines`` per (year, source), (region, source) and (theme, source) as
    ``(grouping, key, source_id, total)`` rows.

    On PostgreSQL one scan with GROUPING SETS (the three GROUP BYs cost ~3× as much on the full
    portfolio); elsewhere (SQLite in tests and development) three ordinary GROUP BY queries.
    """
    region, theme = "priority__agenda__alliance__region_id", "priority__theme_id"
    if connection.vendor == "postgresql":
        inner = lines.values_list("year", "source_id", "amount", region, theme).order_by()
        sql, params = inner.query.sql_with_params()
        # The inner SQL is built by the ORM (values are parameters), so composing it is safe.
        query = GROUPING_SETS_SQL.format(inner=sql)
        rows = []
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            for g_year, g_region, year, region_id, theme_id, source_id, total in cursor.fetchall():
                if not g_year:
                    rows.append(("year", year, source_id, total))
                elif not g_region:
                    rows.append(("region", region_id, source_id, total))
                else:
                    rows.append(("theme", theme_id, source_id, total))
        return rows
    rows = []
    for grouping, field_name in (("year", "year"), ("region", region), ("theme", theme)):
        grouped = lines.values_list(field_name, "source_id").annotate(t=Sum("amount")).order_by()
        rows += [(grouping, key, source_id, total) for key, source_id, total in grouped]
    return rows


def _add(row: MoneyRow, category: str, amount: Decimal) -> None:
    amount = amount or ZERO
    row.planned_total += amount
    kind = finance.classify(category)
    if kind == finance.REQUESTED:
        row.requested += amount
    elif kind == finance.COFINANCING:
        row.cofinancing += amount


# --- the agendas behind a figure ----------------------------------------------------------------
def portfolio_agenda_list(agendas: QuerySet[Agenda], filters: DashboardFilters, clock: str | None = None):
    """The agendas behind a dashboard figure, with their requested and approved extra Rijk contribution.

    All three figures are for the whole agenda (in the filtered year, if any): a theme or programme filter
    only selects the agendas (``DashboardFilters.narrows_priorities``), because approved money has no
    priority; so "gevraagd" and "toegekend" always compare like with like.
    Sums are correlated subqueries, so the list costs one query however many agendas it shows.
    """
    from django.db.models import DecimalField, Subquery
    from django.db.models.functions import Coalesce

    agendas = filter_agendas(agendas, filters)
    if clock:
        conditions = clock_conditions()
        if clock in conditions:
            agendas = agendas.filter(conditions[clock])
    money = DecimalField(max_digits=16, decimal_places=2)

    def line_sum(source_condition: Q):
        lines = BudgetLine.objects.filter(source_condition, priority__agenda=OuterRef("pk"))
        if filters.year:
            lines = lines.filter(year=filters.year)
        return Coalesce(
            Subquery(lines.values("priority__agenda").annotate(t=Sum("amount")).values("t")[:1], output_field=money),
            ZERO,
            output_field=money,
        )

    approved = finance.approved_year_amounts().filter(decision__agenda=OuterRef("pk"))
    if filters.year:
        approved = approved.filter(year=filters.year)
    approved_sum = Subquery(
        approved.values("decision__agenda").annotate(t=Sum("approved_amount")).values("t")[:1], output_field=money
    )
    return (
        agendas.select_related("alliance__region")
        .annotate(
            requested=line_sum(finance.requested_q("source__")),
            cofinancing=line_sum(finance.cofinancing_q("source__")),
            approved=approved_sum,
        )
        .order_by("alliance__region__name", "title", "pk")
    )


# --- monitoring (the monitoring models, imported directly) -------------------------------------------
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
    agendas: QuerySet[Agenda], filters: DashboardFilters, region_names: dict[int, str], themes: dict[int, RefItem]
) -> PortfolioMonitoring:
    """Spending realised vs plan, milestone health per region and theme, overdue progress reports. 3 queries."""
    from agendas.health import Health

    result = PortfolioMonitoring(available=True)
    reports = ProgressReport.objects.filter(agenda__in=agendas.values("pk"))
    if filters.year:
        reports = reports.filter(year=filters.year)
    result.overdue_reports = reports.filter(clocks.report_overdue_q()).count()

    entries = BudgetLineRealisation.objects.filter(report__in=reports)
    entries = entries.filter(priority_conditions(filters, "budget_line__priority__"))
    sums = entries.aggregate(realised=Sum("realised"), planned=Sum("budget_line__amount"))
    result.realised = sums["realised"] or ZERO
    result.planned = sums["planned"] or ZERO

    # Health by THE rule (agendas.health), stored on each entry by the monitoring services, in each
    # agenda's latest report (or the filtered year's report); counted in the database.
    latest = reports
    if not filters.year:
        later = ProgressReport.objects.filter(agenda=OuterRef("agenda"), year__gt=OuterRef("year"))
        latest = reports.exclude(Exists(later))
    progress = MilestoneProgress.objects.filter(report__in=latest)
    progress = progress.filter(priority_conditions(filters, "milestone__priority__"))
    by_region: dict[int, dict[str, int]] = defaultdict(dict)
    by_theme: dict[int, dict[str, int]] = defaultdict(dict)
    statuses: set[str] = set()
    for region_id, theme_id, health, n in (
        progress.values_list(
            "milestone__priority__agenda__alliance__region_id", "milestone__priority__theme_id", "health"
        )
        .annotate(n=Count("pk"))
        .order_by()
    ):
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


# --- cache -------------------------------------------------------------------------------------------
# The dashboard is the page the ministry lives on. Its figures are aggregated in the database (above)
# and then kept for a short while, keyed on the filters, the user's scope, the language, today's date
# (the clocks) and a fingerprint of the data. Every change leaves an audit record (simple-history) or a
# transition record, so the newest record id of each audited table changes with every write: one cheap
# query (an index lookup per table) tells whether the cached figures are still exact.


def data_fingerprint() -> str:
    from django.apps import apps
    from django.db import connection

    from accounts.audit import PROJECT_APPS

    tables = sorted(
        m._meta.db_table
        for m in apps.get_models()
        if m._meta.app_label in PROJECT_APPS and m.__name__.startswith("Historical") and hasattr(m, "history_id")
    )
    tables.append("agendas_transition")
    quote = connection.ops.quote_name
    columns = [
        f"(SELECT MAX({quote('id' if t == 'agendas_transition' else 'history_id')}) FROM {quote(t)})"  # noqa: S608 - table names from model metadata
        for t in tables
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns))
        row = cursor.fetchone()
    return ",".join(str(v or 0) for v in row)


def cached_portfolio(
    agendas: QuerySet[Agenda], filters: DashboardFilters, refs: ReferenceLists, region_ids: set[int] | None
) -> Portfolio:
    import hashlib

    from django.conf import settings
    from django.core.cache import cache
    from django.utils import timezone, translation

    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 300)
    if not seconds:
        return portfolio(agendas, filters, refs)
    scope = "all" if region_ids is None else ",".join(str(i) for i in sorted(region_ids))
    raw = "|".join(
        [
            sorted(filters.as_params().items()).__repr__(),
            scope,
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            data_fingerprint(),
        ]
    )
    key = "dashboard:" + hashlib.sha256(raw.encode()).hexdigest()
    data = cache.get(key)
    if data is None:
        data = portfolio(agendas, filters, refs)
        cache.set(key, data, seconds)
    return data
