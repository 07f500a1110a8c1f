"""Reporting without retyping, in a real browser with axe: the coordinator downloads the pre-filled report,
fills it offline, uploads it, sees the preview and confirms; a partner confirms a commitment on the commitments
page. Screenshots at 1280 and 390 px go to $KA_SCREENSHOTS when it is set."""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from agendas.models import BudgetLineRealisation, MilestoneProgress, PartnerCommitment, ProgressReport
from agendas.monitoring import spreadsheet
from agendas.monitoring.services import progress_report_open
from tests.agendas.monitoring_fixtures import People, make_active_agenda
from tests.agendas.workflow_fixtures import make_complete_agenda
from tests.factories import UserFactory, member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shots(page, name: str) -> None:
    target = os.environ.get("KA_SCREENSHOTS")
    if not target:
        return
    Path(target).mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{target}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def press(page, name):
    button = page.get_by_role("button", name=name, exact=True)
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_download_fill_upload_preview_confirm(browser_page, login, assert_no_axe_violations, tmp_path):
    page = browser_page
    agenda = make_active_agenda(priorities=1, milestones_per_priority=2)
    people = People(agenda)
    report, _ = progress_report_open(agenda=agenda, year=2027)

    login(page, people.coordinator.email)
    page.goto(f"/agendas/voortgang/rapportages/{report.pk}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download als spreadsheet (XLSX)").click()
    downloaded = tmp_path / "rapportage.xlsx"
    info.value.save_as(downloaded)

    wb = load_workbook(downloaded)
    for r in range(2, wb[spreadsheet.MILESTONES].max_row + 1):
        wb[spreadsheet.MILESTONES].cell(r, 7, "Op schema")
        wb[spreadsheet.MILESTONES].cell(r, 8, "12,5")
    for r in range(2, wb[spreadsheet.SPENDING].max_row + 1):
        wb[spreadsheet.SPENDING].cell(r, 6, "40.000,00")
    bad = tmp_path / "fout.xlsx"
    wb[spreadsheet.SPENDING].cell(2, 7, "veel")
    wb.save(bad)
    wb[spreadsheet.SPENDING].cell(2, 7, 2500)
    filled = tmp_path / "ingevuld.xlsx"
    wb.save(filled)

    page.get_by_role("link", name="Ingevulde spreadsheet uploaden").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    _shots(page, "spreadsheet-upload")
    page.set_input_files("#id_file", str(bad))
    press(page, "Controleren")
    summary = page.locator(".error-summary").inner_text()
    assert "Blad ‘Besteding’, rij 2, kolom ‘Verplicht’" in summary
    assert_no_axe_violations(page)
    _shots(page, "spreadsheet-errors")

    page.set_input_files("#id_file", str(filled))
    press(page, "Controleren")
    assert "Voorbeeld: dit verandert er" in page.content()
    assert_no_axe_violations(page)
    _shots(page, "spreadsheet-preview")
    assert not MilestoneProgress.objects.filter(report=report, value_reached__isnull=False).exists()
    press(page, "Bevestigen en verwerken")
    assert "verwerkt in de rapportage" in page.content()
    assert set(MilestoneProgress.objects.filter(report=report).values_list("value_reached", flat=True)) == {
        Decimal("12.5")
    }
    assert BudgetLineRealisation.objects.filter(report=report, realised=Decimal("40000.00")).count() == 2
    assert ProgressReport.objects.get(pk=report.pk).lock_version == report.lock_version + 1


def test_partner_confirms_a_commitment(browser_page, login, assert_no_axe_violations):
    page = browser_page
    agenda = make_complete_agenda()
    PartnerCommitment.objects.filter(agenda=agenda).delete()
    org = agenda.partners.order_by("pk").first().organisation
    agenda.alliance.organisations.add(org)
    signer = UserFactory(role="partner")
    member_of(signer, org)
    login(page, signer.email)
    page.goto(f"/agendas/{agenda.pk}/toezeggingen/")
    assert_no_axe_violations(page)
    page.select_option("#id_year", str(agenda.start_year))
    page.select_option("#id_source", label="Provincie")
    page.locator("#id_amount").fill("150.000,00")
    press(page, "Bevestigen namens mijn organisatie")
    assert "Alle cofinanciering in de begroting is bevestigd." in page.content()
    assert_no_axe_violations(page)
    _shots(page, "partner-commitments")
    assert PartnerCommitment.objects.get(agenda=agenda).amount == Decimal("150000.00")
