"""Drafting API: CRUD through the services, permission matrix, 409 conflicts, filters, query counts, schema."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from agendas.models import Agenda, AgendaPartner, BudgetLine, Comment, Milestone, Priority
from tests.agendas.fixtures_drafting import *  # noqa: F403 (fixtures)
from tests.agendas.fixtures_drafting import big_agenda, complete_agenda
from tests.factories import AgendaFactory, OrganisationFactory, PriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def as_user(api, people, who):
    if who != "anonymous":
        api.force_authenticate(people[who])
    return api


# --- agendas -----------------------------------------------------------------------------------


def test_create_update_conflict_and_delete_agenda(api, alliance, people):
    as_user(api, people, "coordinator")
    response = api.post(
        reverse("agenda-list"),
        {"alliance": alliance.pk, "title": "Kansen Oost", "start_year": 2027, "end_year": 2038},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["lock_version"] == 1
    response = api.patch(
        reverse("agenda-detail", kwargs={"pk": pk}),
        {"title": "Kansen Oost-Groningen", "lock_version": 1},
        format="json",
    )
    assert response.status_code == 200 and response.json()["lock_version"] == 2
    response = api.patch(
        reverse("agenda-detail", kwargs={"pk": pk}), {"vision": "Anders", "lock_version": 1}, format="json"
    )
    body = response.json()
    assert response.status_code == 409 and body["code"] == "conflict"
    assert body["changes"]["title"] == {"label": "titel", "old": "Kansen Oost", "new": "Kansen Oost-Groningen"}
    assert Agenda.objects.get(pk=pk).vision == ""
    assert api.delete(reverse("agenda-detail", kwargs={"pk": pk}) + "?lock_version=1").status_code == 409
    assert api.delete(reverse("agenda-detail", kwargs={"pk": pk}) + "?lock_version=2").status_code == 204


def test_create_validation_errors_use_the_common_format(api, alliance, people):
    as_user(api, people, "coordinator")
    response = api.post(
        reverse("agenda-list"),
        {"alliance": alliance.pk, "title": "X", "start_year": 2027, "end_year": 2060},
        format="json",
    )
    body = response.json()
    assert response.status_code == 400 and body["code"] == "invalid"
    assert "maximum is 30 jaar" in body["errors"]["end_year"][0]


def test_update_without_lock_version_is_400(api, agenda, people):
    as_user(api, people, "coordinator")
    response = api.patch(reverse("agenda-detail", kwargs={"pk": agenda.pk}), {"title": "X"}, format="json")
    assert response.status_code == 400 and "lock_version" in response.json()["errors"]


# who → (view, edit, comment) for a draft not shared / shared
MATRIX_NOT_SHARED = {
    "coordinator": (200, 200, 201),
    "other_coordinator": (404, 404, 404),
    "partner": (200, 403, 201),
    "other_partner": (404, 404, 404),
    "state_representative": (404, 404, 404),
    "ministry_officer": (404, 404, 404),
    "reviewer": (404, 404, 404),
    "anonymous": (401, 401, 401),  # not logged in: authenticate first
}
MATRIX_SHARED = {**MATRIX_NOT_SHARED, "state_representative": (200, 403, 403), "ministry_officer": (200, 403, 403)}


@pytest.mark.parametrize("shared", [False, True], ids=["not_shared", "shared"])
@pytest.mark.parametrize("who", sorted(MATRIX_NOT_SHARED))
def test_api_permission_matrix(api, agenda, people, who, shared):
    Agenda.objects.filter(pk=agenda.pk).update(shared_with_ministry=shared)
    view, edit, comment = (MATRIX_SHARED if shared else MATRIX_NOT_SHARED)[who]
    as_user(api, people, who)
    assert api.get(reverse("agenda-detail", kwargs={"pk": agenda.pk})).status_code == view
    response = api.patch(
        reverse("agenda-detail", kwargs={"pk": agenda.pk}), {"title": "Nieuw", "lock_version": 1}, format="json"
    )
    assert response.status_code == edit
    if edit == 403 and who != "anonymous":
        assert "coördinator" in response.json()["message"]
    response = api.post(
        reverse("comment-list"), {"agenda": agenda.pk, "section": "vision", "body": "Mooi"}, format="json"
    )
    assert response.status_code == comment
    listed = api.get(reverse("agenda-list"))
    if who != "anonymous":
        ids = [a["id"] for a in listed.json()["results"]]
        assert (agenda.pk in ids) == (view == 200)


def test_share_action(api, agenda, people):
    as_user(api, people, "partner")
    assert (
        api.post(reverse("agenda-share", kwargs={"pk": agenda.pk}), {"shared": True}, format="json").status_code == 403
    )
    as_user(api, people, "coordinator")
    response = api.post(reverse("agenda-share", kwargs={"pk": agenda.pk}), {"shared": True}, format="json")
    assert response.status_code == 200 and response.json()["shared_with_ministry"] is True


def test_filters_region_status_theme_year(api, alliance, other_alliance, people, themes):
    a = AgendaFactory(alliance=alliance, start_year=2025, end_year=2030)
    b = AgendaFactory(alliance=alliance, start_year=2031, end_year=2040, status=Agenda.Status.RETURNED)
    PriorityFactory(agenda=b, theme=themes["huisvesting"])
    as_user(api, people, "coordinator")

    def ids(**params):
        return {x["id"] for x in api.get(reverse("agenda-list"), params).json()["results"]}

    assert ids(year=2035) == {b.pk}
    assert ids(status="returned") == {b.pk}
    assert ids(theme="huisvesting") == {b.pk}
    assert ids(region=alliance.region_id) == {a.pk, b.pk}
    assert ids(region=other_alliance.region_id) == set()


def test_checklist_and_history_actions(api, alliance, people):
    agenda = complete_agenda(alliance, people["coordinator"])
    as_user(api, people, "coordinator")
    items = api.get(reverse("agenda-checklist", kwargs={"pk": agenda.pk})).json()
    assert all(item["ok"] for item in items) and {"partners", "cofinancing"} <= {i["code"] for i in items}
    api.patch(
        reverse("agenda-detail", kwargs={"pk": agenda.pk}), {"title": "Nieuwe titel", "lock_version": 1}, format="json"
    )
    history = api.get(reverse("agenda-history", kwargs={"pk": agenda.pk})).json()["results"]
    change = next(e for e in history if e["changes"] and e["changes"][0]["new"] == "Nieuwe titel")
    assert change["user"] == str(people["coordinator"])


# --- budget grid and lines ---------------------------------------------------------------------


def test_budget_grid_endpoint(api, agenda, priority, people):
    as_user(api, people, "coordinator")
    payload = {
        "lock_versions": {str(priority.pk): 1},
        "cells": [
            {"priority": priority.pk, "year": 2027, "source": "rijk-extra", "amount": "500000.00"},
            {"priority": priority.pk, "year": 2027, "source": "provincie", "amount": "250000.50"},
        ],
    }
    response = api.post(reverse("agenda-budget-grid", kwargs={"pk": agenda.pk}), payload, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"created": 2, "updated": 0, "deleted": 0, "lock_versions": {str(priority.pk): 2}}
    # stale: 409 with the changed cells
    payload["cells"][0]["amount"] = "1"
    response = api.post(reverse("agenda-budget-grid", kwargs={"pk": agenda.pk}), payload, format="json")
    assert response.status_code == 409 and "budget:2027:rijk-extra" in response.json()["changes"]
    # invalid: nothing saved, error keyed by cell
    payload = {
        "lock_versions": {str(priority.pk): 2},
        "cells": [
            {"priority": priority.pk, "year": 2028, "source": "eu", "amount": "5"},
            {"priority": priority.pk, "year": 2040, "source": "eu", "amount": "5"},
        ],
    }
    response = api.post(reverse("agenda-budget-grid", kwargs={"pk": agenda.pk}), payload, format="json")
    assert response.status_code == 400
    assert any("buiten de looptijd" in m[0] for m in response.json()["errors"].values())
    assert BudgetLine.objects.count() == 2
    detail = api.get(reverse("agenda-detail", kwargs={"pk": agenda.pk})).json()
    assert detail["budget"]["total"] == "750000.50" and detail["budget"]["cofinancing_ratio"] == "0.50"


def test_budget_grid_refused_for_partner(api, agenda, priority, people):
    as_user(api, people, "partner")
    payload = {
        "lock_versions": {str(priority.pk): 1},
        "cells": [{"priority": priority.pk, "year": 2027, "source": "eu", "amount": "5"}],
    }
    assert api.post(reverse("agenda-budget-grid", kwargs={"pk": agenda.pk}), payload, format="json").status_code == 403
    assert not BudgetLine.objects.exists()


def test_budget_line_crud(api, priority, people):
    as_user(api, people, "coordinator")
    data = {"priority": priority.pk, "year": 2027, "source": "eu", "amount": "12.50", "lock_version": 1}
    response = api.post(reverse("budgetline-list"), data, format="json")
    assert response.status_code == 201 and response.json()["amount"] == "12.50"
    line_id = response.json()["id"]
    response = api.post(reverse("budgetline-list"), {**data, "lock_version": 2}, format="json")
    assert response.status_code == 400 and "al een begrotingsregel" in response.json()["errors"]["source"][0]
    response = api.patch(
        reverse("budgetline-detail", kwargs={"pk": line_id}), {"amount": "1.001", "lock_version": 2}, format="json"
    )
    assert response.status_code == 400 and "twee decimalen" in response.json()["errors"]["amount"][0]
    response = api.patch(
        reverse("budgetline-detail", kwargs={"pk": line_id}), {"amount": "20", "lock_version": 2}, format="json"
    )
    assert response.status_code == 200 and response.json()["amount"] == "20.00"
    assert api.get(reverse("budgetline-list"), {"agenda": priority.agenda_id, "source": "eu"}).json()["count"] == 1
    assert api.delete(reverse("budgetline-detail", kwargs={"pk": line_id}) + "?lock_version=3").status_code == 204
    assert not BudgetLine.objects.exists()


# --- priorities, milestones, partners ----------------------------------------------------------


def test_priority_crud(api, agenda, alliance, people):
    as_user(api, people, "coordinator")
    lead = alliance.organisations.first()
    data = {
        "agenda": agenda.pk,
        "theme": "zorg",
        "title": "Zorg dichtbij",
        "goals": "Meer zorgmedewerkers",
        "dimensions": ["gezondheid"],
        "programmes": ["iza"],
        "lead_partner": lead.pk,
    }
    response = api.post(reverse("priority-list"), data, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["dimensions"] == ["gezondheid"]
    response = api.patch(reverse("priority-detail", kwargs={"pk": pk}), {"title": "", "lock_version": 1}, format="json")
    assert response.status_code == 400 and "title" in response.json()["errors"]
    response = api.patch(
        reverse("priority-detail", kwargs={"pk": pk}), {"title": "Zorg", "lock_version": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["lock_version"] == 2
    assert (
        api.patch(
            reverse("priority-detail", kwargs={"pk": pk}), {"title": "Y", "lock_version": 1}, format="json"
        ).status_code
        == 409
    )
    assert api.get(reverse("priority-list"), {"theme": "zorg"}).json()["count"] == 1
    assert api.delete(reverse("priority-detail", kwargs={"pk": pk}) + "?lock_version=2").status_code == 204


def test_priority_create_on_invisible_agenda_is_404(api, people):
    other = AgendaFactory()
    as_user(api, people, "coordinator")
    data = {"agenda": other.pk, "theme": "zorg", "title": "X", "goals": "Y"}
    assert api.post(reverse("priority-list"), data, format="json").status_code == 404


def test_milestone_crud(api, priority, people):
    as_user(api, people, "coordinator")
    data = {
        "priority": priority.pk,
        "title": "150 opgeleid",
        "indicator_name": "Opgeleiden",
        "unit": "personen",
        "type": "output",
        "baseline_value": "0",
        "baseline_year": 2026,
        "target_value": "0",
        "target_year": 2030,
    }
    response = api.post(reverse("milestone-list"), data, format="json")
    assert response.status_code == 400 and "gelijk aan de nulmeting" in response.json()["errors"]["target_value"][0]
    response = api.post(reverse("milestone-list"), {**data, "target_value": "150"}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    assert (
        api.patch(
            reverse("milestone-detail", kwargs={"pk": pk}), {"unit": "fte", "lock_version": 1}, format="json"
        ).status_code
        == 200
    )
    response = api.patch(
        reverse("milestone-detail", kwargs={"pk": pk}), {"unit": "x", "lock_version": 1}, format="json"
    )
    assert response.status_code == 409 and response.json()["changes"]["unit"]["new"] == "fte"
    assert api.delete(reverse("milestone-detail", kwargs={"pk": pk}) + "?lock_version=2").status_code == 204
    assert not Milestone.objects.exists()


def test_partner_crud(api, agenda, alliance, people):
    org = OrganisationFactory()
    alliance.organisations.add(org)
    as_user(api, people, "coordinator")
    data = {"agenda": agenda.pk, "organisation": org.pk, "role": "Kassier", "commitment_type": "money"}
    response = api.post(reverse("agendapartner-list"), data, format="json")
    assert response.status_code == 400 and "commitment_amount" in response.json()["errors"]
    response = api.post(reverse("agendapartner-list"), {**data, "commitment_amount": "1000"}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    assert (
        api.patch(
            reverse("agendapartner-detail", kwargs={"pk": pk}), {"role": "Trekker", "lock_version": 1}, format="json"
        ).status_code
        == 200
    )
    assert api.delete(reverse("agendapartner-detail", kwargs={"pk": pk}) + "?lock_version=2").status_code == 204
    assert not AgendaPartner.objects.exists()


def test_partner_cannot_write_priorities(api, agenda, people):
    as_user(api, people, "partner")
    data = {"agenda": agenda.pk, "theme": "zorg", "title": "X", "goals": "Y"}
    assert api.post(reverse("priority-list"), data, format="json").status_code == 403
    assert not Priority.objects.exists()


# --- comments and attachments ------------------------------------------------------------------


def test_comments_threaded_and_author_only_edit(api, agenda, priority, people):
    as_user(api, people, "partner")
    response = api.post(
        reverse("comment-list"),
        {"agenda": agenda.pk, "section": "priority", "priority": priority.pk, "body": "Vraag"},
        format="json",
    )
    assert response.status_code == 201
    parent = response.json()["id"]
    as_user(api, people, "coordinator")
    response = api.post(
        reverse("comment-list"),
        {"agenda": agenda.pk, "section": "general", "parent": parent, "body": "Antwoord"},
        format="json",
    )
    assert (
        response.status_code == 201 and response.json()["parent"] == parent and response.json()["section"] == "priority"
    )
    assert (
        api.patch(reverse("comment-detail", kwargs={"pk": parent}), {"body": "Gewijzigd"}, format="json").status_code
        == 403
    )
    as_user(api, people, "partner")
    assert (
        api.patch(reverse("comment-detail", kwargs={"pk": parent}), {"body": "Gewijzigd"}, format="json").status_code
        == 200
    )
    assert api.get(reverse("comment-list"), {"agenda": agenda.pk, "section": "priority"}).json()["count"] == 2
    assert api.delete(reverse("comment-detail", kwargs={"pk": parent})).status_code == 204
    assert not Comment.objects.exists()


def test_attachments_upload_list_download(api, agenda, people):
    as_user(api, people, "coordinator")
    pdf = b"%PDF-1.4\n%%EOF\n"
    response = api.post(
        reverse("attachment-list"),
        {"agenda": agenda.pk, "file": SimpleUploadedFile("plan.pdf", pdf), "description": "Plan"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    attachment = response.json()
    assert attachment["content_type"] == "application/pdf" and len(attachment["sha256"]) == 64
    response = api.post(
        reverse("attachment-list"),
        {"agenda": agenda.pk, "file": SimpleUploadedFile("x.pdf", b"nep")},
        format="multipart",
    )
    assert response.status_code == 400 and "file" in response.json()["errors"]
    as_user(api, people, "partner")
    response = api.get(attachment["download_url"])
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == pdf
    as_user(api, people, "other_coordinator")
    assert api.get(attachment["download_url"]).status_code == 404
    as_user(api, people, "partner")
    assert api.delete(reverse("attachment-detail", kwargs={"pk": attachment["id"]})).status_code == 403


# --- query counts and schema -------------------------------------------------------------------


def _count(api, path):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_agenda_detail_api_query_count_constant(api, alliance, people, django_assert_max_num_queries):
    small = complete_agenda(alliance, people["coordinator"], priorities=1)
    large = big_agenda(alliance)
    as_user(api, people, "coordinator")
    n = _count(api, reverse("agenda-detail", kwargs={"pk": small.pk}))
    with django_assert_max_num_queries(n):
        response = api.get(reverse("agenda-detail", kwargs={"pk": large.pk}))
    body = response.json()
    assert len(body["priorities"]) == 50 and sum(len(p["budget_lines"]) for p in body["priorities"]) == 2500


@pytest.mark.parametrize(
    "endpoint", ["agenda", "priority", "budgetline", "milestone", "agendapartner", "comment", "attachment"]
)
def test_list_endpoints_query_count_constant(api, alliance, people, endpoint, django_assert_max_num_queries):
    small = complete_agenda(alliance, people["coordinator"], priorities=1)
    Comment.objects.create(agenda=small, section="general", author=people["coordinator"], body="x")
    as_user(api, people, "coordinator")
    n = _count(api, reverse(f"{endpoint}-list"))
    large = big_agenda(alliance, n_priorities=20)
    for p in large.priorities.all():
        Comment.objects.create(agenda=large, section="priority", priority=p, author=people["coordinator"], body="x")
    complete_agenda(alliance, people["coordinator"], priorities=5)
    with django_assert_max_num_queries(n):
        api.get(reverse(f"{endpoint}-list"))


def test_openapi_schema_documents_drafting_with_examples(api, people):
    as_user(api, people, "coordinator")
    response = api.get(reverse("api-schema"))
    assert response.status_code == 200
    schema = response.json() if hasattr(response, "json") else None
    text = response.content.decode()
    for path in [
        "/api/v1/agendas/{id}/budget-grid",
        reverse("priority-list"),
        reverse("budgetline-list"),
        reverse("milestone-list"),
        reverse("agendapartner-list"),
        reverse("comment-list"),
        "/api/v1/attachments/{id}/download",
    ]:
        assert path in text, path
    grid = schema["paths"]["/api/v1/agendas/{id}/budget-grid"]["post"]
    assert "examples" in grid["requestBody"]["content"]["application/json"]
    assert "409" in grid["responses"]
    params = {p["name"] for p in schema["paths"][reverse("agenda-list")]["get"]["parameters"]}
    assert {"region", "status", "theme", "year"} <= params


def test_decimal_amounts_never_floats(api, agenda, priority, people):
    as_user(api, people, "coordinator")
    api.post(
        reverse("agenda-budget-grid", kwargs={"pk": agenda.pk}),
        {
            "lock_versions": {str(priority.pk): 1},
            "cells": [{"priority": priority.pk, "year": 2027, "source": "eu", "amount": "0.10"}],
        },
        format="json",
    )
    api.post(
        reverse("agenda-budget-grid", kwargs={"pk": agenda.pk}),
        {
            "lock_versions": {str(priority.pk): 2},
            "cells": [{"priority": priority.pk, "year": 2028, "source": "eu", "amount": "0.20"}],
        },
        format="json",
    )
    detail = api.get(reverse("agenda-detail", kwargs={"pk": agenda.pk})).json()
    assert detail["budget"]["total"] == "0.30"
    assert BudgetLine.objects.get(year=2027).amount == Decimal("0.10")
    assert io  # keep import used
