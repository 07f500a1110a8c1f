"""The dashboard's drill-down tells the truth: with a theme filter every figure is still the whole agenda's
(labelled), titles link to the agenda, an empty list says why; the query count does not grow."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agendas import finance
from agendas.models import Agenda, Theme
from tests.factories_reports import build_agenda, make_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(db):
    agenda = build_agenda(status=Agenda.Status.ACTIVE, priorities=2, years=2, theme_codes=("zorg", "huisvesting"))
    make_decision(agenda, amounts={2027: Decimal("150000.00")})
    return agenda


def _row(page: str, agenda) -> str:
    start = page.index(f'href="{reverse("agendas:agenda_detail", args=[agenda.pk])}"')
    return page[start : page.index("</tr>", start)]


def test_theme_filter_shows_whole_agenda_figures_labelled(client, officer, approved):
    client.force_login(officer)
    zorg = Theme.objects.get(code="zorg")
    page = client.get(reverse("reports:agenda_list"), {"theme": zorg.pk}).content.decode()
    requested = finance.agenda_totals(approved).requested  # all priorities, not only the "zorg" one
    from kansenagenda.money import format_amount

    row = _row(page, approved)
    assert format_amount(requested) in row and format_amount(Decimal("150000.00")) in row
    assert "gelden voor de hele agenda (alle prioriteiten)" in page
    assert reverse("reports:agenda_documents", args=[approved.pk]) in row  # documents still one click away


def test_without_priority_filter_the_label_says_whole_agenda(client, officer, approved):
    client.force_login(officer)
    page = client.get(reverse("reports:agenda_list")).content.decode()
    assert "gelden voor de hele agenda." in page and "alle prioriteiten" not in page


def test_empty_states_explain_themselves(client, officer, approved):
    client.force_login(officer)
    page = client.get(reverse("reports:agenda_list"), {"status": "closed"}).content.decode()
    assert "Maak de filters ruimer" in page


def test_empty_portfolio_says_there_is_nothing_yet(client, officer):
    client.force_login(officer)
    page = client.get(reverse("reports:agenda_list")).content.decode()
    assert "Er zijn nog geen agenda's" in page
