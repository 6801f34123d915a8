#!/usr/bin/env bash
# The load scenario of bench/locustfile.py against the production shape on loopback:
# gunicorn + PostgreSQL + Redis + a Celery worker, with the 8,000-organisation data set.
#   bench/load.sh [users] [duration]        default: 30 users for 3m
# The data set is generated once into the database ita_bench (ITA_BENCH_DB) and kept for later runs;
# `dropdb -h 127.0.0.1 -U postgres ita_bench` frees it. Results: bench/results/load_*.csv and load.md.
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${1:-30}
DURATION=${2:-3m}
DB=${ITA_BENCH_DB:-ita_bench}
PORT=${ITA_BENCH_PORT:-8010}
PY=.venv/bin/python

export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=redis://127.0.0.1:6379/13
export ITA_CELERY_QUEUE=ita-bench
export ITA_VAR_DIR=${ITA_BENCH_VAR_DIR:-$PWD/var/bench}
export DJANGO_DEBUG=false
mkdir -p "$ITA_VAR_DIR" bench/results

[ -x .venv/bin/locust ] || .venv/bin/pip install -q --require-hashes -r requirements/bench.txt

if ! psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw "$DB"; then
  createdb -h 127.0.0.1 -U postgres "$DB"
fi
$PY manage.py migrate --noinput -v0
if [ "$(psql -h 127.0.0.1 -U postgres -d "$DB" -tAc "select count(*) from accounts_organisation where slug like 's%'")" -lt 8000 ]; then
  /usr/bin/time -f "generate_scale_data: %e s wall, %M KB peak" $PY manage.py generate_scale_data --orgs 8000 --years 4
fi
$PY manage.py collectstatic --noinput -v0
# The executives who have a memo waiting for their own decision (level held through their position),
# for the scenario's "executives deciding memos"; each decision moves a memo on, so the list is re-read
# on every run.
psql -h 127.0.0.1 -U postgres -d "$DB" -tAc "
  select distinct u.username from reports_memo m
    join reports_approvalchain c on c.organisation_id = m.organisation_id
    join reports_chainlevel l on l.chain_id = c.id and l.\"order\" = m.current_level
    join accounts_membership ms on ms.position_id = l.position_id and ms.is_active
    join accounts_user u on u.id = ms.user_id
  where m.state = 'in_review' and u.username ~ '\.s[0-9]+$'" > bench/results/deciders.txt

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
# Two cores: three sync workers keep both busy while Locust itself takes its share.
.venv/bin/gunicorn itaportal.wsgi:application --bind 127.0.0.1:$PORT --workers 3 --log-level warning &
pids+=($!)
.venv/bin/celery -A itaportal worker --concurrency 1 --loglevel warning -Q "$ITA_CELERY_QUEUE" &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

.venv/bin/locust -f bench/locustfile.py --headless --users "$USERS" --spawn-rate 2 --run-time "$DURATION" \
  --host "http://127.0.0.1:$PORT" --csv bench/results/load --only-summary --loglevel WARNING
$PY bench/locust_table.py bench/results/load_stats.csv | tee bench/results/load.md
