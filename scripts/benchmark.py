"""Load generator for scripts/benchmark.sh (no third-party tools needed).

``prepare``: builds the portfolio when the database has none, and writes a session cookie for the
benchmark's ministry officer (with a verified second factor, as production requires).
``run``: for each endpoint, ``--concurrency`` threads with keep-alive connections send ``--requests``
GET requests after a warm-up; prints p50/p95/max in ms, requests per second, and p50/p95 as a ratio to
the bare Django view (the baseline), measured in the same run.
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
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.set_expiry(4 * 3600)
    session.create()
    Path(args.cookie_file).parent.mkdir(parents=True, exist_ok=True)
    Path(args.cookie_file).write_text(session.session_key)

    from agendas.models import Agenda

    agenda = Agenda.objects.filter(current_version__gt=0).order_by("pk").values_list("pk", flat=True).first()
    Path(args.cookie_file).with_suffix(".agenda").write_text(str(agenda or ""))


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


def run(args) -> int:
    cookie = Path(args.cookie_file).read_text().strip()
    agenda_file = Path(args.cookie_file).with_suffix(".agenda")
    agenda = agenda_file.read_text().strip() if agenda_file.exists() else ""
    endpoints = [
        ("baseline (bare Django view)", "/rapportages/_baseline/"),
        ("dashboard", "/rapportages/"),
        ("dashboard, filtered (year)", "/rapportages/?year=2030"),
        ("agenda list API", "/api/v1/agendas"),
        ("agenda detail page", f"/agendas/{agenda}/" if agenda else ""),
        ("agendas behind a figure", "/rapportages/agendas/"),
    ]
    results = []
    for label, path in endpoints:
        if not path:
            results.append((label, path, None, "geen agenda gevonden"))
            continue
        status = probe(args.base, path, cookie)
        if status != 200:
            results.append((label, path, None, f"overgeslagen: HTTP {status} (bestaat nog niet in deze branch?)"))
            continue
        results.append((label, path, measure(args.base, path, cookie, args.requests, args.concurrency), ""))
    baseline = results[0][2]
    load = os.getloadavg()
    print(f"\n{args.requests} requests per endpoint, concurrency {args.concurrency}; load average {load[0]:.2f}")
    print(f"{'endpoint':32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7} {'p50 ×':>7} {'p95 ×':>7}  errors")
    for label, _path, r, note in results:
        if r is None:
            print(f"{label:32} {note}")
            continue
        if not r["ok"]:
            print(f"{label:32} all requests failed: {r['errors'][:5]}")
            continue
        ratio50 = r["p50"] / baseline["p50"] if baseline and baseline.get("ok") else float("nan")
        ratio95 = r["p95"] / baseline["p95"] if baseline and baseline.get("ok") else float("nan")
        print(
            f"{label:32} {r['p50']:8.1f} {r['p95']:8.1f} {r['max']:8.1f} {r['rps']:7.1f} {ratio50:7.1f} {ratio95:7.1f}"
            f"  {len(r['errors'])}"
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
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args)
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
