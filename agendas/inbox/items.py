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
    ref: int | None = None  # the report or change request the task is about (None: the agenda itself)

    @property
    def uid(self) -> str:
        """A stable id of the task (calendar feeds update the event rather than duplicate it)."""
        family = self.kind.split("_")[0]
        return f"{family}-{self.ref if self.ref is not None else self.agenda_id}-{self.kind}"

    @property
    def overdue(self) -> bool:
        return clocks.is_overdue(self.due_date)

    @property
    def due_soon(self) -> bool:
        return clocks.is_due_soon(self.due_date)
