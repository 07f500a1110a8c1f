"""Issue 14 item 3: Archiefwet – classification and archiefactiedatum, the four-eyes destruction list,
destruction that removes content and files and leaves a record, and the transfer package (MDTO)."""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import zipfile
from xml.etree import ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from agendas import clocks
from agendas.archive import services
from agendas.archive.destruction import REDACTED
from agendas.archive.models import DestructionList, DestructionRecord, DossierClassification, SelectionCategory
from agendas.archive.transfer import MDTO_NS, transfer_package
from agendas.decision import services as decision_services
from agendas.models import Agenda, Attachment, Comment, Priority
from kansenagenda.errors import TransitionRefused
from reports.models import GeneratedDocument
from tests.agendas.monitoring_fixtures import People, make_active_agenda
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import advance, user_with

S = Agenda.Status
M = f"{{{MDTO_NS}}}"


def close(agenda, officer):
    return decision_services.agenda_close(agenda=agenda, actor=officer)


@pytest.fixture
def finished(db):
    """An active agenda whose period is over, with a file, a generated PDF and a comment."""
    agenda = make_active_agenda(start_year=2025, end_year=2026, title="Oude agenda Noord")
    people = People(agenda)
    name = default_storage.save("attachments/test/bewijs.pdf", ContentFile(b"%PDF-1.4 bewijs"))
    Attachment.objects.create(
        agenda=agenda,
        file=name,
        original_name="bewijs.pdf",
        content_type="application/pdf",
        size=15,
        sha256=hashlib.sha256(b"%PDF-1.4 bewijs").hexdigest(),
        uploaded_by=people.coordinator,
    )
    pdf = default_storage.save("documents/test/dossier.pdf", ContentFile(b"%PDF-1.4 dossier"))
    GeneratedDocument.objects.create(
        kind="dossier",
        agenda=agenda,
        version_number=1,
        source_fingerprint="x",
        file=pdf,
        status="ready",
        sha256="1" * 64,
    )
    Comment.objects.create(agenda=agenda, section="vision", author=people.partner, body="Geheime interne reactie")
    Agenda.objects.filter(pk=agenda.pk).update(vision="Visie die vernietigd moet worden")
    agenda.refresh_from_db()
    return agenda, people


def test_closing_classifies_with_the_default_and_computes_the_date(finished):
    agenda, people = finished
    close(agenda, people.officer)
    c = DossierClassification.objects.get(agenda=agenda)
    assert c.category.code == "KA-1" and c.category.nomination == "bewaren"
    assert c.closed_on == clocks.today()
    assert c.action_date == clocks.add_months(clocks.today(), 12 * c.category.retention_years)
    assert c.assigned_by is None


def test_rejection_and_withdrawal_have_their_own_default_and_reopening_clears_the_date(world):
    advance(world, "submitted")
    decision_services.agenda_withdraw(agenda=world.agenda, actor=world.fresh(world.coordinator))
    c = DossierClassification.objects.get(agenda=world.agenda)
    assert c.category.code == "KA-3" and c.action_date == clocks.archive_action_date(clocks.today(), 5)
    decision_services.agenda_submit(agenda=world.refresh(), actor=world.fresh(world.coordinator))
    c.refresh_from_db()
    assert c.action_date is None and c.closed_on is None


def test_rejected_agenda_gets_the_rejection_category(world):
    advance(world, "rejected")
    assert world.refresh().status == S.REJECTED
    assert DossierClassification.objects.get(agenda=world.agenda).category.code == "KA-2"


def test_the_ministry_assigns_a_category_and_nobody_else(finished):
    agenda, people = finished
    destroy = SelectionCategory.objects.get(code="KA-2")
    for outsider in (people.coordinator, people.partner, people.state_rep, people.reviewer):
        with pytest.raises(PermissionDenied):
            services.classification_assign(agenda=agenda, category=destroy, actor=outsider)
    services.classification_assign(agenda=agenda, category=destroy, actor=people.officer)
    close(agenda, people.officer)  # an assigned category is not overwritten by the default
    c = DossierClassification.objects.get(agenda=agenda)
    assert c.category == destroy and c.assigned_by == people.officer
    assert c.action_date == clocks.archive_action_date(clocks.today(), destroy.retention_years)


def _due(agenda, people, code="KA-2"):
    services.classification_assign(
        agenda=agenda, category=SelectionCategory.objects.get(code=code), actor=people.officer
    )
    agenda.refresh_from_db()
    if agenda.status == S.ACTIVE:
        close(agenda, people.officer)
    DossierClassification.objects.filter(agenda=agenda).update(action_date=clocks.today() - datetime.timedelta(days=1))


