"""Two signatories clicking "sign" at the same moment: exactly one decision (PostgreSQL, two real connections)."""

import threading

import pytest
from django.db import connection, connections

from accounts.models import OutboxMessage
from agendas.decision import signoff as signoff_services
from agendas.models import Agenda, Decision, Transition
from kansenagenda.errors import TransitionRefused
from tests.agendas.workflow_fixtures import World, advance, build_world

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks)"),
]


@pytest.mark.django_db(transaction=True)
def test_two_signatories_at_once_give_exactly_one_decision():
    w: World = build_world()
    advance(w, "prepared")
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def sign(name):
        try:
            actor = w.fresh(getattr(w, name))
            barrier.wait(timeout=10)
            signoff_services.decision_sign(agenda=Agenda(pk=w.agenda.pk), actor=actor, second_factor_verified=True)
            results[name] = "signed"
        except TransitionRefused as exc:
            results[name] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(n,)) for n in ("signatory", "signatory2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(type(r).__name__ for r in results.values()) == ["TransitionRefused", "str"]
    refused = next(r for r in results.values() if isinstance(r, TransitionRefused))
    assert refused.code == "already_signed" and "al ondertekend" in refused.message
    decision = Decision.objects.get()
    assert decision.signed_by_id in (w.signatory.pk, w.signatory2.pk)
    assert Transition.objects.filter(agenda_id=w.agenda.pk, action="approve").count() == 1
    assert OutboxMessage.objects.filter(kind="workflow.decided", recipient=w.coordinator.email).count() == 1
