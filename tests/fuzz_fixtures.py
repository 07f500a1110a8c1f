"""Data for the API fuzz run (scripts/fuzz-api): agendas with content owned by the demo coordinator,
and API tokens for the demo coordinator and ministry officer. Not a test module."""

from decimal import Decimal

from rest_framework.authtoken.models import Token

from accounts.models import Alliance, User
from agendas.models import FundingSource, Theme
from tests.factories import AgendaFactory, AgendaPartnerFactory, BudgetLineFactory, MilestoneFactory, PriorityFactory


def build() -> str:
    coordinator = User.objects.get(email="coordinator@demo.kansenagenda.nl")
    officer = User.objects.get(email="medewerker@demo.kansenagenda.nl")
    alliance = Alliance.objects.get(region__code="achterhoek")
    theme = Theme.objects.get(code="zorg")
    for i in range(2):
        agenda = AgendaFactory(alliance=alliance, title=f"Fuzz-agenda {i}", created_by=coordinator)
        priority = PriorityFactory(agenda=agenda, theme=theme)
        for source in FundingSource.objects.all()[:3]:
            BudgetLineFactory(priority=priority, source=source, year=2027, amount=Decimal("1000.00"))
        MilestoneFactory(priority=priority, target_year=2030)
        for org in alliance.organisations.all()[:3]:
            AgendaPartnerFactory(agenda=agenda, organisation=org)
    coord_token, _ = Token.objects.get_or_create(user=coordinator)
    officer_token, _ = Token.objects.get_or_create(user=officer)
    return f"{coord_token.key} {officer_token.key}"
