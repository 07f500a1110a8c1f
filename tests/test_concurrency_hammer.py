"""20 parallel workers on PostgreSQL hammer the same agenda with edits and transitions.

Editors append a unique marker to the vision with optimistic locking (re-reading and retrying on a
conflict or while the agenda is submitted); transition workers submit and withdraw. At the end the
state is consistent and no write is lost: every marker is present, versions are numbered without gaps,
and every status change has exactly one transition record.
"""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections

from accounts.models import User
from agendas.decision import services as wf
from agendas.drafting import services as drafting
from agendas.models import Agenda, AgendaVersion, Transition
from kansenagenda.errors import ConflictError, TransitionRefused
from tests.agendas.workflow_fixtures import make_complete_agenda

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

EDITORS = 14
TRANSITIONERS = 6
ROUNDS = 3


def test_twenty_workers_no_lost_writes_and_consistent_state():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (real row locks and parallel connections)")
    agenda = make_complete_agenda()
    coordinator_id = agenda.alliance.coordinators.first().pk
    start = threading.Barrier(EDITORS + TRANSITIONERS)
    errors: list[str] = []
    written: list[str] = []
    counts = {"conflicts": 0, "refused": 0, "submits": 0, "withdraws": 0}
    lock = threading.Lock()

    def editor(n: int):
        try:
            actor = User.objects.get(pk=coordinator_id)
            start.wait()
            marker = f"[edit-{n}]"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                current = Agenda.objects.get(pk=agenda.pk)
                try:
                    drafting.agenda_update(
                        agenda=current,
                        actor=User.objects.get(pk=coordinator_id),
                        data={"vision": current.vision + marker},
                        lock_version=current.lock_version,
                    )
                    with lock:
                        written.append(marker)
                    return
                except ConflictError:
                    with lock:
                        counts["conflicts"] += 1
                except PermissionDenied:  # submitted right now: wait for the withdraw
                    with lock:
                        counts["refused"] += 1
                    time.sleep(0.01)
            del actor
            errors.append(f"editor {n} never got its write in")
        except Exception as exc:  # noqa: BLE001
            errors.append(f"editor {n}: {exc!r}")
        finally:
            connections.close_all()

    def transitioner(n: int):
        try:
            actor = User.objects.get(pk=coordinator_id)
            start.wait()
            for _ in range(ROUNDS):
                for action in ("submit", "withdraw"):
                    try:
                        if action == "submit":
                            wf.agenda_submit(agenda=Agenda.objects.get(pk=agenda.pk), actor=actor)
                        else:
                            wf.agenda_withdraw(agenda=Agenda.objects.get(pk=agenda.pk), actor=actor)
                        with lock:
                            counts[action + "s"] += 1
                    except (TransitionRefused, ConflictError):
                        with lock:
                            counts["refused"] += 1
        except Exception as exc:  # noqa: BLE001
            errors.append(f"transitioner {n}: {exc!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=editor, args=(i,)) for i in range(EDITORS)]
    threads += [threading.Thread(target=transitioner, args=(i,)) for i in range(TRANSITIONERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors

    final = Agenda.objects.get(pk=agenda.pk)
    # No lost writes: every editor's marker is in the final text, exactly once.
    for marker in written:
        assert final.vision.count(marker) == 1, (marker, final.vision)
    assert len(written) == EDITORS
    # Versions: one per successful submit, numbered 1..n without gaps; the agenda points at the last.
    numbers = list(AgendaVersion.objects.filter(agenda=final).order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, counts["submits"] + 1))
    assert final.current_version == counts["submits"]
    # Transitions: exactly one record per status change, alternating and ending in the current status.
    transitions = list(Transition.objects.filter(agenda=final).order_by("pk").values_list("from_status", "to_status"))
    assert len(transitions) == counts["submits"] + counts["withdraws"]
    for (a_from, a_to), (b_from, _b_to) in zip(transitions, transitions[1:], strict=False):
        assert a_to == b_from
    if transitions:
        assert transitions[-1][1] == final.status
    assert counts["submits"] >= 1
    print(f"\n20 workers: {counts}, {len(written)} edits kept, {len(numbers)} versions")
