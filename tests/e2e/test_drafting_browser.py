"""Browser journey: a coordinator writes a complete agenda — two priorities, budgets, milestones, partners —
using only the keyboard, with zero axe violations on every page."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation
from agendas.models import Agenda, BudgetLine, Milestone
from tests.factories import AllianceFactory, OrganisationFactory, confirm_cofinancing, make_coordinator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def type_into(page, label, text, *, exact=True):
    page.get_by_label(label, exact=exact).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(text))


def press_enter_on(locator, page):
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def follow_link(page, name):
    press_enter_on(page.get_by_role("link", name=name, exact=True).first, page)


def submit(page, name="Opslaan"):
    press_enter_on(page.get_by_role("button", name=name, exact=True), page)


def choose_option(page, label, steps):
    """Keyboard selection in a closed <select>: ArrowDown moves to the next option."""
    page.get_by_label(label, exact=True).focus()
    for _ in range(steps):
        page.keyboard.press("ArrowDown")


def tick(page, label):
    page.get_by_label(label, exact=True).focus()
    page.keyboard.press("Space")


def test_coordinator_writes_complete_agenda_by_keyboard(browser_page, login, assert_no_axe_violations):
    page = browser_page
    alliance = AllianceFactory(organisations=[OrganisationFactory(name="Gemeente Veendam")])
    coordinator = make_coordinator(alliance)
    for name in ("Provincie Groningen", "Hanzehogeschool"):
        alliance.organisations.add(OrganisationFactory(name=name, type=Organisation.Type.PROVINCE))

    login(page, coordinator.email)
    page.goto("/agendas/")
    assert page.locator("h1").inner_text() == "Kansenagenda's"
    assert_no_axe_violations(page)

    # 1. The agenda itself.
    follow_link(page, "Nieuwe kansenagenda")
    assert_no_axe_violations(page)
    type_into(page, "Titel *", "Kansenagenda Oost-Groningen")
    type_into(page, "Beginjaar *", "2027")
    type_into(page, "Eindjaar *", "2036")
    type_into(page, "Visie en ambitie", "Een regio waar jong en oud kan wonen, werken en zorg dichtbij vindt.")
    type_into(
        page, "Analyse van opgaven en kansen", "Krimp, vergrijzing en afstand tot voorzieningen stapelen zich op."
    )
    submit(page, "Agenda aanmaken")
    agenda = Agenda.objects.get()
    assert page.url.endswith(f"/agendas/{agenda.pk}/")
    assert_no_axe_violations(page)

    # 2. Two priorities.
    for title, theme_steps, dimension in (
        ("Zorg dichtbij", 1, "Gezondheid"),
        ("Leren en werken", 2, "Menselijk kapitaal"),
    ):
        follow_link(page, "Prioriteit toevoegen")
        assert_no_axe_violations(page)
        choose_option(page, "Thema *", theme_steps)
        type_into(page, "Titel *", title)
        type_into(page, "Doelen *", f"Doelen voor {title.lower()}.")
        tick(page, dimension)
        type_into(page, "Oorzaak (veranderingstheorie)", "Tekort aan mensen.")
        type_into(page, "Aanpak (veranderingstheorie)", "Opleiden in de regio.")
        type_into(page, "Verwachte verandering", "Meer brede welvaart.")
        submit(page)
        assert f"Prioriteit ‘{title}’ is toegevoegd." in page.locator(".messages").inner_text()
    assert_no_axe_violations(page)

    # 3. A milestone per priority.
    for title in ("Zorg dichtbij", "Leren en werken"):
        follow_link(page, f"Mijlpaal toevoegen aan {title}")
        assert_no_axe_violations(page)
        type_into(page, "Resultaat *", f"150 mensen extra ({title})")
        type_into(page, "Indicator *", "Opgeleide mensen")
        type_into(page, "Eenheid *", "personen")
        type_into(page, "Nulmeting *", "0")
        type_into(page, "Jaar nulmeting *", "2026")
        type_into(page, "Streefwaarde *", "150")
        type_into(page, "Streefjaar *", "2030")
        submit(page)
    assert Milestone.objects.count() == 2

    # 4. Two partners besides the coordinator's organisation.
    for steps in (1, 2):
        follow_link(page, "Partner toevoegen")
        assert_no_axe_violations(page)
        choose_option(page, "Organisatie *", steps + 1)  # skip the empty choice and the coordinator's own
        type_into(page, "Rol in de agenda *", "Cofinancier")
        choose_option(page, "Soort inzet *", 1)
        type_into(page, "Bedrag toezegging (€)", "250.000,00")
        submit(page)
        assert "is toegevoegd" in page.locator(".messages").inner_text(), page.locator("main").inner_text()
    assert agenda.partners.count() == 2

    # 5. The budget grid, with live totals while typing.
    follow_link(page, "Begroting invullen")
    assert_no_axe_violations(page)
    for title in ("Zorg dichtbij", "Leren en werken"):
        type_into(page, f"{title}, 2027, Rijk – gevraagde extra bijdrage", "100000")
        type_into(page, f"{title}, 2027, Provincie", "60.000")
        type_into(page, f"{title}, 2028, Gemeenten", "50000,50")
    # htmx replaces the totals after a short pause in typing: nothing is saved yet.
    expect(page.locator("[data-total=all]")).to_contain_text("420.001,00", timeout=10000)
    expect(page.locator("[data-total=ratio]")).to_contain_text("1,10 : 1")
    assert not BudgetLine.objects.exists()
    assert_no_axe_violations(page)
    submit(page, "Begroting opslaan")
    assert "De begroting is opgeslagen: 6 nieuw" in page.locator(".messages").inner_text()
    assert BudgetLine.objects.count() == 6
    assert re.search(r"420\.001,00", page.locator("[data-total=all]").inner_text())
    assert_no_axe_violations(page)

    # 6. The partners confirm their co-financing (their own journey: tests/e2e/test_spreadsheet_browser.py), and
    # the checklist says the agenda is complete.
    confirm_cofinancing(agenda)
    page.goto(f"/agendas/{agenda.pk}/")
    follow_link(page, "Controlelijst")
    assert "De agenda is compleet en kan worden ingediend." in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.goto(f"/agendas/{agenda.pk}/geschiedenis/")
    assert coordinator.get_full_name() in page.locator("main").inner_text()
    assert_no_axe_violations(page)
