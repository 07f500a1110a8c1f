"""Uploads that fail while storing (disk full, storage unreachable) leave no file and answer with a message
(issue 11, item 5): a form error on the page, a 400 in the API's error format — never a 500 or a traceback."""

import errno
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from agendas.models import Attachment
from tests.agendas.fixtures_drafting import *  # noqa: F403 (fixtures)
from tests.reports.test_documents_stuck import FullDisk

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 20000 + b"trailer << >>\n%%EOF\n"


@pytest.fixture
def full_disk(monkeypatch):
    import os

    real_fdopen = os.fdopen
    monkeypatch.setattr("kansenagenda.files.os.fdopen", lambda fd, mode="r": FullDisk(real_fdopen(fd, mode), 100_000))


@pytest.fixture
def unreachable_storage(monkeypatch):
    def refuse(self, name, content):
        raise PermissionError(errno.EACCES, "Permission denied", name)

    monkeypatch.setattr("kansenagenda.files.AtomicFileSystemStorage._save", refuse)


def _files(settings):
    media = Path(settings.MEDIA_ROOT)
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.mark.parametrize("fault", ["full_disk", "unreachable_storage"])
def test_page_upload_on_a_failing_disk_is_a_form_error_and_leaves_no_file(
    request, fault, agenda, coordinator, settings
):
    request.getfixturevalue(fault)
    settings.TWO_FACTOR_ENFORCED = False
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    response = client.post(
        reverse("agendas:attachment_upload", args=[agenda.pk]),
        {"file": SimpleUploadedFile("plan.pdf", PDF), "description": "Plan"},
    )
    assert response.status_code == 200  # the form again, with the message
    body = response.content.decode()
    assert "kon niet worden opgeslagen" in body and "Traceback" not in body
    assert Attachment.objects.count() == 0 and _files(settings) == []


@pytest.mark.parametrize("fault", ["full_disk", "unreachable_storage"])
def test_api_upload_on_a_failing_disk_is_a_400_and_leaves_no_file(request, fault, agenda, coordinator, settings):
    request.getfixturevalue(fault)
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(coordinator)
    response = api.post(
        reverse("attachment-list"),
        {"agenda": agenda.pk, "file": SimpleUploadedFile("plan.pdf", PDF), "description": "Plan"},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid" and "kon niet worden opgeslagen" in response.json()["errors"]["file"][0]
    assert Attachment.objects.count() == 0 and _files(settings) == []


def test_upload_works_again_when_the_disk_has_room(agenda, coordinator, settings):
    from agendas.drafting.attachments import attachment_add

    attachment = attachment_add(agenda=agenda, actor=coordinator, uploaded_file=SimpleUploadedFile("plan.pdf", PDF))
    assert attachment.file.read() == PDF and len(_files(settings)) == 1
