"""The deadlines in a user's calendar: exactly the dated tasks of "Mijn taken" (reviews, advice, decisions to
prepare or sign, progress reports to hand in, change requests to decide). Dates come from agendas/clocks.py
only. A fixed number of queries, whatever the rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from accounts.models import User
from agendas.inbox.selectors import inbox_items
from agendas.models import ChangeRequest, ChangeRequestParticipant

CR = ChangeRequest.Status
P = ChangeRequestParticipant.Role


@dataclass(frozen=True)
class Deadline:
    uid: str  # stable: the same task keeps its id when its date moves, so calendars update
    kind: str
    summary: str
    due: datetime.date
    path: str


def deadlines(user: User) -> list[Deadline]:
    """All of the user's dated tasks from "Mijn taken" (the one inbox: ``agendas.inbox.selectors``), earliest
    first. The uid is the task's own stable id, so a moved date updates the calendar event."""
    if not user.is_authenticated or not user.is_active:
        return []
    items = [
        Deadline(
            f"kansenagenda-{item.uid}-u{user.pk}@kansenagenda",
            item.kind,
            f"{item.label}: {item.agenda_title}",
            item.due_date,
            item.url,
        )
        for item in inbox_items(user)
        if item.due_date
    ]
    return sorted(items, key=lambda d: (d.due, d.uid))
