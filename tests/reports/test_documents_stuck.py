"""Nothing stuck (issue 11, item 5): documents are complete or absent, never "wordt gemaakt" forever.

- a render that raises mid-way, and a full disk while storing: no partial file, the document is retried
  and then failed with a reason;
- a pending document left by a lost broker message or a killed worker is re-queued by the beat job after
  10 minutes, up to MAX_ATTEMPTS, then failed with a visible reason and an "Opnieuw maken" button;
- asking again for a failed document makes a new attempt;
- orphaned files in MEDIA_ROOT are reported (management command + beat task), never deleted.
"""

import datetime
import errno
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agendas.models import Agenda
from kansenagenda.files import TEMP_PREFIX
from reports import documents, services, tasks
from reports.models import GeneratedDocument
from tests.factories_reports import build_agenda, make_decision

Kind = GeneratedDocument.Kind
Status = GeneratedDocument.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_agenda(db):
    agenda = build_agenda(status=Agenda.Status.APPROVED, priorities=1, years=2)
    make_decision(agenda, amounts={2027: Decimal("150000.00")})
    return agenda


@pytest.fixture
def fake_pdf(monkeypatch):
    content = b"%PDF-1.7\n" + b"0" * 200_000 + b"\n%%EOF\n"
    monkeypatch.setattr(
        documents,
        "render_pdf",
        lambda kind, data: documents.RenderedPdf(content=content, page_count=1, seconds=0.01, cpu_seconds=0.01),
    )
    return content


def _files(settings) -> list[Path]:
    media = Path(settings.MEDIA_ROOT)
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _request(agenda, actor, capture):
    with capture(execute=True):
        document = services.request_document(kind=Kind.DOSSIER, agenda=agenda, actor=actor)
    document.refresh_from_db()
    return document


class FullDisk(io.RawIOBase):
    """A file handle on a disk that fills up after ``room`` bytes (ENOSPC), as a small tmpfs would."""

    def __init__(self, real, room):
        self.real, self.room = real, room

    def write(self, data):
        if self.room <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        part = bytes(data[: self.room])
        self.real.write(part)
        self.room -= len(part)
        if len(part) < len(data):
            raise OSError(errno.ENOSPC, "No space left on device")
        return len(part)

    def flush(self):
        self.real.flush()

    def fileno(self):
        return self.real.fileno()

    def __exit__(self, *exc):
        self.real.close()


def test_full_disk_while_storing_leaves_no_partial_file_and_a_failed_document(
    approved_agenda, officer, django_capture_on_commit_callbacks, monkeypatch, settings, fake_pdf
):
    import os

    real_fdopen = os.fdopen
    monkeypatch.setattr("kansenagenda.files.os.fdopen", lambda fd, mode="r": FullDisk(real_fdopen(fd, mode), 50_000))
    document = _request(approved_agenda, officer, django_capture_on_commit_callbacks)
    assert document.status == Status.FAILED and document.attempts == services.MAX_ATTEMPTS
    assert "No space left on device" in document.error_message
    assert not document.file and not document.sha256
    assert _files(settings) == []  # neither the final name nor a temporary part is left
    print(f"full disk: 1 document, {document.attempts} attempts, 0 files left, status {document.status}")  # noqa: T201
    # Space again: asking again makes a new attempt, which succeeds.
    monkeypatch.undo()
    monkeypatch.setattr(
        documents,
        "render_pdf",
        lambda kind, data: documents.RenderedPdf(content=fake_pdf, page_count=1, seconds=0.01, cpu_seconds=0.01),
    )
    again = _request(approved_agenda, officer, django_capture_on_commit_callbacks)
    assert again.pk != document.pk and again.status == Status.READY
    assert [p.name for p in _files(settings)] == [Path(again.file.name).name]
    assert again.file.read() == fake_pdf


def test_render_raising_mid_way_leaves_no_file(
    approved_agenda, officer, django_capture_on_commit_callbacks, monkeypatch, settings
):
    def half_then_crash(kind, data):
        raise MemoryError("renderer ran out of memory at page 12")

    monkeypatch.setattr(documents, "render_pdf", half_then_crash)
    document = _request(approved_agenda, officer, django_capture_on_commit_callbacks)
    assert document.status == Status.FAILED and "MemoryError" in document.error_message
    assert _files(settings) == []


