"""The nota shows everyone who prepared or revised it (the four-eyes record), on every channel: the page, the
API (session and token) and the PDF's data — never only the last ``prepared_by``."""

import pytest
from django.urls import reverse

from agendas.decision import signoff as signoff_services
from reports.documents import collect_decision_note
from tests.agendas.test_workflow_guards import DOORS, api
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance


@pytest.fixture
def revised(world: World) -> World:
    advance(world, "prepared")  # prepared by world.officer
    signoff_services.decision_prepare(
        agenda=world.agenda, actor=world.officer2, advised_decision="approve", core="Herzien"
    )
    return world


def test_page_lists_preparer_and_reviser(revised: World, client):
    client.force_login(revised.signatory)
    html = client.get(reverse("agendas:workflow-decision", args=[revised.agenda.pk])).content.decode()
    assert "Opgesteld en herzien door" in html
    assert str(revised.officer) in html and str(revised.officer2) in html
    assert html.index(str(revised.officer)) < html.index(str(revised.officer2))


@pytest.mark.parametrize("door", DOORS)
def test_api_lists_preparer_and_reviser(revised: World, door):
    response = api(revised.signatory, door).get(reverse("api-agenda-decision", args=[revised.agenda.pk]))
    assert response.status_code == 200
    drafters = response.json()["drafters"]
    assert [(d["name"], d["role"]) for d in drafters] == [
        (str(revised.officer), "preparer"),
        (str(revised.officer2), "reviser"),
    ]
    assert response.json()["prepared_by"] == str(revised.officer)  # the first preparer, never overwritten


def test_pdf_data_lists_preparer_and_reviser(revised: World):
    note = collect_decision_note(revised.agenda)
    assert [d["name"] for d in note["decision"]["drafters"]] == [str(revised.officer), str(revised.officer2)]


def test_signer_is_not_listed_as_drafter(revised: World):
    signoff_services.decision_sign(agenda=revised.agenda, actor=revised.signatory, second_factor_verified=True)
    note = collect_decision_note(revised.agenda)
    assert str(revised.signatory) not in [d["name"] for d in note["decision"]["drafters"]]
