"""The state representative's confirm-before-you-commit pages in a real browser (demo data): accepting a
progress report and deciding a change request go through a check page; axe clean and no page wider than
the viewport at 390 and 320 px; the confirm button commits."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import StateRepresentativeAssignment
from agendas.models import Agenda, ChangeRequest, ProgressReport
from agendas.monitoring import change_requests as cr_services
from agendas.monitoring.transitions import progress_report_submit
from tests.agendas.monitoring_fixtures import fill_complete
from tests.e2e.test_every_page_browser import _session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def waiting(db):
    call_command("load_demo_data", quiet_accounts=True, verbosity=0)
    call_command("load_demo_agendas", verbosity=0)
    active = Agenda.objects.get(title__startswith="Kansenagenda Zuid-Limburg")
    coordinator = active.alliance.coordinators.first()
    report = ProgressReport.objects.filter(agenda=active).first()
    fill_complete(report, coordinator)
    report = progress_report_submit(report=report, actor=coordinator)
    line = active.priorities.first().budget_lines.filter(source__code="rijk-extra").order_by("-year").first()
    change = cr_services.change_request_create(
        agenda=active,
        actor=coordinator,
        reason="Vertraging bij de aanbesteding",
        budget_shifts=[
            {"from_line": line.pk, "to_priority": line.priority_id, "to_year": active.end_year, "amount": "100"}
        ],
    )
    assert change.route == ChangeRequest.Route.STATE_REPRESENTATIVE
    rep = StateRepresentativeAssignment.objects.filter(region=active.alliance.region).first().user
    return report, change, rep


def _fits(page):
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width <= viewport, f"{page.url}: {width}px at {viewport}px"


def test_accept_and_decide_through_the_check_pages(_browser, live_server, settings, waiting, assert_no_axe_violations):
    settings.AXES_ENABLED = False
    report, change, rep = waiting
    cookie = _session_cookie(rep.email)
    for width in (390, 320):
        context = _browser.new_context(locale="nl-NL", viewport={"width": width, "height": 800})
        context.add_cookies([{**cookie, "url": live_server.url}])
        page = context.new_page()
        page.goto(live_server.url + reverse("agendas:monitoring-report-accept-check", args=[report.pk]))
        _fits(page)
        assert_no_axe_violations(page)
        page.goto(
            live_server.url
            + reverse("agendas:monitoring-change-request-decide-check", args=[change.pk])
            + "?outcome=accept"
        )
        _fits(page)
        assert_no_axe_violations(page)
        context.close()
    context = _browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 800})
    context.add_cookies([{**cookie, "url": live_server.url}])
    page = context.new_page()
    # from the report page: "Accepteren" shows the check page; nothing is accepted yet
    page.goto(live_server.url + reverse("agendas:monitoring-report", args=[report.pk]))
    page.get_by_label("Opmerkingen (verplicht bij terugsturen)").fill("Helder verslag.")
    page.get_by_role("button", name="Accepteren (controleren)").click()
    page.get_by_role("heading", name="Controleer en accepteer").wait_for()
    report.refresh_from_db()
    assert report.status == "submitted"
    assert page.get_by_label("Opmerkingen (optioneel)").input_value() == "Helder verslag."
    page.get_by_role("button", name="Rapportage accepteren").click()
    page.get_by_text("De rapportage is geaccepteerd.").wait_for()
    report.refresh_from_db()
    assert report.status == "accepted" and report.decision_remarks == "Helder verslag."
    # the change request: choose, check, confirm
    page.goto(live_server.url + reverse("agendas:monitoring-change-request", args=[change.pk]))
    page.get_by_role("button", name="Verder naar controleren").click()
    page.get_by_role("heading", name="Controleer en besluit").wait_for()
    change.refresh_from_db()
    assert change.status == "submitted"
    page.get_by_role("button", name="Besluit definitief vastleggen").click()
    page.get_by_text("Het wijzigingsverzoek heeft nu status").wait_for()
    change.refresh_from_db()
    assert change.status == "accepted"
    context.close()
