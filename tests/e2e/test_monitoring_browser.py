"""Monitoring journey in a real browser, by keyboard, with axe on every page:
the coordinator fills in and submits a pre-filled report, the state representative returns it, the
coordinator revises, it is accepted; a change request above the threshold goes through officer and
signatory (four eyes)."""

from decimal import Decimal

import pytest

from agendas.models import BudgetLineRealisation, ChangeRequest, MilestoneProgress, ProgressReport
from agendas.monitoring.services import progress_report_open
from agendas.monitoring.transitions import progress_report_accept, progress_report_submit
from tests.agendas.monitoring_fixtures import People, fill_complete, make_active_agenda

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Uitloggen").press("Enter")


def type_into(page, selector, text):
    field = page.locator(selector)
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press(page, name):
    button = page.get_by_role("button", name=name, exact=True)
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_report_cycle_and_large_change_request(browser_page, login, assert_no_axe_violations):
    page = browser_page
    agenda = make_active_agenda(priorities=1, milestones_per_priority=2, years=[2027, 2028, 2029, 2030])
    people = People(agenda)
    # last year's report, accepted: this year's report is pre-filled from it
    r27, _ = progress_report_open(agenda=agenda, year=2027)
    fill_complete(r27, people.coordinator)
    progress_report_submit(report=r27, actor=people.coordinator)
    progress_report_accept(report=r27, actor=people.state_rep)
    report, _ = progress_report_open(agenda=agenda, year=2028)
    lines = list(BudgetLineRealisation.objects.filter(report=report).order_by("pk"))
    milestones = list(MilestoneProgress.objects.filter(report=report).order_by("pk"))

    # --- coordinator fills in the pre-filled report by keyboard ---------------------------------------
    login(page, people.coordinator.email)
    page.goto(f"/agendas/voortgang/rapportages/{report.pk}/")
    assert_no_axe_violations(page)
    assert page.locator(f"#id_milestone-{milestones[0].pk}-value_reached").input_value() == "40"  # pre-filled
    assert page.locator("#id_overall_narrative").input_value() == "Het loopt goed."
    type_into(page, f"#id_milestone-{milestones[0].pk}-value_reached", "75")
    type_into(page, f"#id_spending-{lines[0].pk}-realised", "50000,00")
    press(page, "Opslaan en indienen")  # one line still empty → errors, nothing submitted
    assert page.locator(".error-summary").is_visible()
    assert "Gerealiseerde besteding" in page.locator(".error-summary").inner_text()
    assert_no_axe_violations(page)
    for line in lines[1:]:
        type_into(page, f"#id_spending-{line.pk}-realised", "25000")
    press(page, "Opslaan en indienen")
    assert "ingediend bij de rijksvertegenwoordiger" in page.locator(".messages").inner_text()
    assert_no_axe_violations(page)
    logout(page)

    # --- state representative returns it with remarks ---------------------------------------------
    login(page, people.state_rep.email)
    page.goto(f"/agendas/voortgang/rapportages/{report.pk}/")
    assert_no_axe_violations(page)
    type_into(page, "#id_remarks", "Licht de besteding op regel 1 toe.")
    press(page, "Terugsturen")
    assert ProgressReport.objects.get(pk=report.pk).status == "returned"
    logout(page)

    # --- coordinator revises and resubmits -------------------------------------------------------------
    login(page, people.coordinator.email)
    page.goto(f"/agendas/voortgang/rapportages/{report.pk}/")
    assert "Licht de besteding op regel 1 toe." in page.locator("main").inner_text()
    type_into(page, f"#id_spending-{lines[0].pk}-note", "Vertraagde aanbesteding")
    press(page, "Opslaan en indienen")
    assert_no_axe_violations(page)
    logout(page)

    # --- state representative accepts ------------------------------------------------------------------
    login(page, people.state_rep.email)
    page.goto(f"/agendas/voortgang/rapportages/{report.pk}/")
    press(page, "Accepteren (controleren)")  # confirm before you commit: the check page first
    assert report.__class__.objects.get(pk=report.pk).status != "accepted"
    assert_no_axe_violations(page)
    press(page, "Rapportage accepteren")
    report.refresh_from_db()
    assert report.status == "accepted"
    assert BudgetLineRealisation.objects.get(pk=lines[0].pk).realised == Decimal("50000.00")
    page.goto(f"/agendas/{agenda.pk}/voortgang/")  # monitoring page: timeline chart + table, figures
    assert page.locator("svg.timeline-chart").count() == 2
    assert_no_axe_violations(page)
    logout(page)

    # --- coordinator asks for a large change (above 10 % of the priority's Rijk contribution) ----------
    login(page, people.coordinator.email)
    page.goto(f"/agendas/{agenda.pk}/wijzigingsverzoeken/nieuw/")
    assert_no_axe_violations(page)
    # 2027 and 2028 are reported; move money from 2029 to 2030 (€ 60.000 of € 400.000 Rijk money = 15 %)
    rijk = agenda.priorities.first().budget_lines.get(year=2029, source__code="rijk-extra")
    type_into(page, "#id_reason", "Bouw van het opleidingscentrum schuift een jaar op.")
    page.locator("#id_budget_shifts-0-from_line").select_option(str(rijk.pk))
    page.locator("#id_budget_shifts-0-to_priority").select_option(str(rijk.priority_id))
    page.locator("#id_budget_shifts-0-to_year").select_option("2030")
    type_into(page, "#id_budget_shifts-0-amount", "60000")
    press(page, "Wijzigingsverzoek indienen")
    assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()
    change_request = ChangeRequest.objects.get()
    assert change_request.route == "ministry"
    assert "Ministerie" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    logout(page)

    # --- officer prepares ------------------------------------------------------------------------------
    login(page, people.officer.email)
    page.goto(f"/agendas/voortgang/wijzigingsverzoeken/{change_request.pk}/")
    assert_no_axe_violations(page)
    type_into(page, "#id_note", "Past binnen de doelen van de agenda; advies: accepteren.")
    press(page, "Voorbereiding afronden")
    assert page.get_by_role("button", name="Besluit ondertekenen").count() == 0  # officer cannot sign
    logout(page)

    # --- signatory decides -----------------------------------------------------------------------------
    login(page, people.signatory.email)
    page.goto(f"/agendas/voortgang/wijzigingsverzoeken/{change_request.pk}/")
    assert_no_axe_violations(page)
    press(page, "Ondertekenen (controleren)")  # the check page first
    assert_no_axe_violations(page)
    press(page, "Besluit definitief vastleggen")
    change_request.refresh_from_db()
    assert change_request.status == "accepted" and change_request.decided_by == people.signatory
    assert "Versie 2" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
