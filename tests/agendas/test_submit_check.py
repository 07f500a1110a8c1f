"""The check page before submitting: what is sent, what follows, the lock_version; refused people and an
incomplete agenda get no submit button."""

import pytest
from django.urls import reverse

from agendas.models import Agenda
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World


def test_coordinator_sees_what_is_submitted_and_what_follows(world: World, client):
    client.force_login(world.coordinator)
    page = client.get(reverse("agendas:workflow-submit-check", args=[world.agenda.pk])).content.decode()
    assert "Controleer en dien in" in page and "versie 1" in page and "Het besluit van het ministerie" in page
    assert f'value="{world.agenda.lock_version}"' in page
    assert reverse("agendas:workflow-transition", args=[world.agenda.pk, "submit"]) in page
    assert world.refresh().status == Agenda.Status.DRAFT  # looking submits nothing
    overview = client.get(reverse("agendas:workflow-overview", args=[world.agenda.pk])).content.decode()
    assert reverse("agendas:workflow-submit-check", args=[world.agenda.pk]) in overview


def test_incomplete_agenda_shows_why_and_no_button(world: World, client):
    world.agenda.partners.all().delete()  # the checklist asks for partners
    client.force_login(world.coordinator)
    page = client.get(reverse("agendas:workflow-submit-check", args=[world.agenda.pk])).content.decode()
    assert "Naar de controlelijst" in page and "Agenda indienen" not in page


@pytest.mark.parametrize("who, status", [("partner", 403), ("officer", 404), ("other_coordinator", 404)])
def test_others_get_no_check_page(world: World, client, who, status):
    client.force_login(getattr(world, who))
    assert client.get(reverse("agendas:workflow-submit-check", args=[world.agenda.pk])).status_code == status
