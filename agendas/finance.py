"""THE finance rules of an agenda — one home (CONVENTIONS, "One rule, one place").

* **Requested** money is the extra Rijk contribution a region asks for: budget lines whose funding
  source ``is_rijk_extra``.
* **Co-financing** ("regional money") is every budget line whose funding source
  ``counts_as_cofinancing`` (``FundingSource``: regional and other money). Nothing else ever counts:
  regular Rijk money is neither requested nor co-financing.
* **The co-financing ratio** is co-financing per euro requested, **rounded DOWN (toward zero) to two
  decimals**; ``None`` when no extra Rijk contribution is requested. Rounding down is the one rule
  because the ratio shown must never round up past the 1 : 1 bar: 0.995 shows (and is checked) as
  0.99, never as 1.00. The checklist, the budget pages, the version snapshot, the API, the dashboard,
  the exports and the PDFs all take the ratio from :func:`cofinancing_ratio`.
* **Approved** money is the year amounts of an agenda's latest *signed approving* decision; a year's
  approved amount is **never more than requested** for that year (:func:`over_request_problem`, used by
  the nota form/API and by the workflow guard that refuses signing).

Python callers sum with :class:`Totals`; database aggregations (dashboard, accountability figures)
filter with :func:`requested_categories` / :func:`cofinancing_categories` (or the ``*_q`` helpers),
which are derived from the same ``FundingSource`` properties — so SQL and Python cannot disagree —
and then compute the ratio from the sums with :func:`cofinancing_ratio`.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from kansenagenda import money

ZERO = Decimal("0.00")
RATIO_QUANTUM = Decimal("0.01")
#: The Regio Deal bar: the region co-finances at least as much as the Rijk's extra contribution.
MIN_COFINANCING_RATIO = Decimal("1")

REQUESTED = "requested"
COFINANCING = "cofinancing"
NEITHER = ""


# --- what counts as what ------------------------------------------------------------------------
def _categories(predicate: str) -> tuple[str, ...]:
    from agendas.models import FundingSource

    # Keyed on the property object itself, so a changed definition is followed at once.
    return _categories_of(FundingSource, predicate, getattr(FundingSource, predicate))


@functools.lru_cache(maxsize=16)
def _categories_of(model, predicate: str, _definition) -> tuple[str, ...]:
    return tuple(c for c in model.Category.values if getattr(model(category=c), predicate))


def cofinancing_categories() -> tuple[str, ...]:
    """The source categories that count as co-financing, derived from ``counts_as_cofinancing``."""
    return _categories("counts_as_cofinancing")


def requested_categories() -> tuple[str, ...]:
    """The source categories of the requested extra Rijk contribution, derived from ``is_rijk_extra``."""
    return _categories("is_rijk_extra")


def classify(source_or_category) -> str:
    """``REQUESTED``, ``COFINANCING`` or ``NEITHER`` for a FundingSource (or its category code)."""
    if hasattr(source_or_category, "counts_as_cofinancing"):  # a FundingSource: ask it
        if source_or_category.is_rijk_extra:
            return REQUESTED
        return COFINANCING if source_or_category.counts_as_cofinancing else NEITHER
    category = source_or_category
    if category in requested_categories():
        return REQUESTED
    if category in cofinancing_categories():
        return COFINANCING
    return NEITHER


def cofinancing_q(prefix: str = "") -> Q:
    """Condition on a FundingSource (``prefix`` e.g. ``"source__"`` from a budget line)."""
    return Q(**{f"{prefix}category__in": cofinancing_categories()})


def requested_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}category__in": requested_categories()})


# --- the ratio ------------------------------------------------------------------------------------
def cofinancing_ratio(cofinancing: Decimal | None, requested: Decimal | None) -> Decimal | None:
    """Co-financing per euro requested, rounded DOWN to 2 decimals; None when nothing is requested."""
    if not requested:
        return None
    return (Decimal(cofinancing or 0) / Decimal(requested)).quantize(RATIO_QUANTUM, rounding=ROUND_DOWN)


def meets_minimum(ratio: Decimal | None) -> bool:
    """True when the (rounded-down) ratio reaches 1 : 1. No extra Rijk contribution asked: nothing to meet."""
    return ratio is None or ratio >= MIN_COFINANCING_RATIO


def over_request_problem(year: int, approved: Decimal, requested: Decimal | None) -> str | None:
    """The Rijk never approves more than the region asked for a year: the refusal as a sentence, or None."""
    asked = requested or ZERO
    if approved > asked:
        return _("De toegekende rijksbijdrage voor %(year)s (%(amount)s) is hoger dan gevraagd (%(asked)s).") % {
            "year": year,
            "amount": money.format_amount(approved),
            "asked": money.format_amount(asked),
        }
    return None


# --- totals ---------------------------------------------------------------------------------------
@dataclass
class Totals:
    """Requested, co-financing and overall totals of some budget lines, and their ratio."""

    requested: Decimal = ZERO
    cofinancing: Decimal = ZERO
    total: Decimal = ZERO

    def add(self, source_or_category, amount: Decimal | None) -> str:
        """Count ``amount`` of a source (or category); returns what it counted as."""
        amount = amount or ZERO
        self.total += amount
        kind = classify(source_or_category)
        if kind == REQUESTED:
            self.requested += amount
        elif kind == COFINANCING:
            self.cofinancing += amount
        return kind

    @property
    def ratio(self) -> Decimal | None:
        return cofinancing_ratio(self.cofinancing, self.requested)

    @property
    def meets_minimum(self) -> bool:
        return meets_minimum(self.ratio)


def totals(rows: Iterable[tuple[object, Decimal | None]]) -> Totals:
    """``rows``: (FundingSource or category, amount) pairs."""
    result = Totals()
    for source, amount in rows:
        result.add(source, amount)
    return result


def agenda_totals(agenda) -> Totals:
    """The live budget of one agenda. Summed in Python (exact decimals; SQLite's SUM goes through floats)."""
    from agendas.models import BudgetLine

    return totals(BudgetLine.objects.filter(priority__agenda=agenda).values_list("source__category", "amount"))


# --- approved ---------------------------------------------------------------------------------------
def approved_year_amounts(agendas: QuerySet | None = None) -> QuerySet:
    """DecisionYearAmount rows of each agenda's latest signed approving decision (optionally of ``agendas``,
    a queryset of Agenda or of their pks). Sum ``approved_amount`` over them for the approved contribution."""
    from agendas.models import Decision, DecisionYearAmount

    later = Decision.objects.filter(
        agenda=OuterRef("decision__agenda"),
        signed_at__isnull=False,
        outcome=Decision.Outcome.APPROVE,
        pk__gt=OuterRef("decision_id"),
    )
    amounts = DecisionYearAmount.objects.filter(
        decision__signed_at__isnull=False, decision__outcome=Decision.Outcome.APPROVE
    ).exclude(Exists(later))
    if agendas is not None:
        amounts = amounts.filter(decision__agenda__in=agendas)
    return amounts


# --- need beside money (reports/need.py) -----------------------------------------------------------------
#: Progress reports whose realised spending counts as spent: handed in (submitted) or accepted, never a draft.
SPENT_REPORT_STATUSES = ("submitted", "accepted")
PER_INHABITANT_QUANTUM = Decimal("0.01")


def spent_realisations(agendas: QuerySet | None = None) -> QuerySet:
    """BudgetLineRealisation rows that count as the Rijk's extra money spent: realised spending on requested
    (extra Rijk) budget lines in submitted or accepted progress reports (optionally of ``agendas``)."""
    from agendas.models import BudgetLineRealisation

    rows = BudgetLineRealisation.objects.filter(
        requested_q("budget_line__source__"), report__status__in=SPENT_REPORT_STATUSES
    )
    if agendas is not None:
        rows = rows.filter(report__agenda__in=agendas)
    return rows


def approved_by_theme(agendas: QuerySet) -> dict[tuple[int, int], Decimal]:
    """The approved extra Rijk contribution of each agenda spread over its themes **pro rata of the extra Rijk
    money requested per theme** (a decision approves an amount per year, not per theme). Keys are
    (region_id, theme_id). An agenda that requested nothing has no theme share. Two queries."""
    from agendas.models import BudgetLine

    approved: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for agenda_id, total in (
        approved_year_amounts(agendas).values_list("decision__agenda_id").annotate(t=Sum("approved_amount")).order_by()
    ):
        approved[agenda_id] += total or ZERO
    requested = (
        BudgetLine.objects.filter(requested_q("source__"), priority__agenda__in=agendas)
        .values_list("priority__agenda_id", "priority__agenda__alliance__region_id", "priority__theme_id")
        .annotate(t=Sum("amount"))
        .order_by()
    )
    rows = [(a, r, t, amount or ZERO) for a, r, t, amount in requested]
    per_agenda: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for agenda_id, _region, _theme, amount in rows:
        per_agenda[agenda_id] += amount
    result: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for agenda_id, region_id, theme_id, amount in rows:
        if approved.get(agenda_id) and per_agenda[agenda_id]:
            result[(region_id, theme_id)] += approved[agenda_id] * amount / per_agenda[agenda_id]
    return {key: value.quantize(Decimal("0.01")) for key, value in result.items()}


def per_inhabitant(amount: Decimal | None, inhabitants: int | None) -> Decimal | None:
    """Euros per inhabitant (two decimals, half up); None when the region has no inhabitants figure."""
    if not inhabitants:
        return None
    return (Decimal(amount or 0) / Decimal(inhabitants)).quantize(PER_INHABITANT_QUANTUM)
