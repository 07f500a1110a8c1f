"""THE transition table of an agenda, as data (the machinery is agendas/workflow/engine.py).

Every workflow action is one ``Action`` row: from which statuses (``sources``), to which status
(``target``; ``None`` = the status stays), who may perform it (a role predicate of
agendas/workflow/roles.py), which guards must pass (each with reasons a person can act on; the shared
ones – four eyes, second factor, separation of duties – from agendas/workflow/guards.py) and whom it
notifies (audiences resolved by agendas/notifications.py).

Services (agendas/decision/services.py, agendas/decision/reviews.py) look their action up here and call
``check``; the pages and the API ask ``available_actions`` / ``refusal`` for the buttons they show.
Nothing else decides whether a step is allowed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from accounts.models import User
from agendas.clocks import (  # noqa: F401 (re-exported: the clocks live in agendas.clocks)
    DECISION_TERM_MONTHS_DEFAULT,
    REMINDER_DAYS_BEFORE,
    REVIEW_DUE_DAYS_DEFAULT,
    add_months,
    decision_due_date,
    decision_term_months,
    review_due_days,
)
from agendas.models import Agenda, Transition
from agendas.workflow import roles as who
from agendas.workflow.agenda_guards import (
    AMOUNTS,
    ASSIGNMENT_ACTIVE,
    CHECKLIST,
    DECISION_READY,
    NOT_SENT_BACK,
    POINTS_ANSWERED,
    _advice_open,
    _assignment_awaiting_declaration,
    _decision_matches,
    _decision_not_signed,
    _due_date_in_future,
    _no_reviewers_assigned,
    _period_ended,
    _point_open,
    _review_complete,
    _reviewer_eligible,
    _reviews_and_advice_in,
    _send_back_remarks,
    _start_year_begun,
)
from agendas.workflow.engine import PERMISSION, Action, AvailableAction, Context, Guard, Machine
from agendas.workflow.guards import (  # noqa: F401 - re-exported for callers of agendas.workflow
    FOUR_EYES,
    INDEPENDENCE_YEARS,
    SECOND_FACTOR,
    SEPARATION_OF_DUTIES,
    reviewer_conflicts,
    years_ago,
)
from kansenagenda.errors import TransitionRefused

S = Agenda.Status


_SIGN_NOTIFY = ("alliance", "state_representatives", "preparer", "reviewers")


def _sign_action(name: str, label: str, target: str) -> Action:
    return Action(
        name=name,
        label=label,
        sources=frozenset({S.AWAITING_DECISION}),
        target=target,
        who=who.is_signatory,
        who_refusal=gettext_lazy("Alleen een BZK-ondertekenaar kan het besluit ondertekenen."),
        guards=(
            FOUR_EYES,
            SEPARATION_OF_DUTIES,
            SECOND_FACTOR,
            DECISION_READY,
            NOT_SENT_BACK,
            _decision_matches(name),
            AMOUNTS,
        ),
        notify=_SIGN_NOTIFY,
    )


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action(
            name="submit",
            label=gettext_lazy("Indienen"),
            sources=frozenset({S.DRAFT, S.RETURNED, S.WITHDRAWN}),
            target=S.SUBMITTED,
            who=who.is_coordinator,
            who_refusal=gettext_lazy("Alleen de coördinator van deze alliantie kan de agenda indienen."),
            guards=(CHECKLIST, POINTS_ANSWERED),
            notify=("officers", "state_representatives"),
            button=True,
        ),
        Action(
            name="withdraw",
            label=gettext_lazy("Indiening intrekken"),
            sources=frozenset({S.SUBMITTED}),
            target=S.WITHDRAWN,
            who=who.is_coordinator,
            who_refusal=gettext_lazy("Alleen de coördinator van deze alliantie kan de indiening intrekken."),
            guards=(
                Guard(
                    _no_reviewers_assigned,
                    gettext_lazy("Intrekken kan alleen zolang er geen beoordelaars zijn toegewezen."),
                ),
            ),
            notify=("officers", "state_representatives"),
            button=True,
            needs_comment=True,
        ),
        Action(
            name="assign_reviewer",
            label=gettext_lazy("Beoordelaar toewijzen"),
            sources=frozenset({S.SUBMITTED, S.UNDER_REVIEW}),
            target=S.UNDER_REVIEW,
            who=who.is_officer,
            who_refusal=gettext_lazy("Alleen een BZK-medewerker kan beoordelaars toewijzen."),
            guards=(
                SEPARATION_OF_DUTIES,
                Guard(
                    _reviewer_eligible,
                    gettext_lazy("Deze beoordelaar is niet onafhankelijk van de alliantie of niet beschikbaar."),
                    code="reviewer_not_independent",
                ),
                Guard(_due_date_in_future, gettext_lazy("De uiterste datum is niet geldig.")),
            ),
            notify=("reviewer",),
        ),
        Action(
            name="declare_no_conflict",
            label=gettext_lazy("Verklaren: geen belangenconflict"),
            sources=frozenset({S.UNDER_REVIEW}),
            target=None,
            who=who.is_assigned_reviewer,
            who_refusal=gettext_lazy("Alleen de toegewezen beoordelaar kan deze verklaring afleggen."),
            guards=(Guard(_assignment_awaiting_declaration, gettext_lazy("De verklaring is al afgelegd.")),),
        ),
        Action(
            name="declare_conflict",
            label=gettext_lazy("Belangenconflict melden"),
            sources=frozenset({S.UNDER_REVIEW}),
            target=None,
            who=who.is_assigned_reviewer,
            who_refusal=gettext_lazy("Alleen de toegewezen beoordelaar kan een belangenconflict melden."),
            guards=(Guard(_assignment_awaiting_declaration, gettext_lazy("De verklaring is al afgelegd.")),),
            notify=("assigning_officer",),
        ),
        Action(
            name="save_review",
            label=gettext_lazy("Concept opslaan"),
            sources=frozenset({S.UNDER_REVIEW}),
            target=None,
            who=who.is_assigned_reviewer,
            who_refusal=gettext_lazy("Alleen de toegewezen beoordelaar kan deze beoordeling schrijven."),
            guards=(ASSIGNMENT_ACTIVE,),
        ),
        Action(
            name="submit_review",
            label=gettext_lazy("Beoordeling indienen"),
            sources=frozenset({S.UNDER_REVIEW}),
            target=None,
            who=who.is_assigned_reviewer,
            who_refusal=gettext_lazy("Alleen de toegewezen beoordelaar kan deze beoordeling indienen."),
            guards=(
                ASSIGNMENT_ACTIVE,
                Guard(_review_complete, gettext_lazy("De beoordeling is nog niet compleet."), code="incomplete"),
            ),
            notify=("assigning_officer",),
        ),
        Action(
            name="give_advice",
            label=gettext_lazy("Advies uitbrengen"),
            sources=frozenset({S.SUBMITTED, S.UNDER_REVIEW}),
            target=None,
            who=who.is_state_representative,
            who_refusal=gettext_lazy("Alleen de rijksvertegenwoordiger van deze regio kan advies uitbrengen."),
            guards=(
                SEPARATION_OF_DUTIES,
                Guard(_advice_open, gettext_lazy("Het advies is al uitgebracht.")),
            ),
            notify=("officers",),
        ),
        Action(
            name="complete_review",
            label=gettext_lazy("Beoordeling en advies compleet"),
            sources=frozenset({S.UNDER_REVIEW}),
            target=S.AWAITING_DECISION,
            who=who.nobody,
            who_refusal=gettext_lazy("Deze stap zet het systeem zelf zodra beoordelingen en advies binnen zijn."),
            guards=(Guard(_reviews_and_advice_in, gettext_lazy("Beoordelingen of advies ontbreken nog.")),),
            notify=("officers",),
            automatic=True,
        ),
        Action(
            name="prepare_decision",
            label=gettext_lazy("Besluit voorbereiden"),
            sources=frozenset({S.AWAITING_DECISION}),
            target=None,
            who=who.is_officer,
            who_refusal=gettext_lazy("Alleen een BZK-medewerker kan het besluit voorbereiden."),
            guards=(Guard(_decision_not_signed, gettext_lazy("Het besluit is al ondertekend.")),),
            notify=("signatories",),
        ),
        Action(
            name="send_back_decision",
            label=gettext_lazy("Nota terugsturen naar de opsteller"),
            sources=frozenset({S.AWAITING_DECISION}),
            target=None,  # the agenda keeps waiting for a decision; the nota goes back to the officer
            who=who.is_signatory,
            who_refusal=gettext_lazy("Alleen een BZK-ondertekenaar kan de nota terugsturen."),
            guards=(
                FOUR_EYES,
                DECISION_READY,
                NOT_SENT_BACK,
                Guard(_send_back_remarks, gettext_lazy("Geef uw opmerkingen bij de nota."), code="remarks_required"),
            ),
            notify=("preparer",),
            recorded=True,
        ),
        _sign_action("approve", gettext_lazy("Ondertekenen: goedkeuren"), S.APPROVED),
        _sign_action("return", gettext_lazy("Ondertekenen: terugsturen"), S.RETURNED),
        _sign_action("reject", gettext_lazy("Ondertekenen: afwijzen"), S.REJECTED),
        Action(
            name="activate",
            label=gettext_lazy("Looptijd gestart"),
            sources=frozenset({S.APPROVED}),
            target=S.ACTIVE,
            who=who.nobody,
            who_refusal=gettext_lazy("De agenda wordt automatisch lopend zodra het beginjaar is aangebroken."),
            guards=(Guard(_start_year_begun, gettext_lazy("Het beginjaar is nog niet aangebroken.")),),
            notify=("coordinators",),
            automatic=True,
        ),
        Action(
            name="close",
            label=gettext_lazy("Agenda afsluiten"),
            sources=frozenset({S.ACTIVE}),
            target=S.CLOSED,
            who=who.is_officer,
            who_refusal=gettext_lazy("Alleen een BZK-medewerker kan een agenda afsluiten."),
            guards=(Guard(_period_ended, gettext_lazy("De looptijd is nog niet voorbij.")),),
            notify=("coordinators", "state_representatives"),
            button=True,
            needs_comment=True,
        ),
        Action(
            name="answer_response_point",
            label=gettext_lazy("Punt beantwoorden"),
            sources=frozenset({S.RETURNED}),
            target=None,
            who=who.is_coordinator,
            who_refusal=gettext_lazy("Alleen de coördinator van deze alliantie kan de punten beantwoorden."),
            guards=(Guard(_point_open, gettext_lazy("Dit punt kan niet worden beantwoord.")),),
        ),
    ]
}

SIGN_ACTIONS = {"approve", "return", "reject"}


AGENDA = Machine(
    name="agenda",
    actions=list(ACTIONS.values()),
    status_choices=S.choices,
    record_model=lambda: Transition,
    record_fk="agenda",
    noun=gettext_lazy("de agenda"),
    case_model=lambda: Agenda,
    lock_related=("alliance__region",),
)


def refusal(
    name: str, *, actor: User, agenda: Agenda, obj=None, automatic: bool = False, guards: bool | str = True, **params
) -> TransitionRefused | None:
    """Why ``actor`` may not perform ``name`` on ``agenda`` now (``None``: allowed); see ``Machine.refusal``."""
    return AGENDA.refusal(name, actor=actor, case=agenda, obj=obj, automatic=automatic, guards=guards, **params)


def check(name: str, *, agenda: Agenda, **kwargs) -> Action:
    return AGENDA.check(name, case=agenda, **kwargs)


def available_actions(user: User, agenda: Agenda) -> list[AvailableAction]:
    """Button actions on the agenda itself that this user's role allows in the current status,
    each with the reason it is still refused (guards), for the action panel."""
    return AGENDA.available_actions(user, agenda)


def reachable_statuses() -> set[str]:
    """Every status some action leads to (plus the initial draft) – used by the table's own tests."""
    return AGENDA.reachable_statuses(S.DRAFT)


__all__ = ["PERMISSION", "AvailableAction", "Context", "Guard"]
