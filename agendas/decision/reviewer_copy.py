"""The reviewer's copy of a submitted version: the snapshot arranged for reading.

Budgets as year × source tables (sums from the one budget summary, ``agendas.drafting.selectors``; what counts
as requested or co-financing from ``agendas.finance``), partners, and priorities with their theory of change,
lead partner, programmes and milestones. Amounts stay ``Decimal`` here; templates format them through
``kansenagenda.money`` (filters ``euro``, ``ratio``, ``quantity``), so the page and every other copy agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from agendas.decision.versions import snapshot_budget_summary
from agendas.drafting.selectors import BudgetSummary, summarise_lines
from agendas.models import FundingSource


@dataclass(frozen=True)
class BudgetTable:
    """Rows are years, columns the sources that carry money (in the reference order), plus totals."""

    sources: list[FundingSource]
    rows: list[tuple[int, list[Decimal | None], Decimal]]  # (year, amount per source, year total)
    source_totals: list[Decimal]
    total: Decimal

    @property
    def is_empty(self) -> bool:
        return not self.sources


def budget_table(summary: BudgetSummary) -> BudgetTable:
    used = [s for s in summary.sources if summary.by_source.get(s.pk)]
    rows = [
        (year, [summary.by_year_source.get((year, s.pk)) for s in used], summary.by_year.get(year, Decimal("0.00")))
        for year in summary.years
    ]
    return BudgetTable(
        sources=used,
        rows=rows,
        source_totals=[summary.by_source[s.pk] for s in used],
        total=summary.total,
    )


def reviewer_copy(snapshot: dict) -> dict:
    """Everything the reviewer reads, in a fixed number of queries (one, for the funding sources)."""
    sources = list(FundingSource.objects.all())
    summary = snapshot_budget_summary(snapshot, sources)
    years = summary.years
    priorities = []
    for p in snapshot.get("priorities", []):
        rows = [(p["id"], b["year"], b["source_id"], Decimal(b["amount"])) for b in p.get("budget_lines", [])]
        priorities.append({**p, "budget": budget_table(summarise_lines(rows, years, sources))})
    return {
        "summary": summary,
        "budget": budget_table(summary),
        "priorities": priorities,
        "partners": snapshot.get("partners", []),
    }
