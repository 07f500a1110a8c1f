"""THE transition table of a yearly progress report (machinery: agendas/workflow/engine.py).

open/returned → submitted (coordinator) → accepted | returned (state representative of the region, never
the person who submitted it nor a coordinator of the alliance: separation of duties) ; accepted → returned
(the ministry reopens, with a reason).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from agendas.models import ProgressReport, ProgressReportTransition
from agendas.workflow import roles as who
from agendas.workflow.engine import Action, Machine
from agendas.workflow.guards import SEPARATION_OF_DUTIES

R = ProgressReport.Status

ACTIONS = [
    Action(
        name="submit",
        label=gettext_lazy("Rapportage indienen"),
        sources=frozenset(ProgressReport.EDITABLE_STATUSES),  # one definition of "still being written"
        target=R.SUBMITTED,
        who=who.is_coordinator,
        who_refusal=gettext_lazy(
            "Alleen de coördinator van deze alliantie kan de voortgangsrapportage invullen en indienen."
        ),
        notify=("state_representatives",),
        button=True,
    ),
    Action(
        name="accept",
        label=gettext_lazy("Rapportage accepteren"),
        sources=frozenset({R.SUBMITTED}),
        target=R.ACCEPTED,
        who=who.is_state_representative,
        who_refusal=gettext_lazy(
            "Alleen de rijksvertegenwoordiger van deze regio kan de rapportage accepteren of terugsturen."
        ),
        guards=(SEPARATION_OF_DUTIES,),
        notify=("coordinators",),
        button=True,
    ),
    Action(
        name="return",
        label=gettext_lazy("Rapportage terugsturen"),
        sources=frozenset({R.SUBMITTED}),
        target=R.RETURNED,
        who=who.is_state_representative,
        who_refusal=gettext_lazy(
            "Alleen de rijksvertegenwoordiger van deze regio kan de rapportage accepteren of terugsturen."
        ),
        guards=(SEPARATION_OF_DUTIES,),
        notify=("coordinators",),
        button=True,
        needs_comment=True,
    ),
    Action(
        name="reopen",
        label=gettext_lazy("Rapportage heropenen"),
        sources=frozenset({R.ACCEPTED}),
        target=R.RETURNED,
        who=who.is_ministry_user,
        who_refusal=gettext_lazy("Alleen het ministerie kan een geaccepteerde rapportage heropenen."),
        notify=("coordinators", "state_representatives"),
        button=True,
        needs_comment=True,
    ),
]

PROGRESS_REPORT = Machine(
    name="progress_report",
    actions=ACTIONS,
    status_choices=R.choices,
    record_model=lambda: ProgressReportTransition,
    record_fk="report",
    noun=gettext_lazy("de rapportage"),
    case_model=lambda: ProgressReport,
    lock_related=("agenda__alliance",),
    role_and_state_as_permission_denied=True,
)
