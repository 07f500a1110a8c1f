#!/usr/bin/env bash
# Benchmark the ministry's pages under gunicorn on PostgreSQL, against a bare Django view as baseline.
#
#   scripts/benchmark.sh                       # uses DATABASE_URL or postgres://postgres@127.0.0.1:5432/ka_reports
#   DATABASE_URL=postgres://... REQUESTS=300 CONCURRENCY=2 WORKERS=2 scripts/benchmark.sh
#
# Steps: migrate; build the national portfolio if the database has none (build_portfolio --seed 42);
# start gunicorn (production settings, --no-control-socket, BENCHMARK_BASELINES on for the bare references);
# measure every endpoint and its baseline with scripts/benchmark.py (wrk when installed), warm (dashboard
# cache on) and cold (DASHBOARD_CACHE_SECONDS=0); stop gunicorn. MODES="warm" measures one phase only.
# Figures and how to read them: docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo /work/main/.venv/bin/python )}
GUNICORN=${GUNICORN:-$(dirname "$PYTHON")/gunicorn}
PORT=${PORT:-8765}
WORKERS=${WORKERS:-2}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ka_reports}
export DJANGO_SETTINGS_MODULE=kansenagenda.settings.production
export SECRET_KEY=${SECRET_KEY:-$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(64))')}
export SECURE_SSL_REDIRECT=False
export ALLOWED_HOSTS=127.0.0.1,localhost
export LOG_LEVEL=WARNING

case "$DATABASE_URL" in postgres*) ;; *) echo "Dit script meet op PostgreSQL: zet DATABASE_URL=postgres://..." >&2; exit 2 ;; esac

"$PYTHON" manage.py migrate --noinput -v0
"$PYTHON" scripts/benchmark.py prepare --cookie-file var/benchmark-session.txt

export BENCHMARK_BASELINES=True  # the bare references (kansenagenda/benchmark.py); never set in production

serve_and_measure() {  # $1 = warm|cold; cold: no dashboard cache, so every request aggregates (as after a change)
  local cache=300
  [ "$1" = cold ] && cache=0
  DASHBOARD_CACHE_SECONDS=$cache "$GUNICORN" kansenagenda.wsgi:application --no-control-socket --workers "$WORKERS" \
    --bind "127.0.0.1:$PORT" --log-level warning &
  GUNICORN_PID=$!
  trap 'kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true' EXIT
  UP=0
  for _ in $(seq 1 150); do
    if "$PYTHON" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/_benchmark/anoniem', timeout=1)" 2>/dev/null; then
      UP=1
      break
    fi
    sleep 0.2
  done
  [ "$UP" = 1 ] || { echo "gunicorn kwam niet op poort $PORT op" >&2; exit 1; }
  "$PYTHON" scripts/benchmark.py run --base "http://127.0.0.1:$PORT" --cookie-file var/benchmark-session.txt \
    --requests "${REQUESTS:-300}" --concurrency "${CONCURRENCY:-2}" --mode "$1" --label "${LABEL:-}" \
    ${JSON:+--json "$JSON"}
  kill "$GUNICORN_PID" 2>/dev/null || true
  wait "$GUNICORN_PID" 2>/dev/null || true
}

for mode in ${MODES:-warm cold}; do
  serve_and_measure "$mode"
done
# the number of queries of each endpoint (flat in the portfolio size: scripts/benchmark-growth.sh compares)
"$PYTHON" scripts/benchmark.py queries --cookie-file var/benchmark-session.txt --label "${LABEL:-}" ${JSON:+--json "$JSON"}
