"""Drafting pages: permission matrix, forms through the services, conflicts, budget grid, query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agendas.drafting.budget import cell_key
from agendas.models import Agenda, BudgetLine, Comment, Milestone, Priority
from tests.agendas.fixtures_drafting import *  # noqa: F403 (fixtures)
from tests.agendas.fixtures_drafting import big_agenda, complete_agenda
from tests.factories import AgendaFactory, AgendaPartnerFactory, MilestoneFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"agendas:{name}", args=args)


def login(client, people, who):
    if who != "anonymous":
        client.force_login(people[who])


# --- permission matrix -------------------------------------------------------------------------

# who → (view, edit, comment) expected status, for a draft that is not shared / that is shared.
NOT_SHARED = {
    "coordinator": (200, 200, 302),
    "other_coordinator": (404, 404, 404),
    "partner": (200, 403, 302),
    "other_partner": (404, 404, 404),
    "state_representative": (404, 404, 404),
    "other_state_representative": (404, 404, 404),
    "ministry_officer": (404, 404, 404),
    "reviewer": (404, 404, 404),
    "administrator": (404, 404, 404),
    "anonymous": (302, 302, 302),
}
SHARED = {
    **NOT_SHARED,
    "state_representative": (200, 403, 403),
    "ministry_officer": (200, 403, 403),
    "administrator": (200, 403, 403),
}


@pytest.mark.parametrize("shared", [False, True], ids=["not_shared", "shared"])
@pytest.mark.parametrize("who", sorted(SHARED))
def test_permission_matrix_view_edit_comment(client, agenda, people, who, shared):
    Agenda.objects.filter(pk=agenda.pk).update(shared_with_ministry=shared)
    expected_view, expected_edit, expected_comment = (SHARED if shared else NOT_SHARED)[who]
    login(client, people, who)
    assert client.get(url("agenda_detail", agenda.pk)).status_code == expected_view
    assert client.get(url("agenda_edit", agenda.pk)).status_code == expected_edit
    response = client.post(url("comment_add", agenda.pk), {"section": "vision", "body": "Mooi plan"})
    assert response.status_code == expected_comment
    assert Comment.objects.exists() == (expected_comment == 302 and who != "anonymous")


@pytest.mark.parametrize("who", ["partner", "ministry_officer", "other_coordinator"])
def test_edit_forms_refused_for_non_coordinators_on_post_too(client, agenda, people, who):
    Agenda.objects.filter(pk=agenda.pk).update(shared_with_ministry=True)
    login(client, people, who)
    response = client.post(url("agenda_edit", agenda.pk), {"title": "Gekaapt", "start_year": 2027, "end_year": 2030})
    assert response.status_code in (403, 404)
    assert Agenda.objects.get(pk=agenda.pk).title != "Gekaapt"
    if response.status_code == 403:
        assert "coördinator" in response.content.decode()


def test_list_shows_only_visible_agendas(client, agenda, people):
    hidden = AgendaFactory(title="Geheim concept")
    shared = AgendaFactory(title="Gedeeld concept", shared_with_ministry=True)
    client.force_login(people["partner"])
    body = client.get(url("agenda_list")).content.decode()
    assert agenda.title in body and hidden.title not in body and shared.title not in body
    client.force_login(people["ministry_officer"])
    body = client.get(url("agenda_list")).content.decode()
    assert shared.title in body and agenda.title not in body and hidden.title not in body


def test_list_filters_by_status_and_year(client, alliance, coordinator):
    a = AgendaFactory(alliance=alliance, title="Vroeg", start_year=2025, end_year=2030)
    b = AgendaFactory(alliance=alliance, title="Laat", start_year=2035, end_year=2040)
    client.force_login(coordinator)
    body = client.get(url("agenda_list"), {"year": 2036}).content.decode()
    assert b.title in body and a.title not in body


def test_submitted_agenda_edit_refused_with_reason(client, agenda, coordinator):
    Agenda.objects.filter(pk=agenda.pk).update(status=Agenda.Status.SUBMITTED, current_version=1)
    client.force_login(coordinator)
    response = client.get(url("agenda_edit", agenda.pk))
    assert response.status_code == 403 and "Ingediend" in response.content.decode()


# --- create and edit ---------------------------------------------------------------------------


def test_coordinator_creates_agenda_for_own_alliance_only(client, alliance, other_alliance, coordinator):
    client.force_login(coordinator)
    data = {"alliance": alliance.pk, "title": "Kansen Oost", "start_year": 2027, "end_year": 2038}
    response = client.post(url("agenda_create"), data)
    agenda = Agenda.objects.get()
    assert response.status_code == 302 and response["Location"] == url("agenda_detail", agenda.pk)
    response = client.post(url("agenda_create"), {**data, "alliance": other_alliance.pk})
    assert response.status_code == 200 and Agenda.objects.count() == 1


def test_partner_cannot_open_create_page(client, people):
    client.force_login(people["partner"])
    assert client.get(url("agenda_create")).status_code == 403


def test_create_shows_service_errors_on_fields(client, alliance, coordinator):
    client.force_login(coordinator)
    response = client.post(
        url("agenda_create"), {"alliance": alliance.pk, "title": "X", "start_year": 2030, "end_year": 2027}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "vóór het beginjaar" in body and 'href="#id_end_year"' in body
    assert not Agenda.objects.exists()


def edit_data(agenda, **overrides):
    data = {
        "title": agenda.title,
        "start_year": agenda.start_year,
        "end_year": agenda.end_year,
        "vision": agenda.vision,
        "analysis": agenda.analysis,
        "baseline_notes": "",
        "low_cofinancing_justification": "",
        "lock_version": agenda.lock_version,
    }
    data.update(overrides)
    return data


def test_stale_edit_shows_conflict_with_changes_and_keeps_input(client, agenda, coordinator):
    client.force_login(coordinator)
    first = edit_data(agenda, vision="Versie van Anna")
    stale = edit_data(agenda, vision="Versie van Bram")
    assert client.post(url("agenda_edit", agenda.pk), first).status_code == 302
    response = client.post(url("agenda_edit", agenda.pk), stale)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in body and "Versie van Anna" in body
    assert "Versie van Bram" in body  # the user's input is kept
    assert 'name="lock_version" value="2"' in body
    assert Agenda.objects.get(pk=agenda.pk).vision == "Versie van Anna"
    # Saving again, now based on the current version, is a deliberate overwrite.
    assert client.post(url("agenda_edit", agenda.pk), {**stale, "lock_version": 2}).status_code == 302
    assert Agenda.objects.get(pk=agenda.pk).vision == "Versie van Bram"


def test_priority_create_edit_delete(client, agenda, coordinator, themes):
    client.force_login(coordinator)
    data = {"theme": themes["zorg"].pk, "title": "Zorg", "goals": "Doelen", "dimensions": [], "programmes": []}
    assert client.post(url("priority_create", agenda.pk), data).status_code == 302
    priority = Priority.objects.get()
    response = client.post(
        url("priority_edit", agenda.pk, priority.pk), {**data, "title": "Zorg dichtbij", "lock_version": 1}
    )
    assert response.status_code == 302 and Priority.objects.get().title == "Zorg dichtbij"
    response = client.post(url("priority_delete", agenda.pk, priority.pk), {"lock_version": 1})
    assert response.status_code == 200 and "Iemand anders" in response.content.decode()
    assert client.post(url("priority_delete", agenda.pk, priority.pk), {"lock_version": 2}).status_code == 302
    assert not Priority.objects.exists()


def test_milestone_form_errors_from_service(client, priority, coordinator):
    client.force_login(coordinator)
    data = {
        "title": "Opgeleid",
        "indicator_name": "Zorgmedewerkers",
        "unit": "personen",
        "type": "output",
        "baseline_value": "10",
        "baseline_year": 2026,
        "target_value": "10",
        "target_year": 2040,
    }
    response = client.post(url("milestone_create", priority.agenda_id, priority.pk), data)
    body = response.content.decode()
    assert "gelijk aan de nulmeting" in body and "buiten de looptijd" in body
    data.update(target_value="150,5", target_year=2030)
    assert client.post(url("milestone_create", priority.agenda_id, priority.pk), data).status_code == 302
    assert Milestone.objects.get().target_value == Decimal("150.5")


def test_partner_form(client, agenda, alliance, coordinator):
    org = OrganisationFactory()
    alliance.organisations.add(org)
    client.force_login(coordinator)
    data = {"organisation": org.pk, "role": "Kassier", "commitment_type": "money", "commitment_amount": ""}
    response = client.post(url("partner_create", agenda.pk), data)
    assert "toegezegde bedrag" in response.content.decode()
    data["commitment_amount"] = "250.000,00"
    assert client.post(url("partner_create", agenda.pk), data).status_code == 302
    assert agenda.partners.get().commitment_amount == Decimal("250000.00")


def test_share_toggle(client, agenda, coordinator, people):
    client.force_login(coordinator)
    assert client.post(url("agenda_share", agenda.pk), {"shared": "1"}).status_code == 302
    assert Agenda.objects.get(pk=agenda.pk).shared_with_ministry
    client.force_login(people["partner"])
    assert client.post(url("agenda_share", agenda.pk), {"shared": "0"}).status_code == 403
    assert Agenda.objects.get(pk=agenda.pk).shared_with_ministry


# --- budget grid -------------------------------------------------------------------------------


def test_grid_save_parses_dutch_amounts_and_shows_totals(client, agenda, priority, coordinator, sources):
    client.force_login(coordinator)
    rijk, province = sources["rijk-extra"].pk, sources["provincie"].pk
    data = {
        f"lock-{priority.pk}": 1,
        cell_key(priority.pk, 2027, rijk): "1.000,50",
        cell_key(priority.pk, 2027, province): "2000",
        cell_key(priority.pk, 2028, province): "",
        "action": "save",
    }
    response = client.post(url("budget_grid", agenda.pk), data)
    assert response.status_code == 302
    assert BudgetLine.objects.get(source_id=rijk).amount == Decimal("1000.50")
    body = client.get(response["Location"]).content.decode()
    assert "1,99 : 1" in body  # co-financing 2000 : 1000,50
    assert "€ 3.000,50" in body  # one formatter (kansenagenda.money) for every page


def test_grid_invalid_input_saves_nothing_and_names_the_cell(client, agenda, priority, coordinator, sources):
    client.force_login(coordinator)
    rijk = sources["rijk-extra"].pk
    data = {
        f"lock-{priority.pk}": 1,
        cell_key(priority.pk, 2027, rijk): "100",
        cell_key(priority.pk, 2028, rijk): "veel",
        cell_key(priority.pk, 2029, rijk): "-5",
    }
    response = client.post(url("budget_grid", agenda.pk), data)
    body = response.content.decode()
    assert response.status_code == 400 and "‘veel’ is geen bedrag" in body
    assert not BudgetLine.objects.exists()
    data[cell_key(priority.pk, 2028, rijk)] = "1"
    response = client.post(url("budget_grid", agenda.pk), data)
    assert response.status_code == 400 and "negatief" in response.content.decode()
    assert f'href="#{cell_key(priority.pk, 2029, rijk)}"' in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_grid_preview_and_htmx_totals_do_not_save(client, agenda, priority, coordinator, sources):
    client.force_login(coordinator)
    data = {f"lock-{priority.pk}": 1, cell_key(priority.pk, 2027, sources["rijk-extra"].pk): "400"}
    response = client.post(url("budget_grid", agenda.pk), {**data, "action": "preview"})
    assert response.status_code == 200 and "€ 400,00" in response.content.decode()
    response = client.post(url("budget_totals", agenda.pk), data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<div id="budget-totals"') and "€ 400,00" in body
    assert not BudgetLine.objects.exists()


def test_grid_stale_save_shows_conflict(client, agenda, priority, coordinator, sources):
    client.force_login(coordinator)
    key = cell_key(priority.pk, 2027, sources["eu"].pk)
    assert client.post(url("budget_grid", agenda.pk), {f"lock-{priority.pk}": 1, key: "10"}).status_code == 302
    response = client.post(url("budget_grid", agenda.pk), {f"lock-{priority.pk}": 1, key: "20"})
    body = response.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in body and "10,00" in body
    assert f'name="lock-{priority.pk}" value="2"' in body
    assert BudgetLine.objects.get().amount == Decimal("10")


def test_grid_refused_for_partner(client, agenda, people):
    client.force_login(people["partner"])
    assert client.get(url("budget_grid", agenda.pk)).status_code == 403
    assert client.post(url("budget_totals", agenda.pk), {}).status_code == 403


# --- comments and history on the page ----------------------------------------------------------


def test_threaded_comments_and_history_on_detail(client, agenda, people, priority):
    client.force_login(people["partner"])
    client.post(url("comment_add", agenda.pk), {"section": "priority", "priority": priority.pk, "body": "Eerste"})
    first = Comment.objects.get()
    client.post(url("comment_add", agenda.pk), {"section": "priority", "parent": first.pk, "body": "Antwoord"})
    client.force_login(people["coordinator"])
    client.post(url("agenda_edit", agenda.pk), edit_data(agenda, title="Nieuwe titel"))
    body = client.get(url("agenda_detail", agenda.pk)).content.decode()
    assert "Eerste" in body and "Antwoord" in body and str(people["partner"]) in body
    assert Comment.objects.get(body="Antwoord").parent == first
    recent = client.get(url("agenda_history", agenda.pk) + "?recent=1").content.decode()  # loaded by the page
    assert "Nieuwe titel" in recent and "titel" in recent and "→" in recent
    history = client.get(url("agenda_history", agenda.pk)).content.decode()
    assert str(people["coordinator"]) in history


def test_checklist_page(client, alliance, coordinator):
    agenda = complete_agenda(alliance, coordinator)
    client.force_login(coordinator)
    body = client.get(url("agenda_checklist", agenda.pk)).content.decode()
    assert "De agenda is compleet" in body
    Milestone.objects.filter(priority__agenda=agenda).first().delete()
    body = client.get(url("agenda_checklist", agenda.pk)).content.decode()
    assert "nog geen mijlpaal" in body and "Ontbreekt" in body


# --- query counts ------------------------------------------------------------------------------


def count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _small_and_large(alliance, coordinator):
    small = complete_agenda(alliance, coordinator, priorities=1)
    large = big_agenda(alliance)
    for agenda in (small, large):
        for p in agenda.priorities.all()[:3]:
            Comment.objects.create(agenda=agenda, section="priority", priority=p, author=coordinator, body="x")
        AgendaPartnerFactory(agenda=agenda)
    return small, large


@pytest.mark.parametrize(
    "page",
    [
        "agenda_detail",
        "agenda_edit",
        "budget_grid",
        "agenda_history",
        "agenda_checklist",
        "priority_edit",
        "milestone_edit",
    ],
)
def test_query_count_does_not_grow_with_priorities_lines_and_milestones(
    client, alliance, coordinator, page, django_assert_max_num_queries
):
    small, large = _small_and_large(alliance, coordinator)
    client.force_login(coordinator)

    def path(agenda):
        if page == "priority_edit":
            return url(page, agenda.pk, agenda.priorities.first().pk)
        if page == "milestone_edit":
            return url(page, agenda.pk, Milestone.objects.filter(priority__agenda=agenda).first().pk)
        return url(page, agenda.pk)

    small_path, large_path = path(small), path(large)
    client.get(small_path)  # warm up caches (session, content types)
    n_small = count_queries(client, small_path)
    with django_assert_max_num_queries(n_small):
        assert client.get(large_path).status_code == 200
    assert large.priorities.count() == 50 and BudgetLine.objects.filter(priority__agenda=large).count() == 2500


def test_list_query_count_constant(client, alliance, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)
    AgendaFactory(alliance=alliance)
    client.get(url("agenda_list"))
    n_small = count_queries(client, url("agenda_list"))
    for _ in range(20):
        AgendaFactory(alliance=alliance)
    with django_assert_max_num_queries(n_small):
        client.get(url("agenda_list"))


def test_milestones_listed_on_detail(client, priority, coordinator):
    MilestoneFactory(priority=priority, title="Honderd woningen")
    client.force_login(coordinator)
    assert "Honderd woningen" in client.get(url("agenda_detail", priority.agenda_id)).content.decode()
