"""Bulk reviewer assignment: one reviewer to several agendas at once. Each agenda goes through THE single
assignment service (``reviewer_assign``: the table's guards, independence check, notification) in its own
savepoint, so a refusal for one agenda (e.g. a conflict of interest) is listed with its reason and never
undoes the others."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from agendas.decision.services import reviewer_assign
from agendas.models import Agenda
from kansenagenda.errors import TransitionRefused


@dataclass
class BulkOutcome:
    agenda: Agenda
    assigned: bool
    reasons: list[str]


def reviewers_assign_bulk(
    *, agendas: list[Agenda], actor: User, reviewer: User, due_date: datetime.date | None = None
) -> list[BulkOutcome]:
    outcomes = []
    for agenda in agendas:
        try:
            with transaction.atomic():
                reviewer_assign(agenda=agenda, actor=actor, reviewer=reviewer, due_date=due_date)
        except TransitionRefused as exc:
            outcomes.append(BulkOutcome(agenda, False, [str(exc.message), *map(str, exc.reasons)]))
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            outcomes.append(BulkOutcome(agenda, False, messages))
        else:
            outcomes.append(BulkOutcome(agenda, True, []))
    return outcomes
