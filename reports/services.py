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


def _queue_render(document_id: int) -> None:
    from reports.tasks import render_document

    render_document.delay(document_id)


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

    Idempotent: a ready document is left alone. The file is written only after a complete render,
    and the record becomes ready in the same transaction; a failure leaves no file behind.
    """
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status != Status.PENDING:
            return document.status if document else Status.FAILED
        document.attempts += 1
        document.save(update_fields=["attempts"])
        kind, data = document.kind, document.source_data
    try:
        rendered = documents.render_pdf(kind, data)
    except Exception as exc:  # noqa: BLE001 – any render error is retried, then recorded for people
        logger.warning("Rendering document %s failed: %s", document_id, exc, exc_info=True)
        if final:
            return _record_failure(document_id=document_id, error=exc)
        return Status.PENDING
    return _store(document_id=document_id, rendered=rendered)


@transaction.atomic
def _store(*, document_id: int, rendered: documents.RenderedPdf) -> str:
    document = GeneratedDocument.objects.select_for_update().get(pk=document_id)
    if document.status != Status.PENDING:
        return document.status
    document.sha256 = hashlib.sha256(rendered.content).hexdigest()
    document.size = len(rendered.content)
    document.page_count = rendered.page_count
    document.render_seconds = Decimal(f"{rendered.seconds:.3f}")
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
