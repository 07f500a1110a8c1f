"""Factories and fixtures for the monitoring tests (import with ``from tests.agendas.monitoring_fixtures import *``)."""

from decimal import Decimal

import pytest

from accounts import roles
from agendas.models import Agenda, FundingSource, Theme
from tests.factories import (
    AgendaFactory,
    AllianceFactory,
    BudgetLineFactory,
    MilestoneFactory,
    OrganisationFactory,
    PriorityFactory,
    UserFactory,
    make_coordinator,
    make_partner,
    make_state_representative,
)

PASSWORD = "Correct-Horse-42!"
SOURCE_CODES = ["rijk-extra", "provincie", "gemeenten", "eu", "privaat", "rijk-regulier"]


def make_active_agenda(
    *, alliance=None, priorities=1, milestones_per_priority=1, sources=("rijk-extra", "provincie"), years=None, **kwargs
) -> Agenda:
    """An active (signed) agenda 2027–2036 with priorities, budget lines for ``years`` and milestones."""
    alliance = alliance or AllianceFactory(organisations=[OrganisationFactory()])
    agenda = AgendaFactory(alliance=alliance, status=Agenda.Status.ACTIVE, current_version=1, **kwargs)
    theme = Theme.objects.get(code="zorg")
    source_objs = [FundingSource.objects.get(code=c) for c in sources]
    years = years or [2027, 2028]
    for p in range(priorities):
        priority = PriorityFactory(agenda=agenda, theme=theme, order=p)
        for year in years:
            for source in source_objs:
                BudgetLineFactory(priority=priority, year=year, source=source, amount=Decimal("100000.00"))
        for m in range(milestones_per_priority):
            MilestoneFactory(priority=priority, title=f"Mijlpaal {p}.{m}")
    return agenda


class People:
    """One user per role around an agenda (and some outsiders)."""

    def __init__(self, agenda: Agenda):
        self.agenda = agenda
        self.coordinator = make_coordinator(agenda.alliance)
        self.partner = make_partner(agenda.alliance)
        self.state_rep = make_state_representative(agenda.alliance.region)
        self.other_state_rep = make_state_representative(AllianceFactory().region)
        self.officer = UserFactory(role=roles.MINISTRY_OFFICER)
        self.signatory = UserFactory(role=roles.MINISTRY_SIGNATORY)
        self.signatory2 = UserFactory(role=roles.MINISTRY_SIGNATORY)
        self.reviewer = UserFactory(role=roles.REVIEWER)
        self.other_coordinator = make_coordinator(AllianceFactory(organisations=[OrganisationFactory()]))
        self.admin = UserFactory(role=roles.ADMINISTRATOR)

    def __getitem__(self, name):
        return getattr(self, name)


@pytest.fixture
def active_agenda(db):
    return make_active_agenda(priorities=2, milestones_per_priority=2)


@pytest.fixture
def people(active_agenda):
    return People(active_agenda)


@pytest.fixture
def report(active_agenda, people):
    from agendas.monitoring.services import progress_report_open

    report, _ = progress_report_open(agenda=active_agenda, year=2027)
    return report


def fill_complete(report, actor):
    """Fill in everything a submission needs; returns the saved report."""
    from agendas.monitoring.services import progress_report_save

    milestones = {
        row.pk: {"status": "on_track", "value_reached": "40", "evidence": "Cursussen gestart."}
        for row in report.milestone_progress.all()
    }
    spending = {row.pk: {"realised": "80000,00", "committed": "10000"} for row in report.realisations.all()}
    report.refresh_from_db()
    return progress_report_save(
        report=report,
        actor=actor,
        lock_version=report.lock_version,
        report_fields={"overall_narrative": "Het loopt goed.", "risks": "Krapte", "mitigations": "Werving"},
        milestones=milestones,
        spending=spending,
    )
