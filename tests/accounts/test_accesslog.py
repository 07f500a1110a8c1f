"""The access log: every sensitive read door (page, API with session, API with token) writes exactly one row
per record read, with the right user, object and purpose; refusals are logged; the table is append-only;
administrators search and export it; it never holds a password, token or document content."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse

from accounts import roles
from accounts.accesslog.models import AccessLogEntry, AppendOnlyError
from accounts.accesslog.services import Event, Purpose, record_access
from accounts.services import api_token_create
from agendas.models import Attachment, Decision, Review
from reports.models import GeneratedDocument
from tests.agendas.workflow_fixtures import advance, build_world

pytestmark = pytest.mark.django_db

READS = (Event.READ, Event.DOWNLOAD, Event.EXPORT)
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def w(db):
    world = build_world()
    advance(world, "prepared")  # submitted review, advice, a nota awaiting signature
    return world


def _document(agenda, kind, user) -> GeneratedDocument:
    document = GeneratedDocument(
        kind=kind,
        agenda=agenda,
        version_number=agenda.current_version,
        source_fingerprint=hashlib.sha256(kind.encode()).hexdigest(),
        status=GeneratedDocument.Status.READY,
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
        size=len(PDF_BYTES),
        requested_by=user,
    )
    document.file.save(f"{kind}.pdf", ContentFile(PDF_BYTES), save=False)
    document.save()
    return document


def _attachment(agenda, user) -> Attachment:
    attachment = Attachment(
        agenda=agenda,
        original_name="plan.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
        uploaded_by=user,
    )
    attachment.file.save("plan.pdf", ContentFile(PDF_BYTES), save=False)
    attachment.save()
    return attachment


def _clients(user) -> dict[str, Client]:
    session = Client()
    session.force_login(user)
    token = Client(headers={"Authorization": f"Token {api_token_create(user=user)}"})
    return {"page": session, "api_session": session, "api_token": token}


def _consume(response):
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def _doors(w):
    """door name → (user, channel → url, model label, object)"""
    agenda = w.agenda
    review = Review.objects.get(assignment__agenda=agenda)
    decision = Decision.objects.get(agenda=agenda)
    dossier = _document(agenda, GeneratedDocument.Kind.DOSSIER, w.officer)
    note = _document(agenda, GeneratedDocument.Kind.DECISION_NOTE, w.officer)
    attachment = _attachment(agenda, w.coordinator)
    return {
        "dossier_pdf": (
            w.officer,
            {
                "page": reverse("reports:document_download", args=[dossier.pk]),
                "api": reverse("api-reports-document-download", kwargs={"pk": dossier.pk}),
            },
            "reports.generateddocument",
            dossier,
            Purpose.DECISION,
        ),
        "nota": (
            w.officer,
            {
                "page": reverse("agendas:workflow-decision", args=[agenda.pk]),
                "api": reverse("api-agenda-decision", kwargs={"pk": agenda.pk}),
            },
            "agendas.decision",
            decision,
            Purpose.DECISION,
        ),
        "nota_pdf": (
            w.signatory,
            {
                "page": reverse("reports:document_download", args=[note.pk]),
                "api": reverse("api-reports-document-download", kwargs={"pk": note.pk}),
            },
            "reports.generateddocument",
            note,
            Purpose.DECISION,
        ),
        "review_for_state_rep": (
            w.state_rep,
            {
                "page": reverse("agendas:workflow-advice", args=[agenda.pk]),
                "api": reverse("api-agenda-reviews", kwargs={"pk": agenda.pk}),
            },
            "agendas.review",
            review,
            Purpose.ADVICE,
        ),
        "review_for_reviewer": (
            w.reviewer,
            {
                "page": reverse("agendas:workflow-assignment", args=[review.assignment_id]),
                "api": reverse("api-assignment-review", kwargs={"assignment_pk": review.assignment_id}),
            },
            "agendas.review",
            review,
            Purpose.REVIEW,
        ),
        "attachment": (
            w.partner,
            {
                "page": reverse("agendas:attachment_download", args=[agenda.pk, attachment.pk]),
                "api": reverse("attachment-download", kwargs={"pk": attachment.pk}),
            },
            "agendas.attachment",
            attachment,
            Purpose.DRAFTING,
        ),
    }


DOOR_NAMES = ["dossier_pdf", "nota", "nota_pdf", "review_for_state_rep", "review_for_reviewer", "attachment"]


@pytest.mark.parametrize("door", DOOR_NAMES)
@pytest.mark.parametrize("channel", ["page", "api_session", "api_token"])
def test_every_sensitive_read_writes_exactly_one_row(w, door, channel):
    user, urls, label, obj, purpose = _doors(w)[door]
    client = _clients(user)[channel]
    url = urls["page" if channel == "page" else "api"]
    before = AccessLogEntry.objects.filter(event__in=READS).count()
    response = _consume(client.get(url))
    assert response.status_code == 200, (door, channel, response.status_code)
    rows = list(AccessLogEntry.objects.filter(object_type=label, object_id=str(obj.pk)))
    assert len(rows) == 1, (door, channel, rows)
    row = rows[0]
    assert AccessLogEntry.objects.filter(event__in=READS).count() == before + 1
    assert row.user_id == user.pk and row.agenda_id == w.agenda.pk
    assert row.purpose == purpose and row.status_code == 200
    assert row.event in (Event.READ, Event.DOWNLOAD)
    assert row.channel == ("page" if channel == "page" else "api")
    assert row.route and "<" in row.route  # the URL pattern, not the path
    assert set(row.user_roles.split(",")) == set(user.groups.values_list("name", flat=True))


@pytest.mark.parametrize("channel", ["page", "api_session", "api_token"])
def test_portfolio_xlsx_export_writes_one_row(w, channel):
    client = _clients(w.officer)[channel]
    url = reverse("reports:export_xlsx") if channel == "page" else reverse("api-reports-export-xlsx")
    response = client.get(url, {"region": w.agenda.alliance.region_id})
    assert response.status_code == 200
    rows = list(AccessLogEntry.objects.filter(event=Event.EXPORT))
    assert len(rows) == 1
    assert rows[0].user_id == w.officer.pk and rows[0].object_type == "reports.portfolio"
    assert rows[0].object_id == "xlsx" and f"region={w.agenda.alliance.region_id}" in rows[0].object_label
    assert rows[0].purpose == Purpose.PORTFOLIO


def test_csv_export_of_an_unknown_table_is_not_logged_as_export(w):
    client = _clients(w.officer)["page"]
    assert client.get(reverse("reports:export_csv"), {"tabel": "geheim"}).status_code == 404
    assert not AccessLogEntry.objects.filter(event=Event.EXPORT).exists()
    assert client.get(reverse("reports:export_csv"), {"tabel": "regions"}).status_code == 200
    assert AccessLogEntry.objects.get(event=Event.EXPORT).object_id == "csv:regions"


def test_the_overview_logs_each_review_and_nota_shown(w):
    client = _clients(w.officer)["page"]
    assert client.get(reverse("agendas:workflow-overview", args=[w.agenda.pk])).status_code == 200
    types = sorted(AccessLogEntry.objects.filter(event=Event.READ).values_list("object_type", flat=True))
    assert types == ["agendas.decision", "agendas.review"]


# --- refusals -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("channel", ["page", "api_session", "api_token"])
def test_a_refused_read_writes_a_refusal_and_no_read(w, channel):
    doors = _doors(w)
    _user, urls, _label, obj, _purpose = doors["nota_pdf"]
    client = _clients(w.coordinator)[channel]  # the alliance may not see the nota
    url = urls["page" if channel == "page" else "api"]
    response = client.get(url)
    assert response.status_code == 404
    assert not AccessLogEntry.objects.filter(event__in=READS).exists()
    refusal = AccessLogEntry.objects.get(event=Event.REFUSED)
    assert refusal.user_id == w.coordinator.pk and refusal.status_code == 404
    assert refusal.object_id == str(obj.pk) and refusal.route
    assert refusal.channel == ("page" if channel == "page" else "api")


def test_a_403_refusal_keeps_its_reason(w):
    client = _clients(w.coordinator)["api_session"]
    response = client.post(
        reverse("api-reports-agenda-documents", kwargs={"pk": w.agenda.pk}),
        {"kind": "decision_note"},
        content_type="application/json",
    )
    assert response.status_code == 403
    refusal = AccessLogEntry.objects.get(event=Event.REFUSED)
    assert refusal.status_code == 403 and "ministerie" in refusal.detail


def test_page_403_is_logged(w):
    client = _clients(w.partner)["page"]
    response = client.get(reverse("agendas:workflow-reviewers", args=[w.agenda.pk]))
    assert response.status_code == 403
    refusal = AccessLogEntry.objects.get(event=Event.REFUSED)
    assert refusal.user_id == w.partner.pk and refusal.status_code == 403 and refusal.detail


def test_unknown_addresses_and_anonymous_visitors_are_not_refusals(w):
    client = _clients(w.coordinator)["page"]
    assert client.get("/bestaat-niet/").status_code == 404
    assert Client().get(reverse("agendas:workflow-decision", args=[w.agenda.pk])).status_code == 302
    assert not AccessLogEntry.objects.filter(event__in=(Event.REFUSED, *READS)).exists()


# --- append-only ------------------------------------------------------------------------------------------
def _one_row(w) -> AccessLogEntry:
    return record_access(actor=w.officer, obj=w.agenda, purpose=Purpose.DECISION)[0]


def test_orm_cannot_change_or_delete_rows(w):
    entry = _one_row(w)
    entry.detail = "gewijzigd"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(detail="x")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    assert AccessLogEntry.objects.get(pk=entry.pk).detail == ""


def test_database_refuses_update(w):
    entry = _one_row(w)
    table = AccessLogEntry._meta.db_table
    with pytest.raises((IntegrityError, OperationalError, Exception)) as excinfo:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET detail = 'x' WHERE id = %s", [entry.pk])
    assert "append-only" in str(excinfo.value)
    if connection.vendor == "postgresql":
        with pytest.raises(Exception, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table} WHERE id = %s", [entry.pk])
    assert AccessLogEntry.objects.filter(pk=entry.pk, detail="").exists()


def test_record_access_only_logs_reads():
    with pytest.raises(ValueError):
        record_access(event=Event.LOGIN, obj=None, purpose=Purpose.SECURITY)


# --- admin: administrators search, filter, export; nobody changes ---------------------------------------
def _admin_client(user) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def test_admin_list_search_filter_and_no_change(w):
    _one_row(w)
    record_access(actor=w.partner, obj=w.agenda, purpose=Purpose.DRAFTING)
    client = _admin_client(w.admin)
    url = reverse("admin:accounts_accesslogentry_changelist")
    page = client.get(url)
    assert page.status_code == 200 and w.officer.email in page.content.decode()
    filtered = client.get(url, {"purpose__exact": Purpose.DRAFTING}).content.decode()
    assert w.partner.email in filtered and w.officer.email not in filtered
    searched = client.get(url, {"q": w.partner.email}).content.decode()
    assert w.partner.email in searched and w.officer.email not in searched
    entry = AccessLogEntry.objects.first()
    change = reverse("admin:accounts_accesslogentry_change", args=[entry.pk])
    assert client.post(change, {"detail": "x"}).status_code == 403
    assert (
        client.post(reverse("admin:accounts_accesslogentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert client.get(reverse("admin:accounts_accesslogentry_add")).status_code == 403
    assert AccessLogEntry.objects.filter(event=Event.READ).count() == 2


@pytest.mark.parametrize("who", ["officer", "signatory", "coordinator"])
def test_admin_list_is_for_administrators_only(w, who):
    user = getattr(w, who)
    client = _admin_client(user)
    response = client.get(reverse("admin:accounts_accesslogentry_changelist"))
    assert response.status_code in (302, 403)


def test_admin_csv_export_neutralises_formulas_and_is_itself_logged(w):
    record_access(
        actor=w.officer,
        obj=("reports.portfolio", "xlsx", '=HYPERLINK("http://evil")'),
        purpose=Purpose.PORTFOLIO,
        event=Event.EXPORT,
    )
    client = _admin_client(w.admin)
    ids = list(AccessLogEntry.objects.filter(event=Event.EXPORT).values_list("pk", flat=True))
    response = client.post(
        reverse("admin:accounts_accesslogentry_changelist"),
        {"action": "export_selected_csv", "_selected_action": ids},
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "tijdstip" and len(rows) == 2
    assert "'=HYPERLINK" in rows[1][7] and w.officer.email in rows[1]
    export = AccessLogEntry.objects.filter(event=Event.EXPORT, user=w.admin).get()
    assert export.object_type == "accounts.accesslogentry" and export.object_label == "1 regels"


def test_rows_never_hold_passwords_tokens_or_content(w):
    key = api_token_create(user=w.officer)
    client = Client(headers={"Authorization": f"Token {key}"})
    assert client.get(reverse("api-agenda-reviews", kwargs={"pk": w.agenda.pk})).status_code == 200
    login = Client()
    login.post(reverse("login"), {"username": w.partner.email, "password": "verkeerd-wachtwoord-123"})
    review = Review.objects.get(assignment__agenda=w.agenda)
    dump = " ".join(str(v) for row in AccessLogEntry.objects.values() for v in row.values())
    assert key not in dump and "verkeerd-wachtwoord-123" not in dump
    assert review.recommendations not in dump and review.distribution_effects not in dump


# --- the other exports -----------------------------------------------------------------------------------
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_accountability_figures_export_is_logged(file_format):
    world = build_world()
    advance(world, "approved")
    client = _clients(world.officer)["page"]
    response = client.get(reverse(f"agendas:monitoring-figures-{file_format}", args=[world.agenda.pk]))
    assert response.status_code == 200
    row = AccessLogEntry.objects.get(event=Event.EXPORT)
    assert (row.user_id, row.object_type, row.object_id, row.agenda_id, row.purpose) == (
        world.officer.pk,
        "agendas.accountability",
        file_format,
        world.agenda.pk,
        Purpose.MONITORING,
    )
    other = _clients(world.other_coordinator)["page"]
    assert other.get(reverse(f"agendas:monitoring-figures-{file_format}", args=[world.agenda.pk])).status_code == 404
    assert AccessLogEntry.objects.filter(event=Event.EXPORT).count() == 1
    assert AccessLogEntry.objects.filter(event=Event.REFUSED, user=world.other_coordinator).count() == 1


def test_audit_log_csv_export_is_logged(w):
    client = _clients(w.admin)["page"]
    assert client.get(reverse("audit_log"), {"export": "csv"}).status_code == 200
    row = AccessLogEntry.objects.get(event=Event.EXPORT)
    assert (
        row.user_id == w.admin.pk and row.object_type == "accounts.auditlog" and row.purpose == Purpose.ADMINISTRATION
    )
    refused = _clients(w.officer)["page"]
    assert refused.get(reverse("audit_log"), {"export": "csv"}).status_code == 403
    assert AccessLogEntry.objects.filter(event=Event.EXPORT).count() == 1
    assert AccessLogEntry.objects.get(event=Event.REFUSED).user_id == w.officer.pk


def test_one_person_with_two_roles_reads_for_the_weightier_task(w):
    """officer2 is officer and signatory; a coordinator who is also state representative reads as advisor."""
    from tests.factories import make_state_representative

    both = make_state_representative(w.agenda.alliance.region)
    w.agenda.alliance.coordinators.add(both)
    both.groups.add(Group.objects.get(name=roles.COORDINATOR))
    both = type(both).objects.get(pk=both.pk)
    assert {roles.COORDINATOR, roles.STATE_REPRESENTATIVE} <= both.role_codes
    client = _clients(both)["api_token"]
    assert client.get(reverse("api-agenda-reviews", kwargs={"pk": w.agenda.pk})).status_code == 200
    row = AccessLogEntry.objects.get(event=Event.READ)
    assert row.user_id == both.pk and row.purpose == Purpose.ADVICE
