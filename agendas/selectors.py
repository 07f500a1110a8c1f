"""Reads that are more than a ``get``: budget totals and co-financing, computed in the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from agendas.models import Agenda, BudgetLine, FundingSource

ZERO = Decimal("0.00")


@dataclass
class BudgetSummary:
    years: list[int]
    sources: list[FundingSource]
    by_year: dict[int, Decimal] = field(default_factory=dict)
    by_source: dict[int, Decimal] = field(default_factory=dict)
    by_priority: dict[int, Decimal] = field(default_factory=dict)
    by_year_source: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    total: Decimal = ZERO
    rijk_extra: Decimal = ZERO
    cofinancing: Decimal = ZERO
    rijk_extra_by_year: dict[int, Decimal] = field(default_factory=dict)

    @property
    def cofinancing_ratio(self) -> Decimal | None:
        """Co-financing (regional + other money) per euro of the requested extra Rijk contribution."""
        if not self.rijk_extra:
            return None
        return (self.cofinancing / self.rijk_extra).quantize(Decimal("0.01"))


def summarise_lines(rows, years: list[int], sources: list[FundingSource]) -> BudgetSummary:
    """``rows``: iterable of (priority_id, year, source_id, amount)."""
    by_code = {s.pk: s for s in sources}
    summary = BudgetSummary(years=years, sources=sources)
    for priority_id, year, source_id, amount in rows:
        amount = amount or ZERO
        summary.by_year[year] = summary.by_year.get(year, ZERO) + amount
        summary.by_source[source_id] = summary.by_source.get(source_id, ZERO) + amount
        summary.by_priority[priority_id] = summary.by_priority.get(priority_id, ZERO) + amount
        key = (year, source_id)
        summary.by_year_source[key] = summary.by_year_source.get(key, ZERO) + amount
        summary.total += amount
        source = by_code.get(source_id)
        if source is not None and source.is_rijk_extra:
            summary.rijk_extra += amount
            summary.rijk_extra_by_year[year] = summary.rijk_extra_by_year.get(year, ZERO) + amount
        elif source is not None and source.counts_as_cofinancing:
            summary.cofinancing += amount
    return summary


def budget_summary(agenda: Agenda) -> BudgetSummary:
    """Totals per year, source and priority, in one aggregate query (plus one for the sources)."""
    sources = list(FundingSource.objects.all())
    rows = (
        BudgetLine.objects.filter(priority__agenda=agenda)
        .values_list("priority_id", "year", "source_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return summarise_lines(rows, agenda.years, sources)
