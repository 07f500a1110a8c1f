"""THE inbox: every task that waits for a user, most urgent first (overdue, then by due date, then title).

Each part runs a fixed number of queries, whatever the number of agendas, reports or requests; the
navigation asks :func:`inbox_count` once per request (cached on the request's user).
"""

from __future__ import annotations

import datetime

from accounts.models import User
from agendas.decision.selectors import decision_inbox_items
from agendas.inbox.comments import comment_items
from agendas.inbox.items import InboxItem
from agendas.inbox.monitoring import change_request_items, report_items

PARTS = (decision_inbox_items, report_items, change_request_items, comment_items)


def inbox_items(user: User) -> list[InboxItem]:
    """What waits for ``user``, overdue first, then by due date (none last), then by agenda title."""
    if not user or not user.is_authenticated:
        return []
    cached = getattr(user, "_inbox_items", None)
    if cached is not None:
        return cached
    items: list[InboxItem] = []
    for part in PARTS:
        items += part(user)
    far = datetime.date.max
    items.sort(key=lambda i: (not i.overdue, i.due_date or far, i.agenda_title, i.label))
    user._inbox_items = items
    return items


def inbox_counts(user: User) -> dict[str, int]:
    """For the navigation: how many tasks wait and how many of them are overdue."""
    items = inbox_items(user)
    return {"total": len(items), "overdue": sum(1 for i in items if i.overdue)}