def test_only_an_administrator_draws_up_and_only_dossiers_past_their_date(finished):
    agenda, people = finished
    close(agenda, people.officer)  # KA-1 bewaren: never on a destruction list
    with pytest.raises(ValidationError):
        services.destruction_list_draw_up(actor=people.admin)
    _due(agenda, people)
    for other in (people.officer, people.signatory, people.coordinator):
        with pytest.raises(PermissionDenied):
            services.destruction_list_draw_up(actor=other)
    destruction_list = services.destruction_list_draw_up(actor=people.admin)
    assert [i.classification.agenda_id for i in destruction_list.items.all()] == [agenda.pk]
    assert destruction_list.transitions.get().to_status == DestructionList.Status.SUBMITTED
    with pytest.raises(ValidationError):  # already on an open list
        services.destruction_list_draw_up(actor=user_with(roles.ADMINISTRATOR))


def test_the_drafter_cannot_approve_nor_can_other_roles(finished):
    agenda, people = finished
    _due(agenda, people)
    destruction_list = services.destruction_list_draw_up(actor=people.admin)
    with pytest.raises(TransitionRefused) as exc:
        services.destruction_list_approve(destruction_list=destruction_list, actor=people.admin)
    assert exc.value.code == "four_eyes"
    for other in (people.officer, people.coordinator, people.state_rep):
        with pytest.raises(TransitionRefused) as exc:
            services.destruction_list_approve(destruction_list=destruction_list, actor=other)
        assert exc.value.code == "forbidden"
    destruction_list.refresh_from_db()
    assert destruction_list.status == DestructionList.Status.SUBMITTED
    assert not DestructionRecord.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():  # also in the database
        DestructionList.objects.filter(pk=destruction_list.pk).update(approved_by=people.admin)


def test_approval_destroys_content_and_files_and_leaves_the_record(finished):
    agenda, people = finished
    _due(agenda, people)
    files = [a.file.name for a in agenda.attachments.all()] + [d.file.name for d in agenda.generated_documents.all()]
    assert all(default_storage.exists(f) for f in files)
    destruction_list = services.destruction_list_draw_up(actor=people.admin, remarks="Jaarlijkse ronde")
    [record] = services.destruction_list_approve(
        destruction_list=destruction_list, actor=people.signatory, second_factor_verified=True
    )
    assert not any(default_storage.exists(f) for f in files)
    agenda.refresh_from_db()
    assert agenda.vision == REDACTED and agenda.title == REDACTED
    assert not Comment.objects.filter(agenda=agenda).exists() and not agenda.attachments.exists()
    assert not agenda.generated_documents.exists()
    assert all(p.goals == REDACTED for p in Priority.objects.filter(agenda=agenda))
    assert not Agenda.history.filter(id=agenda.pk).exclude(title=REDACTED).exists()
    assert not Agenda.history.filter(vision__contains="Visie").exists()
    assert not Comment.history.filter(body__contains="Geheime").exists()
    record = DestructionRecord.objects.get(pk=record.pk)
    assert (record.agenda_id_destroyed, record.title, record.category_code) == (agenda.pk, "Oude agenda Noord", "KA-2")
    assert record.approved_by == people.signatory and record.drawn_up_by == people.admin
    assert record.files_destroyed == 2
    destruction_list.refresh_from_db()
    assert destruction_list.status == DestructionList.Status.DESTROYED
    assert [t.action for t in destruction_list.transitions.all()] == ["draw_up", "approve_destruction", "destroy"]
    assert DossierClassification.objects.get(agenda=agenda).destroyed_at is not None
    with pytest.raises(ValueError):
        record.delete()


def test_reject_needs_a_reason_and_destroys_nothing(finished):
    agenda, people = finished
    _due(agenda, people)
    destruction_list = services.destruction_list_draw_up(actor=people.admin)
    second = user_with(roles.ADMINISTRATOR)
    with pytest.raises(ValidationError):
        services.destruction_list_reject(destruction_list=destruction_list, actor=second, comment=" ")
    services.destruction_list_reject(
        destruction_list=destruction_list, actor=second, comment="Loopt nog een Woo-verzoek"
    )
    agenda.refresh_from_db()
    assert agenda.title == "Oude agenda Noord" and agenda.attachments.exists()
    assert services.due_for_destruction().count() == 1  # free for a new list


