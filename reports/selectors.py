"""Portfolio figures for the ministry's dashboard, aggregated in the database.

Every figure is a GROUP BY over the agendas the user may see (``DashboardPolicy.agendas``) narrowed by
the filters; Python only arranges the (small) grouped rows into tables. The number of queries is fixed:
it does not depend on the number of regions, agendas, priorities, budget lines or milestones. Money,
milestones and monitoring are read from the per-agenda summary the services keep (``agendas.summary``),
so a cold dashboard does not scan every budget line of the portfolio.

Money follows THE finance rules (``agendas.finance``: what is requested, what counts as co-financing,
the ratio rounded down, what is approved) and the clocks THE clock rules (``agendas.clocks``). Monitoring
figures (spending realised vs plan, milestone health, overdue progress reports): ``reports.monitoring_figures``.
Filters, clocks and labels: ``reports.dashboard_filters``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import CharField, Count, Min, OuterRef, Q, QuerySet, Sum, Value
from django.utils.translation import gettext_lazy as _

from agendas import clocks, finance
from agendas.models import (  # noqa: F401 - the monitoring models, imported directly (see reports.monitoring_figures)
    Agenda,
    AgendaSummaryCell,
    BudgetLine,
    BudgetLineRealisation,
    Milestone,
    MilestoneProgress,
    ProgressReport,
)
from reports.dashboard_filters import (  # noqa: F401 - re-exported: the dashboard's public names
    APPROVED_STATUSES,
    CLOCK_LABELS,
    DECISION_CLOCK_STATUSES,
    OPEN_REVIEW_STATUSES,
    DashboardFilters,
    ReferenceLists,
    RefItem,
    clock_conditions,
    filter_agendas,
    priority_conditions,
    reference_lists,
)
from reports.monitoring_figures import (  # noqa: F401 - re-exported
    AgendaMonitoring,
    PortfolioMonitoring,
    agenda_monitoring,
    portfolio_monitoring,
)
from reports.permissions import Audience
from reports.summary_source import CellSource, union_all

ZERO = Decimal("0.00")
Status = Agenda.Status
Cell = AgendaSummaryCell.Kind


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


def portfolio(
    agendas: QuerySet[Agenda],
    filters: DashboardFilters,
    refs: ReferenceLists,
    *,
    from_summary: bool | None = None,
    audience: Audience | None = None,
) -> Portfolio:
    """All dashboard figures for ``agendas`` (already limited to what the user may see). ≤ 10 queries.

    Money, milestones and monitoring come from the summary (``agendas.summary``, kept by the services): per
    region where it can (``audience``: ``DashboardPolicy.audience`` of the user; see
    ``reports.summary_source``), per agenda where it must. A programme filter selects priorities the summary
    does not keep apart, so it reads the source rows (``from_summary=False``, also what the consistency tests
    compare with)."""
    if from_summary is None:
        from_summary = not filters.programme
    agendas = filter_agendas(agendas, filters)
    source = CellSource.for_dashboard(agendas, filters, audience) if from_summary else None
    result = Portfolio(filters=filters)
    region_names = refs.region_names
    sources = {s.pk: s for s in refs.sources}
    source_kinds = {pk: finance.classify(s.category) for pk, s in sources.items()}
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
    if source is not None:
        if filters.year or filters.theme:  # the finest grain, narrowed
            parts = source.narrowed(priority_conditions(filters) & _year(filters), kind=Cell.BUDGET)
            keep = dict.fromkeys(("year", "region", "theme"), Cell.BUDGET)
        else:  # per (year, source), per (theme, source) and per source: a third of the rows
            parts = source.narrowed(kind__in=[Cell.BUDGET_YEAR, Cell.BUDGET_THEME, Cell.BUDGET_SOURCE])
            keep = {"year": Cell.BUDGET_YEAR, "region": Cell.BUDGET_SOURCE, "theme": Cell.BUDGET_THEME}
        groups = budget_groups(parts, theme="theme_id", keep=keep)
    else:
        lines = BudgetLine.objects.filter(priority__agenda__in=agendas.values("pk"))
        lines = lines.filter(priority_conditions(filters, "priority__"))
        if filters.year:
            lines = lines.filter(year=filters.year)
        lines = lines.annotate(kind=Value("line", output_field=CharField()))
        groups = budget_groups([(lines, "priority__agenda__alliance__region_id")], theme="priority__theme_id")
    by_year: dict[int, MoneyRow] = {}
    by_source: dict[int, MoneyRow] = {}
    by_region: dict[int, MoneyRow] = {}
    by_theme: dict[int, MoneyRow] = {}
    totals = MoneyRow(key="total", label=str(_("Totaal")))
    for grouping, key, source_id, total in groups:
        kind = source_kinds[source_id]
        if grouping == "year":
            if key not in by_year:
                by_year[key] = MoneyRow(key=key, label=str(key), link=filters.query(year=key))
            if source_id not in by_source:
                by_source[source_id] = MoneyRow(key=source_id, label=sources[source_id].name)
            for target in (by_year[key], by_source[source_id], totals):
                _add(target, kind, total)
        elif grouping == "region":
            if key not in by_region:
                by_region[key] = MoneyRow(key=key, label=region_names.get(key, "?"), link=filters.query(region=key))
            _add(by_region[key], kind, total)
        else:
            if key not in by_theme:
                by_theme[key] = MoneyRow(key=key, label=themes[key].name, link=filters.query(theme=key))
            _add(by_theme[key], kind, total)

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
    if source is not None:
        milestone_rows = union_all(
            cells.values_list(region, "theme_id").annotate(n=Sum("count")).order_by()
            for cells, region in source.narrowed(priority_conditions(filters) & _year(filters), kind=Cell.MILESTONES)
        )
    else:
        milestones = Milestone.objects.filter(priority__agenda__in=agendas.values("pk"))
        milestones = milestones.filter(priority_conditions(filters, "priority__"))
        if filters.year:
            milestones = milestones.filter(target_year=filters.year)
        milestone_rows = (
            milestones.values_list("priority__agenda__alliance__region_id", "priority__theme_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
    m_region: dict[int, int] = defaultdict(int)
    m_theme: dict[int, int] = defaultdict(int)
    for region_id, theme_id, n in milestone_rows:
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
    result.monitoring = portfolio_monitoring(agendas, filters, region_names, themes, source=source)
    return result


def _year(filters: DashboardFilters) -> Q:
    return Q(year=filters.year) if filters.year else Q()


GROUPING_SETS_SQL = (
    "SELECT GROUPING(l.year), GROUPING(l.region_id), l.kind, l.year, l.region_id, l.theme_id, l.source_id, "
    "SUM(l.amount) FROM ({inner}) AS l(kind, year, source_id, amount, region_id, theme_id) "
    "GROUP BY GROUPING SETS ((l.kind, l.year, l.source_id), (l.kind, l.region_id, l.source_id), "
    "(l.kind, l.theme_id, l.source_id))"
)


def budget_groups(
    parts: list[tuple[QuerySet, str]], *, theme: str, keep: dict[str, str] | None = None
) -> list[tuple[str, int, int, Decimal]]:
    """Sums of ``amount`` per (year, source), (region, source) and (theme, source) as
    ``(grouping, key, source_id, total)`` rows (a key may come once per part: the caller adds them up).
    ``parts`` are (rows, path to their region id): summary cells (region or agenda cells) or budget lines —
    anything with ``kind``, ``year``, ``source_id`` and ``amount``; ``theme`` is the path to the theme.

    ``keep`` (summary cells) says which kind of cell each grouping sums — the summary holds the same money at
    several grains: one query, a ``UNION ALL`` of three ``GROUP BY``s per part, each over its own kind only
    (on the 400-agenda portfolio about half the GROUPING SETS scan).
    Budget lines (no ``keep``): on PostgreSQL one scan with GROUPING SETS (the three GROUP BYs cost ~3× as
    much on the full portfolio); elsewhere (SQLite in tests and development) three ordinary GROUP BYs.
    """
    if keep is not None:
        return list(
            union_all(
                cells.filter(kind=keep[grouping])
                .annotate(grouping=Value(grouping, output_field=CharField()))
                .values_list("grouping", field_name, "source_id")
                .annotate(t=Sum("amount"))
                .order_by()
                for cells, region in parts
                for grouping, field_name in (("year", "year"), ("region", region), ("theme", theme))
            )
        )
    ((lines, region),) = parts
    rows = []
    if connection.vendor == "postgresql":
        inner = lines.values_list("kind", "year", "source_id", "amount", region, theme).order_by()
        sql, params = inner.query.sql_with_params()
        # The inner SQL is built by the ORM (values are parameters), so composing it is safe.
        query = GROUPING_SETS_SQL.format(inner=sql)
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            for g_year, g_region, _kind, year, region_id, theme_id, source_id, total in cursor.fetchall():
                if not g_year:
                    rows.append(("year", year, source_id, total))
                elif not g_region:
                    rows.append(("region", region_id, source_id, total))
                else:
                    rows.append(("theme", theme_id, source_id, total))
    else:
        for grouping, field_name in (("year", "year"), ("region", region), ("theme", theme)):
            grouped = lines.values_list(field_name, "source_id").annotate(t=Sum("amount")).order_by()
            rows += [(grouping, key, source_id, total) for key, source_id, total in grouped]
    return rows


def _add(row: MoneyRow, kind: str, amount: Decimal) -> None:
    """Add ``amount`` to ``row``; ``kind`` is its source's ``finance.classify`` (asked once per source)."""
    amount = amount or ZERO
    row.planned_total += amount
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
    Sums are correlated subqueries over the per-agenda summary (``agendas.summary``), so the list costs one
    query however many agendas it shows.
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
        cells = AgendaSummaryCell.objects.filter(source_condition, kind=Cell.BUDGET, agenda=OuterRef("pk"))
        if filters.year:
            cells = cells.filter(year=filters.year)
        return Coalesce(
            Subquery(cells.values("agenda").annotate(t=Sum("amount")).values("t")[:1], output_field=money),
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
    agendas: QuerySet[Agenda],
    filters: DashboardFilters,
    refs: ReferenceLists,
    audience: Audience,
) -> Portfolio:
    """``portfolio`` kept for a short while; ``audience``: ``DashboardPolicy.audience`` of the user (their
    regions and the drafts they see), so two users share figures only when they count the same agendas."""
    import hashlib

    from django.conf import settings
    from django.core.cache import cache
    from django.utils import timezone, translation

    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 300)
    if not seconds:
        return portfolio(agendas, filters, refs, audience=audience)
    raw = "|".join(
        [
            sorted(filters.as_params().items()).__repr__(),
            audience.key,
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            data_fingerprint(),
        ]
    )
    key = "dashboard:" + hashlib.sha256(raw.encode()).hexdigest()
    data = cache.get(key)
    if data is None:
        data = portfolio(agendas, filters, refs, audience=audience)
        cache.set(key, data, seconds)
    return data
