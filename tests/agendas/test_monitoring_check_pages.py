"""Confirm before you commit for the state representative: accepting a progress report and deciding a
change request show a check page (what is accepted/decided, what happens next) and act only on its
explicit confirm, through the same transitions; who may not gets 403 and nothing changes."""

import pytest
from django.urls import reverse

from agendas.models import ChangeRequest
from agendas.monitoring import change_requests as cr_services
from agendas.monitoring.transitions import progress_report_submit
from tests.agendas.monitoring_fixtures import *  # noqa: F403
from tests.agendas.monitoring_fixtures import fill_complete


def url(name, *args):
    return reverse(f"agendas:{name}", args=args)


@pytest.fixture
def submitted(report, people):
    fill_complete(report, people.coordinator)
    report = progress_report_submit(report=report, actor=people.coordinator)
    report.refresh_from_db()
    return report


def test_accept_check_page_shows_consequences_and_only_confirm_accepts(client, submitted, people):
    client.force_login(people.state_rep)
    html = client.get(url("monitoring-report", submitted.pk)).content.decode()
    assert "Accepteren (controleren)" in html
    # the one-click post from the report page only shows the check page, carrying the remarks
    response = client.post(
        url("monitoring-report-decide", submitted.pk),
        {"decision": "accept", "remarks": "Goed gedaan", "lock_version": submitted.lock_version},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Controleer en accepteer" in html and "Wat er gebeurt" in html and "Goed gedaan" in html
    assert 'name="confirmed" value="1"' in html
    assert str(submitted.year) in html
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert client.get(url("monitoring-report-accept-check", submitted.pk)).status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    response = client.post(
        url("monitoring-report-accept-check", submitted.pk),
        {"confirmed": "1", "remarks": "Goed gedaan", "lock_version": submitted.lock_version},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "accepted" and submitted.decision_remarks == "Goed gedaan"


def test_accept_check_stale_lock_version_does_not_accept(client, submitted, people):
    client.force_login(people.state_rep)
    client.post(
        url("monitoring-report-accept-check", submitted.pk),
        {"confirmed": "1", "lock_version": submitted.lock_version - 1},
    )
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


@pytest.mark.parametrize("role", ["coordinator", "officer", "reviewer", "partner"])
def test_accept_check_refused_to_others(client, submitted, people, role):
    client.force_login(getattr(people, role))
    get = client.get(url("monitoring-report-accept-check", submitted.pk))
    post = client.post(
        url("monitoring-report-accept-check", submitted.pk), {"confirmed": "1", "lock_version": submitted.lock_version}
    )
    assert get.status_code in (403, 404) and post.status_code in (403, 404)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


@pytest.fixture
def small_change(active_agenda, people):
    line = active_agenda.priorities.first().budget_lines.get(year=2028, source__code="rijk-extra")
    cr = cr_services.change_request_create(
        agenda=active_agenda,
        actor=people.coordinator,
        reason="Vertraging",
        budget_shifts=[{"from_line": line.pk, "to_priority": line.priority_id, "to_year": "2029", "amount": "100"}],
    )
    assert cr.route == ChangeRequest.Route.STATE_REPRESENTATIVE
    return cr


def test_decide_check_page_then_confirm(client, small_change, people):
    cr = small_change
    client.force_login(people.state_rep)
    page = url("monitoring-change-request", cr.pk)
    html = client.get(page).content.decode()
    assert url("monitoring-change-request-decide-check", cr.pk) in html
    # the old one-click post only shows the check page
    response = client.post(page, {"action": "decide", "outcome": "accept", "lock_version": cr.lock_version})
    html = response.content.decode()
    assert response.status_code == 200 and "Controleer en besluit" in html and "versie 2" in html
    cr.refresh_from_db()
    assert cr.status == "submitted"
    # a confirm for another outcome than the one shown does not commit
    check = url("monitoring-change-request-decide-check", cr.pk)
    client.post(check, {"outcome": "reject", "remarks": "Nee", "confirmed": "accept", "lock_version": cr.lock_version})
    cr.refresh_from_db()
    assert cr.status == "submitted"
    # rejecting without a reason: the error at the field, nothing decided
    response = client.post(check, {"outcome": "reject", "confirmed": "reject", "lock_version": cr.lock_version})
    assert response.status_code == 400 and 'href="#id_remarks"' in response.content.decode()
    cr.refresh_from_db()
    assert cr.status == "submitted"
    response = client.post(check, {"outcome": "accept", "confirmed": "accept", "lock_version": cr.lock_version})
    assert response.status_code == 302
    cr.refresh_from_db()
    assert cr.status == "accepted" and cr.resulting_version.number == 2


def test_decide_check_without_outcome_asks_for_one(client, small_change, people):
    client.force_login(people.state_rep)
    response = client.post(url("monitoring-change-request-decide-check", small_change.pk), {"lock_version": 1})
    assert response.status_code == 400 and "kies accepteren of afwijzen" in response.content.decode()


@pytest.mark.parametrize("role", ["coordinator", "officer", "signatory", "reviewer"])
def test_decide_check_refused_to_others(client, small_change, people, role):
    client.force_login(getattr(people, role))
    check = url("monitoring-change-request-decide-check", small_change.pk)
    assert client.get(check + "?outcome=accept").status_code in (403, 404)
    response = client.post(check, {"outcome": "accept", "confirmed": "accept", "lock_version": 1})
    assert response.status_code in (403, 404)
    small_change.refresh_from_db()
    assert small_change.status == "submitted"
