#!/usr/bin/env bash
# The two commands of the README's quick start:
#   scripts/dev.sh run    install what is missing, load the demo data, serve on the first free port from 8000
#   scripts/dev.sh test   install what the tests need, then run the whole suite
# With CI=true (or PostgreSQL and Redis answering on this machine) the tests run against a fresh
# PostgreSQL database and a real Celery worker on Redis; otherwise on SQLite with tasks in-process.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
VENV=.venv

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "Please install these Debian packages (as root): ${missing[*]}"
    return 0
  fi
  say "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

python_install() {
  # Exact versions with hashes from requirements/<extra>.txt (made by `scripts/lock.sh` from pyproject.toml):
  # a tampered or substituted download fails the install instead of running.
  local extra=$1 lock="requirements/$1.txt" stamp="$VENV/.installed-$1"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    say "Installing Python packages ($lock)"
    "$VENV/bin/pip" install -q --disable-pip-version-check --require-hashes -r "$lock"
    # The project itself, from this checkout; its dependencies came from the lock above.
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -e .
    touch "$stamp"
  fi
}

prepare() {
  # Pango for WeasyPrint, gettext to compile the Thai catalogue, poppler for reading PDFs back.
  apt_install libpango-1.0-0 libpangoft2-1.0-0 gettext poppler-utils "$@"
  mkdir -p var
  "$VENV/bin/python" manage.py compilemessages -v0 --ignore=.venv
}

services_up() { "$VENV/bin/python" - <<'PY'
import socket, sys
for port in (5432, 6379):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        sys.exit(1)
PY
}

ensure_services() {
  # The brief's machines run both before the session; start whichever stopped.
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
  fi
  if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && command -v redis-server >/dev/null; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
  fi
}

case "${1:-}" in
  run)
    python_install app
    prepare
    "$VENV/bin/python" manage.py migrate --noinput -v0
    # Another program may hold 8000: take the first free port from ITA_PORT (default 8000) upwards, and
    # build every printed address (QR codes, links in mails) on it unless ITA_PORTAL_URL says otherwise.
    HOST=${ITA_HOST:-127.0.0.1}
    PORT=$("$VENV/bin/python" - "$HOST" "${ITA_PORT:-8000}" <<'PY'
import socket, sys
host, port = sys.argv[1], int(sys.argv[2])
for candidate in range(port, port + 100):
    with socket.socket() as probe:
        try:
            probe.bind((host, candidate))
        except OSError:
            continue
        print(candidate)
        break
else:
    sys.exit(f"no free port from {port} to {port + 99} on {host}")
PY
)
    export ITA_PORTAL_URL=${ITA_PORTAL_URL:-http://$HOST:$PORT}
    "$VENV/bin/python" manage.py load_demo
    say "ITA Portal at $ITA_PORTAL_URL (Ctrl-C to stop)"
    exec "$VENV/bin/python" manage.py runserver "$HOST:$PORT"
    ;;
  test)
    shift
    python_install test
    prepare chromium
    if [ "${CI:-}" = "true" ]; then ensure_services; fi
    if [ "${CI:-}" = "true" ] || services_up; then
      # A fresh database per run: pytest-django creates test_<name> and drops it afterwards.
      export DATABASE_URL=${ITA_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ita_$$}
      export REDIS_URL=${ITA_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
      export ITA_CELERY_QUEUE=ita-test-$$
      export ITA_REQUIRE_SERVICES=true
      say "Tests on PostgreSQL and Redis with a real Celery worker"
    else
      say "PostgreSQL or Redis not reachable: tests on SQLite, tasks in-process, worker tests skipped"
    fi
    exec "$VENV/bin/python" -m pytest --create-db "$@"
    ;;
  *)
    echo "usage: scripts/dev.sh run | test [pytest arguments]" >&2
    exit 2
    ;;
esac
