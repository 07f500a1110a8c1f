"""Money through every door: budget grid page (Dutch and English), API with session and with token, the nota page
and API (pre-filled with the requested amounts), the progress report page and API, change requests; and the one
formatter on every output channel (page, message, document template, export). Guards keep new code on the module."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agendas.drafting.budget import cell_key
from agendas.models import BudgetLine, ChangeRequestItem, Decision, FundingSource
from kansenagenda import money
from tests.factories import AgendaFactory, BudgetLineFactory, PriorityFactory, make_coordinator, make_partner

pytestmark = pytest.mark.django_db
D = Decimal
ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def drafting(alliance):
    agenda = AgendaFactory(alliance=alliance)
    priority = PriorityFactory(agenda=agenda)
    sources = {s.code: s for s in FundingSource.objects.all()}
    return agenda, priority, sources, make_coordinator(alliance)


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _grid_post(client, agenda, priority, cells):
    data = {f"lock-{priority.pk}": priority.lock_version, "action": "save"}
    data.update({cell_key(priority.pk, year, source.pk): text for (year, source), text in cells.items()})
    return client.post(reverse("agendas:budget_grid", args=[agenda.pk]), data)


# --- budget grid page ------------------------------------------------------------------------------------------
def test_grid_page_reads_dutch_amounts(client, drafting):
    agenda, priority, sources, coordinator = drafting
    client.force_login(coordinator)
    rijk, prov, gem = sources["rijk-extra"], sources["provincie"], sources["gemeenten"]
    response = _grid_post(
        client, agenda, priority, {(2027, rijk): "1.000.000,00", (2027, prov): "280.000", (2028, gem): "7500,00"}
    )
    assert response.status_code == 302
    amounts = {(line.year, line.source_id): line.amount for line in BudgetLine.objects.all()}
    assert amounts == {(2027, rijk.pk): D("1000000.00"), (2027, prov.pk): D("280000.00"), (2028, gem.pk): D("7500.00")}
    priority.refresh_from_db()
    for text in ("0.105", "0,105", "1e13", "-1", "1,250,000.50"):
        response = _grid_post(client, agenda, priority, {(2028, rijk): text})
        assert response.status_code == 400, text
    assert "niet eenduidig" in _grid_post(client, agenda, priority, {(2028, rijk): "0.105"}).content.decode()
    assert BudgetLine.objects.count() == 3  # nothing refused was stored, "0.105" never became € 105


def test_grid_page_reads_english_amounts_and_shows_english_figures(client, drafting):
    agenda, priority, sources, coordinator = drafting
    _english(client).force_login(coordinator)
    rijk, prov = sources["rijk-extra"], sources["provincie"]
    response = _grid_post(client, agenda, priority, {(2027, rijk): "1,250,000.50", (2027, prov): "€1,200,000.48"})
    assert response.status_code == 302
    assert BudgetLine.objects.get(source=rijk).amount == D("1250000.50")
    page = client.get(reverse("agendas:agenda_detail", args=[agenda.pk])).content.decode()
    assert "€1,250,000.50" in page and "0.96 : 1" in page
    grid = client.get(reverse("agendas:budget_grid", args=[agenda.pk])).content.decode()
    assert 'value="1250000.50"' in grid  # the input shows what an English user types back


def test_partner_commitment_page_uses_the_money_field(client, drafting):
    agenda, _priority, _sources, coordinator = drafting
    client.force_login(coordinator)
    html = client.get(reverse("agendas:partner_create", args=[agenda.pk])).content.decode()
    field = re.search(r'<input[^>]*name="commitment_amount"[^>]*>', html).group(0)
    assert 'inputmode="decimal"' in field and 'type="number"' not in field


# --- budget line API: session and token ---------------------------------------------------------------------
@pytest.mark.parametrize("door", ["session", "token"])
def test_budget_line_api_rule(drafting, door):
    agenda, priority, _sources, coordinator = drafting
    api = APIClient()
    if door == "session":
        api.force_login(coordinator)
    else:
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=coordinator).key}")
    data = {"priority": priority.pk, "year": 2027, "source": "eu", "amount": "1.000.000,00", "lock_version": 1}
    response = api.post(reverse("budgetline-list"), data, format="json")
    assert response.status_code == 201 and response.json()["amount"] == "1000000.00"
    url = reverse("budgetline-detail", kwargs={"pk": response.json()["id"]})
    refused = {
        "280.000": "de punt het decimaalteken",
        "0,105": "niet eenduidig",
        "1e13": "geen bedrag",
        "-1": "negatief",
        "12.345": "meer dan twee decimalen",
    }
    for text, message in refused.items():
        response = api.patch(url, {"amount": text, "lock_version": 2}, format="json")
        assert response.status_code == 400 and message in response.json()["errors"]["amount"][0], text
    for sent, stored in ((7500.5, "7500.50"), ("1250000.50", "1250000.50"), (280000, "280000.00")):
        response = api.patch(url, {"amount": sent, "lock_version": BudgetLine.objects.get().priority.lock_version})
        assert response.status_code == 200 and response.json()["amount"] == stored


def test_budget_line_api_reads_english_text_in_the_english_interface(drafting):
    agenda, priority, _sources, coordinator = drafting
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(coordinator)
    data = {"priority": priority.pk, "year": 2027, "source": "eu", "amount": "1,250,000.50", "lock_version": 1}
    response = api.post(reverse("budgetline-list"), data, format="json")
    assert response.status_code == 201 and response.json()["amount"] == "1250000.50"
    data.update(year=2028, amount="1.250.000,50", lock_version=2)  # Dutch notation in the English interface
    assert api.post(reverse("budgetline-list"), data, format="json").status_code == 400


def test_partner_cannot_write_amounts_through_the_api(drafting):
    agenda, priority, _sources, _coordinator = drafting
    api = APIClient()
    api.force_login(make_partner(agenda.alliance))
    data = {"priority": priority.pk, "year": 2027, "source": "eu", "amount": "7500,00", "lock_version": 1}
    assert api.post(reverse("budgetline-list"), data, format="json").status_code in (403, 404)
    assert not BudgetLine.objects.exists()


# --- the nota: page and API ----------------------------------------------------------------------------------
@pytest.fixture
def nota_world(db):
    from tests.agendas.workflow_fixtures import advance, build_world

    world = build_world()
    advance(world, "awaiting_decision")
    return world


def _nota_data(**amounts):
    base = {
        "addressed_to": "minBZK",
        "sender": "DGOBDR",
        "date": "2026-12-01",
        "advised_decision": "approve",
        "actively_published": "no",
        "core": "Goedkeuren",
    }
    return {**base, **amounts}


def test_nota_page_is_prefilled_with_requested_amounts_and_reads_dutch(client, nota_world):
    from agendas.decision.versions import requested_rijk_extra_by_year

    agenda = nota_world.agenda
    requested = requested_rijk_extra_by_year(agenda.versions.order_by("-number").first())
    url = reverse("agendas:workflow-decision", args=[agenda.pk])
    client.force_login(nota_world.officer2)
    html = client.get(url).content.decode()
    field = re.search(r'<input[^>]*name="amount_2027"[^>]*>', html).group(0)
    assert f'value="{money.format_amount_input(requested[2027])}"' in field
    assert 'inputmode="decimal"' in field and 'type="number"' not in field
    assert f"Gevraagd: {money.format_amount(requested[2027])}" in html
    # "1.000.000,00" is a million (not "more than two decimals"), and more than was asked
    response = client.post(url, _nota_data(amount_2027="1.000.000,00"))
    errors = str(response.context["form"].errors["amount_2027"])
    assert "hoger dan gevraagd" in errors and "€ 1.000.000,00" in errors and "decimalen" not in errors
    response = client.post(url, _nota_data(amount_2027="0.105"))
    assert "niet eenduidig" in str(response.context["form"].errors["amount_2027"])
    response = client.post(url, _nota_data(amount_2027="7500,00"))
    assert response.status_code == 302
    assert Decision.objects.get().year_amounts.get(year=2027).approved_amount == D("7500.00")  # not € 750.000


def test_nota_page_in_english(client, nota_world):
    url = reverse("agendas:workflow-decision", args=[nota_world.agenda.pk])
    _english(client).force_login(nota_world.officer2)
    assert client.post(url, _nota_data(amount_2027="7,500.00")).status_code == 302
    assert Decision.objects.get().year_amounts.get(year=2027).approved_amount == D("7500.00")


def test_nota_api(nota_world):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=nota_world.officer2).key}")
    url = reverse("api-agenda-decision", kwargs={"pk": nota_world.agenda.pk})
    body = {"advised_decision": "approve", "core": "Goedkeuren", "actively_published": False}
    response = api.put(url, {**body, "year_amounts": [{"year": 2027, "approved_amount": "280.000"}]}, format="json")
    assert response.status_code == 400
    response = api.put(url, {**body, "year_amounts": [{"year": 2027, "approved_amount": "7500,00"}]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["year_amounts"] == [{"year": 2027, "approved_amount": "7500.00"}]
    assert Decision.objects.get().year_amounts.get(year=2027).approved_amount == D("7500.00")
    # a coordinator may not prepare the nota, whatever the amount
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=nota_world.coordinator).key}")
    response = api.put(url, {**body, "year_amounts": [{"year": 2027, "approved_amount": "1"}]}, format="json")
    assert response.status_code in (403, 404)


# --- progress report: page and API ---------------------------------------------------------------------------
@pytest.fixture
def monitoring(db):
    from agendas.monitoring.services import progress_report_open
    from tests.agendas.monitoring_fixtures import People, make_active_agenda

    agenda = make_active_agenda(priorities=1, milestones_per_priority=1)
    people = People(agenda)
    report, _ = progress_report_open(agenda=agenda, year=2027)
    return report, people


def _report_form(report, realised: str):
    data = {"lock_version": report.lock_version, "overall_narrative": "Goed op weg", "risks": "", "mitigations": ""}
    for row in report.milestone_progress.all():
        data.update({f"milestone-{row.pk}-status": "on_track", f"milestone-{row.pk}-value_reached": "40"})
        data[f"milestone-{row.pk}-evidence"] = "Gestart"
    for row in report.realisations.all():
        data.update({f"spending-{row.pk}-realised": realised, f"spending-{row.pk}-committed": ""})
        data[f"spending-{row.pk}-note"] = ""
    return data


def test_progress_report_page_accepts_280_000(client, monitoring):
    report, people = monitoring
    client.force_login(people.coordinator)
    url = reverse("agendas:monitoring-report", args=[report.pk])
    response = client.post(url, _report_form(report, "0,105"))
    assert response.status_code == 400 and "niet eenduidig" in response.content.decode()
    response = client.post(url, _report_form(report, "280.000"))
    assert response.status_code in (200, 302)
    assert {r.realised for r in report.realisations.all()} == {D("280000.00")}
    client.force_login(people.partner)  # a partner reads but does not fill in the report
    report.refresh_from_db()
    assert client.post(url, _report_form(report, "1")).status_code in (403, 404)
    assert {r.realised for r in report.realisations.all()} == {D("280000.00")}


def test_progress_report_api(monitoring):
    report, people = monitoring
    api = APIClient()
    api.force_authenticate(people.coordinator)
    line = report.realisations.first()
    url = reverse("progress-report-detail", kwargs={"pk": report.pk})
    response = api.patch(url, {"lock_version": 1, "spending": [{"id": line.pk, "realised": "280.000"}]}, format="json")
    assert response.status_code == 400
    response = api.patch(url, {"lock_version": 1, "spending": [{"id": line.pk, "realised": 280000}]}, format="json")
    assert response.status_code == 200
    line.refresh_from_db()
    assert line.realised == D("280000.00")


def test_change_request_reads_amounts_like_the_page(monitoring):
    from agendas.monitoring import change_requests

    report, people = monitoring
    line = BudgetLine.objects.filter(priority__agenda=report.agenda, year=2027).first()
    request = change_requests.change_request_create(
        agenda=report.agenda,
        actor=people.coordinator,
        reason="Vertraging",
        budget_shifts=[{"from_line": line.pk, "to_priority": line.priority_id, "to_year": 2028, "amount": "1.000,00"}],
        milestone_changes=[],
    )
    assert ChangeRequestItem.objects.get(change_request=request).amount == D("1000.00")


# --- one formatter on every channel ---------------------------------------------------------------------------
def test_page_message_and_document_use_the_one_formatter(client, drafting):
    from agendas.drafting.checklist import completeness_checklist

    agenda, priority, sources, coordinator = drafting
    BudgetLineFactory(priority=priority, year=2027, source=sources["rijk-extra"], amount=D("1250000.50"))
    BudgetLineFactory(priority=priority, year=2027, source=sources["provincie"], amount=D("1200000.48"))
    client.force_login(coordinator)
    page = client.get(reverse("agendas:agenda_detail", args=[agenda.pk])).content.decode()
    assert "€ 1.250.000,50" in page and "0,96 : 1" in page and "0.96 : 1" not in page
    with translation.override("nl"):
        item = next(i for i in completeness_checklist(agenda) if i.code == "cofinancing")
    assert "Cofinanciering is 0,96 : 1" in str(item.message)
    template = Template("{% load reports_format %}{{ a|euro }} | {{ r|nl_ratio }} | {{ p|nl_percentage }}")
    context = Context({"a": D("1250000.5"), "r": D("0.9599"), "p": D("20")})
    with translation.override("nl"):  # documents render in Dutch (reports.documents overrides the language)
        assert template.render(context) == "€ 1.250.000,50 | 0,95 : 1 | 20,0\u00a0%"
    with translation.override("en"):
        assert template.render(context) == "€1,250,000.50 | 0.95 : 1 | 20.0%"


def test_exports_keep_numbers_typed_and_format_only_labels():
    from openpyxl import load_workbook

    from reports.exports import Table, to_csv, to_xlsx

    table = Table("t", "Test", ["Label", "Bedrag (€)"], [["Zorg", D("1250000.50")]], money_columns={1})
    assert to_csv(table, semicolon=True).decode("utf-8-sig").splitlines()[1] == "Zorg;1250000,50"
    assert to_csv(table).decode("utf-8-sig").splitlines()[1] == "Zorg,1250000.50"
    cell = load_workbook(io.BytesIO(to_xlsx([table])))["Test"]["B2"]
    assert isinstance(cell.value, (int, float)) and cell.value == 1250000.5 and cell.number_format == "#,##0.00"


# --- guards: new code formats and parses money through kansenagenda.money --------------------------------------
SOURCE_PATTERNS = [r"€ %\(", r"€ \{", r'" : 1" %', r'replace\("\.", ","\)', r":\.2f\}", r"intcomma"]
TEMPLATE_PATTERNS = [r"€ \{\{", r"floatformat:\"2g\"", r"intcomma", r"\}\} : 1"]


def test_no_money_formatting_outside_the_module():
    problems = []
    for package in ("accounts", "agendas", "reports", "kansenagenda"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts or path.name == "money.py":
                continue
            text = path.read_text()
            problems += [f"{path.relative_to(ROOT)}: {p}" for p in SOURCE_PATTERNS if re.search(p, text)]
    for path in (ROOT / "templates").rglob("*"):
        if path.suffix in (".html", ".txt"):
            text = path.read_text()
            problems += [f"{path.relative_to(ROOT)}: {p}" for p in TEMPLATE_PATTERNS if re.search(p, text)]
    assert problems == []
