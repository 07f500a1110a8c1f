"""Browser journey of need beside money (ministry officer): the national page per theme with its chart, tile map and
table, chosen by keyboard; a region's page; the Excel export; and the same page at 390 px — axe on every page.
Screenshots (1280 and 390 px) go to $SCREENSHOT_DIR when set."""

import io
import os
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from accounts import roles
from agendas.welfare import services
from agendas.welfare.demo import DEMO_FILE
from tests.factories import RegionFactory, UserFactory
from tests.factories_reports import make_decision
from tests.reports.need_fixtures import agenda_with_money, link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, name), full_page=True)


def test_need_beside_money_journey(browser_page, login, assert_no_axe_violations):
    record = services.monitor_import_create(data=DEMO_FILE.read_bytes(), filename=DEMO_FILE.name, actor=None)
    assert services.monitor_import_run(import_id=record.pk).status == "done"
    regions = []
    for index, (code, name, inhabitants) in enumerate(
        [("CR01", "Noord- en Oost-Groningen", 230_000), ("CR39", "Zuid-Limburg", 600_000), ("CR12", "Twente", 640_000)]
    ):
        region = RegionFactory(name=name, inhabitants=inhabitants)
        link(region, code)
        agenda = agenda_with_money(region, zorg=str(2_000_000 * (index + 1)), huisvesting="1000000")
        if index:
            make_decision(agenda, amounts={2027: Decimal("1500000")}, with_review=False)
        regions.append(region)
    officer = UserFactory(role=roles.MINISTRY_OFFICER)
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})

    login(page, officer.email)
    page.get_by_role("link", name="Opgave en geld").click()
    page.wait_for_url("**/opgave-en-geld/**")
    assert page.locator("svg#need-tiles .tile-code").count() == 40
    assert_no_axe_violations(page)

    # Theme and measure by keyboard; they end up in the URL.
    page.get_by_label("Thema", exact=True).select_option(label="Zorg")
    page.get_by_label("Kleur de kaart naar", exact=True).select_option(label="Toegekend per inwoner")
    page.get_by_label("Kleur de kaart naar", exact=True).focus()
    with page.expect_navigation():
        page.get_by_role("button", name="Toon").press("Enter")
    assert "thema=zorg" in page.url and "maat=approved_pc" in page.url
    table = page.locator("table.need-table tbody")
    assert table.locator("tr").count() == 3
    # € 1.5 M approved, 4 of its 5 M requested is zorg: € 1.2 M / 600,000 inhabitants
    assert "€ 2,00" in table.locator("tr", has_text="Zuid-Limburg").inner_text()
    assert_no_axe_violations(page)
    _shot(page, "need-1280.png")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als Excel-bestand (XLSX)").click()
    sheet = load_workbook(io.BytesIO(open(download_info.value.path(), "rb").read())).active
    assert sheet.max_row == 4

    page.get_by_role("link", name="Twente").click()
    page.wait_for_url("**/opgave-en-geld/regio/**")
    assert page.locator("h1").inner_text() == "Opgave en geld: Twente"
    assert_no_axe_violations(page)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/rapportages/opgave-en-geld/?thema=zorg&maat=need")
    assert_no_axe_violations(page)
    # reflow: the page itself never scrolls sideways (wide tables scroll in their own box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "need-390.png")
