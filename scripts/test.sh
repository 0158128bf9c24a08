#!/usr/bin/env bash
# Runs every chaosgate check and test: lint, types, unit, API, database, integration against
# the local kube-apiserver, and end-to-end in Chromium. Ends with "N passed, N failed".
#
#   scripts/test.sh              everything, embedded PGlite as the database
#   TEST_DATABASE_URL=postgres://user@host/postgres scripts/test.sh
#                                the same on a PostgreSQL server (one fresh database per test),
#                                plus the database suite once more on PGlite
#   scripts/test.sh --project api    only some vitest projects (extra args go to vitest)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
source scripts/lib.sh

ensure_debian_packages chromium fonts-noto-cjk
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

results_dir="$(mktemp -d)"
trap 'rm -rf "$results_dir"' EXIT
status=0

step() { printf '\n[chaosgate test] %s\n' "$*" >&2; }

step "lint (biome)"
pnpm exec biome check . || status=1
step "types (tsc, vue-tsc)"
pnpm run -s typecheck || status=1
step "web build"
build_web || status=1
if [[ -x deploy/local-cluster/build.sh ]]; then
  step "local control plane build"
  deploy/local-cluster/build.sh || status=1
fi

run_vitest() {
  local label="$1"; shift
  step "vitest: ${label}"
  pnpm exec vitest run --reporter=default --reporter=json --outputFile="${results_dir}/${label}.json" "$@" || status=1
}

run_vitest all "$@"
if [[ -n "${TEST_DATABASE_URL:-}" && $# -eq 0 ]]; then
  TEST_DATABASE_URL= run_vitest db-on-pglite --project db
fi

node scripts/summarize-results.mjs "${results_dir}"/*.json || status=1
exit "$status"
