"""Milestones of a priority: validation and create / update / delete (through the agenda's drafting lock)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from agendas.drafting.services import (
    MILESTONE_FIELDS,
    _apply,
    _check_lock,
    _clean_fields,
    _collect,
    _raise,
    _year_error,
    lock_agenda_for_drafting,
)
from agendas.models import (
    Agenda,
    Milestone,
    Priority,
)
from agendas.summary.services import refresh_summary
from kansenagenda.locking import UNTRACKED_FIELDS, changes_since, check_lock, display_value, history_base  # noqa: F401 (re-exported for selectors)


def _validate_milestone(milestone: Milestone, agenda: Agenda, errors: dict[str, list]) -> None:
    for name, label in (("baseline_year", _("het jaar van de nulmeting")), ("target_year", _("het streefjaar"))):
        error = _year_error(str(label), getattr(milestone, name))
        if error:
            _collect(errors, name, error)
    if "target_year" not in errors:
        target_year = int(milestone.target_year)
        if not agenda.start_year <= target_year <= agenda.end_year:
            _collect(
                errors,
                "target_year",
                _(
                    "Het streefjaar %(year)s valt buiten de looptijd %(start)s–%(end)s; kies een streefjaar binnen "
                    "de looptijd."
                )
                % {"year": target_year, "start": agenda.start_year, "end": agenda.end_year},
            )
        if "baseline_year" not in errors and int(milestone.baseline_year) > target_year:
            _collect(
                errors,
                "baseline_year",
                _("Het jaar van de nulmeting (%(base)s) ligt na het streefjaar (%(target)s); kies een eerder jaar.")
                % {"base": milestone.baseline_year, "target": target_year},
            )
    if (
        milestone.baseline_value not in (None, "")
        and milestone.target_value not in (None, "")
        and Decimal(str(milestone.baseline_value)) == Decimal(str(milestone.target_value))
    ):
        _collect(
            errors,
            "target_value",
            _("De streefwaarde is gelijk aan de nulmeting; vul de waarde in die u wilt bereiken."),
        )


@transaction.atomic
def milestone_create(*, priority: Priority, actor: User, data: Mapping[str, Any]) -> Milestone:
    agenda = lock_agenda_for_drafting(priority.agenda_id, actor)
    milestone = Milestone(priority=priority)
    _apply(milestone, data, MILESTONE_FIELDS)
    errors: dict[str, list] = {}
    _validate_milestone(milestone, agenda, errors)
    _clean_fields(milestone, errors, exclude=["priority"])
    _raise(errors)
    milestone._history_user = actor
    milestone.save()
    refresh_summary(agenda)
    return milestone


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, actor: User, data: Mapping[str, Any], lock_version: int | None
) -> Milestone:
    agenda = lock_agenda_for_drafting(milestone.priority.agenda_id, actor)
    _check_lock(milestone, lock_version, what=_("Mijlpaal ‘%(title)s’") % {"title": milestone.title})
    _apply(milestone, data, MILESTONE_FIELDS)
    errors: dict[str, list] = {}
    _validate_milestone(milestone, agenda, errors)
    _clean_fields(milestone, errors, exclude=["priority"])
    _raise(errors)
    milestone._history_user = actor
    milestone.save()
    refresh_summary(agenda)
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, actor: User, lock_version: int | None) -> None:
    lock_agenda_for_drafting(milestone.priority.agenda_id, actor)
    _check_lock(milestone, lock_version, what=_("Mijlpaal ‘%(title)s’") % {"title": milestone.title})
    milestone._history_user = actor
    milestone.delete()
    refresh_summary(milestone.priority.agenda_id)
