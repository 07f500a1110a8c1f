"""Partner commitments: co-financing confirmed by the partner organisation itself, per year and source.

The rule (one place, asked by the checklist – and so by the submit guard, the pages and the API):

- every co-financing amount in the budget (``finance.cofinancing_q``: regional and other money), summed per
  year and funding source over all priorities, must be matched *exactly* by the confirmed commitments of the
  partner organisations for that year and source (``commitment_cells`` / ``commitment_gaps``);
- a confirmation is counted against the budget as it is *now*: when the budget changes, the sums no longer
  match and the checklist says so; a confirmation for a year and source that no longer has a co-financing
  amount in the budget is **stale** (shown as such, counted as a gap) until its partner revokes it. Nothing is
  changed behind the partner's back: only the partner's own people give or end a commitment;
- while the agenda is editable (draft, returned, withdrawn) a partner may revoke; while it is submitted and
  being decided, a commitment is part of what is decided and cannot be ended; after approval (approved,
  active) a partner that withdraws is recorded as *withdrawn* with a reason: a monitoring signal shown on the
  agenda's monitoring page, told to the coordinators, the state representative and the ministry, who settle
  it through a change request.

The submitted version carries the confirmations (``snapshot_commitments``), so the reviewer and the nota show
the amounts that were confirmed when the agenda was submitted. The writes are in ``commitment_services.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from agendas import finance
from agendas.models import Agenda, BudgetLine, FundingSource, PartnerCommitment
from kansenagenda import money

C = PartnerCommitment.Status


@dataclass
class CommitmentCell:
    """One year and funding source: what the budget holds against what the partners confirmed."""

    year: int
    source: FundingSource
    budgeted: Decimal = Decimal("0")
    confirmed: Decimal = Decimal("0")
    commitments: list[PartnerCommitment] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.budgeted == self.confirmed

    @property
    def stale(self) -> bool:
        """Confirmed for an amount that is no longer in the budget."""
        return self.budgeted == 0 and self.confirmed > 0

    @property
    def message(self) -> str:
        values = {
            "year": self.year,
            "source": self.source.name,
            "budgeted": money.format_amount(self.budgeted),
            "confirmed": money.format_amount(self.confirmed),
        }
        if self.stale:
            return (
                _(
                    "%(year)s – %(source)s: partners bevestigden %(confirmed)s, maar dit bedrag staat niet meer in de "
                    "begroting. De partner trekt deze verouderde bevestiging in, of zet het bedrag terug in de begroting."
                )
                % values
            )
        if self.confirmed < self.budgeted:
            return (
                _(
                    "%(year)s – %(source)s: %(budgeted)s begroot, %(confirmed)s bevestigd door partners. Vraag de "
                    "partnerorganisatie die dit geld inbrengt haar toezegging te bevestigen."
                )
                % values
            )
        return (
            _(
                "%(year)s – %(source)s: partners bevestigden %(confirmed)s, meer dan de %(budgeted)s in de begroting. "
                "Pas de begroting aan, of laat de partner haar bevestiging intrekken en het juiste bedrag bevestigen."
            )
            % values
        )


def commitment_cells(agenda: Agenda, *, summary=None) -> list[CommitmentCell]:
    """Every year and co-financing source in the budget or in a confirmation, in order. Three queries; one when
    ``summary`` (the page's ``BudgetSummary``, with its funding sources) is given: its sums are reused."""
    if summary is not None:
        sources = {s.pk: s for s in summary.sources}
    else:
        sources = {s.pk: s for s in FundingSource.objects.all()}
    cells: dict[tuple[int, int], CommitmentCell] = {}

    def cell(year: int, source_id: int) -> CommitmentCell:
        key = (year, source_id)
        if key not in cells:
            cells[key] = CommitmentCell(year=year, source=sources[source_id])
        return cells[key]

    if summary is not None:
        categories = set(finance.cofinancing_categories())
        budget = [
            {"year": year, "source_id": source_id, "total": total}
            for (year, source_id), total in summary.by_year_source.items()
            if source_id in sources and sources[source_id].category in categories
        ]
    else:
        budget = (
            BudgetLine.objects.filter(priority__agenda=agenda)
            .filter(finance.cofinancing_q("source__"))
            .values("year", "source_id")
            .annotate(total=Sum("amount"))
        )
    for row in budget:
        if row["total"]:
            cell(row["year"], row["source_id"]).budgeted = row["total"]
    confirmed = PartnerCommitment.objects.filter(agenda=agenda, status=C.CONFIRMED).select_related(
        "organisation", "source", "confirmed_by"
    )
    for commitment in confirmed:
        c = cell(commitment.year, commitment.source_id)
        c.confirmed += commitment.amount
        c.commitments.append(commitment)
    return sorted(cells.values(), key=lambda c: (c.year, c.source.order, c.source.pk))


def commitment_gaps(agenda: Agenda, *, summary=None) -> list[CommitmentCell]:
    return [c for c in commitment_cells(agenda, summary=summary) if not c.ok]


def snapshot_commitments(agenda: Agenda) -> list[dict]:
    """The confirmed commitments as JSON for the version snapshot (strings for money)."""
    rows = (
        PartnerCommitment.objects.filter(agenda=agenda, status=C.CONFIRMED)
        .select_related("organisation", "source", "confirmed_by")
        .order_by("year", "source__order", "organisation__name")
    )
    return [
        {
            "organisation_id": c.organisation_id,
            "organisation": c.organisation.name,
            "year": c.year,
            "source_code": c.source.code,
            "source": c.source.name,
            "amount": str(c.amount),
            "confirmed_by": c.confirmed_by.get_full_name() or c.confirmed_by.email,
            "confirmed_at": c.confirmed_at.date().isoformat(),
        }
        for c in rows
    ]


def version_commitments(snapshot: dict) -> dict:
    """What the nota and the reviewer show: the confirmed amounts of a version, per row and in total."""
    rows = snapshot.get("partner_commitments") or []
    total = sum((Decimal(r["amount"]) for r in rows), Decimal("0"))
    return {"rows": rows, "total": str(total), "recorded": "partner_commitments" in snapshot}


def withdrawn_after_decision(agenda: Agenda) -> list[PartnerCommitment]:
    """The monitoring signal: commitments a partner withdrew after the agenda was approved."""
    return list(
        PartnerCommitment.objects.filter(agenda=agenda, status=C.WITHDRAWN)
        .select_related("organisation", "source", "ended_by")
        .order_by("-ended_at")
    )
