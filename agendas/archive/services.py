"""Archiefwet rules (one home): classification per dossier, the archiefactiedatum, the destruction list
through the workflow engine (four eyes), and destruction that leaves a record.

* Every agenda dossier gets the category that is the default for its outcome when it closes, is rejected
  or withdrawn (``agenda_status_changed``, called by the workflow engine); the ministry can assign another
  category at any time (``classification_assign``). Reopening (resubmitting a withdrawn agenda) clears the
  date again.
* ``archiefactiedatum`` = closing date + the category's bewaartermijn (``agendas.clocks.archive_action_date``).
* An administrator draws up a destruction list of dossiers whose date has passed and whose nominatie is
  "vernietigen"; a second person approves it (``DESTRUCTION_LIST``: four eyes, second factor); approving
  destroys the dossiers at once (``agendas/archive/destruction.py``) and leaves a ``DestructionRecord`` each.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.permissions import is_admin, is_ministry
from agendas import clocks
from agendas.archive.models import (
    DestructionList,
    DestructionListItem,
    DestructionRecord,
    DossierClassification,
    SelectionCategory,
)
from agendas.models import Agenda
from agendas.workflow.destruction_list import DESTRUCTION_LIST
from agendas.workflow.engine import status_changed
from kansenagenda.locking import IN_PROCESS, check_lock

S = Agenda.Status
logger = logging.getLogger(__name__)
FINAL_OUTCOMES = {S.CLOSED: "closed", S.REJECTED: "rejected", S.WITHDRAWN: "withdrawn"}


# --- classification -----------------------------------------------------------------------------------
def default_category(outcome: str) -> SelectionCategory | None:
    return SelectionCategory.objects.filter(default_for_outcome=outcome, active=True).first()


def _set_dates(classification: DossierClassification, closed_on: datetime.date | None) -> None:
    classification.closed_on = closed_on
    classification.action_date = (
        clocks.archive_action_date(closed_on, classification.category.retention_years) if closed_on else None
    )


@receiver(status_changed, sender="agenda", dispatch_uid="archive-agenda-status")
def _on_agenda_status_changed(sender, case, from_status: str, to_status: str, **kwargs) -> None:
    agenda_status_changed(case, from_status, to_status)


def agenda_status_changed(agenda: Agenda, from_status: str, to_status: str) -> None:
    """On every agenda status change (the workflow engine's ``status_changed``, inside its transaction): closing,
    rejecting or withdrawing starts the archive clock; reopening stops it."""
    classification = DossierClassification.objects.filter(agenda=agenda).select_related("category").first()
    if to_status in FINAL_OUTCOMES:
        default = default_category(FINAL_OUTCOMES[to_status])
        if classification is None:
            if default is None:  # no default configured: the ministry classifies by hand (overview page)
                logger.warning("archive: no default selectielijst category for %s", to_status)
                return
            classification = DossierClassification(agenda=agenda, category=default)
        elif classification.assigned_by_id is None and default is not None:  # still the default: follow it
            classification.category = default
        _set_dates(classification, timezone.localdate())
        classification.save()
    elif classification is not None and from_status in FINAL_OUTCOMES and classification.destroyed_at is None:
        _set_dates(classification, None)  # reopened: no archive action while the dossier is open again
        classification.save()


def can_classify(user: User) -> bool:
    return user.is_authenticated and (is_ministry(user) or is_admin(user))


@transaction.atomic
def classification_assign(*, agenda: Agenda, category: SelectionCategory, actor: User) -> DossierClassification:
    """The ministry assigns a selectielijst category to a dossier (before or after it closes)."""
    if not can_classify(actor):
        raise PermissionDenied(_("Alleen het ministerie wijst een selectielijstcategorie toe."))
    if not category.active:
        raise ValidationError({"category": _("Deze categorie is niet meer in gebruik.")})
    agenda = Agenda.objects.select_for_update().get(pk=agenda.pk)
    classification = DossierClassification.objects.filter(agenda=agenda).first()
    if classification is not None and classification.destroyed_at:
        raise ValidationError(_("Dit dossier is vernietigd."))
    classification = classification or DossierClassification(agenda=agenda)
    classification.category = category
    classification.assigned_by = actor
    _set_dates(classification, classification.closed_on)
    classification.save()
    return classification


def due_for_destruction(on: datetime.date | None = None):
    """Dossiers whose archiefactiedatum has passed, nominatie "vernietigen", not destroyed, on no open list."""
    open_lists = [DestructionList.Status.SUBMITTED, DestructionList.Status.APPROVED]
    return (
        DossierClassification.objects.filter(
            action_date__lte=on or clocks.today(),
            category__nomination=SelectionCategory.Nomination.DESTROY,
            destroyed_at__isnull=True,
        )
        .exclude(
            pk__in=DestructionListItem.objects.filter(destruction_list__status__in=open_lists).values("classification")
        )
        .select_related("agenda__alliance__region", "category")
        .order_by("action_date", "pk")
    )


def due_for_transfer(on: datetime.date | None = None):
    """Dossiers marked "bewaren" whose date for transfer to the national archive has come."""
    return DossierClassification.objects.filter(
        action_date__lte=on or clocks.today(),
        category__nomination=SelectionCategory.Nomination.KEEP,
        transferred_at__isnull=True,
    ).select_related("agenda__alliance__region", "category")


# --- destruction list -----------------------------------------------------------------------------------
@transaction.atomic
def destruction_list_draw_up(*, actor: User, remarks: str = "") -> DestructionList:
    """Creation is the table's first row (like a change request's "submit"): who, then one transition record."""
    step = DESTRUCTION_LIST.actions["draw_up"]
    if not step.who(actor, None):
        raise PermissionDenied(str(step.who_refusal))
    due = list(due_for_destruction().select_for_update(of=("self",)))
    if not due:
        raise ValidationError(_("Er zijn geen dossiers waarvan de archiefactiedatum voorbij is."))
    destruction_list = DestructionList.objects.create(drawn_up_by=actor, remarks=remarks.strip(), status=step.target)
    bulk_create_with_history(
        [DestructionListItem(destruction_list=destruction_list, classification=c) for c in due],
        DestructionListItem,
        default_user=actor,
    )
    DESTRUCTION_LIST.record_model.objects.create(
        destruction_list=destruction_list, action=step.name, from_status="", to_status=step.target, actor=actor
    )
    return destruction_list


def _locked(destruction_list: DestructionList, lock_version) -> DestructionList:
    """The one order (as ``Machine.take``): row lock, then the optimistic lock — required from every door (a page
    that sends none gets the lock's 400); in-process callers (commands, tasks) pass ``IN_PROCESS``."""
    locked = DESTRUCTION_LIST.lock(destruction_list)
    check_lock(locked, lock_version, bump=False, changes=lambda obj, based_on: {})
    return locked


@transaction.atomic
def destruction_list_approve(
    *, destruction_list: DestructionList, actor: User, second_factor_verified: bool = False, lock_version=IN_PROCESS
) -> list[DestructionRecord]:
    """The second person approves: the dossiers are destroyed now; one record per dossier remains."""
    from agendas.archive.destruction import destroy_dossier

    locked = _locked(destruction_list, lock_version)
    action = DESTRUCTION_LIST.check(
        "approve_destruction", actor=actor, case=locked, second_factor_verified=second_factor_verified
    )
    locked.approved_by, locked.approved_at = actor, timezone.now()
    DESTRUCTION_LIST.apply(action, case=locked, actor=actor)
    records = []
    for item in locked.items.select_related("classification__agenda__alliance__region", "classification__category"):
        records.append(destroy_dossier(item.classification, destruction_list=locked))
    DESTRUCTION_LIST.apply(DESTRUCTION_LIST.actions["destroy"], case=locked, actor=actor)
    return records


@transaction.atomic
def destruction_list_reject(
    *, destruction_list: DestructionList, actor: User, comment: str, lock_version=IN_PROCESS
) -> DestructionList:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Geef aan waarom u de lijst afwijst.")})
    locked = _locked(destruction_list, lock_version)
    action = DESTRUCTION_LIST.check("reject_destruction", actor=actor, case=locked)
    DESTRUCTION_LIST.apply(action, case=locked, actor=actor, comment=comment)
    return locked
