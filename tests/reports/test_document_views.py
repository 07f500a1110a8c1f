"""Documents in the browser and the API: ask → "wordt gemaakt" → download, for exactly the right people."""

import hashlib
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import roles
from agendas.models import Agenda
from reports.models import GeneratedDocument
from tests.factories import AllianceFactory, UserFactory, make_coordinator, make_partner, make_state_representative
from tests.factories_reports import build_agenda, make_decision

Kind = GeneratedDocument.Kind


@pytest.fixture
def agenda(db):
    agenda = build_agenda(status=Agenda.Status.APPROVED, title="Kansen voor de Kop")
    make_decision(agenda, amounts={2027: Decimal("1000.00")})
    return agenda


def user_for(who, agenda):
    region = agenda.alliance.region
    return {
        "coordinator": lambda: make_coordinator(agenda.alliance),
        "partner": lambda: make_partner(agenda.alliance),
        "other_coordinator": lambda: make_coordinator(AllianceFactory()),
        "state_rep": lambda: make_state_representative(region),
        "other_state_rep": lambda: make_state_representative(AllianceFactory().region),
        "officer": lambda: UserFactory(role=roles.MINISTRY_OFFICER),
        "signatory": lambda: UserFactory(role=roles.MINISTRY_SIGNATORY),
        "reviewer": lambda: UserFactory(role=roles.REVIEWER),
    }[who]()


# who → (dossier, decision note): 200 allowed, 403 refused (reason), 404 not visible
MATRIX = {
    "coordinator": (200, 403),
    "partner": (200, 403),
    "state_rep": (200, 403),
    "officer": (200, 200),
    "signatory": (200, 200),
    "other_coordinator": (404, 404),
    "other_state_rep": (404, 404),
    "reviewer": (404, 404),
}


@pytest.mark.parametrize("who", MATRIX)
def test_request_and_download_matrix(client, agenda, who, django_capture_on_commit_callbacks):
    client.force_login(user_for(who, agenda))
    url = reverse("reports:agenda_documents", args=[agenda.pk])
    for kind, expected in zip((Kind.DOSSIER, Kind.DECISION_NOTE), MATRIX[who], strict=True):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"kind": kind})
        if expected == 200:
            assert response.status_code == 302, (kind, response.status_code)
            document = GeneratedDocument.objects.get(kind=kind)
            download = client.get(reverse("reports:document_download", args=[document.pk]))
            assert download.status_code == 200
        elif expected == 403:
            # the kind is not offered, so the form refuses it
            assert response.status_code in (400, 403)
            assert not GeneratedDocument.objects.filter(kind=kind).exists()
        else:
            assert response.status_code == 404
    # documents made by someone else follow the same rules
    officer = UserFactory(role=roles.MINISTRY_OFFICER)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"kind": Kind.DECISION_NOTE})
    note = GeneratedDocument.objects.get(kind=Kind.DECISION_NOTE)
    client.force_login(user_for(who, agenda))
    allowed = MATRIX[who][1] == 200
    status = client.get(reverse("reports:document_download", args=[note.pk])).status_code
    assert status == (200 if allowed else 404)
    assert (client.get(reverse("api-reports-document", kwargs={"pk": note.pk})).status_code == 200) == allowed


def test_download_headers(client, agenda, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(role=roles.MINISTRY_OFFICER))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:agenda_documents", args=[agenda.pk]), {"kind": Kind.DOSSIER})
    document = GeneratedDocument.objects.get()
    response = client.get(reverse("reports:document_download", args=[document.pk]))
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="agendadossier-kansen-voor-de-kop-v1.pdf"'
    assert response["X-Checksum-SHA256"] == hashlib.sha256(content).hexdigest() == document.sha256
    assert "no-store" in response["Cache-Control"]


def test_status_page_shows_wordt_gemaakt_then_download(client, agenda, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(role=roles.MINISTRY_OFFICER))
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("reports:agenda_documents", args=[agenda.pk]), {"kind": Kind.DECISION_LETTER})
    document = GeneratedDocument.objects.get()
    assert response["Location"] == reverse("reports:document", args=[document.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Wordt gemaakt" in page and 'data-hx-trigger="every 2s"' in page and "Download" not in page
    from reports.tasks import render_document

    render_document.delay(document.pk)
    fragment = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "Download het document" in fragment and "data-hx-trigger" not in fragment
    assert client.get(reverse("reports:document_download", args=[document.pk])).status_code == 200


def test_pending_document_cannot_be_downloaded(client, agenda, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(role=roles.MINISTRY_OFFICER))
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:agenda_documents", args=[agenda.pk]), {"kind": Kind.DOSSIER})
    document = GeneratedDocument.objects.get()
    assert client.get(reverse("reports:document_download", args=[document.pk])).status_code == 404


def test_validation_error_is_shown_next_to_the_field(client, agenda):
    client.force_login(UserFactory(role=roles.MINISTRY_OFFICER))
    response = client.post(reverse("reports:agenda_documents", args=[agenda.pk]), {"kind": Kind.PROGRESS_REPORT})
    assert response.status_code == 400
    assert "Kies het jaar" in response.content.decode()


def test_api_request_document(client, agenda, django_capture_on_commit_callbacks):
    client.force_login(make_coordinator(agenda.alliance))
    url = reverse("api-reports-agenda-documents", kwargs={"pk": agenda.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "dossier"}, content_type="application/json")
    assert response.status_code == 202, response.content  # rendered after commit, not in the request
    assert response.json()["status"] == "pending" and response.json()["download_url"] is None
    body = client.get(reverse("api-reports-document", kwargs={"pk": response.json()["id"]})).json()
    assert body["status"] == "ready" and body["download_url"].endswith("/download/")
    again = client.post(url, {"kind": "dossier"}, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]  # unchanged: re-used
    refused = client.post(url, {"kind": "decision_note"}, content_type="application/json")
    assert refused.status_code == 403
    invalid = client.post(url, {"kind": "progress_report", "year": 1999}, content_type="application/json")
    assert invalid.status_code == 400 and "year" in invalid.json()["errors"]
    listed = client.get(url).json()
    assert [d["kind"] for d in listed] == ["dossier"]


def test_api_documents_not_visible_for_other_alliance(client, agenda):
    client.force_login(make_coordinator(AllianceFactory()))
    assert client.get(reverse("api-reports-agenda-documents", kwargs={"pk": agenda.pk})).status_code == 404


def test_documents_page_query_count(client, db, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(role=roles.MINISTRY_OFFICER))
    for priorities in (1, 8):
        agenda = build_agenda(status=Agenda.Status.SUBMITTED, priorities=priorities)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("reports:agenda_documents", args=[agenda.pk])).status_code == 200
