"""Browser journeys (keyboard, axe on every page, reflow at 390 px on the new pages):

- the coordinator's progress report appears in "Mijn taken" (with the count in the menu) and is submitted
  from there;
- an officer searches across agendas and saves a filter on the dashboard;
- bulk reviewer assignment with one conflicted reviewer refused for one agenda and assigned to the other.
"""

import pytest
from django.urls import reverse

from agendas.models import ReviewAssignment
from agendas.monitoring.services import progress_report_open
from tests.agendas.monitoring_fixtures import People, fill_complete, make_active_agenda
from tests.agendas.workflow_fixtures import advance, build_world
from tests.e2e.test_workflow_journey import follow_link, press_button, screenshots, switch_user, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _main(page) -> str:
    return page.locator("main").inner_text()


def test_report_in_mijn_taken_and_submitted_from_there(browser_page, login, assert_no_axe_violations):
    page = browser_page
    agenda = make_active_agenda(priorities=1, milestones_per_priority=1, years=[2027, 2028])
    people = People(agenda)
    report, _ = progress_report_open(agenda=agenda, year=2027)
    fill_complete(report, people.coordinator)
    login(page, people.coordinator.email)
    page.goto(reverse("agendas:workflow-inbox"))
    assert page.locator(".main-nav .nav-count").inner_text().startswith("1")
    assert_no_axe_violations(page)
    screenshots(page, "inbox-coordinator")
    follow_link(page, "Voortgangsrapportage 2027 invullen en indienen")
    # on any other page the count arrives after the page (htmx fragment), in the same place
    assert page.wait_for_selector(".main-nav .nav-count").inner_text().startswith("1")
    assert_no_axe_violations(page)
    press_button(page, "Opslaan en indienen")
    assert "ingediend bij de rijksvertegenwoordiger" in page.locator(".messages").inner_text()
    page.goto(reverse("agendas:workflow-inbox"))
    assert "Er wacht nu niets op u" in _main(page) and page.locator(".nav-count").count() == 0
    # ... and it is now the state representative's task
    switch_user(page, login, people.state_rep)
    page.goto(reverse("agendas:workflow-inbox"))
    assert "Voortgangsrapportage 2027 accepteren of terugsturen" in _main(page)
    assert_no_axe_violations(page)


def test_search_saved_filter_and_bulk_assignment(browser_page, login, assert_no_axe_violations):
    page = browser_page
    w = build_world(title="Kansenagenda Grensregio Zorg")
    advance(w, "submitted")
    other = build_world(title="Kansenagenda Veenkoloniën")
    advance(other, "submitted")
    login(page, w.officer.email)

    # search
    page.goto(reverse("agendas:agenda_search"))
    assert_no_axe_violations(page)
    page.get_by_label("Zoekterm").focus()
    page.keyboard.type("Grensregio")
    press_button(page, "Zoeken")
    assert "1 agenda gevonden voor ‘Grensregio’" in _main(page)
    assert page.get_by_role("link", name="Kansenagenda Grensregio Zorg").count() == 1
    assert_no_axe_violations(page)
    screenshots(page, "search")

    # a saved filter on the dashboard
    page.goto(reverse("reports:dashboard") + "?status=submitted")
    type_into(page, "Naam voor deze filters", "Ingediend")
    press_button(page, "Filters bewaren")
    assert "is bewaard" in page.locator(".messages").inner_text()
    assert_no_axe_violations(page)
    page.goto(reverse("reports:agenda_list"))
    follow_link(page, "Ingediend")
    assert "status=submitted" in page.url
    assert_no_axe_violations(page)

    # bulk assignment: the conflicted reviewer works for w's alliance
    page.goto(reverse("agendas:workflow-bulk-assign"))
    assert_no_axe_violations(page)
    for title in ("Kansenagenda Grensregio Zorg", "Kansenagenda Veenkoloniën"):
        page.get_by_label(title).focus()
        page.keyboard.press("Space")
    page.get_by_label("Beoordelaar").select_option(label=str(w.conflicted_reviewer))
    press_button(page, "Toewijzen")
    rows = page.locator("table tbody tr").all_inner_texts()
    assert any("Grensregio" in r and "Geweigerd" in r for r in rows)
    assert any("Veenkoloniën" in r and "Toegewezen" in r for r in rows)
    assert not ReviewAssignment.objects.filter(agenda=w.agenda).exists()
    assert ReviewAssignment.objects.filter(agenda=other.agenda, reviewer=w.conflicted_reviewer).exists()
    assert_no_axe_violations(page)
    screenshots(page, "bulk-assign")
