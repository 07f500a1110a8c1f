"""Drafting races on PostgreSQL, two connections (threads): every drafting write locks the agenda row and
checks editability inside the lock, so

- a budget-grid save racing a submit: the live budget equals the version's snapshot afterwards;
- a period change racing a grid save: no budget line lies outside the period afterwards.

Each race is made deterministic: the first writer is paused inside its transaction (after it took its
locks); the second must wait for it, and decides on what the first committed.
"""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from accounts.models import User
from agendas.decision import services as wf
from agendas.drafting import budget as budget_services
from agendas.drafting import services as drafting
from agendas.models import Agenda, AgendaVersion, BudgetLine, FundingSource
from tests.agendas.workflow_fixtures import make_complete_agenda
from tests.factories import confirm_amount

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (real row locks and parallel connections)")


class Paused:
    """Wrap a function so that the first call waits (inside the caller's transaction) until released."""

    def __init__(self, func):
        self.func = func
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, *args, **kwargs):
        if not self.entered.is_set():
            self.entered.set()
            assert self.release.wait(20), "never released"
        return self.func(*args, **kwargs)


def _run(target, results: dict, key: str) -> threading.Thread:
    def body():
        try:
            results[key] = target()
        except Exception as exc:  # noqa: BLE001 - the test inspects what happened
            results[key] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=body)
    thread.start()
    return thread


def _live_lines(agenda_id: int) -> set[tuple]:
    return {
        (p, y, s, str(a))
        for p, y, s, a in BudgetLine.objects.filter(priority__agenda_id=agenda_id).values_list(
            "priority_id", "year", "source_id", "amount"
        )
    }


def _snapshot_lines(version: AgendaVersion) -> set[tuple]:
    return {
        (p["id"], b["year"], b["source_id"], b["amount"])
        for p in version.snapshot["priorities"]
        for b in p["budget_lines"]
    }


def _grid_save(agenda_id: int, coordinator_id: int, year: int, amount: str):
    agenda = Agenda.objects.get(pk=agenda_id)
    priority = agenda.priorities.first()
    source = FundingSource.objects.get(code="gemeenten")
    return budget_services.budget_grid_save(
        agenda=agenda,
        actor=User.objects.get(pk=coordinator_id),
        cells=[budget_services.BudgetCell(priority.pk, year, source.pk, Decimal(amount))],
        lock_versions={priority.pk: priority.lock_version},
    )


def _blocked(thread: threading.Thread, seconds: float = 1.0) -> bool:
    thread.join(seconds)
    return thread.is_alive()


def test_grid_save_then_submit_the_submit_waits_and_freezes_the_saved_budget(monkeypatch):
    _needs_postgres()
    agenda = make_complete_agenda()
    coordinator_id = agenda.alliance.coordinators.first().pk
    confirm_amount(agenda, agenda.start_year, "gemeenten", "12345.00")  # the partner confirmed it beforehand
    pause = Paused(budget_services.bulk_create_with_history)
    monkeypatch.setattr(budget_services, "bulk_create_with_history", pause)
    results: dict = {}
    saver = _run(lambda: _grid_save(agenda.pk, coordinator_id, agenda.start_year, "12345.00"), results, "grid")
    assert pause.entered.wait(20)
    submitter = _run(
        lambda: wf.agenda_submit(
            agenda=Agenda.objects.get(pk=agenda.pk),
            actor=User.objects.get(pk=coordinator_id),
            lock_version=Agenda.objects.get(pk=agenda.pk).lock_version,
        ),
        results,
        "submit",
    )
    assert _blocked(submitter), "the submit must wait for the grid save's agenda lock"
    pause.release.set()
    saver.join(20)
    submitter.join(20)
    assert not isinstance(results["grid"], Exception), results["grid"]
    assert isinstance(results["submit"], AgendaVersion), results["submit"]
    version = AgendaVersion.objects.get(agenda=agenda, number=1)
    assert _live_lines(agenda.pk) == _snapshot_lines(version)
    assert any(line[3] == "12345.00" for line in _snapshot_lines(version))


