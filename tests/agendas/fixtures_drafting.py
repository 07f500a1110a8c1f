"""Fixtures and builders for the drafting tests (imported by tests/agendas/test_drafting_*.py and test_api_drafting*)."""

from decimal import Decimal

import pytest

from accounts import roles
from agendas.models import FundingSource, Theme
from tests.factories import (
    AgendaFactory,
    AgendaPartnerFactory,
    BudgetLineFactory,
    MilestoneFactory,
    OrganisationFactory,
    PriorityFactory,
    UserFactory,
    confirm_cofinancing,
    make_coordinator,
    make_partner,
    make_state_representative,
)


@pytest.fixture
def agenda(alliance):
    return AgendaFactory(alliance=alliance)


@pytest.fixture
def priority(agenda):
    return PriorityFactory(agenda=agenda)


@pytest.fixture
def sources():
    return {s.code: s for s in FundingSource.objects.all()}


@pytest.fixture
def themes():
    return {t.code: t for t in Theme.objects.all()}


@pytest.fixture
def people(alliance, other_alliance):
    """One user per row of the permission matrix."""
    return {
        "coordinator": make_coordinator(alliance),
        "other_coordinator": make_coordinator(other_alliance),
        "partner": make_partner(alliance),
        "other_partner": make_partner(other_alliance),
        "state_representative": make_state_representative(alliance.region),
        "other_state_representative": make_state_representative(other_alliance.region),
        "ministry_officer": UserFactory(role=roles.MINISTRY_OFFICER),
        "reviewer": UserFactory(role=roles.REVIEWER),
        "administrator": UserFactory(role=roles.ADMINISTRATOR),
    }


def complete_agenda(alliance, coordinator, *, priorities: int = 2, years: int = 10) -> object:
    """An agenda that passes the completeness checklist: priorities with milestones and 1:1 budget, 2 partners."""
    agenda = AgendaFactory(alliance=alliance, start_year=2027, end_year=2027 + years - 1)
    rijk = FundingSource.objects.get(code="rijk-extra")
    province = FundingSource.objects.get(code="provincie")
    for _ in range(priorities):
        p = PriorityFactory(agenda=agenda)
        MilestoneFactory(priority=p, target_year=2030)
        BudgetLineFactory(priority=p, year=2027, source=rijk, amount=Decimal("1000.00"))
        BudgetLineFactory(priority=p, year=2027, source=province, amount=Decimal("1000.00"))
    for _ in range(2):
        org = OrganisationFactory()
        alliance.organisations.add(org)
        AgendaPartnerFactory(agenda=agenda, organisation=org, commitment_amount=Decimal("5"))
    confirm_cofinancing(agenda)
    return agenda


def big_agenda(alliance, *, n_priorities=50, n_years=10, n_sources=5):
    """50 priorities × 10 years × 5 sources (2500 budget lines), each with a milestone."""
    from agendas.models import BudgetLine, Milestone, Priority

    agenda = AgendaFactory(alliance=alliance, start_year=2027, end_year=2027 + n_years - 1)
    theme = Theme.objects.get(code="zorg")
    priorities = Priority.objects.bulk_create(
        [
            Priority(agenda=agenda, theme=theme, title=f"Prioriteit {i}", goals="Doel", order=i)
            for i in range(n_priorities)
        ]
    )
    priorities = list(Priority.objects.filter(agenda=agenda))
    sources = list(FundingSource.objects.all()[:n_sources])
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(priority=p, year=2027 + y, source=s, amount=Decimal("1000.50"))
            for p in priorities
            for y in range(n_years)
            for s in sources
        ]
    )
    Milestone.objects.bulk_create(
        [
            Milestone(
                priority=p,
                title="Resultaat",
                indicator_name="Indicator",
                unit="aantal",
                baseline_value=0,
                baseline_year=2026,
                target_value=10,
                target_year=2030,
            )
            for p in priorities
        ]
    )
    return agenda


def agenda_data(**overrides):
    data = {
        "title": "Kansenagenda Oost",
        "start_year": 2027,
        "end_year": 2036,
        "vision": "Een vitale regio.",
        "analysis": "Krimp en vergrijzing.",
        "baseline_notes": "",
        "low_cofinancing_justification": "",
    }
    data.update(overrides)
    return data


def milestone_data(**overrides):
    data = {
        "title": "150 extra zorgmedewerkers opgeleid",
        "indicator_name": "Opgeleide zorgmedewerkers",
        "unit": "personen",
        "type": "output",
        "baseline_value": Decimal("0"),
        "baseline_year": 2026,
        "target_value": Decimal("150"),
        "target_year": 2030,
        "measurement": "Registratie van de opleidingen.",
    }
    data.update(overrides)
    return data


# Only the fixtures: test modules star-import them (pytest finds fixtures by name in the module).
__all__ = ["agenda", "priority", "sources", "themes", "people"]
