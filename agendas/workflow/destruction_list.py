"""THE transition table of a destruction list (Archiefwet; machinery: agendas/workflow/engine.py).

(new) → submitted: an administrator draws the list up (dossiers past their archiefactiedatum with
nominatie "vernietigen"); submitted → approved | rejected by a second person – an administrator or a BZK
signatory who did not draw it up (the shared four-eyes guard, also a database constraint); approved →
destroyed by the system right after approval (content and files removed, a destruction record kept).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from accounts import roles
from accounts.permissions import is_admin
from agendas.models import DestructionList, DestructionListTransition
from agendas.workflow.engine import Action, Machine
from agendas.workflow.guards import FOUR_EYES, SECOND_FACTOR

L = DestructionList.Status


def is_administrator(user, case=None, obj=None) -> bool:
    return bool(user and user.is_authenticated) and is_admin(user)


def may_approve(user, case=None, obj=None) -> bool:
    return is_administrator(user) or (bool(user and user.is_authenticated) and user.has_role(roles.MINISTRY_SIGNATORY))


ACTIONS = [
    Action(
        name="draw_up",
        label=gettext_lazy("Vernietigingslijst opstellen"),
        sources=frozenset(),
        target=L.SUBMITTED,
        who=is_administrator,
        who_refusal=gettext_lazy("Alleen een functioneel beheerder stelt een vernietigingslijst op."),
    ),
    Action(
        name="approve_destruction",
        label=gettext_lazy("Vernietigingslijst goedkeuren"),
        sources=frozenset({L.SUBMITTED}),
        target=L.APPROVED,
        who=may_approve,
        who_refusal=gettext_lazy("Alleen een functioneel beheerder of een BZK-ondertekenaar keurt de lijst goed."),
        guards=(FOUR_EYES, SECOND_FACTOR),
        button=True,
    ),
    Action(
        name="reject_destruction",
        label=gettext_lazy("Vernietigingslijst afwijzen"),
        sources=frozenset({L.SUBMITTED}),
        target=L.REJECTED,
        who=may_approve,
        who_refusal=gettext_lazy("Alleen een functioneel beheerder of een BZK-ondertekenaar wijst de lijst af."),
        guards=(FOUR_EYES,),
        button=True,
        needs_comment=True,
    ),
    Action(
        name="destroy",
        label=gettext_lazy("Vernietigen"),
        sources=frozenset({L.APPROVED}),
        target=L.DESTROYED,
        who=lambda user, case, obj=None: False,
        who_refusal=gettext_lazy("Vernietigen gebeurt automatisch na goedkeuring."),
        automatic=True,
    ),
]

DESTRUCTION_LIST = Machine(
    name="destruction_list",
    actions=ACTIONS,
    status_choices=L.choices,
    record_model=lambda: DestructionListTransition,
    record_fk="destruction_list",
    noun=gettext_lazy("de vernietigingslijst"),
    case_model=lambda: DestructionList,
)
