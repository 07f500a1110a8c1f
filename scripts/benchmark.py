"""Load generator for scripts/benchmark.sh (no third-party tools needed).

``prepare``: builds the portfolio when the database has none, and writes a session cookie for the
benchmark's ministry officer (with a verified second factor, as production requires).
``run``: for each endpoint, ``--concurrency`` threads with keep-alive connections send ``--requests``
GET requests after a warm-up (or wrk, when installed); prints p50/p95 in ms, requests per second, and each
as a ratio to its baseline (anonymous JSON, logged-in JSON, bare DRF list: kansenagenda/benchmark.py),
measured in the same run.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_USER = "bench-officer@example.nl"


def prepare(args) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Region, User

    if not Region.objects.filter(code__startswith="pf-").exists():
        print("Portefeuille bouwen (build_portfolio --seed 42) …", flush=True)
        call_command("build_portfolio", seed=42)  # runs ANALYZE on PostgreSQL when done
    user = User.objects.get(email=BENCH_USER)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="benchmark", defaults={"confirmed": True})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.set_expiry(4 * 3600)
    session.create()
    Path(args.cookie_file).parent.mkdir(parents=True, exist_ok=True)
    Path(args.cookie_file).write_text(session.session_key)

    from agendas.models import Agenda

    agenda = Agenda.objects.filter(current_version__gt=0).order_by("pk").values_list("pk", flat=True).first()
    Path(args.cookie_file).with_suffix(".agenda").write_text(str(agenda or ""))
    from agendas.models import ProgressReport

    report = ProgressReport.objects.order_by("pk").values_list("pk", flat=True).first()
    Path(args.cookie_file).with_suffix(".report").write_text(str(report or ""))


def _worker(base: str, path: str, cookie: str, count: int, timings: list[float], errors: list[str]) -> None:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Cookie": f"sessionid={cookie}", "X-Forwarded-Proto": "https", "Accept": "text/html"}
    for _ in range(count):
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            continue
        elapsed = time.perf_counter() - started
        if response.status != 200:
            errors.append(str(response.status))
        else:
            timings.append(elapsed)
    conn.close()


def measure(base: str, path: str, cookie: str, requests: int, concurrency: int) -> dict:
    warm: list[float] = []
    _worker(base, path, cookie, 5, warm, [])
    timings: list[float] = []
    errors: list[str] = []
    per_thread = max(1, requests // concurrency)
    threads = [
        threading.Thread(target=_worker, args=(base, path, cookie, per_thread, timings, errors))
        for _ in range(concurrency)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if not timings:
        return {"path": path, "ok": 0, "errors": errors}
    ordered = sorted(timings)
    return {
        "path": path,
        "ok": len(timings),
        "errors": errors,
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000,
        "max": ordered[-1] * 1000,
        "rps": len(timings) / wall,
    }


def probe(base: str, path: str, cookie: str) -> int:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "X-Forwarded-Proto": "https"})
    status = conn.getresponse().status
    conn.close()
    return status


# (label, path, the baseline it is compared with). The baselines exist only with BENCHMARK_BASELINES on
# (kansenagenda/benchmark.py); every figure is a ratio to a baseline measured in the same run.
BASELINES = {
    "anonymous": ("baseline: anonymous JSON", "/_benchmark/anoniem"),
    "session": ("baseline: logged-in JSON", "/_benchmark/ingelogd"),
    "drf": ("baseline: bare DRF list (50)", "/_benchmark/drf-lijst"),
}


def endpoints(agenda: str, report: str, mode: str) -> list[tuple[str, str, str]]:
    cold = mode == "cold"
    rows = [
        ("dashboard" + (" (cold)" if cold else " (warm)"), "/rapportages/", "session"),
        ("dashboard, year" + (" (cold)" if cold else " (warm)"), "/rapportages/?year=2030", "session"),
    ]
    if not cold:
        rows += [
            ("agenda list API (50)", "/api/v1/agendas", "drf"),
            ("agenda detail page", f"/agendas/{agenda}/" if agenda else "", "session"),
            ("progress report page", f"/agendas/voortgang/rapportages/{report}/" if report else "", "session"),
            ("agendas behind a figure", "/rapportages/agendas/", "session"),
        ]
    return rows


def _wrk(base: str, path: str, cookie: str, requests: int, concurrency: int) -> dict | None:
    """wrk when installed (latency percentiles from its own report; wrk prints no p95, so the p95 column shows
    its 90th percentile); None otherwise."""
    import re
    import shutil
    import subprocess

    wrk = shutil.which("wrk")
    if not wrk:
        return None
    seconds = max(3, requests // 100)
    out = subprocess.run(  # noqa: S603 - our own fixed arguments
        [
            wrk,
            "-t",
            "2",
            "-c",
            str(max(2, concurrency)),
            "-d",
            f"{seconds}s",
            "--latency",
            "-H",
            f"Cookie: sessionid={cookie}",
            "-H",
            "X-Forwarded-Proto: https",
            base + path,
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout

    def ms(label):
        m = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        if not m:
            return float("nan")
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return {
        "path": path,
        "ok": 1,
        "errors": [],
        "p50": ms("50"),
        "p95": ms("90"),
        "max": ms("99"),
        "rps": float(rps.group(1)) if rps else float("nan"),
    }


def run(args) -> int:
    cookie = Path(args.cookie_file).read_text().strip()
    agenda_file = Path(args.cookie_file).with_suffix(".agenda")
    agenda = agenda_file.read_text().strip() if agenda_file.exists() else ""
    tool = "wrk" if not args.python_only and _wrk(args.base, BASELINES["anonymous"][1], cookie, 100, 1) else "python"

    def one(path):
        if tool == "wrk":
            return _wrk(args.base, path, cookie, args.requests, args.concurrency)
        return measure(args.base, path, cookie, args.requests, args.concurrency)

    base = {key: one(path) for key, (_label, path) in BASELINES.items()}
    results = []
    report_file = Path(args.cookie_file).with_suffix(".report")
    report = report_file.read_text().strip() if report_file.exists() else ""
    for label, path, ref in endpoints(agenda, report, args.mode):
        if not path:
            results.append((label, None, ref, "geen agenda gevonden"))
            continue
        status = probe(args.base, path, cookie)
        if status != 200:
            results.append((label, None, ref, f"overgeslagen: HTTP {status}"))
            continue
        results.append((label, one(path), ref, ""))
    load = os.getloadavg()
    print(
        f"\n{args.label or ''} mode {args.mode}, {tool}: {args.requests} requests per endpoint, "
        f"concurrency {args.concurrency}; load average {load[0]:.2f}"
    )
    print(f"{'endpoint':34} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'vs':>9} {'p50 ×':>7} {'p95 ×':>7} {'rps %':>6}")
    anon = base["anonymous"]
    for key, (label, _path) in BASELINES.items():
        r = base[key]
        if not r or not r.get("ok"):
            print(f"{label:34} failed: {(r or {}).get('errors', [])[:3]}")
            continue
        print(
            f"{label:34} {r['p50']:8.1f} {r['p95']:8.1f} {r['rps']:7.1f} {'anonymous':>9} "
            f"{r['p50'] / anon['p50']:7.2f} {r['p95'] / anon['p95']:7.2f} {100 * r['rps'] / anon['rps']:5.0f}%"
        )
    for label, r, ref, note in results:
        if r is None or not r.get("ok"):
            print(f"{label:34} {note or (r or {}).get('errors', [])[:3]}")
            continue
        b = base[ref]
        print(
            f"{label:34} {r['p50']:8.1f} {r['p95']:8.1f} {r['rps']:7.1f} {ref:>9} "
            f"{r['p50'] / b['p50']:7.2f} {r['p95'] / b['p95']:7.2f} {100 * r['rps'] / b['rps']:5.0f}%"
        )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--cookie-file", default="var/benchmark-session.txt")
    r = sub.add_parser("run")
    r.add_argument("--base", default="http://127.0.0.1:8765")
    r.add_argument("--cookie-file", default="var/benchmark-session.txt")
    r.add_argument("--requests", type=int, default=300)
    r.add_argument("--concurrency", type=int, default=2)
    r.add_argument(
        "--mode", choices=["warm", "cold"], default="warm", help="cold: the server runs without dashboard cache"
    )
    r.add_argument("--label", default="")
    r.add_argument("--python-only", action="store_true", help="never use wrk")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args)
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
