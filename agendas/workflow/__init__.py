"""The workflow engine (engine.py) and one transition table per state machine: agenda.py,
progress_report.py, change_request.py, destruction_list.py; shared guards in guards.py, role predicates in roles.py.

Re-exports what callers import from ``agendas.workflow`` (the agenda table's names, as before the split).
"""

from agendas.workflow.agenda import (  # noqa: F401
    ACTIONS,
    AGENDA,
    DECISION_TERM_MONTHS_DEFAULT,
    INDEPENDENCE_YEARS,
    REMINDER_DAYS_BEFORE,
    REVIEW_DUE_DAYS_DEFAULT,
    SIGN_ACTIONS,
    add_months,
    available_actions,
    check,
    decision_due_date,
    decision_term_months,
    reachable_statuses,
    refusal,
    review_due_days,
    reviewer_conflicts,
    years_ago,
)
from agendas.workflow.agenda_guards import _short, review_missing_fields, review_missing_items  # noqa: F401
from agendas.workflow.change_request import CHANGE_REQUEST  # noqa: F401
from agendas.workflow.destruction_list import DESTRUCTION_LIST  # noqa: F401
from agendas.workflow.engine import PERMISSION, Action, AvailableAction, Context, Guard, Machine  # noqa: F401
from agendas.workflow.guards import FOUR_EYES, SECOND_FACTOR, SEPARATION_OF_DUTIES  # noqa: F401
from agendas.workflow.progress_report import PROGRESS_REPORT  # noqa: F401

MACHINES = {m.name: m for m in (AGENDA, PROGRESS_REPORT, CHANGE_REQUEST, DESTRUCTION_LIST)}