def test_submit_then_grid_save_the_save_is_refused_and_nothing_is_written_after_submission(monkeypatch):
    _needs_postgres()
    agenda = make_complete_agenda()
    coordinator_id = agenda.alliance.coordinators.first().pk
    pause = Paused(wf.version_create)
    monkeypatch.setattr(wf, "version_create", pause)
    results: dict = {}
    submitter = _run(
        lambda: wf.agenda_submit(agenda=Agenda.objects.get(pk=agenda.pk), actor=User.objects.get(pk=coordinator_id)),
        results,
        "submit",
    )
    assert pause.entered.wait(20)
    # the grid save read the agenda as an editable draft before the submit committed
    saver = _run(lambda: _grid_save(agenda.pk, coordinator_id, agenda.start_year, "777.00"), results, "grid")
    assert _blocked(saver), "the grid save must wait for the submit's agenda lock"
    pause.release.set()
    submitter.join(20)
    saver.join(20)
    assert isinstance(results["submit"], AgendaVersion), results["submit"]
    assert isinstance(results["grid"], PermissionDenied), results["grid"]
    assert "ingediend" in str(results["grid"])
    version = AgendaVersion.objects.get(agenda=agenda, number=1)
    assert _live_lines(agenda.pk) == _snapshot_lines(version)


def test_grid_save_then_period_change_no_line_outside_the_period(monkeypatch):
    _needs_postgres()
    agenda = make_complete_agenda()
    coordinator_id = agenda.alliance.coordinators.first().pk
    last_year = agenda.end_year
    pause = Paused(budget_services.bulk_create_with_history)
    monkeypatch.setattr(budget_services, "bulk_create_with_history", pause)
    results: dict = {}
    saver = _run(lambda: _grid_save(agenda.pk, coordinator_id, last_year, "500.00"), results, "grid")
    assert pause.entered.wait(20)

    def shorten():
        current = Agenda.objects.get(pk=agenda.pk)
        return drafting.agenda_update(
            agenda=current,
            actor=User.objects.get(pk=coordinator_id),
            data={"end_year": last_year - 1},
            lock_version=current.lock_version,
        )

    changer = _run(shorten, results, "period")
    assert _blocked(changer), "the period change must wait for the grid save's agenda lock"
    pause.release.set()
    saver.join(20)
    changer.join(20)
    assert not isinstance(results["grid"], Exception), results["grid"]
    assert isinstance(results["period"], ValidationError), results["period"]
    assert "buiten de nieuwe looptijd" in " ".join(results["period"].messages)
    fresh = Agenda.objects.get(pk=agenda.pk)
    years = set(BudgetLine.objects.filter(priority__agenda=fresh).values_list("year", flat=True))
    assert all(fresh.start_year <= y <= fresh.end_year for y in years), (years, fresh.start_year, fresh.end_year)


def test_period_change_then_grid_save_the_save_sees_the_new_period(monkeypatch):
    _needs_postgres()
    agenda = make_complete_agenda()
    coordinator_id = agenda.alliance.coordinators.first().pk
    last_year = agenda.end_year
    pause = Paused(drafting._validate_period_against_content)
    monkeypatch.setattr(drafting, "_validate_period_against_content", pause)
    results: dict = {}

    def shorten():
        current = Agenda.objects.get(pk=agenda.pk)
        return drafting.agenda_update(
            agenda=current,
            actor=User.objects.get(pk=coordinator_id),
            data={"end_year": last_year - 1},
            lock_version=current.lock_version,
        )

    changer = _run(shorten, results, "period")
    assert pause.entered.wait(20)
    saver = _run(lambda: _grid_save(agenda.pk, coordinator_id, last_year, "500.00"), results, "grid")
    assert _blocked(saver), "the grid save must wait for the period change's agenda lock"
    pause.release.set()
    changer.join(20)
    saver.join(20)
    assert isinstance(results["period"], Agenda), results["period"]
    assert isinstance(results["grid"], ValidationError), results["grid"]
    fresh = Agenda.objects.get(pk=agenda.pk)
    assert fresh.end_year == last_year - 1
    years = set(BudgetLine.objects.filter(priority__agenda=fresh).values_list("year", flat=True))
    assert all(fresh.start_year <= y <= fresh.end_year for y in years)
