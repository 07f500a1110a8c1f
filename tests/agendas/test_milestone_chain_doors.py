"""A milestone's link in the theory of change and its monitor indicator, through each door (page form and API), and
refused for a partner."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agendas.models import Milestone, MonitorIndicator
from tests.agendas.fixtures_drafting import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db

DATA = {
    "title": "150 opgeleid",
    "indicator_name": "Opgeleiden",
    "unit": "personen",
    "type": "output",
    "baseline_value": "0",
    "baseline_year": 2026,
    "target_value": "150",
    "target_year": 2030,
    "chain_link": "intervention",
}


def test_api_sets_link_and_indicator(priority, people):
    api = APIClient()
    api.force_authenticate(people["coordinator"])
    indicator = MonitorIndicator.objects.get(code="ervaren-gezondheid")
    response = api.post(
        reverse("milestone-list"), {**DATA, "priority": priority.pk, "monitor_indicator": indicator.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["chain_link"] == "intervention" and response.json()["monitor_indicator"] == indicator.pk
    response = api.post(reverse("milestone-list"), {**DATA, "priority": priority.pk, "chain_link": "x"}, format="json")
    assert response.status_code == 400 and "chain_link" in response.json()["errors"]
    api.force_authenticate(people["partner"])
    assert api.post(reverse("milestone-list"), {**DATA, "priority": priority.pk}, format="json").status_code in (
        403,
        404,
    )
    assert Milestone.objects.count() == 1


def test_page_form_sets_link_and_indicator(client, priority, people):
    client.force_login(people["coordinator"])
    url = reverse("agendas:milestone_create", args=[priority.agenda_id, priority.pk])
    page = client.get(url).content.decode()
    assert 'name="chain_link"' in page and 'name="monitor_indicator"' in page
    indicator = MonitorIndicator.objects.get(code="fijnstof")
    form = {**DATA, "baseline_value": "0", "target_value": "150", "monitor_indicator": indicator.pk, "measurement": ""}
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    milestone = Milestone.objects.get()
    assert (milestone.chain_link, milestone.monitor_indicator) == ("intervention", indicator)
