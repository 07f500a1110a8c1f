"""Every write of the reports app: asking for a document and recording the outcome of its rendering."""

from __future__ import annotations

import hashlib
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from agendas.models import Agenda
from reports import documents
from reports.models import GeneratedDocument

logger = logging.getLogger(__name__)
Kind = GeneratedDocument.Kind
Status = GeneratedDocument.Status

MAX_ATTEMPTS = 4  # first try + 3 retries with back-off
STALE_AFTER = timezone.timedelta(minutes=10)  # a pending document not touched for this long is stuck


def _queue_render(document_id: int) -> None:
    """Queue the rendering; a broker failure is logged, never fails the request: the stale sweep re-queues."""
    from accounts.services import enqueue_task
    from reports.tasks import render_document

    enqueue_task(render_document, document_id)


@transaction.atomic
def request_document(*, kind: str, agenda: Agenda, actor: User | None, year: int | None = None) -> GeneratedDocument:
    """Ask for a document of ``agenda``. Re-uses a pending or ready document made from exactly the same
    data; otherwise records a new one and queues its rendering after commit (never in the request).

    Permissions are the caller's job (``document_policy``); this validates kind and year.
    """
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Onbekend soort document.")})
    if kind in GeneratedDocument.YEARLY_KINDS:
        if year is None:
            raise ValidationError({"year": _("Kies het jaar waarover het document gaat.")})
    else:
        year = None
    data = documents.collect(kind, agenda, year)
    fingerprint = documents.fingerprint(kind, data)
    live = GeneratedDocument.objects.filter(kind=kind, agenda=agenda, source_fingerprint=fingerprint).exclude(
        status=Status.FAILED
    )
    existing = live.first()
    if existing is not None:
        if existing.is_pending and existing.queued_at <= timezone.now() - STALE_AFTER:
            # Asking again for a stuck document makes a new attempt (or fails it when it has had them all).
            requeue_stale_documents(ids=[existing.pk])
            existing.refresh_from_db()
        return existing
    document = GeneratedDocument(
        kind=kind,
        agenda=agenda,
        year=year,
        version_number=documents.document_version(kind, data, agenda),
        source_fingerprint=fingerprint,
        source_data=data,
        requested_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if actor is not None and actor.is_authenticated:
        document._history_user = actor
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        # Someone asked for the same document at the same moment: use theirs.
        return live.get()
    transaction.on_commit(lambda: _queue_render(document.pk))
    return document


def render_attempt(*, document_id: int, final: bool) -> str:
    """One rendering attempt. Returns the resulting status (``pending`` means: try again later).

    Idempotent: a ready document is left alone. The file is stored only after a complete render, through
    the all-or-nothing storage (``kansenagenda.files.AtomicFileSystemStorage``), and the record becomes ready
    in the same transaction. Any failure — in rendering, in storing (disk full), in recording — leaves no
    file behind and is retried, or on the last attempt recorded with a reason people can act on.
    """
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status != Status.PENDING:
            return document.status if document else Status.FAILED
        document.attempts += 1
        document.queued_at = timezone.now()
        document.save(update_fields=["attempts", "queued_at"])
        kind, data = document.kind, document.source_data
    try:
        rendered = documents.render_pdf(kind, data)
        return _store(document_id=document_id, rendered=rendered)
    except Exception as exc:  # noqa: BLE001 – any render or store error is retried, then recorded for people
        logger.warning("Rendering document %s failed: %s", document_id, exc, exc_info=True)
        if final:
            return _record_failure(document_id=document_id, error=exc)
        return Status.PENDING


@transaction.atomic
def _store(*, document_id: int, rendered: documents.RenderedPdf) -> str:
    document = GeneratedDocument.objects.select_for_update().get(pk=document_id)
    if document.status != Status.PENDING:
        return document.status
    document.sha256 = hashlib.sha256(rendered.content).hexdigest()
    document.size = len(rendered.content)
    document.page_count = rendered.page_count
    document.render_seconds = Decimal(f"{rendered.seconds:.3f}")
    # Complete or absent: the storage writes a temporary file and links it into place only when whole.
    document.file.save(document.download_filename(), ContentFile(rendered.content), save=False)
    stored_name = document.file.name
    try:
        document.status = Status.READY
        document.error_message = ""
        document.finished_at = timezone.now()
        document.save()
    except Exception:
        document.file.storage.delete(stored_name)
        raise
    return Status.READY


def requeue_stale_documents(*, now=None, ids: list[int] | None = None) -> dict:
    """The beat job for documents stuck "wordt gemaakt" (broker message lost, worker killed mid-render).

    A pending document not touched for ``STALE_AFTER`` is queued again; one that has had all its
    ``MAX_ATTEMPTS`` is failed with a visible reason (the documents page then offers "Opnieuw maken").
    Each document is handled in its own transaction. Returns the counts.
    """
    now = now or timezone.now()
    stale = GeneratedDocument.objects.filter(status=Status.PENDING, queued_at__lte=now - STALE_AFTER)
    if ids is not None:
        stale = stale.filter(pk__in=ids)
    counts = {"requeued": 0, "failed": 0}
    for pk in list(stale.order_by("pk").values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            document = GeneratedDocument.objects.select_for_update().filter(pk=pk, status=Status.PENDING).first()
            if document is None or document.queued_at > now - STALE_AFTER:
                continue  # picked up meanwhile
            if document.attempts >= MAX_ATTEMPTS:
                document.status = Status.FAILED
                document.finished_at = now
                document.error_message = _(
                    "Het document bleef na %(attempts)s pogingen steken bij het maken. Kies ‘Opnieuw maken’; lukt "
                    "het dan nog niet, neem contact op met de functioneel beheerder en noem deze melding."
                ) % {"attempts": document.attempts}
                document.save(update_fields=["status", "finished_at", "error_message"])
                counts["failed"] += 1
                logger.warning("Document %s failed: stuck after %s attempts", pk, document.attempts)
                continue
            document.queued_at = now
            document.save(update_fields=["queued_at"])
            transaction.on_commit(lambda pk=pk: _queue_render(pk))
            counts["requeued"] += 1
    return counts


def find_orphaned_files() -> list[str]:
    """Stored files (in MEDIA_ROOT or the bucket, ``kansenagenda.storage.list_names``) that no record refers to
    (any FileField of any model), including temporary files left by a killed process. Reported, never
    deleted: a person decides."""
    from django.apps import apps
    from django.db.models import FileField

    from kansenagenda.storage import list_names

    referenced: set[str] = set()
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue  # history rows keep names of files that were deliberately removed
        for field in model._meta.get_fields():
            if isinstance(field, FileField):
                names = model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
                referenced.update(name for name in names.iterator() if name)
    return [name for name in list_names() if name not in referenced]


@transaction.atomic
def _record_failure(*, document_id: int, error: Exception) -> str:
    document = GeneratedDocument.objects.select_for_update().get(pk=document_id)
    if document.status != Status.PENDING:
        return document.status
    document.status = Status.FAILED
    document.finished_at = timezone.now()
    document.error_message = _(
        "Het document kon na %(attempts)s pogingen niet worden gemaakt. Vraag het opnieuw aan; lukt het dan nog "
        "niet, neem contact op met de functioneel beheerder en noem deze melding. (Technische oorzaak: %(cause)s)"
    ) % {"attempts": document.attempts, "cause": f"{type(error).__name__}: {str(error)[:300]}"}
    document.save()
    return Status.FAILED
