"""Need beside money: each region's position on the Monitor Brede Welvaart for one agenda theme, beside the extra
Rijk money requested, approved and spent per inhabitant for that theme. THE rules of the page (one home):

* **Indicators of a theme**: the monitor indicators whose monitor theme (``BroadWelfareDimension``) is mapped to the
  agenda theme (``Theme.dimensions``).
* **Rank** among the 40 COROP areas in the indicator's latest imported year: rank 1 has the largest need — the
  lowest value where higher is better, the highest where lower is better; equal values share a rank (1, 2, 2, 4).
* **National value**: the ``NL01`` value of that year when imported, otherwise the unweighted mean of the COROP areas.
  **Distance** = region value − national value (in the indicator's unit).
* **Trend**: latest value − value in the first imported year; "better" or "worse" by the indicator's direction.
* **Need score** (0–100) of a region for a theme: the mean over its indicators of (40 − rank) / 39 × 100, so 100 is
  the largest need everywhere.
* **Money**: ``agendas.finance`` — requested (extra Rijk budget lines of the theme), approved
  (``approved_by_theme``), spent (``spent_realisations``), each per inhabitant (``per_inhabitant``).
* **Gap**: need score ≥ 2/3 × 100 with approved money per inhabitant below the median of the regions shown →
  "hoge opgave, weinig geld"; need score ≤ 1/3 × 100 with approved per inhabitant above that median → "geld zonder
  grote opgave".

Every figure comes from a fixed number of queries, whatever the number of regions.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from agendas import finance
from agendas.models import Agenda, BudgetLine, MonitorArea, MonitorIndicator, MonitorValue, Theme
from agendas.welfare.reference import NATIONAL_CODE

ZERO = Decimal("0.00")
SCORE_QUANTUM = Decimal("0.1")
HIGH_NEED = Decimal("66.7")
LOW_NEED = Decimal("33.3")

GAP_LABELS = {
    "need_without_money": _("Hoge opgave, weinig geld"),
    "money_without_need": _("Geld zonder grote opgave"),
}
MEASURES = {
    "need": _("Opgave (score 0–100)"),
    "requested_pc": _("Gevraagd per inwoner"),
    "approved_pc": _("Toegekend per inwoner"),
    "spent_pc": _("Besteed per inwoner"),
}


@dataclass
class Position:
    indicator: MonitorIndicator
    year: int
    value: Decimal
    national: Decimal | None
    rank: int
    of: int
    first_year: int
    trend: Decimal  # latest − first imported year

    @property
    def distance(self) -> Decimal | None:
        return None if self.national is None else self.value - self.national

    @property
    def trend_direction(self) -> str:
        if not self.trend or self.first_year == self.year:
            return "same"
        return "better" if (self.trend > 0) == self.indicator.higher_is_better else "worse"


@dataclass
class NeedRow:
    region: Region | None
    area: MonitorArea | None
    positions: list[Position] = field(default_factory=list)
    requested: Decimal = ZERO
    approved: Decimal = ZERO
    spent: Decimal = ZERO
    gap: str = ""

    @property
    def label(self) -> str:
        return self.region.name if self.region else self.area.name

    @property
    def inhabitants(self) -> int | None:
        return self.region.inhabitants if self.region else None

    @property
    def need_score(self) -> Decimal | None:
        scores = [Decimal(p.of - p.rank) / Decimal(max(p.of - 1, 1)) * 100 for p in self.positions]
        if not scores:
            return None
        return (sum(scores) / len(scores)).quantize(SCORE_QUANTUM, rounding=ROUND_HALF_UP)

    @property
    def requested_pc(self) -> Decimal | None:
        return finance.per_inhabitant(self.requested, self.inhabitants) if self.region else None

    @property
    def approved_pc(self) -> Decimal | None:
        return finance.per_inhabitant(self.approved, self.inhabitants) if self.region else None

    @property
    def spent_pc(self) -> Decimal | None:
        return finance.per_inhabitant(self.spent, self.inhabitants) if self.region else None

    @property
    def gap_label(self) -> str:
        return str(GAP_LABELS.get(self.gap, ""))

    def measure(self, code: str) -> Decimal | None:
        return self.need_score if code == "need" else getattr(self, code)


@dataclass
class NeedTable:
    theme: Theme
    indicators: list[MonitorIndicator]
    rows: list[NeedRow]  # the regions of this system (with an area or money), by name
    areas: list[NeedRow]  # the 40 COROP areas (with their region, if any), for the tile map
    median_approved_pc: Decimal | None


def _rank(values: dict[int, Decimal], higher_is_better: bool) -> dict[int, int]:
    """Competition ranking, 1 = largest need."""
    ordered = sorted(values.values(), reverse=not higher_is_better)
    first_index: dict[Decimal, int] = {}
    for index, value in enumerate(ordered, start=1):
        first_index.setdefault(value, index)
    return {area_id: first_index[value] for area_id, value in values.items()}


def indicator_positions(indicators: list[MonitorIndicator]) -> dict[int, list[Position]]:
    """Per area id, its position on each indicator (COROP areas only). One query."""
    values: dict[int, dict[int, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))  # ind → year → area
    national: dict[tuple[int, int], Decimal] = {}
    rows = MonitorValue.objects.filter(indicator__in=[i.pk for i in indicators]).filter(
        Q(area__kind=MonitorArea.Kind.COROP) | Q(area__code=NATIONAL_CODE)
    )
    for indicator_id, area_id, kind, year, value in rows.values_list(
        "indicator_id", "area_id", "area__kind", "year", "value"
    ):
        if kind == MonitorArea.Kind.COROP:
            values[indicator_id][year][area_id] = value
        else:
            national[(indicator_id, year)] = value
    result: dict[int, list[Position]] = defaultdict(list)
    for indicator in indicators:
        years = values.get(indicator.pk)
        if not years:
            continue
        latest = max(years)
        current = years[latest]
        mean = (sum(current.values()) / len(current)).quantize(Decimal("0.0001"))
        reference = national.get((indicator.pk, latest), mean)
        ranks = _rank(current, indicator.higher_is_better)
        for area_id, value in current.items():
            start_year = min(y for y in years if area_id in years[y])
            result[area_id].append(
                Position(
                    indicator=indicator,
                    year=latest,
                    value=value,
                    national=reference,
                    rank=ranks[area_id],
                    of=len(current),
                    first_year=start_year,
                    trend=value - years[start_year][area_id],
                )
            )
    return result


def _money(agendas: QuerySet[Agenda], theme: Theme) -> tuple[dict, dict, dict]:
    requested = dict(
        BudgetLine.objects.filter(finance.requested_q("source__"), priority__agenda__in=agendas, priority__theme=theme)
        .values_list("priority__agenda__alliance__region_id")
        .annotate(t=Sum("amount"))
        .order_by()
    )
    approved = {
        region: amount
        for (region, theme_id), amount in finance.approved_by_theme(agendas).items()
        if theme_id == theme.pk
    }
    spent = dict(
        finance.spent_realisations(agendas)
        .filter(budget_line__priority__theme=theme)
        .values_list("report__agenda__alliance__region_id")
        .annotate(t=Sum("realised"))
        .order_by()
    )
    return requested, approved, spent


def need_table(agendas: QuerySet[Agenda], theme: Theme, region_ids: set[int] | None = None) -> NeedTable:
    """The national table for one theme over ``agendas`` (what the user may see)."""
    indicators = list(
        MonitorIndicator.objects.filter(dimension__themes=theme, active=True).select_related("dimension").distinct()
    )
    positions = indicator_positions(indicators)
    requested, approved, spent = _money(agendas, theme)
    areas = list(MonitorArea.objects.filter(kind=MonitorArea.Kind.COROP).select_related("region"))
    money_regions = set(requested) | set(approved) | set(spent)
    linked = {a.region_id for a in areas if a.region_id}
    regions = Region.objects.filter(Q(pk__in=money_regions) | Q(pk__in=linked)).select_related("monitor_area")
    if region_ids is not None:
        regions = regions.filter(pk__in=region_ids)
    area_by_region = {a.region_id: a for a in areas if a.region_id}
    rows = []
    for region in regions.order_by("name"):
        area = area_by_region.get(region.pk)
        rows.append(
            NeedRow(
                region=region,
                area=area,
                positions=positions.get(area.pk, []) if area else [],
                requested=(requested.get(region.pk) or ZERO),
                approved=(approved.get(region.pk) or ZERO),
                spent=(spent.get(region.pk) or ZERO),
            )
        )
    by_region = {row.region.pk: row for row in rows}
    tiles = [
        by_region.get(a.region_id) or NeedRow(region=None, area=a, positions=positions.get(a.pk, [])) for a in areas
    ]
    known = [row.approved_pc for row in rows if row.approved_pc is not None and row.need_score is not None]
    median = Decimal(statistics.median(known)).quantize(Decimal("0.01")) if known else None
    for row in rows:
        row.gap = gap(row.need_score, row.approved_pc, median)
    return NeedTable(theme=theme, indicators=indicators, rows=rows, areas=tiles, median_approved_pc=median)


def gap(need_score: Decimal | None, money_pc: Decimal | None, median: Decimal | None) -> str:
    if need_score is None or money_pc is None or median is None:
        return ""
    if need_score >= HIGH_NEED and money_pc < median:
        return "need_without_money"
    if need_score <= LOW_NEED and money_pc > median:
        return "money_without_need"
    return ""


def region_need(agendas: QuerySet[Agenda], region: Region) -> list[tuple[Theme, NeedRow | None, list]]:
    """One region on every theme: per theme its row of the national table (so ranks and the gap are national)."""
    result = []
    for theme in Theme.objects.filter(active=True):
        table = need_table(agendas, theme)
        row = next((r for r in table.rows if r.region.pk == region.pk), None)
        result.append((theme, row, table.indicators))
    return result
