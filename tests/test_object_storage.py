"""Attachments and generated documents in an S3-compatible bucket (moto's server mode, a real HTTP S3
endpoint): upload, streamed download through the permission views with the checksum verified, rendering
into the bucket, deletion, refusal, and nothing written to local disk."""

import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import roles
from agendas.drafting import attachments as svc
from agendas.models import Agenda, Attachment
from kansenagenda.files import ChecksumMismatch
from reports.models import GeneratedDocument
from tests.factories import AgendaFactory, AllianceFactory, UserFactory, make_coordinator, make_partner
from tests.factories_reports import build_agenda, make_decision

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n" + b"%" * 200_000


@pytest.fixture
def agenda(alliance):
    return AgendaFactory(alliance=alliance)


def _upload(client, agenda, coordinator, name="plan.pdf", content=PDF_BYTES):
    client.force_login(coordinator)
    response = client.post(
        reverse("agendas:attachment_upload", args=[agenda.pk]),
        {"file": SimpleUploadedFile(name, content), "description": "Plan"},
    )
    assert response.status_code == 302, response.content[:500]
    return Attachment.objects.get(original_name=name)


def test_upload_lands_in_the_bucket_and_downloads_streamed_and_verified(
    client, s3_bucket, moto_s3, agenda, coordinator, settings
):
    attachment = _upload(client, agenda, coordinator)
    assert moto_s3.keys(s3_bucket) == [attachment.file.name]
    assert not (settings.MEDIA_ROOT).exists()  # nothing on local disk
    response = client.get(reverse("agendas:attachment_download", args=[agenda.pk, attachment.pk]))
    assert response.status_code == 200 and response.streaming
    assert int(response["Content-Length"]) == len(PDF_BYTES)
    chunks = list(response.streaming_content)
    assert len(chunks) > 1  # streamed in chunks, not loaded whole
    assert b"".join(chunks) == PDF_BYTES
    assert response["X-Checksum-SHA256"] == hashlib.sha256(PDF_BYTES).hexdigest() == attachment.sha256


