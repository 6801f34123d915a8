#!/usr/bin/env bash
# Benchmark: import a national results file (8,000 organisations × overall, level, 3 tools and 10
# indicators) into PostgreSQL, twice (inserts, then updates). Needs PostgreSQL on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
ORGS=${ORGS:-8000}
DB=ita_bench_$$
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
createdb -h 127.0.0.1 -U postgres "$DB"
trap 'dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"' EXIT
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py load_frameworks >/dev/null
.venv/bin/python manage.py generate_score_file --orgs "$ORGS" --year 2567 --out /tmp/national-$$.csv --create-orgs
echo "first import (inserts):"
.venv/bin/python manage.py import_scores /tmp/national-$$.csv
echo "second import (updates):"
.venv/bin/python manage.py import_scores /tmp/national-$$.csv
rm -f /tmp/national-$$.csv
