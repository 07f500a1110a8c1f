"""Browser journey of the ministry's portfolio dashboard: filter by keyboard, read the figures, follow a
figure to its agendas, export to Excel, ask for a document, and the public pages — axe on every page."""

import io

import pytest
from openpyxl import load_workbook

from accounts import roles
from agendas.models import Theme
from tests.factories import UserFactory
from tests.reports.portfolio_fixtures import build_portfolio, expected_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_with_filters_export_and_documents(browser_page, login, assert_no_axe_violations):
    regions, agendas = build_portfolio(regions=2, agendas_per_region=4)
    officer = UserFactory(role=roles.MINISTRY_OFFICER)
    zorg = Theme.objects.get(code="zorg")
    expected = expected_figures(agendas, region=regions[1].pk, theme=zorg.pk)
    page = browser_page

    login(page, officer.email)
    page.goto("/rapportages/")
    assert page.locator("h1").inner_text() == "Portefeuille kansenagenda's"
    assert page.locator("svg.chart[role=img]").count() == 4
    assert_no_axe_violations(page)

    # Filters by keyboard; they end up in the URL.
    page.get_by_label("Regio", exact=True).select_option(label=regions[1].name)
    page.get_by_label("Thema", exact=True).select_option(label="Zorg")
    page.get_by_label("Thema", exact=True).focus()
    with page.expect_navigation():
        page.get_by_role("button", name="Filters toepassen").press("Enter")
    assert f"region={regions[1].pk}" in page.url and f"theme={zorg.pk}" in page.url
    key_figures = page.locator(".key-figures").inner_text()
    assert str(expected["count"]) in key_figures
    assert_no_axe_violations(page)

    # Export of exactly this view.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als Excel-bestand (XLSX)").click()
    download = download_info.value
    workbook = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    sheet = workbook["Agenda's"]
    assert sheet.max_row - 1 == expected["count"]
    assert all(row[7].data_type == "n" for row in sheet.iter_rows(min_row=2))

    # Every figure links to the agendas behind it.
    page.get_by_role("link", name=f"{expected['count']}", exact=True).first.click()
    page.wait_for_url("**/rapportages/agendas/**")
    assert "agenda" in page.locator("table caption").first.inner_text()
    rows = page.locator("table tbody tr")
    assert rows.count() == expected["count"]
    assert_no_axe_violations(page)

    # Ask for a document: "wordt gemaakt", then the download.
    # the title links to the agenda; its documents are the link beside it
    page.locator("table tbody tr a[href$='/documenten/']").first.click()
    page.wait_for_url("**/documenten/")
    assert_no_axe_violations(page)
    page.get_by_label("Soort document").select_option("dossier")
    with page.expect_navigation():
        page.get_by_role("button", name="Maak het document").click()
    page.get_by_role("link", name="Download het document (pdf)").wait_for(timeout=30000)
    assert_no_axe_violations(page)
    with page.expect_download() as pdf_info:
        page.get_by_role("link", name="Download het document (pdf)").click()
    assert open(pdf_info.value.path(), "rb").read(5) == b"%PDF-"


def test_public_pages_need_no_login(browser_page, assert_no_axe_violations):
    _regions, agendas = build_portfolio(regions=1, agendas_per_region=4)
    page = browser_page
    page.goto("/openbaar/")
    assert page.locator("h1").inner_text() == "Openbare kansenagenda's"
    assert_no_axe_violations(page)
    page.locator("table tbody tr a").first.click()
    page.wait_for_url("**/openbaar/agendas/**")
    assert_no_axe_violations(page)
