"""Comments on an agenda section or priority: add (with replies), edit and delete by the author."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from agendas.drafting.services import _authorise, _collect, _raise
from agendas.models import (
    Agenda,
    Comment,
    Priority,
)
from agendas.permissions import agenda_policy
from kansenagenda.locking import UNTRACKED_FIELDS, changes_since, check_lock, display_value, history_base  # noqa: F401 (re-exported for selectors)

# Sections of an agenda that can be commented on. "priority" needs the priority it is about.
COMMENT_SECTIONS = {
    "general": gettext_lazy("Algemeen"),
    "vision": gettext_lazy("Visie en ambitie"),
    "analysis": gettext_lazy("Analyse van opgaven en kansen"),
    "baseline": gettext_lazy("Brede-welvaartsnulmeting"),
    "priority": gettext_lazy("Prioriteit"),
    "partners": gettext_lazy("Partners"),
    "budget": gettext_lazy("Begroting"),
    "milestones": gettext_lazy("Mijlpalen"),
    "attachments": gettext_lazy("Bijlagen"),
}


def _validate_comment(
    agenda: Agenda, section: str, priority: Priority | None, parent: Comment | None, body: str
) -> dict[str, list]:
    errors: dict[str, list] = {}
    if section not in COMMENT_SECTIONS:
        _collect(errors, "section", _("Kies het onderdeel van de agenda waarop u reageert."))
    if section == "priority" and priority is None:
        _collect(errors, "priority", _("Kies de prioriteit waarop u reageert."))
    if priority is not None and priority.agenda_id != agenda.pk:
        _collect(errors, "priority", _("Deze prioriteit hoort niet bij deze agenda."))
    if parent is not None and parent.agenda_id != agenda.pk:
        _collect(errors, "parent", _("U kunt alleen reageren op een reactie bij dezelfde agenda."))
    text = (body or "").strip()
    if not text:
        _collect(errors, "body", _("Schrijf uw reactie; een lege reactie kan niet worden geplaatst."))
    elif len(text) > 5000:
        _collect(
            errors,
            "body",
            _("Uw reactie is %(n)s tekens; het maximum is 5000. Maak haar korter.") % {"n": len(text)},
        )
    return errors


@transaction.atomic
def comment_add(
    *,
    agenda: Agenda,
    actor: User,
    section: str,
    body: str,
    priority: Priority | None = None,
    parent: Comment | None = None,
) -> Comment:
    """A comment by an alliance member on a section; a reply joins the thread of the comment it answers."""
    _authorise(actor, agenda_policy.COMMENT, agenda)
    if parent is not None:
        # One level of threading: a reply to a reply joins the same thread, on the same section.
        parent = parent.parent or parent
        section, priority = parent.section, parent.priority
    errors = _validate_comment(agenda, section, priority, parent, body)
    _raise(errors)
    comment = Comment(
        agenda=agenda,
        section=section,
        priority=priority if section == "priority" else None,
        parent=parent,
        author=actor,
        body=body.strip(),
    )
    comment._history_user = actor
    comment.save()
    return comment


def _authorise_comment_change(actor: User, comment: Comment) -> None:
    if not agenda_policy.can_change_comment(actor, comment):
        raise PermissionDenied(_("Alleen de schrijver van een reactie kan haar wijzigen of verwijderen."))


@transaction.atomic
def comment_update(*, comment: Comment, actor: User, body: str) -> Comment:
    _authorise_comment_change(actor, comment)
    errors = _validate_comment(comment.agenda, comment.section, comment.priority, comment.parent, body)
    _raise(errors)
    comment.body = body.strip()
    comment._history_user = actor
    comment.save(update_fields=["body"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor: User) -> None:
    _authorise_comment_change(actor, comment)
    comment._history_user = actor
    comment.delete()
