"""'Mijn taken' for comments: a comment by someone else on a draft the user coordinates that nobody has
answered yet (a thread without replies). One query."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from agendas.inbox.items import InboxItem
from agendas.models import Agenda, Comment
from agendas.workflow.roles import coordinated_alliance_ids


def unanswered_comments(user: User):
    coordinated = coordinated_alliance_ids(user) if user.has_role(roles.COORDINATOR) else set()
    if not coordinated:
        return Comment.objects.none()
    replied = Comment.objects.filter(parent=OuterRef("pk"))
    return (
        Comment.objects.filter(
            agenda__alliance_id__in=coordinated, agenda__status__in=list(Agenda.EDITABLE_STATUSES), parent__isnull=True
        )
        .exclude(author=user)
        .exclude(Exists(replied))
        .select_related("agenda", "author")
        .order_by("created_at", "pk")
    )


def comment_items(user: User) -> list[InboxItem]:
    items = []
    for comment in unanswered_comments(user):
        url = reverse("agendas:agenda_detail", args=[comment.agenda_id]) + f"#comment-{comment.pk}"
        label = _("Reactie van %(name)s beantwoorden") % {"name": comment.author}
        items.append(InboxItem("comment", label, comment.agenda_id, comment.agenda.title, url))
    return items
