"""Reading the Rijk's commitments: per agenda (with each year's report), for the nota, and per ministry for the
portfolio. "Open" is signed and not reported done; "late" is open and either reported late in its latest report
or past its due year. Fixed numbers of queries, whatever the number of commitments or ministries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from agendas.rijk.models import Ministry, RijkCommitment, RijkCommitmentReport
from agendas.rijk.policy import rijk_commitment_policy

R = RijkCommitmentReport.Status


def _with_reports(qs):
    return qs.select_related("ministry", "programme", "agenda__alliance__region", "recorded_by").prefetch_related(
        Prefetch("reports", queryset=RijkCommitmentReport.objects.select_related("reported_by").order_by("year"))
    )


def latest_report(commitment: RijkCommitment) -> RijkCommitmentReport | None:
    reports = list(commitment.reports.all())
    return reports[-1] if reports else None


def is_open(commitment: RijkCommitment) -> bool:
    latest = latest_report(commitment)
    return commitment.is_signed and (latest is None or latest.status != R.DONE)


def is_late(commitment: RijkCommitment, year: int | None = None) -> bool:
    if not is_open(commitment):
        return False
    year = year or timezone.localdate().year
    latest = latest_report(commitment)
    return commitment.due_year < year or (latest is not None and latest.status == R.LATE)


def for_agenda(user, agenda) -> list[RijkCommitment]:
    """The commitments of ``agenda`` that ``user`` may see, each with its reports (``.reports.all()``)."""
    qs = rijk_commitment_policy.visible(user).filter(agenda=agenda)
    return list(_with_reports(qs).order_by("due_year", "ministry__order", "pk"))


def report_for_year(commitments: list[RijkCommitment], year: int) -> dict[int, RijkCommitmentReport]:
    return {r.commitment_id: r for c in commitments for r in c.reports.all() if r.year == year}


def for_decision(decision) -> list[dict]:
    """The nota's section: signed with this decision, or (before signing) the agenda's open ones. Plain strings."""
    if decision.signed_at is not None:
        qs = RijkCommitment.objects.filter(decision=decision)
    else:
        qs = RijkCommitment.objects.filter(agenda_id=decision.agenda_id, signed_at__isnull=True)
    return [
        {
            "ministry": c.ministry.name,
            "ministry_abbreviation": c.ministry.abbreviation,
            "programme": c.programme.name if c.programme_id else "",
            "text": c.text,
            "due_year": c.due_year,
            "signed": c.signed_at is not None,
        }
        for c in qs.select_related("ministry", "programme").order_by("due_year", "ministry__order", "pk")
    ]


@dataclass
class MinistryRow:
    ministry: Ministry
    open: list[RijkCommitment] = field(default_factory=list)
    late: list[RijkCommitment] = field(default_factory=list)


def per_ministry(user, year: int | None = None) -> list[MinistryRow]:
    """The portfolio's overview: per ministry its open and late commitments (of the agendas ``user`` sees)."""
    rows = {m.pk: MinistryRow(ministry=m) for m in Ministry.objects.filter(active=True)}
    signed = rijk_commitment_policy.visible(user).filter(signed_at__isnull=False)
    for commitment in _with_reports(signed).order_by("due_year", "agenda__title", "pk"):
        row = rows.get(commitment.ministry_id)
        if row is None:
            row = rows[commitment.ministry_id] = MinistryRow(ministry=commitment.ministry)
        if is_open(commitment):
            row.open.append(commitment)
            if is_late(commitment, year):
                row.late.append(commitment)
    return list(rows.values())


def year_rows(user, agenda, year: int) -> list[dict]:
    """The progress report's section: each signed commitment with the ministry's report of ``year`` (or None)."""
    signed = [c for c in for_agenda(user, agenda) if c.is_signed]
    reports = report_for_year(signed, year)
    return [{"commitment": c, "report": reports.get(c.pk)} for c in signed]
