"""THE workflow machinery, once: actions as data, guards with reasons, refusal/check, available actions,
and the one way a status changes (row already locked by the caller, one append-only transition record).

Each state machine (agenda, progress report, change request) is one ``Machine`` built from a table of
``Action`` rows in its own module (agendas/workflow/agenda.py, progress_report.py, change_request.py).
Services look their action up, call ``check`` (inside their transaction, on the locked row) and then
``apply``; pages and the API ask ``refusal`` / ``available_actions`` for the buttons they show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.dispatch import Signal
from django.utils.translation import gettext as _

from agendas.workflow.roles import agenda_of
from kansenagenda.errors import ConflictError, TransitionRefused
from kansenagenda.locking import check_lock

#: Sent on every status change of a case, inside the transition's transaction (sender: the machine's name;
#: ``case``, ``from_status``, ``to_status``). How other features follow a case's life (the archive clock)
#: without the tables importing them.
status_changed = Signal()

PERMISSION = "permission"  # a guard about WHO acts (four eyes, separation of duties): the policy asks it too
INPUT = "input"  # a guard about the input or the session (second factor, amounts, completeness)


@dataclass
class Context:
    """What a guard may look at: the (locked) case, the actor, the object acted on and parameters."""

    case: Any
    actor: Any
    obj: Any = None
    params: dict = field(default_factory=dict)

    @property
    def agenda(self):
        return agenda_of(self.case)


@dataclass(frozen=True)
class Guard:
    check: Callable[[Context], list[str]]
    message: str  # lazy; the headline when the guard fails, reasons follow
    status: int = 409
    code: str = "guard_failed"
    kind: str = INPUT


@dataclass(frozen=True)
class Action:
    name: str
    label: str  # lazy: the button text
    sources: frozenset[str]
    target: str | None | Callable[[Any, dict], str]  # None: the status stays; callable: (case, params) → status
    who: Callable[..., bool]  # (user, case, obj) → bool
    who_refusal: str  # lazy
    guards: tuple[Guard, ...] = ()
    notify: tuple[str, ...] = ()  # audiences, resolved by agendas.notifications
    automatic: bool = False  # performed by the system after another step (never a button)
    button: bool = False  # shown as a POST button in the case's action panel
    needs_comment: bool = False
    recorded: bool = False  # a step that keeps the status still appends a transition record (e.g. send back)

    def target_for(self, case, params: dict | None = None) -> str:
        if callable(self.target):
            return self.target(case, params or {})
        return self.target or case.status


@dataclass
class AvailableAction:
    action: Action
    refused: TransitionRefused | None

    @property
    def allowed(self) -> bool:
        return self.refused is None


def available_actions_data(machine: Machine, user, case) -> list[dict]:
    """What ``user`` can do now with ``case`` (``/actions/`` of every machine): the same answer as the buttons."""
    return [
        {
            "action": a.action.name,
            "label": str(a.action.label),
            "allowed": a.allowed,
            "reasons": [str(a.refused.message), *map(str, a.refused.reasons)] if a.refused else [],
        }
        for a in machine.available_actions(user, case)
    ]


class Machine:
    """One state machine: its table of actions, its status choices and its transition-record model.

    ``record_model`` / ``record_fk``: the append-only history (e.g. ``Transition`` with fk ``agenda``).
    ``role_and_state_as_permission_denied``: the monitoring machines answer a wrong role or state with
    Django's ``PermissionDenied`` (their pages and API have always done so); guards always raise
    ``TransitionRefused`` with a code.
    """

    def __init__(
        self,
        *,
        name: str,
        actions: list[Action],
        status_choices,
        record_model: Callable[[], type],
        record_fk: str,
        noun: str,
        case_model: Callable[[], type],
        lock_related: tuple[str, ...] = (),
        role_and_state_as_permission_denied: bool = False,
        on_status_change: Callable[[Any, str, str], None] | None = None,
    ):
        self.name = name
        self._case_model = case_model
        self.lock_related = lock_related
        self.actions: dict[str, Action] = {a.name: a for a in actions}
        self.status_choices = status_choices
        self._record_model = record_model
        self.record_fk = record_fk
        self.noun = noun  # lazy, e.g. "de agenda"
        self.role_and_state_as_permission_denied = role_and_state_as_permission_denied
        self.on_status_change = on_status_change  # (case, from_status, to_status), inside the transaction

    # --- asking ------------------------------------------------------------------------------------
    def _status_labels(self, statuses) -> str:
        labels = dict(self.status_choices)
        return ", ".join(f"‘{labels[s]}’" for s, _label in self.status_choices if s in statuses)

    def refusal(
        self,
        name: str,
        *,
        actor,
        case,
        obj=None,
        automatic: bool = False,
        guards: bool | str = True,
        **params,
    ) -> TransitionRefused | None:
        """Why ``actor`` may not perform ``name`` now (``None``: allowed).

        Order: wrong role/person (403), wrong state (409), then the guards (403 guards before 409 guards).
        ``guards=False``: only role and state; ``guards=PERMISSION``: also the guards about who acts (four
        eyes, separation of duties) – what the policy asks before a form is filled in.
        """
        action = self.actions[name]
        if not automatic and not action.who(actor, case, obj):
            return TransitionRefused(str(action.who_refusal), [], code="forbidden", status=403)
        if case.status not in action.sources:
            labels = dict(self.status_choices)
            return TransitionRefused(
                _("‘%(action)s’ kan alleen bij status %(allowed)s; %(noun)s heeft nu status ‘%(status)s’.")
                % {
                    "action": action.label,
                    "allowed": self._status_labels(action.sources),
                    "noun": self.noun,
                    "status": labels.get(case.status, case.status),
                },
                [],
                code="wrong_state",
                status=409,
            )
        if not guards:
            return None
        ctx = Context(case=case, actor=actor, obj=obj, params=params)
        for guard in sorted(action.guards, key=lambda g: g.status != 403):
            if guards == PERMISSION and guard.kind != PERMISSION:
                continue
            reasons = guard.check(ctx)
            if reasons:
                return TransitionRefused(str(guard.message), reasons, code=guard.code, status=guard.status)
        return None

    def check(self, name: str, **kwargs) -> Action:
        refused = self.refusal(name, **kwargs)
        if refused is not None:
            if self.role_and_state_as_permission_denied and refused.code in ("forbidden", "wrong_state"):
                raise PermissionDenied(str(refused.message))
            raise refused
        return self.actions[name]

    def available_actions(self, user, case, *, buttons_only: bool = True) -> list[AvailableAction]:
        """Actions on the case that this user's role allows in the current status, each with the reason it
        is still refused (guards), for the action panel and the ``/actions/`` endpoint."""
        result = []
        for action in self.actions.values():
            if action.automatic or (buttons_only and not action.button) or case.status not in action.sources:
                continue
            if not action.who(user, case, None):
                continue
            result.append(AvailableAction(action, self.refusal(action.name, actor=user, case=case)))
        return result

    def buttons(self, user, case) -> dict[str, AvailableAction]:
        """The action panel of a page: ``{action name: AvailableAction}`` from ``available_actions`` (the same
        answer as ``/actions/``), so a page shows a button exactly when the table offers it."""
        return {a.action.name: a for a in self.available_actions(user, case)}

    def reachable_statuses(self, initial: str) -> set[str]:
        return {initial} | {a.target for a in self.actions.values() if isinstance(a.target, str) and a.target}

    # --- doing -------------------------------------------------------------------------------------
    @property
    def record_model(self) -> type:
        return self._record_model()

    def lock(self, case, *, missing: str | None = None):
        """THE row lock of a case (``select_for_update`` of its own row only, so nullable joins are fine on
        PostgreSQL): every service that changes a case, or anything the case's state protects, takes it first,
        inside its transaction, and decides on the locked row. ``case`` is a model instance or a primary key.
        A row that no longer exists raises ``ConflictError(missing)`` when ``missing`` is given (else DoesNotExist)."""
        model = self._case_model()
        pk = case.pk if isinstance(case, model) else case
        locked = model.objects.select_for_update(of=("self",)).select_related(*self.lock_related).filter(pk=pk).first()
        if locked is None:
            if missing is not None:
                raise ConflictError(missing)
            raise model.DoesNotExist(f"{model.__name__} {pk} does not exist")
        return locked

    def take(self, name: str, *, case, actor, lock_version: Any, message=None, changes=None, **kwargs):
        """The one order of every versioned step on a case: row lock → the table's check (role, state, guards)
        → the optimistic lock (``kansenagenda.locking.check_lock``, not bumped: ``apply`` bumps). Permission
        before the lock, so that someone who may not act never learns from a 409 what changed.
        Returns ``(locked case, action)``."""
        locked = self.lock(case)
        action = self.check(name, actor=actor, case=locked, **kwargs)
        check_lock(locked, lock_version, bump=False, message=message, changes=changes)
        return locked, action

    def apply(self, action: Action, *, case, actor, comment: str = "", params: dict | None = None, **record):
        """Move the (locked) case to the action's target and append ONE transition record; ``None`` and no
        write when the status stays (unless the action is ``recorded``: then only the record is written).
        The caller saves nothing else of the status itself."""
        target = action.target_for(case, params)
        if target == case.status and not action.recorded:
            return None
        from_status = case.status
        if target != from_status:
            case.status = target
            case.lock_version += 1
            case._history_user = actor
            case.save()
        transition = self.record_model.objects.create(
            **{self.record_fk: case},
            action=action.name,
            from_status=from_status,
            to_status=target,
            actor=actor,
            comment=comment,
            **record,
        )
        if self.on_status_change is not None and target != from_status:
            self.on_status_change(case, from_status, target)
        if target != from_status:
            status_changed.send(sender=self.name, case=case, from_status=from_status, to_status=target)
        return transition
