#!/usr/bin/env bash
# Runs every test of Golden Path for Go and ends with one line
# "N passed, N failed" summed over all suites. Sets everything up first.
# Logs and artifacts (screenshots, rendered templates) land in test-results/.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
bash "$ROOT/scripts/setup.sh" || exit 1
activate_toolchain
ensure_services
# The end-to-end suites start their own backend and app on these ports.
require_free_port 7007 "Backstage backend"
require_free_port 3000 "Backstage app"
cd "$ROOT"

RESULTS="$ROOT/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
# A fresh static token per run, so no test depends on a developer's token.
export GOLDEN_PATH_TOKEN="test-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
export GOLDEN_PATH_LOCAL_ROOT="$RESULTS/local-repos"
mkdir -p "$GOLDEN_PATH_LOCAL_ROOT"
started=$(date +%s)

# record NAME PASSED FAILED
record() { echo "$2 $3" >"$RESULTS/$1.count"; }

# check NAME CMD...: a whole command counted as one test.
check() {
  local name=$1 t0=$SECONDS; shift
  if "$@" >"$RESULTS/$name.log" 2>&1; then record "$name" 1 0; else record "$name" 0 1; fi
  echo "$name: $(awk '{print $1" passed, "$2" failed"}' "$RESULTS/$name.count") ($((SECONDS - t0))s)"
}

# jest_suite: every package's unit tests through backstage-cli, counted per test.
jest_suite() {
  local t0=$SECONDS
  yarn_cmd backstage-cli repo test --watchAll=false --json --outputFile="$RESULTS/jest.json" \
    >"$RESULTS/jest.log" 2>&1
  if [ -s "$RESULTS/jest.json" ]; then
    node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites)' \
      "$RESULTS/jest.json" >"$RESULTS/jest.count"
  else
    record jest 0 1
  fi
  echo "jest: $(awk '{print $1" passed, "$2" failed"}' "$RESULTS/jest.count") ($((SECONDS - t0))s)"
}

# node_suite NAME FILE...: node:test files, counted per test from TAP.
node_suite() {
  local name=$1 t0=$SECONDS; shift
  node --test --test-concurrency=1 --test-reporter=tap "$@" >"$RESULTS/$name.log" 2>&1
  local p f
  local c
  p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$RESULTS/$name.log" | tail -1)
  f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$RESULTS/$name.log" | tail -1)
  c=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$RESULTS/$name.log" | tail -1)
  f=$((${f:-0} + ${c:-0}))
  # A suite that ran nothing (a failed before hook, a crash) counts as one failure.
  [ -n "$p" ] && [ $((p + f)) -gt 0 ] || { p=${p:-0}; f=$((f > 0 ? f : 1)); }
  record "$name" "$p" "${f:-0}"
  echo "$name: $p passed, ${f:-0} failed ($((SECONDS - t0))s)"
}

# go_suite NAME DIR [go test args]: a Go module's tests, counted per test.
go_suite() {
  local name=$1 dir=$2 t0=$SECONDS; shift 2
  (cd "$dir" && go test -json -count=1 "$@" ./...) >"$RESULTS/$name.json" 2>"$RESULTS/$name.log"
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n");
    let p = 0, f = 0, buildFail = 0;
    for (const l of lines) { if (!l.startsWith("{")) continue; const e = JSON.parse(l);
      if (e.Test && e.Action === "pass") p++; if (e.Test && e.Action === "fail") f++;
      if (!e.Test && e.Action === "fail") buildFail++; }
    console.log(p, f + (f === 0 && buildFail ? 1 : 0));' "$RESULTS/$name.json" >"$RESULTS/$name.count"
  echo "$name: $(awk '{print $1" passed, "$2" failed"}' "$RESULTS/$name.count") ($((SECONDS - t0))s)"
}

say "static checks and unit tests"
check lint yarn_cmd backstage-cli repo lint
check prettier yarn_cmd prettier --check .
check tsc yarn_cmd tsc
# Public APIs against the committed report.api.md of each package (from tsc's dist-types):
# a changed API without `yarn build:api-reports` fails here.
check api-reports yarn_cmd backstage-repo-tools api-reports --ci --allow-all-warnings --omit-messages ae-wrong-input-file-type --exclude app --exclude backend
jest_suite
[ -f tools/atlas/go.mod ] && go_suite atlas-cli tools/atlas
go_suite tool-launcher tools/launcher
go_suite tool-k8scheck tools/k8scheck

say "end-to-end: the set-up scripts on a broken machine, the real backend and app"
node_suite setup-bad-input e2e/setup-bad-input.test.mjs
node_suite tools-install e2e/tools-install.test.mjs
node_suite backend-smoke e2e/backend-smoke.test.mjs
node_suite backend-postgres e2e/backend-postgres.test.mjs
node_suite actions-dry-run e2e/actions-dry-run.test.mjs
node_suite sandbox e2e/sandbox.test.mjs
node_suite techdocs e2e/techdocs.test.mjs
node_suite start-create-page e2e/start-create-page.test.mjs
node_suite insights-page e2e/insights-page.test.mjs
node_suite golden-path-page e2e/golden-path-page.test.mjs
node_suite grpc-api-definition e2e/grpc-api-definition.test.mjs
node_suite discovery e2e/discovery.test.mjs

say "templates: rendered by the real scaffolder, checked with the real tools"
node_suite go-monorepo e2e/go-monorepo.test.mjs
node_suite go-service e2e/go-service.test.mjs
node_suite add-scheduled-job e2e/add-scheduled-job.test.mjs
node_suite add-rpc e2e/add-rpc.test.mjs
node_suite service-dependency e2e/service-dependency.test.mjs
node_suite onboard-team e2e/onboard-team.test.mjs

say "replicas: two backends with the production config on one PostgreSQL and Redis; a burst of tasks"
node_suite replicas e2e/replicas.test.mjs
node_suite burst e2e/burst.test.mjs

say "bad-input corpus (hostile and malformed inputs across actions, insights and templates)"
check bad-input-corpus node "$ROOT/scripts/bad-input-corpus.mjs" "$RESULTS" 150
sed 's/^/  /' "$RESULTS/bad-input-corpus.log"

passed=0 failed=0
for f in "$RESULTS"/*.count; do
  read -r p fl <"$f"
  passed=$((passed + p)) failed=$((failed + fl))
  [ "$fl" -gt 0 ] && say "FAILED: $(basename "$f" .count) (log: test-results/$(basename "$f" .count).log)"
done
say "all suites done in $(($(date +%s) - started))s; artifacts in test-results/"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
