"""Load generator for scripts/benchmark.sh (no third-party tools needed).

``prepare``: builds the portfolio when the database has none, and writes a session cookie for the
benchmark's ministry officer (with a verified second factor, as production requires).
``queries``: the number of queries of each endpoint (in-process, the same session).
``growth``: the table and SVG chart of several runs (``run --json``/``queries --json`` per portfolio size:
scripts/benchmark-growth.sh).
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
    # pages answer HTML; the API and the bare DRF list answer JSON only (406 on text/html alone)
    accept = "text/html,application/json;q=0.9"
    headers = {"Cookie": f"sessionid={cookie}", "X-Forwarded-Proto": "https", "Accept": accept}
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
    if args.json:
        _append_json(args, load[0], base, results)
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


def _append_json(args, load: float, base: dict, results: list) -> None:
    """One line per endpoint (and baseline) for ``growth``: the figures and their ratios to this run's baseline."""
    import json

    rows = [(label, r, "anonymous") for _key, (label, _path) in BASELINES.items() for r in [base[_key]]]
    rows += [(label, r, ref) for label, r, ref, _note in results]
    with Path(args.json).open("a") as out:
        for label, r, ref in rows:
            if not r or not r.get("ok"):
                continue
            b = base[ref]
            line = {
                "agendas": args.label,
                "mode": args.mode,
                "endpoint": label,
                "p50": r["p50"],
                "p95": r["p95"],
                "rps": r["rps"],
                "baseline": ref,
                "p50_ratio": r["p50"] / b["p50"],
                "p95_ratio": r["p95"] / b["p95"],
                "load": load,
            }
            out.write(json.dumps(line) + "\n")


def queries(args) -> int:
    """Queries per endpoint, in-process with the benchmark officer's session (cold: no dashboard cache)."""
    import json

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    cookie = Path(args.cookie_file).read_text().strip()
    agenda = Path(args.cookie_file).with_suffix(".agenda").read_text().strip()
    report = Path(args.cookie_file).with_suffix(".report").read_text().strip()
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.cookies["sessionid"] = cookie
    counts = {}
    for mode in ("cold", "warm"):
        for label, path, _ref in endpoints(agenda, report, mode):
            if not path:
                continue
            with override_settings(DASHBOARD_CACHE_SECONDS=0 if mode == "cold" else 300):
                client.get(path)  # warm-up (and, warm, the dashboard cache)
                with CaptureQueriesContext(connection) as ctx:
                    status = client.get(path).status_code
            counts[label] = len(ctx.captured_queries) if status == 200 else None
    for label, n in counts.items():
        print(f"{label:34} {n if n is not None else '-':>4} queries")
    if args.json:
        with Path(args.json).open("a") as out:
            out.write(json.dumps({"agendas": args.label, "queries": counts}) + "\n")
    return 0


def growth(args) -> int:
    """The table of ``--json`` lines per portfolio size (markdown) and the SVG chart of the ratios."""
    import json

    lines = [json.loads(line) for line in Path(args.json).read_text().splitlines() if line.strip()]
    sizes = sorted({int(line["agendas"]) for line in lines})
    for x in lines:  # each phase (warm, cold) measures its own baselines
        if x.get("endpoint", "").startswith("baseline"):
            x["endpoint"] += f" ({x['mode']})"
    figures = {(int(x["agendas"]), x["endpoint"]): x for x in lines if "endpoint" in x}
    query_counts = {int(x["agendas"]): x["queries"] for x in lines if "queries" in x}
    loads = {size: max(x["load"] for x in lines if "load" in x and int(x["agendas"]) == size) for size in sizes}
    endpoints_seen = list(dict.fromkeys(x["endpoint"] for x in lines if "endpoint" in x))
    print("| endpoint | " + " | ".join(f"{n:,} agendas: p50 ms (×) / p95 ms (×) / queries" for n in sizes) + " |")
    print("| --- |" + " ---: |" * len(sizes))
    for endpoint in endpoints_seen:
        cells = []
        for size in sizes:
            x = figures.get((size, endpoint))
            n = query_counts.get(size, {}).get(endpoint)
            cells.append(
                "–"
                if x is None
                else f"{x['p50']:.1f} ({x['p50_ratio']:.1f}×) / {x['p95']:.1f} ({x['p95_ratio']:.1f}×)"
                + (f" / {n}" if n is not None else "")
            )
        print(f"| {endpoint} | " + " | ".join(cells) + " |")
    print("\nload average (highest in the run): " + ", ".join(f"{n:,}: {loads[n]:.2f}" for n in sizes))
    if args.svg:
        series = [e for e in endpoints_seen if not e.startswith(("baseline", "agendas behind", "progress"))]
        Path(args.svg).write_text(growth_svg(sizes, series, figures))
        print(f"grafiek: {args.svg}")
    return 0


def growth_svg(sizes: list[int], series: list[str], figures: dict) -> str:
    """A small line chart (no dependencies): p95 as a multiple of its baseline against the portfolio size
    (logarithmic), one line per endpoint."""
    import math
    from html import escape

    width, height, left, right, top, bottom = 640, 360, 56, 210, 24, 44
    colours = ["#01689b", "#d52b1e", "#39870c", "#e17000", "#42145f", "#a90061", "#007bc7", "#673327"]
    values = [figures[(s, e)]["p95_ratio"] for e in series for s in sizes if (s, e) in figures]
    top_value = max(values or [1.0]) * 1.1
    xs = [math.log10(s) for s in sizes]
    x_lo, x_hi = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1

    def px(size):
        return left + (math.log10(size) - x_lo) / (x_hi - x_lo) * (width - left - right)

    def py(value):
        return top + (1 - value / top_value) * (height - top - bottom)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="growth-title growth-desc" font-family="sans-serif" font-size="12">',
        '<title id="growth-title">p95 als veelvoud van de kale view, naar aantal agenda\'s</title>',
        '<desc id="growth-desc">Lijngrafiek; dezelfde cijfers staan in de tabel in docs/performance.md.</desc>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#333"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#333"/>',
    ]
    for step in range(5):
        value = top_value * step / 4
        y = py(value)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:.0f}×</text>')
    for size in sizes:
        out.append(f'<text x="{px(size):.1f}" y="{height - bottom + 16}" text-anchor="middle">{size:,}</text>')
    out.append(
        f'<text x="{(left + width - right) / 2:.1f}" y="{height - 8}" text-anchor="middle">agenda\'s (log)</text>'
    )
    for index, endpoint in enumerate(series):
        colour = colours[index % len(colours)]
        points = [(px(s), py(figures[(s, endpoint)]["p95_ratio"])) for s in sizes if (s, endpoint) in figures]
        if not points:
            continue
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        out += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points]
        legend_y = top + 16 * index
        out.append(
            f'<line x1="{width - right + 12}" y1="{legend_y}" x2="{width - right + 30}" y2="{legend_y}" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
        out.append(f'<text x="{width - right + 36}" y="{legend_y + 4}">{escape(endpoint)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


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
    r.add_argument("--json", default="", help="append the figures to this file (for growth)")
    q = sub.add_parser("queries")
    q.add_argument("--cookie-file", default="var/benchmark-session.txt")
    q.add_argument("--label", default="")
    q.add_argument("--json", default="")
    g = sub.add_parser("growth")
    g.add_argument("--json", default="var/benchmark-growth.jsonl")
    g.add_argument("--svg", default="")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args)
        return 0
    if args.command == "queries":
        return queries(args)
    if args.command == "growth":
        return growth(args)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
