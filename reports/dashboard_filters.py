"""The dashboard's filters, clock conditions and reference lists (labels), shared by the portfolio figures
(``reports.selectors``), the agendas behind them and the monitoring figures (``reports.monitoring_figures``)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import CharField, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Province, Region
from agendas import clocks
from agendas.models import Agenda, FundingSource, NationalProgramme, Priority, ReviewAssignment, Theme

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
    # The agendas with an open review past (or near) its due date: one uncorrelated subquery each, which the
    # database evaluates once (a correlated EXISTS ran once per agenda: 18 ms at 4,000 agendas).
    open_reviews = ReviewAssignment.objects.filter(status__in=OPEN_REVIEW_STATUSES)
    soon = open_reviews.filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=warning))
    return {
        "decision_overdue": clocks.decision_overdue_q(today),
        "decision_soon": clocks.decision_due_soon_q(today, warning),
        "review_overdue": Q(pk__in=open_reviews.filter(due_date__lt=today).values("agenda_id")),
        "review_soon": Q(pk__in=soon.values("agenda_id")),
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
