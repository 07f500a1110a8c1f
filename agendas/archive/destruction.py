"""Destroying one agenda dossier (Archiefwet): its files and content go, a destruction record remains.

Called only by ``agendas.archive.services.destruction_list_approve`` after the four-eyes approval. What goes:
every file (attachments, generated documents) from the storage, comments, and every text of the agenda and
of everything hanging from it (versions' snapshots, reviews, advice, decision texts, reports, change
requests), together with their history rows (the history would otherwise keep the text). What stays: the
rows themselves with their numbers, statuses, dates and amounts (other records point at them: transitions,
participants, the finance figures), the classification (marked destroyed) and the ``DestructionRecord``.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from agendas.archive.models import DestructionList, DestructionRecord, DossierClassification
from agendas.models import (
    Advice,
    Agenda,
    AgendaPartner,
    AgendaVersion,
    Attachment,
    ChangeRequest,
    ChangeRequestTransition,
    Comment,
    Decision,
    Milestone,
    MilestoneProgress,
    Priority,
    PriorityNarrative,
    ProgressReport,
    ProgressReportComment,
    ProgressReportTransition,
    ResponsePoint,
    Review,
    ReviewAssignment,
    ReviewDimensionScore,
    ReviewPriorityRemark,
    Transition,
)

REDACTED = "[vernietigd]"

#: (model, lookup to the agenda, extra CharFields to blank). Every TextField is blanked, every JSONField emptied.
CONTENT = [
    (Agenda, "pk", ("title",)),
    (AgendaPartner, "agenda", ("role",)),
    (Priority, "agenda", ("title",)),
    (Milestone, "priority__agenda", ("title", "indicator_name", "unit")),
    (AgendaVersion, "agenda", ()),
    (Transition, "agenda", ()),
    (ReviewAssignment, "agenda", ()),
    (Review, "assignment__agenda", ()),
    (ReviewDimensionScore, "review__assignment__agenda", ()),
    (ReviewPriorityRemark, "review__assignment__agenda", ()),
    (ResponsePoint, "review__assignment__agenda", ()),
    (Advice, "agenda", ()),
    (Decision, "agenda", ("addressed_to", "sender")),
    (ProgressReport, "agenda", ()),
    (ProgressReportTransition, "report__agenda", ()),
    (MilestoneProgress, "report__agenda", ()),
    (PriorityNarrative, "report__agenda", ()),
    (ProgressReportComment, "report__agenda", ()),
    (ChangeRequest, "agenda", ()),
    (ChangeRequestTransition, "change_request__agenda", ()),
]
DELETED = [(Comment, "agenda"), (Attachment, "agenda")]


def _history_model(model):
    history = getattr(model, "history", None)
    return getattr(history, "model", None)


def _blank(model, lookup: str, chars: tuple[str, ...], agenda: Agenda) -> None:
    queryset = model._default_manager.filter(**{lookup: agenda.pk})
    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return
    values = {}
    for field in model._meta.concrete_fields:
        if isinstance(field, models.JSONField):
            values[field.name] = {}
        elif isinstance(field, models.TextField) or field.name in chars:
            values[field.name] = REDACTED[: field.max_length] if (field.max_length or 99) >= len(REDACTED) else ""
    model._default_manager.filter(pk__in=ids).update(**values)  # update(): no new history row with content
    historical = _history_model(model)
    if historical is not None:
        historical._default_manager.filter(id__in=ids).delete()


def _delete_files(agenda: Agenda) -> int:
    count = 0
    for attachment in Attachment.objects.filter(agenda=agenda):
        if attachment.file:
            attachment.file.storage.delete(attachment.file.name)
            count += 1
    for document in agenda.generated_documents.all():  # reports.GeneratedDocument (no import back into reports)
        if document.file:
            document.file.storage.delete(document.file.name)
            count += 1
        document.delete()
    return count


def destroy_dossier(classification: DossierClassification, *, destruction_list: DestructionList) -> DestructionRecord:
    agenda = classification.agenda
    record = DestructionRecord(
        agenda_id_destroyed=agenda.pk,
        title=agenda.title,
        region=agenda.alliance.region.name,
        category_code=classification.category.code,
        category_name=classification.category.name,
        selection_list=classification.category.selection_list,
        closed_on=classification.closed_on,
        action_date=classification.action_date,
        destruction_list=destruction_list,
        drawn_up_by_id=destruction_list.drawn_up_by_id,
        approved_by_id=destruction_list.approved_by_id,
        destroyed_at=timezone.now(),
    )
    record.files_destroyed = _delete_files(agenda)
    for model, lookup in DELETED:
        queryset = model._default_manager.filter(**{lookup: agenda.pk})
        ids = list(queryset.values_list("pk", flat=True))
        queryset.delete()
        historical = _history_model(model)
        if historical is not None:
            historical._default_manager.filter(id__in=ids).delete()
    for model, lookup, chars in CONTENT:
        _blank(model, lookup, chars, agenda)
    record.save()
    classification.destroyed_at = record.destroyed_at
    classification.save(update_fields=["destroyed_at"])
    return record