def test_api_download_from_the_bucket(client, s3_bucket, agenda, coordinator):
    from rest_framework.test import APIClient

    attachment = _upload(client, agenda, coordinator)
    api = APIClient()
    api.force_authenticate(coordinator)
    response = api.get(reverse("attachment-download", args=[attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    other = APIClient()
    other.force_authenticate(make_coordinator(AllianceFactory()))
    assert other.get(reverse("attachment-download", args=[attachment.pk])).status_code == 404


def test_other_alliance_is_refused_and_no_bytes_leave(client, s3_bucket, agenda, coordinator):
    attachment = _upload(client, agenda, coordinator)
    url = reverse("agendas:attachment_download", args=[agenda.pk, attachment.pk])
    client.force_login(make_coordinator(AllianceFactory()))
    response = client.get(url)
    assert response.status_code == 404 and not response.streaming
    client.force_login(UserFactory(role=roles.MINISTRY_OFFICER))  # not shared with the ministry
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_partner(agenda.alliance))
    assert client.get(url).status_code == 200


def test_a_damaged_object_is_never_delivered_whole(client, s3_bucket, moto_s3, agenda, coordinator):
    attachment = _upload(client, agenda, coordinator)
    damaged = PDF_BYTES[:-10] + b"0123456789"
    moto_s3.client().put_object(Bucket=s3_bucket, Key=attachment.file.name, Body=damaged)
    response = client.get(reverse("agendas:attachment_download", args=[agenda.pk, attachment.pk]))
    assert response.status_code == 200  # headers go out before the last byte is read
    received = b""
    with pytest.raises(ChecksumMismatch):
        for chunk in response.streaming_content:
            received += chunk
    assert len(received) < len(damaged) == int(response["Content-Length"])  # cut short: the client sees it


def test_missing_object_is_404(client, s3_bucket, moto_s3, agenda, coordinator):
    attachment = _upload(client, agenda, coordinator)
    moto_s3.client().delete_object(Bucket=s3_bucket, Key=attachment.file.name)
    assert client.get(reverse("agendas:attachment_download", args=[agenda.pk, attachment.pk])).status_code == 404


def test_delete_removes_the_object_after_commit(
    client, s3_bucket, moto_s3, agenda, coordinator, django_capture_on_commit_callbacks
):
    attachment = _upload(client, agenda, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agendas:attachment_delete", args=[agenda.pk, attachment.pk]))
    assert response.status_code == 302 and not Attachment.objects.exists()
    assert moto_s3.keys(s3_bucket) == []


def test_same_name_twice_never_overwrites(s3_bucket, moto_s3, agenda, coordinator):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    first = default_storage.save("x/a.pdf", ContentFile(b"one"))
    second = default_storage.save("x/a.pdf", ContentFile(b"two"))
    assert first != second and len(moto_s3.keys(s3_bucket)) == 2
    assert default_storage.open(first).read() == b"one"


def test_document_renders_into_the_bucket_and_downloads(
    client, s3_bucket, moto_s3, django_capture_on_commit_callbacks, settings
):
    agenda = build_agenda(status=Agenda.Status.APPROVED, title="Kansen voor de Kop")
    make_decision(agenda, amounts={2027: Decimal("1000.00")})
    client.force_login(UserFactory(role=roles.MINISTRY_OFFICER))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:agenda_documents", args=[agenda.pk]), {"kind": GeneratedDocument.Kind.DOSSIER})
    document = GeneratedDocument.objects.get()
    assert document.status == GeneratedDocument.Status.READY
    assert moto_s3.keys(s3_bucket) == [document.file.name]
    response = client.get(reverse("reports:document_download", args=[document.pk]))
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == document.sha256
    assert not settings.MEDIA_ROOT.exists()
    # Someone without access to the agenda is refused.
    client.force_login(make_coordinator(AllianceFactory()))
    assert client.get(reverse("reports:document_download", args=[document.pk])).status_code == 404


def test_render_whose_record_fails_leaves_no_object(s3_bucket, moto_s3, monkeypatch):
    from reports import services

    agenda = build_agenda(status=Agenda.Status.APPROVED, title="Kansen")
    make_decision(agenda, amounts={2027: Decimal("1000.00")})
    document = GeneratedDocument.objects.create(
        kind=GeneratedDocument.Kind.DOSSIER,
        agenda=agenda,
        version_number=1,
        source_fingerprint="f" * 64,
        source_data={},
    )
    original_save = GeneratedDocument.save

    def failing_save(self, *args, **kwargs):
        if self.status == GeneratedDocument.Status.READY:
            raise RuntimeError("database went away while recording")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(GeneratedDocument, "save", failing_save)
    rendered = services.documents.RenderedPdf(content=b"%PDF-1.4 whole", page_count=1, seconds=0.1, cpu_seconds=0.1)
    with pytest.raises(RuntimeError):
        services._store(document_id=document.pk, rendered=rendered)
    assert moto_s3.keys(s3_bucket) == []


def test_unreachable_store_refuses_the_upload_with_a_message(client, moto_s3, settings, agenda, coordinator):
    from tests.servers import free_port

    bucket = moto_s3.new_bucket()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": moto_s3.storage_setting(bucket, endpoint=f"http://127.0.0.1:{free_port()}"),
    }
    with pytest.raises(Exception) as excinfo:
        svc.attachment_add(agenda=agenda, actor=coordinator, uploaded_file=SimpleUploadedFile("a.pdf", PDF_BYTES))
    assert "niet worden opgeslagen" in str(excinfo.value)
    assert not Attachment.objects.exists()


def test_orphan_report_lists_the_bucket(s3_bucket, moto_s3, client, agenda, coordinator):
    from reports.services import find_orphaned_files

    attachment = _upload(client, agenda, coordinator)
    moto_s3.client().put_object(Bucket=s3_bucket, Key="attachments/leftover", Body=b"x")
    assert find_orphaned_files() == ["attachments/leftover"]
    assert attachment.file.name not in find_orphaned_files()