def test_plain_storage_would_have_left_a_truncated_file(tmp_path):
    """Why the atomic storage exists: Django's own FileSystemStorage writes into the final name."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    from kansenagenda.files import AtomicFileSystemStorage

    payload = ContentFile(b"x" * 300_000)

    class Exploding(ContentFile):
        def chunks(self, chunk_size=None):
            yield b"x" * 1000
            raise OSError(errno.ENOSPC, "No space left on device")

    plain = FileSystemStorage(location=tmp_path / "plain")
    with pytest.raises(OSError):
        plain.save("a.pdf", Exploding(b""))
    assert [p.stat().st_size for p in (tmp_path / "plain").iterdir()] == [1000]  # truncated file left
    atomic = AtomicFileSystemStorage(location=tmp_path / "atomic")
    with pytest.raises(OSError):
        atomic.save("a.pdf", Exploding(b""))
    assert list((tmp_path / "atomic").iterdir()) == []
    assert atomic.save("a.pdf", payload) == "a.pdf" and atomic.save("a.pdf", payload) != "a.pdf"  # never overwrites


def test_killed_worker_leaves_a_pending_document_that_the_beat_job_requeues(
    approved_agenda, officer, django_capture_on_commit_callbacks, fake_pdf
):
    # A worker took it (attempt 1 recorded) and was SIGKILLed: pending, no file, no task left.
    document = GeneratedDocument.objects.create(
        kind=Kind.DOSSIER, agenda=approved_agenda, source_fingerprint="a" * 64, source_data={}, attempts=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_stale_documents() == {"requeued": 0, "failed": 0}  # not 10 minutes yet
        counts = services.requeue_stale_documents(now=timezone.now() + datetime.timedelta(minutes=11))
    assert counts == {"requeued": 1, "failed": 0}
    document.refresh_from_db()
    assert document.status == Status.READY and document.attempts == 2


def test_stuck_after_all_attempts_is_failed_with_reason_and_offered_again(
    approved_agenda, officer, django_capture_on_commit_callbacks, fake_pdf, settings
):
    settings.TWO_FACTOR_ENFORCED = False
    data = documents.collect(Kind.DOSSIER, approved_agenda)
    stuck = GeneratedDocument.objects.create(
        kind=Kind.DOSSIER,
        agenda=approved_agenda,
        source_fingerprint=documents.fingerprint(Kind.DOSSIER, data),
        source_data=data,
        attempts=services.MAX_ATTEMPTS,
        queued_at=timezone.now() - datetime.timedelta(minutes=30),
    )
    assert tasks.requeue_stale_documents.delay().get() == {"requeued": 0, "failed": 1}
    stuck.refresh_from_db()
    assert stuck.status == Status.FAILED and "bleef na 4 pogingen steken" in stuck.error_message
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("reports:agenda_documents", args=[approved_agenda.pk])).content.decode()
    assert "Opnieuw maken" in page and "bleef na 4 pogingen steken" in page
    status_page = client.get(reverse("reports:document", args=[stuck.pk])).content.decode()
    assert "Opnieuw maken" in status_page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:agenda_documents", args=[approved_agenda.pk]), {"kind": "dossier"})
    assert response.status_code == 302
    fresh = GeneratedDocument.objects.exclude(pk=stuck.pk).get()
    assert fresh.status == Status.READY and response["Location"] == reverse("reports:document", args=[fresh.pk])


def test_asking_again_for_a_stuck_pending_document_makes_a_new_attempt(
    approved_agenda, officer, django_capture_on_commit_callbacks, fake_pdf
):
    data = documents.collect(Kind.DOSSIER, approved_agenda)
    stuck = GeneratedDocument.objects.create(
        kind=Kind.DOSSIER,
        agenda=approved_agenda,
        source_fingerprint=documents.fingerprint(Kind.DOSSIER, data),
        source_data=data,
        queued_at=timezone.now() - datetime.timedelta(minutes=15),
    )
    again = _request(approved_agenda, officer, django_capture_on_commit_callbacks)
    assert again.pk == stuck.pk and again.status == Status.READY


def test_a_fresh_pending_document_is_not_requeued(approved_agenda, officer):
    GeneratedDocument.objects.create(kind=Kind.DOSSIER, agenda=approved_agenda, source_fingerprint="b" * 64)
    assert services.requeue_stale_documents(now=timezone.now() + datetime.timedelta(minutes=9)) == {
        "requeued": 0,
        "failed": 0,
    }


def test_orphaned_files_are_reported_not_deleted(
    approved_agenda, officer, django_capture_on_commit_callbacks, fake_pdf, settings, capsys
):
    ready = _request(approved_agenda, officer, django_capture_on_commit_callbacks)
    media = Path(settings.MEDIA_ROOT)
    stray = media / "documents" / "999" / "dossier" / "left-over.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"%PDF")
    partial = media / "documents" / f"{TEMP_PREFIX}abc123"
    partial.write_bytes(b"%PD")
    expected = sorted(["documents/999/dossier/left-over.pdf", f"documents/{TEMP_PREFIX}abc123"])
    assert services.find_orphaned_files() == expected
    assert tasks.report_orphaned_files.delay().get() == expected
    call_command("find_orphaned_files")
    out = capsys.readouterr()
    assert out.out.split() == expected and "2 orphaned" in out.err
    assert stray.exists() and partial.exists() and Path(ready.file.path).exists()  # nothing deleted


def test_beat_schedule_runs_the_sweeps(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "reports.tasks.requeue_stale_documents",
        "reports.tasks.report_orphaned_files",
        "accounts.tasks.sweep_outbox",
    } <= tasks_scheduled