def test_pages_drafter_refused_second_person_destroys(client, finished):
    agenda, people = finished
    _due(agenda, people)
    client.force_login(people.admin)
    response = client.post(reverse("agendas:archive-draw-up"))
    destruction_list = DestructionList.objects.get()
    assert response.url == reverse("agendas:archive-destruction-list", args=[destruction_list.pk])
    url = reverse("agendas:archive-destruction-list", args=[destruction_list.pk])
    client.post(url, {"action": "approve", "lock_version": destruction_list.lock_version})
    destruction_list.refresh_from_db()
    assert destruction_list.status == DestructionList.Status.SUBMITTED
    client.force_login(people.signatory)
    page = client.get(url)
    assert page.status_code == 200 and "Vernietigingslijst goedkeuren" in page.content.decode()
    client.post(url, {"action": "approve", "lock_version": destruction_list.lock_version})
    destruction_list.refresh_from_db()
    assert destruction_list.status == DestructionList.Status.DESTROYED
    client.force_login(people.coordinator)
    assert client.get(reverse("agendas:archive-overview")).status_code == 403


def test_transfer_package_contents(client, finished):
    agenda, people = finished
    close(agenda, people.officer)
    c = DossierClassification.objects.select_related("agenda", "category").get(agenda=agenda)
    archive = zipfile.ZipFile(io.BytesIO(transfer_package(c)))
    names = set(archive.namelist())
    assert "metadata.xml" in names
    pdfs = [n for n in names if n.startswith("pdf/")]
    attachments = [n for n in names if n.startswith("bijlagen/")]
    assert len(pdfs) == 1 and len(attachments) == 1
    assert archive.read(attachments[0]) == b"%PDF-1.4 bewijs"
    root = ET.fromstring(archive.read("metadata.xml"))
    obj = root.find(f"{M}informatieobject")
    assert obj.find(f"{M}naam").text == "Oude agenda Noord"
    assert obj.find(f"{M}waardering/{M}begripCode").text == "bewaren"
    assert obj.find(f"{M}bewaartermijn/{M}termijnLooptijd").text == f"P{c.category.retention_years}Y"
    assert obj.find(f"{M}classificatie/{M}begripCode").text == "KA-1"
    files = root.findall(f"{M}bestand")
    assert len(files) == 2
    checksums = {
        f.find(f"{M}identificatie/{M}identificatieKenmerk").text: f.find(f"{M}checksum/{M}checksumWaarde").text
        for f in files
    }
    assert checksums[attachments[0]] == hashlib.sha256(b"%PDF-1.4 bewijs").hexdigest()
    client.force_login(people.officer)
    response = client.get(reverse("agendas:archive-transfer", args=[agenda.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    client.force_login(people.coordinator)
    assert client.get(reverse("agendas:archive-transfer", args=[agenda.pk])).status_code == 403


@pytest.mark.skipif(not os.environ.get("MDTO_XSD"), reason="set MDTO_XSD to MDTO-XML 1.0.1's XSD (README, Archief)")
def test_transfer_metadata_valid_against_the_mdto_xsd(finished):  # pragma: no cover – needs the XSD and lxml
    lxml = pytest.importorskip("lxml.etree")
    agenda, people = finished
    close(agenda, people.officer)
    c = DossierClassification.objects.select_related("agenda", "category").get(agenda=agenda)
    metadata = zipfile.ZipFile(io.BytesIO(transfer_package(c))).read("metadata.xml")
    schema = lxml.XMLSchema(lxml.parse(os.environ["MDTO_XSD"]))
    assert schema.validate(lxml.fromstring(metadata)), schema.error_log


def test_no_transfer_package_for_destroy_nomination(finished):
    agenda, people = finished
    _due(agenda, people)
    with pytest.raises(ValidationError):
        transfer_package(DossierClassification.objects.get(agenda=agenda))


def test_overview_query_count_does_not_grow(client, finished):
    agenda, people = finished
    close(agenda, people.officer)
    client.force_login(people.officer)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("agendas:archive-overview")).status_code == 200
    for _i in range(3):
        other = make_active_agenda(start_year=2025, end_year=2026)
        close(other, people.officer)
    with CaptureQueriesContext(connection) as four:
        response = client.get(reverse("agendas:archive-overview"))
    assert response.content.decode().count("Toewijzen") == 4
    assert len(four.captured_queries) == len(one.captured_queries)
