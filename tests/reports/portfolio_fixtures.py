"""A small national portfolio built with factories, and the same figures computed independently."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from agendas.models import Agenda, BudgetLine, DecisionYearAmount, ReviewAssignment
from tests.factories import AllianceFactory, RegionFactory, UserFactory
from tests.factories_reports import build_agenda, make_decision

S = Agenda.Status


def build_portfolio(*, regions: int = 3, agendas_per_region: int = 4, priorities: int = 2, years: int = 3):
    """Agendas in many states across ``regions``; one unshared draft per region (not visible to the ministry)."""
    region_objs = [RegionFactory() for _ in range(regions)]
    statuses = [S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.ACTIVE, S.REJECTED, S.AWAITING_DECISION, S.CLOSED]
    agendas = []
    n = 0
    for r_index, region in enumerate(region_objs):
        draft = build_agenda(alliance=AllianceFactory(region=region), status=S.DRAFT, priorities=1, years=years)
        agendas.append(draft)
        for a_index in range(agendas_per_region):
            status = statuses[n % len(statuses)]
            n += 1
            agenda = build_agenda(
                alliance=AllianceFactory(region=region),
                status=status,
                priorities=priorities,
                years=years,
                start_year=2027 + (a_index % 2),
                theme_codes=("zorg", "huisvesting", "regionale-economie")[a_index % 3 :] or ("zorg",),
                programme_code="regio-deal" if a_index % 2 == 0 else None,
                amount=Decimal("50000.00") * (r_index + 1),
            )
            agendas.append(agenda)
            if status in (S.APPROVED, S.ACTIVE, S.CLOSED):
                make_decision(
                    agenda,
                    amounts={
                        agenda.start_year: Decimal("40000.00") * (a_index + 1),
                        agenda.start_year + 1: Decimal("1234.56"),
                    },
                    with_review=False,
                )
            if status == S.REJECTED:
                make_decision(agenda, outcome="reject", with_review=False)
            if status == S.UNDER_REVIEW:
                version = agenda.versions.first()
                ReviewAssignment.objects.create(
                    agenda=agenda,
                    version=version,
                    reviewer=UserFactory(role="reviewer"),
                    assigned_by=UserFactory(role="ministry_officer"),
                    due_date=timezone.localdate() - datetime.timedelta(days=3),
                    status=ReviewAssignment.Status.ACTIVE,
                )
            if status == S.AWAITING_DECISION:
                Agenda.objects.filter(pk=agenda.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=200))
    return region_objs, agendas


def expected_figures(agendas, *, region=None, theme=None, year=None, status=None, programme=None):
    """Independent computation, in Python over every row (the dashboard does it in the database)."""
    visible = [a for a in agendas if a.current_version > 0 or a.shared_with_ministry]
    if region:
        visible = [a for a in visible if a.alliance.region_id == region]
    if status:
        visible = [a for a in visible if a.status == status]
    if year:
        visible = [a for a in visible if a.start_year <= year <= a.end_year]

    def priority_ok(priority):
        if theme and priority.theme_id != theme:
            return False
        if programme and not priority.programmes.filter(pk=programme).exists():
            return False
        return True

    if theme or programme:
        visible = [a for a in visible if any(priority_ok(p) for p in a.priorities.all())]
    ids = {a.pk for a in visible}
    figures = {
        "count": len(visible),
        "status": defaultdict(int),
        "requested_by_year": defaultdict(Decimal),
        "approved_by_year": defaultdict(Decimal),
        "requested_by_region": defaultdict(Decimal),
        "cofinancing_by_region": defaultdict(Decimal),
        "requested_by_theme": defaultdict(Decimal),
        "by_source": defaultdict(Decimal),
        "total": Decimal("0"),
    }
    for a in visible:
        figures["status"][a.status] += 1
    for line in BudgetLine.objects.select_related("priority__agenda__alliance", "source"):
        if line.priority.agenda_id not in ids or not priority_ok(line.priority):
            continue
        if year and line.year != year:
            continue
        category = line.source.category
        region_id = line.priority.agenda.alliance.region_id
        figures["by_source"][line.source.name] += line.amount
        figures["total"] += line.amount
        if category == "rijk_extra":
            figures["requested_by_year"][line.year] += line.amount
            figures["requested_by_region"][region_id] += line.amount
            figures["requested_by_theme"][line.priority.theme_id] += line.amount
        elif category in ("regional", "other"):
            figures["cofinancing_by_region"][region_id] += line.amount
    for amount in DecisionYearAmount.objects.select_related("decision"):
        d = amount.decision
        if d.agenda_id in ids and d.signed_at and d.outcome == "approve" and (not year or amount.year == year):
            figures["approved_by_year"][amount.year] += amount.approved_amount
    return figures
