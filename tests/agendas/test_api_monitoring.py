"""Monitoring API: same services and validation as the pages, the permission matrix, error format,
query counts and the OpenAPI documentation."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from agendas.models import ChangeRequest
from agendas.monitoring.services import progress_report_open
from agendas.monitoring.transitions import progress_report_submit
from tests.agendas.monitoring_fixtures import *  # noqa: F403
from tests.agendas.monitoring_fixtures import People, fill_complete, make_active_agenda


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


ROLES = [
    "coordinator",
    "partner",
    "state_rep",
    "other_state_rep",
    "officer",
    "signatory",
    "reviewer",
    "other_coordinator",
]
SEES = {"coordinator", "partner", "state_rep", "officer", "signatory"}


def test_anonymous_gets_nothing(api, report):
    assert api.get(reverse("progress-report-list")).status_code in (401, 403)
    assert api.get(reverse("progress-report-detail", kwargs={"pk": report.pk})).status_code in (401, 403)
    assert api.get(reverse("api-accountability-figures", kwargs={"agenda_pk": report.agenda_id})).status_code in (
        401,
        403,
    )


def test_list_and_detail_matrix(api, report, people):
    seen = set()
    for role in ROLES:
        c = as_user(api, people[role])
        ids = [r["id"] for r in c.get(reverse("progress-report-list")).json()["results"]]
        detail = c.get(reverse("progress-report-detail", kwargs={"pk": report.pk})).status_code
        figures = c.get(reverse("api-accountability-figures", kwargs={"agenda_pk": report.agenda_id})).status_code
        if ids == [report.pk]:
            assert detail == 200 and figures == 200
            seen.add(role)
        else:
            assert ids == [] and detail == 404 and figures == 404
    assert seen == SEES


def test_detail_carries_computed_figures_and_health(api, report, people):
    fill_complete(report, people.coordinator)
    body = as_user(api, people.partner).get(reverse("progress-report-detail", kwargs={"pk": report.pk})).json()
    assert body["status"] == "open" and body["lock_version"] == 2
    prio = body["priorities"][0]
    assert prio["realised_to_date"] == "160000.00"
    assert prio["milestones"][0]["health"]["code"] == "at_risk"
    assert prio["milestones"][0]["health"]["label"] == "Risico"
    assert prio["spending"][0]["planned"] == "100000.00"
    assert body["totals"]["cofinancing_to_date"] == "160000.00"


def _patch(api, report, payload):
    return api.patch(reverse("progress-report-detail", kwargs={"pk": report.pk}), payload, format="json")


def test_patch_saves_through_the_same_service(api, report, people):
    ms = report.milestone_progress.first()
    line = report.realisations.first()
    nar = report.narratives.first()
    response = _patch(
        as_user(api, people.coordinator),
        report,
        {
            "lock_version": 1,
            "risks": "Personeelstekort",
            "milestones": [{"id": ms.pk, "status": "on_track", "value_reached": 12.5}],
            "spending": [{"id": line.pk, "realised": "1.000,00", "committed": 50}],
            "narratives": [{"priority": nar.priority_id, "text": "Loopt"}],
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json()["lock_version"] == 2
    line.refresh_from_db()
    ms.refresh_from_db()
    assert str(line.realised) == "1000.00" and str(ms.value_reached) == "12.5000"


def test_patch_validation_error_format_is_dutch_and_names_the_field(api, report, people):
    line = report.realisations.first()
    response = _patch(
        as_user(api, people.coordinator), report, {"lock_version": 1, "spending": [{"id": line.pk, "realised": "-3"}]}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["message"] == "De invoer is niet geldig."
    (message,) = body["errors"][f"spending-{line.pk}-realised"]
    assert message.startswith("Gerealiseerde besteding (") and "is negatief" in message


def test_patch_stale_is_409_with_changes(api, report, people):
    c = as_user(api, people.coordinator)
    assert _patch(c, report, {"lock_version": 1, "risks": "a"}).status_code == 200
    response = _patch(c, report, {"lock_version": 1, "risks": "b"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and body["changes"]["risks"]["new"] == "a"
    assert body["current_lock_version"] == 2 and body["type"] == "urn:kansenagenda:probleem:conflict"


@pytest.mark.parametrize(
    ("role", "status"),
    [("partner", 403), ("state_rep", 403), ("officer", 403), ("reviewer", 404), ("other_coordinator", 404)],
)
def test_patch_refused(api, report, people, role, status):
    response = _patch(as_user(api, people[role]), report, {"lock_version": 1, "risks": "x"})
    assert response.status_code == status
    if status == 403:
        assert response.json()["message"].startswith("Alleen de coördinator")


def test_transitions_through_api(api, report, people):
    fill_complete(report, people.coordinator)
    c = as_user(api, people.coordinator)
    assert (
        c.post(
            reverse("progress-report-submit", kwargs={"pk": report.pk}), {"lock_version": 1}, format="json"
        ).status_code
        == 409
    )
    assert (
        c.post(
            reverse("progress-report-submit", kwargs={"pk": report.pk}), {"lock_version": 2}, format="json"
        ).status_code
        == 200
    )
    for role in ["coordinator", "partner", "officer", "other_state_rep"]:
        r = as_user(api, people[role]).post(
            reverse("progress-report-accept", kwargs={"pk": report.pk}), {}, format="json"
        )
        assert r.status_code in (403, 404), role
    c = as_user(api, people.state_rep)

    def lock() -> dict:  # every versioned write carries the lock_version the client read
        report.refresh_from_db()
        return {"lock_version": report.lock_version}

    r = c.post(reverse("progress-report-return-", kwargs={"pk": report.pk}), {"remarks": ""} | lock(), format="json")
    assert r.status_code == 400 and "remarks" in r.json()["errors"]
    r = c.post(
        reverse("progress-report-return-", kwargs={"pk": report.pk}),
        {"remarks": "Graag aanvullen"} | lock(),
        format="json",
    )
    assert r.json()["status"] == "returned" and r.json()["decision_remarks"] == "Graag aanvullen"
    as_user(api, people.coordinator).post(
        reverse("progress-report-submit", kwargs={"pk": report.pk}), lock(), format="json"
    )
    r = as_user(api, people.state_rep).post(
        reverse("progress-report-accept", kwargs={"pk": report.pk}), lock(), format="json"
    )
    assert r.json()["status"] == "accepted"
    assert (
        _patch(
            as_user(api, people.coordinator), report, {"lock_version": r.json()["lock_version"], "risks": "x"}
        ).status_code
        == 403
    )
    assert (
        as_user(api, people.partner)
        .post(reverse("progress-report-reopen", kwargs={"pk": report.pk}), {"reason": "x"} | lock(), format="json")
        .status_code
        == 403
    )
    r = as_user(api, people.signatory).post(
        reverse("progress-report-reopen", kwargs={"pk": report.pk}), {"reason": "Herstel"} | lock(), format="json"
    )
    assert r.status_code == 200 and r.json()["transitions"][-1]["comment"] == "Herstel"


def test_comments(api, report, people):
    c = as_user(api, people.partner)
    assert (
        c.post(
            reverse("progress-report-comments", kwargs={"pk": report.pk}), {"body": "Top"}, format="json"
        ).status_code
        == 201
    )
    assert (
        c.post(reverse("progress-report-comments", kwargs={"pk": report.pk}), {"body": ""}, format="json").status_code
        == 400
    )
    assert (
        as_user(api, people.officer)
        .post(reverse("progress-report-comments", kwargs={"pk": report.pk}), {"body": "x"}, format="json")
        .status_code
        == 403
    )
    assert [
        x["body"]
        for x in as_user(api, people.officer).get(reverse("progress-report-comments", kwargs={"pk": report.pk})).json()
    ] == ["Top"]


def test_change_request_flow_four_eyes(api, active_agenda, people):
    line = active_agenda.priorities.first().budget_lines.get(year=2028, source__code="rijk-extra")
    payload = {
        "agenda": active_agenda.pk,
        "reason": "Vertraging",
        "budget_shifts": [{"from_line": line.pk, "to_priority": line.priority_id, "to_year": 2030, "amount": "60000"}],
    }
    assert as_user(api, people.partner).post(reverse("change-request-list"), payload, format="json").status_code == 403
    assert as_user(api, people.reviewer).post(reverse("change-request-list"), payload, format="json").status_code == 404
    bad = as_user(api, people.coordinator).post(
        reverse("change-request-list"), {**payload, "reason": ""}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["errors"]["reason"][0].startswith("Reden")
    r = api.post(reverse("change-request-list"), payload, format="json")
    assert r.status_code == 201 and r.json()["route"] == "ministry"
    pk = r.json()["id"]
    assert (
        as_user(api, people.state_rep)
        .post(reverse("change-request-decide", kwargs={"pk": pk}), {"outcome": "accept"}, format="json")
        .status_code
        == 403
    )
    r = as_user(api, people.officer).post(
        reverse("change-request-prepare", kwargs={"pk": pk}),
        {"advised_outcome": "accept", "note": "Akkoord", "lock_version": 1},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "prepared"
    r = api.post(
        reverse("change-request-sign", kwargs={"pk": pk}), {"outcome": "accept", "lock_version": 2}, format="json"
    )
    assert r.status_code == 403  # the officer is no signatory
    people.officer.groups.add(Group.objects.get(name="ministry_signatory"))
    people.officer.__dict__.pop("role_codes", None)
    r = as_user(api, people.officer).post(
        reverse("change-request-sign", kwargs={"pk": pk}), {"outcome": "accept", "lock_version": 2}, format="json"
    )
    assert r.status_code == 403 and r.json()["code"] == "four_eyes"
    r = as_user(api, people.signatory).post(
        reverse("change-request-sign", kwargs={"pk": pk}), {"outcome": "accept", "lock_version": 2}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted" and r.json()["resulting_version"] == 2
    assert ChangeRequest.objects.get().decided_by == people.signatory


def test_small_change_by_state_rep_and_withdraw(api, active_agenda, people):
    ms = active_agenda.priorities.first().milestones.first()
    c = as_user(api, people.coordinator)
    r = c.post(
        reverse("change-request-list"),
        {
            "agenda": active_agenda.pk,
            "reason": "Jaar later",
            "milestone_changes": [{"milestone": ms.pk, "new_target_year": 2031}],
        },
        format="json",
    )
    assert r.json()["route"] == "state_representative"
    pk = r.json()["id"]
    r2 = c.post(
        reverse("change-request-list"),
        {
            "agenda": active_agenda.pk,
            "reason": "Anders",
            "milestone_changes": [{"milestone": ms.pk, "new_target_value": "140"}],
        },
        format="json",
    )
    assert (
        c.post(
            reverse("change-request-withdraw", kwargs={"pk": r2.json()["id"]}),
            {"lock_version": r2.json()["lock_version"]},
            format="json",
        ).json()["status"]
        == "withdrawn"
    )
    r = as_user(api, people.state_rep).post(
        reverse("change-request-decide", kwargs={"pk": pk}), {"outcome": "accept", "lock_version": 1}, format="json"
    )
    assert r.json()["status"] == "accepted"
    ms.refresh_from_db()
    assert ms.target_year == 2031
    visible = {
        role: len(as_user(api, people[role]).get(reverse("change-request-list")).json()["results"]) for role in ROLES
    }
    assert {role for role, n in visible.items() if n} == SEES


def test_accountability_figures_endpoint(api, report, people):
    fill_complete(report, people.coordinator)
    progress_report_submit(report=report, actor=people.coordinator)
    (row,) = (
        as_user(api, people.officer)
        .get(reverse("api-accountability-figures", kwargs={"agenda_pk": report.agenda_id}))
        .json()
    )
    assert row["year"] == 2027 and row["report_status"] == "Ingediend"
    assert row["cumulative_spending"] == "320000.00" and row["units_delivered"] == "160.0000"


def _count(api, path):
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_list_and_detail_query_counts_do_not_grow(api):
    from agendas.monitoring.change_requests import change_request_create
    from tests.factories import UserFactory

    officer = UserFactory(role="ministry_officer")
    as_user(api, officer)
    counts = {}
    for size in (1, 15):
        agendas = [make_active_agenda(priorities=size, milestones_per_priority=2) for _ in range(size)]
        for agenda in agendas:
            people = People(agenda)
            report, _ = progress_report_open(agenda=agenda, year=2027)
            ms = agenda.priorities.first().milestones.first()
            change_request_create(
                agenda=agenda,
                actor=people.coordinator,
                reason="x",
                milestone_changes=[{"milestone": ms.pk, "new_target_year": 2031}],
            )
        _count(api, reverse("progress-report-list"))  # warm up per-user caches
        counts[size] = (
            _count(api, reverse("progress-report-list")),
            _count(api, reverse("change-request-list")),
            _count(api, reverse("progress-report-detail", kwargs={"pk": report.pk})),
            _count(api, reverse("api-accountability-figures", kwargs={"agenda_pk": agenda.pk})),
        )
    assert counts[1] == counts[15], counts


def test_openapi_documents_the_monitoring_endpoints(api, people):
    response = as_user(api, people.officer).get(reverse("api-schema"))
    assert response.status_code == 200
    text = response.content.decode()
    for path in [
        reverse("progress-report-list"),
        "/api/v1/progress-reports/{id}/submit",
        "/api/v1/progress-reports/{id}/accept",
        "/api/v1/progress-reports/{id}/return",
        "/api/v1/progress-reports/{id}/reopen",
        "/api/v1/progress-reports/{id}/comments",
        "/api/v1/change-requests/{id}/prepare",
        "/api/v1/change-requests/{id}/sign",
        "/api/v1/agendas/{agenda_pk}/accountability-figures",
    ]:
        assert path in text, path
    assert "ProgressReportUpdate" in text and "MilestoneUpdate" in text and "SpendingUpdate" in text
