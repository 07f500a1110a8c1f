"""Attachments: type by content, size limit, checksum, scan hook, permission-checked download."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agendas.drafting import attachments as svc
from agendas.models import Agenda, Attachment
from tests.agendas.fixtures_drafting import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def ooxml(main_part: str, extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<xml/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def odf(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office/>")
    return buffer.getvalue()


VALID = [
    ("plan.pdf", PDF_BYTES, svc.PDF),
    ("plan.docx", ooxml("word/document.xml"), svc.DOCX),
    ("begroting.xlsx", ooxml("xl/workbook.xml"), svc.XLSX),
    ("plan.odt", odf(svc.ODT), svc.ODT),
    ("begroting.ods", odf(svc.ODS), svc.ODS),
]


@pytest.mark.parametrize("name, content, content_type", VALID)
def test_accepted_types_are_stored_with_checksum(agenda, coordinator, name, content, content_type):
    attachment = svc.attachment_add(
        agenda=agenda, actor=coordinator, uploaded_file=SimpleUploadedFile(name, content), description="Bijlage"
    )
    assert attachment.content_type == content_type
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.size == len(content) and attachment.scan_status == Attachment.ScanStatus.NOT_SCANNED
    assert attachment.file.read() == content


@pytest.mark.parametrize(
    "name, content, fragment",
    [
        ("plan.pdf", b"Dit is gewone tekst, geen PDF", "geen PDF-"),
        ("plan.exe", b"MZ\x90\x00" + b"\x00" * 100, "geen PDF-"),
        ("plan.pdf", ooxml("word/document.xml"), "past niet bij de inhoud"),
        ("plan.docx", PDF_BYTES, "past niet bij de inhoud"),
        ("archief.zip", ooxml("random.txt"), "geen PDF-"),
        ("macro.docx", ooxml("word/document.xml", {"word/vbaProject.bin": "x"}), "macro"),
        ("leeg.pdf", b"", "leeg"),
    ],
)
def test_refused_by_content(agenda, coordinator, name, content, fragment):
    with pytest.raises(ValidationError) as excinfo:
        svc.attachment_add(agenda=agenda, actor=coordinator, uploaded_file=SimpleUploadedFile(name, content))
    assert fragment in excinfo.value.message_dict["file"][0]
    assert not Attachment.objects.exists()


def test_larger_than_20_mb_refused(agenda, coordinator):
    big = SimpleUploadedFile("groot.pdf", PDF_BYTES + b"0" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError) as excinfo:
        svc.attachment_add(agenda=agenda, actor=coordinator, uploaded_file=big)
    assert "20 MB" in excinfo.value.message_dict["file"][0]


def test_same_file_twice_refused(agenda, coordinator):
    svc.attachment_add(agenda=agenda, actor=coordinator, uploaded_file=SimpleUploadedFile("a.pdf", PDF_BYTES))
    with pytest.raises(ValidationError) as excinfo:
        svc.attachment_add(agenda=agenda, actor=coordinator, uploaded_file=SimpleUploadedFile("b.pdf", PDF_BYTES))
    assert "al bijgevoegd als ‘a.pdf’" in excinfo.value.message_dict["file"][0]


def infected_scanner(attachment):
    return Attachment.ScanStatus.INFECTED


def clean_scanner(attachment):
    assert attachment.file.read(5) == b"%PDF-"
    return Attachment.ScanStatus.CLEAN


def test_scan_hook_clean_and_infected(agenda, coordinator, settings):
    settings.ATTACHMENT_SCANNER = "tests.agendas.test_drafting_attachments.clean_scanner"
    ok = svc.attachment_add(agenda=agenda, actor=coordinator, uploaded_file=SimpleUploadedFile("a.pdf", PDF_BYTES))
    assert ok.scan_status == Attachment.ScanStatus.CLEAN
    settings.ATTACHMENT_SCANNER = "tests.agendas.test_drafting_attachments.infected_scanner"
    with pytest.raises(ValidationError) as excinfo:
        svc.attachment_add(
            agenda=agenda, actor=coordinator, uploaded_file=SimpleUploadedFile("b.pdf", PDF_BYTES + b"virus")
        )
    assert "virus" in excinfo.value.message_dict["file"][0]
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize("who", ["partner", "other_coordinator", "ministry_officer"])
def test_upload_refused_for_non_coordinators(agenda, people, who):
    with pytest.raises(PermissionDenied):
        svc.attachment_add(agenda=agenda, actor=people[who], uploaded_file=SimpleUploadedFile("a.pdf", PDF_BYTES))


def test_upload_page_and_download_permissions(client, agenda, people):
    client.force_login(people["coordinator"])
    response = client.post(
        reverse("agendas:attachment_upload", args=[agenda.pk]),
        {"file": SimpleUploadedFile("plan.pdf", PDF_BYTES), "description": "Plan"},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    download = reverse("agendas:attachment_download", args=[agenda.pk, attachment.pk])
    expected = {
        "coordinator": 200,
        "partner": 200,
        "other_coordinator": 404,
        "other_partner": 404,
        "ministry_officer": 404,
        "state_representative": 404,
        "reviewer": 404,
    }
    for who, status in expected.items():
        client.force_login(people[who])
        response = client.get(download)
        assert response.status_code == status, who
        if status == 200:
            assert response["Content-Disposition"].startswith('attachment; filename="plan.pdf"')
            assert response["X-Checksum-SHA256"] == Attachment.objects.get(original_name="plan.pdf").sha256
            assert response["Content-Type"] == "application/pdf"
            assert b"".join(response.streaming_content) == PDF_BYTES
    Agenda.objects.filter(pk=agenda.pk).update(shared_with_ministry=True)
    client.force_login(people["ministry_officer"])
    assert client.get(download).status_code == 200
    client.logout()
    assert client.get(download).status_code == 302


def test_upload_page_shows_content_error(client, agenda, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("agendas:attachment_upload", args=[agenda.pk]), {"file": SimpleUploadedFile("x.pdf", b"hello")}
    )
    assert response.status_code == 200 and "aan de inhoud herkend" in response.content.decode()


def test_delete_attachment(client, agenda, coordinator, django_capture_on_commit_callbacks):
    attachment = svc.attachment_add(
        agenda=agenda, actor=coordinator, uploaded_file=SimpleUploadedFile("a.pdf", PDF_BYTES)
    )
    storage, name = attachment.file.storage, attachment.file.name
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agendas:attachment_delete", args=[agenda.pk, attachment.pk]))
    assert response.status_code == 302 and not Attachment.objects.exists() and not storage.exists(name)
