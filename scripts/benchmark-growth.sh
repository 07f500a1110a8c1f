#!/usr/bin/env bash
# How cost grows with the portfolio: scripts/benchmark.sh on portfolios of 40, 400 and 4,000 agendas, then one
# table (p50/p95 as multiples of the baselines of the same run, and the number of queries) and an SVG chart.
#
#   GROWTH="40=postgres://…/ka_g40 400=postgres://…/ka_g400 4000=postgres://…/ka_g4000" scripts/benchmark-growth.sh
#
# Each database is built when it has no portfolio yet: 40 agendas (--regions 4 --agendas 40), 400 (the default)
# or 4,000 (--scale 10), all with --seed 42. REQUESTS, CONCURRENCY, WORKERS as for benchmark.sh.
# Output: the markdown table on stdout; the chart in ${SVG:-docs/performance-growth.svg}; raw lines in var/.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo /work/main/.venv/bin/python )}
export JSON=${JSON:-var/benchmark-growth.jsonl}
mkdir -p var
: > "$JSON"
for pair in ${GROWTH:?GROWTH=\"40=postgres://… 400=postgres://… 4000=postgres://…\"}; do
  size=${pair%%=*}
  url=${pair#*=}
  case "$size" in
    40) args="--regions 4 --agendas 40" ;;
    400) args="" ;;
    4000) args="--scale 10" ;;
    *) echo "onbekende omvang $size (40, 400 of 4000)" >&2; exit 2 ;;
  esac
  if ! DATABASE_URL=$url DJANGO_SETTINGS_MODULE=kansenagenda.settings.test \
      "$PYTHON" -c "import django; django.setup(); from agendas.models import Agenda; raise SystemExit(0 if Agenda.objects.exists() else 1)" 2>/dev/null; then
    DATABASE_URL=$url DJANGO_SETTINGS_MODULE=kansenagenda.settings.test \
      sh -c "'$PYTHON' manage.py migrate --noinput -v0 && '$PYTHON' manage.py build_portfolio --seed 42 $args"
  fi
  DATABASE_URL=$url LABEL=$size scripts/benchmark.sh
done
"$PYTHON" scripts/benchmark.py growth --json "$JSON" --svg "${SVG:-docs/performance-growth.svg}"
