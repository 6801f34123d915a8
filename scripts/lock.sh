#!/usr/bin/env bash
# Regenerate the hashed lock files from pyproject.toml after changing a dependency:
#   requirements/app.txt (run the portal), test.txt (run the suite), bench.txt (the load scenario).
# uv resolves for Python 3.11 on every platform; scripts/dev.sh installs with --require-hashes.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-uv}
command -v "$UV" >/dev/null 2>&1 || { python3 -m pip install -q --user uv && UV="$(python3 -m site --user-base)/bin/uv"; }
for extra in app test bench; do
  args=()
  [ "$extra" = app ] || args=(--extra "$extra")
  "$UV" pip compile pyproject.toml "${args[@]}" --generate-hashes --python-version 3.11 --universal \
    --no-header --quiet -o "requirements/$extra.txt"
done
