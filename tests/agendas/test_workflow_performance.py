"""A transition, including its audit record and queued notifications: a loose bound, not the speed target.

The target (CPU p95 ≤ 50 ms) lives in the benchmark (``scripts/benchmark.sh``, ratios to a baseline in the same
run). A test may bound time only loosely, at ≥ 3× the target, so that a busy machine never fails CI: measured
on a loaded machine the same code gave 56 ms, well within 150 ms; a regression such as queries per row
(hundreds of ms) still fails.

Both wall-clock and CPU time are measured and printed (run with ``-s``). The assertion uses the CPU time of
this process: on SQLite (in memory) all database work runs in-process, so CPU time is the cost of the
transition itself, while wall-clock time on the shared 2-core build machine mostly measures other jobs.
On PostgreSQL the database works in another process, so there the wall-clock figure is the one to read.
KA_TRANSITION_P95_MS overrides the target; the bound is ``LOOSENESS`` × the target.
"""

import os
import statistics
import time

from django.db import connection, transaction

from agendas.decision import services
from tests.agendas.workflow_fixtures import build_world

TARGET_MS = float(os.environ.get("KA_TRANSITION_P95_MS", "50"))
LOOSENESS = 5  # at least 3x the target (the brief); the eager post-commit recount of the region summary runs inside the timing in tests
BOUND_MS = LOOSENESS * TARGET_MS
RUNS = 40


def _p95(samples):
    return round(statistics.quantiles(samples, n=20)[-1], 1)


def _timed(wall, cpu, name, fn):
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    wall[name].append((time.perf_counter() - w0) * 1000)
    cpu[name].append((time.process_time() - c0) * 1000)


def test_transition_p95(db):
    names = ("submit", "withdraw", "assign_reviewer")
    wall = {n: [] for n in names}
    cpu = {n: [] for n in names}
    for run in range(RUNS + 1):  # run 0 warms up (URL conf, templates) and is not counted
        with transaction.atomic():
            w = build_world()
            coordinator, officer = w.fresh(w.coordinator), w.fresh(w.officer)
            _timed(wall, cpu, "submit", lambda: services.agenda_submit(agenda=w.agenda, actor=coordinator))
            coordinator = w.fresh(w.coordinator)
            _timed(wall, cpu, "withdraw", lambda: services.agenda_withdraw(agenda=w.agenda, actor=coordinator))
            services.agenda_submit(agenda=w.agenda, actor=w.fresh(w.coordinator))
            _timed(
                wall,
                cpu,
                "assign_reviewer",
                lambda: services.reviewer_assign(agenda=w.agenda, actor=officer, reviewer=w.reviewer),
            )
            transaction.set_rollback(True)
        if run == 0:
            for samples in (*wall.values(), *cpu.values()):
                samples.clear()
    wall_p95 = {n: _p95(s) for n, s in wall.items()}
    cpu_p95 = {n: _p95(s) for n, s in cpu.items()}
    median = {n: round(statistics.median(s), 1) for n, s in wall.items()}
    print(
        f"\n[{connection.vendor}] transition over {RUNS} runs, ms – wall p95 {wall_p95}, wall median {median}, "
        f"CPU p95 {cpu_p95}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    if connection.vendor == "sqlite":
        assert max(cpu_p95.values()) <= BOUND_MS, cpu_p95
    else:
        # Our own work (CPU of this process) must fit the target; the wall clock also waits for the PostgreSQL
        # process on a shared 2-core machine, so it gets a safety margin that still catches a regression
        # such as queries per row (measured on an idle machine: wall p95 44 ms, CPU p95 34 ms for submit).
        overload = max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))
        assert max(cpu_p95.values()) <= BOUND_MS, cpu_p95
        assert max(wall_p95.values()) <= 2 * BOUND_MS * overload, (wall_p95, overload)
