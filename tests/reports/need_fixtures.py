"""Helpers for the need-beside-money tests: monitor values, region ↔ COROP links, agendas with Rijk money."""

from decimal import Decimal

from agendas.models import (
    Agenda,
    BudgetLine,
    FundingSource,
    MonitorArea,
    MonitorIndicator,
    MonitorValue,
    Priority,
    Theme,
)
from tests.factories import AgendaFactory, AllianceFactory

D = Decimal


def set_values(indicator_code: str, values: dict[tuple[str, int], str]) -> None:
    indicator = MonitorIndicator.objects.get(code=indicator_code)
    for (area_code, year), value in values.items():
        area = MonitorArea.objects.get(code=area_code)
        MonitorValue.objects.create(area=area, indicator=indicator, year=year, value=D(value))


def link(region, area_code: str) -> None:
    area = MonitorArea.objects.get(code=area_code)
    area.region = region
    area.save()


def agenda_with_money(region, *, zorg: str, huisvesting: str = "0", status=Agenda.Status.ACTIVE) -> Agenda:
    agenda = AgendaFactory(alliance=AllianceFactory(region=region), status=status, current_version=1)
    rijk = FundingSource.objects.get(code="rijk-extra")
    province = FundingSource.objects.get(code="provincie")
    for order, (theme, amount) in enumerate((("zorg", zorg), ("huisvesting", huisvesting))):
        priority = Priority.objects.create(
            agenda=agenda, theme=Theme.objects.get(code=theme), title=theme, goals="Doelen.", order=order
        )
        BudgetLine.objects.create(priority=priority, year=2027, source=rijk, amount=D(amount))
        BudgetLine.objects.create(priority=priority, year=2027, source=province, amount=D("999999"))  # not Rijk
    return agenda
