"""One row of "Mijn taken": a task, the agenda it is about, where to do it and by when (clocks decide)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from agendas import clocks


@dataclass
class InboxItem:
    kind: str
    label: str
    agenda_id: int
    agenda_title: str
    url: str
    due_date: datetime.date | None = None

    @property
    def overdue(self) -> bool:
        return clocks.is_overdue(self.due_date)

    @property
    def due_soon(self) -> bool:
        return clocks.is_due_soon(self.due_date)
