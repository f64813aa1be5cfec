#!/usr/bin/env bash
# Runs every test of Golden Path for Go and ends with one line
# "N passed, N failed" summed over all suites. Sets everything up first.
# Logs and artifacts (screenshots, rendered templates) land in test-results/.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
run_started=$(date +%s)
# busy CPU seconds of the whole machine (all cores) from /proc/stat
machine_cpu() { awk '/^cpu / { printf "%.0f\n", ($2 + $3 + $4 + $7 + $8) / 100 }' /proc/stat; }
cpu_at_start=$(machine_cpu)
bash "$ROOT/scripts/setup.sh" || exit 1
setup_seconds=$(($(date +%s) - run_started))
setup_cpu=$(($(machine_cpu) - cpu_at_start))
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
# -trimpath for every go command of the run (as e2e/lib/goFlags.mjs gives the
# suites): a package compiled under another directory (each suite's monorepo,
# each clone) is then the same build action, which Go's build cache serves.
export GOFLAGS=-trimpath
mkdir -p "$GOLDEN_PATH_LOCAL_ROOT"
started=$(date +%s)

# The browser suites that only register entities and read join one product
# started here with the README's start command (GOLDEN_PATH_E2E_PRODUCT=shared)
# instead of each starting the backend and building the app again. When it
# does not come up, that is one failure and each suite starts its own.
start_shared_product() {
  setsid bash "$ROOT/scripts/start.sh" >"$RESULTS/shared-product.log" 2>&1 </dev/null &
  shared_product_pid=$!
  local t0=$SECONDS
  until curl -sf http://127.0.0.1:7007/.backstage/health/v1/readiness >/dev/null &&
    curl -sf http://127.0.0.1:3000 >/dev/null; do
    if ! kill -0 "$shared_product_pid" 2>/dev/null || [ $((SECONDS - t0)) -gt 600 ]; then
      record shared-product 0 1
      say "shared-product: not ready (log: test-results/shared-product.log); each browser suite starts its own"
      stop_shared_product
      return
    fi
    sleep 2
  done
  record shared-product 1 0
  say "shared-product: ready in $((SECONDS - t0))s"
  export GOLDEN_PATH_E2E_PRODUCT=shared
}
stop_shared_product() {
  unset GOLDEN_PATH_E2E_PRODUCT
  kill -INT -- "-$shared_product_pid" 2>/dev/null || return 0
  for _ in $(seq 1 20); do
    kill -0 -- "-$shared_product_pid" 2>/dev/null || return 0
    sleep 1
  done
  kill -KILL -- "-$shared_product_pid" 2>/dev/null || true
}

# The suites run in three lanes at once (see "lanes" below); each lane runs its
# phases one after another. section TITLE: starts a phase of the current lane;
# each phase's wall time is in the summary, under its lane.
lane_name=main section_title="" section_started=0
end_section() {
  [ -n "$section_title" ] &&
    echo "$lane_name|$section_title $(($(date +%s) - section_started))s" >>"$RESULTS/phases.txt"
  section_title=""
}
section() {
  end_section
  section_title=$1 section_started=$(date +%s)
  say "$2"
}

# record NAME PASSED FAILED
record() { echo "$2 $3" >"$RESULTS/$1.count"; }

# with_cpu NAME CMD...: runs CMD; its CPU seconds (user + system, with every
# process it waited for: a suite's backends, tools and builds) go to
# $RESULTS/cpu.txt under the lane and phase, and to $RESULTS/NAME.cpu.
with_cpu() {
  local name=$1; shift
  (
    "$@"
    rc=$?
    # not `times | awk`: in a pipeline, times would run in a child of its own
    times >"$RESULTS/$name.times"
    awk -v line="$lane_name|$section_title|$name" -v one="$RESULTS/$name.cpu" -v all="$RESULTS/cpu.txt" '
      function secs(t, p) { split(t, p, /[ms]/); return p[1] * 60 + p[2] }
      NR == 2 { c = secs($1) + secs($2); printf "%.0f\n", c > one; printf "%s|%.1f\n", line, c >> all }' "$RESULTS/$name.times"
    rm -f "$RESULTS/$name.times"
    exit $rc
  )
}
cpu_of() { cat "$RESULTS/$1.cpu" 2>/dev/null || echo "?"; }

# check NAME CMD...: a whole command counted as one test.
check() {
  local name=$1 t0=$SECONDS; shift
  if with_cpu "$name" "$@" >"$RESULTS/$name.log" 2>&1; then record "$name" 1 0; else record "$name" 0 1; fi
  echo "$name: $(awk '{print $1" passed, "$2" failed"}' "$RESULTS/$name.count") ($((SECONDS - t0))s, cpu $(cpu_of "$name")s)"
}

# jest_suite: every package's unit tests through backstage-cli, counted per test.
jest_suite() {
  local t0=$SECONDS
  # 30 s per test, not jest's 5: beside the other lane a test takes several
  # times its time alone (seen: a test spawning git ten times, 5.0 s).
  with_cpu jest yarn_cmd backstage-cli repo test --watchAll=false --testTimeout=30000 --json --outputFile="$RESULTS/jest.json" \
    >"$RESULTS/jest.log" 2>&1
  if [ -s "$RESULTS/jest.json" ]; then
    node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites)' \
      "$RESULTS/jest.json" >"$RESULTS/jest.count"
  else
    record jest 0 1
  fi
  echo "jest: $(awk '{print $1" passed, "$2" failed"}' "$RESULTS/jest.count") ($((SECONDS - t0))s, cpu $(cpu_of jest)s)"
}

# node_suite NAME FILE...: node:test files, counted per test from TAP.
node_suite() {
  local name=$1 t0=$SECONDS; shift
  # A lane with suite_local_roots gives each suite its own local publish root
  # (see lane_checks).
  if [ -n "${suite_local_roots:-}" ]; then
    mkdir -p "$suite_local_roots/$name"
    GOLDEN_PATH_LOCAL_ROOT="$suite_local_roots/$name" \
      with_cpu "$name" node --test --test-concurrency=1 --test-reporter=tap "$@" >"$RESULTS/$name.log" 2>&1
  else
    with_cpu "$name" node --test --test-concurrency=1 --test-reporter=tap "$@" >"$RESULTS/$name.log" 2>&1
  fi
  local p f
  local c
  p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$RESULTS/$name.log" | tail -1)
  f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$RESULTS/$name.log" | tail -1)
  c=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$RESULTS/$name.log" | tail -1)
  f=$((${f:-0} + ${c:-0}))
  # A suite that ran nothing (a failed before hook, a crash) counts as one failure.
  [ -n "$p" ] && [ $((p + f)) -gt 0 ] || { p=${p:-0}; f=$((f > 0 ? f : 1)); }
  record "$name" "$p" "${f:-0}"
  echo "$name: $p passed, ${f:-0} failed ($((SECONDS - t0))s, cpu $(cpu_of "$name")s)"
}

# go_suite NAME DIR [go test args]: a Go module's tests, counted per test.
go_suite() {
  local name=$1 dir=$2 t0=$SECONDS; shift 2
  with_cpu "$name" bash -c 'cd "$1" && shift && go test -json -count=1 "$@" ./...' go_suite "$dir" "$@" >"$RESULTS/$name.json" 2>"$RESULTS/$name.log"
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n");
    let p = 0, f = 0, buildFail = 0;
    for (const l of lines) { if (!l.startsWith("{")) continue; const e = JSON.parse(l);
      if (e.Test && e.Action === "pass") p++; if (e.Test && e.Action === "fail") f++;
      if (!e.Test && e.Action === "fail") buildFail++; }
    console.log(p, f + (f === 0 && buildFail ? 1 : 0));' "$RESULTS/$name.json" >"$RESULTS/$name.count"
  echo "$name: $(awk '{print $1" passed, "$2" failed"}' "$RESULTS/$name.count") ($((SECONDS - t0))s, cpu $(cpu_of "$name")s)"
}

# Three lanes at once (2 cores: while one lane waits for a backend, the
# registry or a poll, another computes; measured: a backend suite uses 11-23 s
# of CPU in 25-54 s, jest 248 s in 265 s). Lane "7007": every suite on ports
# 7007/3000 (its own backend, or the shared product), one after another. Lane
# "checks": what needs no port (static checks, unit tests), then the suites on
# their own ports (replicas 7107-7109, burst 7110, insights-load 7120, fleet
# 7122/3122) or none. Lane "packing": the
# suites that build and pack the bundle's packages (tools-install,
# dynamic-plugins, fresh-app on 7140/3140), in a copy of the checkout (yarn
# pack rewrites each package.json while it packs, the templates package gets
# a copy of templates/, packages/cli/bin prefers the dist/ it builds, the
# exports build dist/ and dist-dynamic/: a backend, app or check of the other
# lanes would load the half-packed packages). Then each lane takes template
# suites from one queue, with its backend on 7007, 7130 or 7150
# (GOLDEN_PATH_E2E_BACKEND_PORT). No two suites of different
# lanes share a port, a database (each has its own name or prefix) or a local
# root: each suite of lanes "checks" and "packing" and of the queue publishes under its own
# GOLDEN_PATH_LOCAL_ROOT, because a suite's backend discovers every monorepo
# under its root (burst's order-service beside go-service's, add-scheduled-job's
# catalog-service beside add-dependency's were conflicting entity refs, and the
# first one registered wins). What they share on disk: tsc and the API reports
# (dist-types), which no backend or app loads (they run the plugins' src/,
# which their package.json names), and the toolchain (.tools). Alone, before
# the lanes: setup-bad-input (it stops the machine's PostgreSQL).

# The template suites: each makes its own monorepo with real tasks (none reads
# another suite's), on its lane's backend port and its own local root. Every
# lane takes the next one when it is done with its own suites, longest first
# (their wall times in a run), so the three lanes end about together.
TEMPLATE_QUEUE=(
  go-service     # the Go service template, its generated code's tests and linters
  go-monorepo    # the Go monorepo template
  upgrade        # the upgrade of local services and monorepos
  add-scheduled-job
  add-aggregate
  onboard-team   # a team's onboarding (no Gitea)
  add-rpc
  service-dependency # a service depending on another
  add-dependency
)
template_queue_init() { printf '%s\n' "${TEMPLATE_QUEUE[@]}" >"$RESULTS/template-queue.txt"; }
# template_queue: runs the queue's suites one after another in this lane until
# it is empty (a lock makes each taken by one lane).
template_queue() {
  local name
  suite_local_roots="$RESULTS/local-repos-templates"
  while name=$(flock "$RESULTS/template-queue.lock" sh -c \
    'IFS= read -r first <"$1" && sed -i 1d "$1" && printf "%s" "$first"' _ "$RESULTS/template-queue.txt"); do
    node_suite "$name" "e2e/$name.test.mjs"
  done
}

lane_7007() {
  lane_name="ports 7007/3000"
  section "end-to-end" "end-to-end: the real backend and app"
  node_suite backend-smoke e2e/backend-smoke.test.mjs
  node_suite backend-postgres e2e/backend-postgres.test.mjs
  node_suite actions-dry-run e2e/actions-dry-run.test.mjs
  node_suite sandbox e2e/sandbox.test.mjs
  node_suite techdocs e2e/techdocs.test.mjs
  node_suite insights-page e2e/insights-page.test.mjs
  node_suite discovery e2e/discovery.test.mjs

  section "browser suites" "browser suites on one product started with the README's start command"
  start_shared_product
  node_suite start-create-page e2e/start-create-page.test.mjs
  node_suite golden-path-page e2e/golden-path-page.test.mjs
  node_suite grpc-api-definition e2e/grpc-api-definition.test.mjs
  stop_shared_product

  section "templates" "templates: rendered by the real scaffolder, checked with the real tools"
  node_suite forge e2e/forge.test.mjs
  # templates registered from Gitea URLs: a service records the template commit, an upgrade renders it (base) and main (next)
  node_suite template-source e2e/template-source.test.mjs
  # the Go monorepo template and upgrade-monorepo registered from Gitea: the monorepo upgrade reads the recorded commit
  node_suite monorepo-template-source e2e/monorepo-template-source.test.mjs
  template_queue
  end_section
}

lane_checks() {
  lane_name="checks, own ports"
  suite_local_roots="$RESULTS/local-repos-checks"
  # the suites' own backend (e2e/lib/processes.mjs) on a port of this lane
  export GOLDEN_PATH_E2E_BACKEND_PORT=7130
  section "static checks" "static checks: tsc, lint, prettier, API reports"
  # tsc first: the packing lane starts from its declarations (see lane_packing)
  check tsc yarn_cmd tsc
  check lint yarn_cmd backstage-cli repo lint
  check prettier yarn_cmd prettier --check .
  # Public APIs against the committed report.api.md of each package (from tsc's dist-types):
  # a changed API without `yarn build:api-reports` fails here.
  check api-reports yarn_cmd backstage-repo-tools api-reports --ci --allow-all-warnings --omit-messages ae-wrong-input-file-type --exclude app --exclude backend
  # the bench scripts' command lines (bench/lib/options.mjs)
  node_suite bench-options e2e/bench-options.test.mjs
  # the suites' backends load the config schema from a cache: the same secrets redacted
  node_suite config-schema-cache e2e/config-schema-cache.test.mjs
  section "unit tests" "unit tests: every package's jest tests, the Go tools' tests"
  jest_suite
  [ -f tools/atlas/go.mod ] && go_suite atlas-cli tools/atlas
  go_suite tool-launcher tools/launcher
  go_suite tool-k8scheck tools/k8scheck

  section "own-port suites" "replicas, burst, insights under load, the fleet"
  # replicas: two backends with the production config on one PostgreSQL and Redis; a burst of tasks
  node_suite replicas e2e/replicas.test.mjs
  node_suite burst e2e/burst.test.mjs
  # insights under load: 20 users at once on a fleet of 41 services (about 20 s)
  node_suite insights-load e2e/insights-load.test.mjs
  # the fleet view on 500 services (10 monorepos x 50): the page cold and cached, the event loop, chromium (3 to 6 min)
  node_suite fleet e2e/fleet.test.mjs

  section "templates" "templates on port 7130: the template suites of the shared queue"
  template_queue
  end_section
}

# packing_copy DIR: the checkout as it is (committed, changed and new files,
# and git's view of them: the suites read git status and git ls-files) with
# what set-up made: every node_modules hard-linked (packing writes none of
# their files), yarn's install state, the toolchain and test-results/ linked.
packing_copy() {
  local copy=$1 d
  git clone -q --shared --no-checkout "$ROOT" "$copy" && git -C "$copy" reset -q &&
    git ls-files -z -co --exclude-standard |
    rsync -a --from0 --files-from=- --ignore-missing-args "$ROOT/" "$copy/" || return 1
  while IFS= read -r -d '' d; do
    # hard links need one file system; elsewhere (another TMPDIR) a real copy
    cp -al "$ROOT/$d" "$copy/$d" 2>/dev/null || { rm -rf "${copy:?}/$d"; cp -a "$ROOT/$d" "$copy/$d"; } || return 1
  done < <(find . -path ./.tools -prune -o -path ./test-results -prune -o -name node_modules -type d -prune -print0)
  cp .yarn/install-state.gz "$copy/.yarn/" 2>/dev/null
  ln -s "$ROOT/.tools" "$copy/.tools" && ln -s "$RESULTS" "$copy/test-results"
}

# copy_declarations DIR: the exports and the fresh app build from tsc's
# declarations; the copy's sources are the checkout's, so the checks lane's
# tsc output (dist-types/ with its incremental build info) is the copy's too,
# and the copy's `yarn tsc` then has nothing to do. A real copy, not links:
# tsc rewrites its outputs in place. When the checks lane's tsc has not
# passed (within 10 minutes), the copy's tsc compiles everything itself.
copy_declarations() {
  local copy=$1 t0=$SECONDS
  until [ -s "$RESULTS/tsc.count" ]; do
    [ $((SECONDS - t0)) -lt 600 ] || return 0
    sleep 2
  done
  [ "$(cat "$RESULTS/tsc.count")" = "1 0" ] || return 0
  rm -rf "${copy:?}/dist-types" && cp -a "$ROOT/dist-types" "$copy/dist-types" &&
    say "packing: tsc's declarations from the checks lane (waited $((SECONDS - t0))s)"
}

lane_packing() {
  lane_name="packing (a copy)"
  suite_local_roots="$RESULTS/local-repos-packing"
  section "packed packages" "packed packages: the CLI's tools install, the dynamic-plugin exports (in a copy of the checkout)"
  local copy t0=$SECONDS
  copy=$(mktemp -d "${TMPDIR:-/tmp}/gp-packing.XXXXXX")
  if ! packing_copy "$copy" >"$RESULTS/packing-copy.log" 2>&1; then
    record packing-copy 0 1
    say "packing-copy: the checkout could not be copied (log: test-results/packing-copy.log)"
    return
  fi
  say "packing-copy: made in $((SECONDS - t0))s"
  node_suite tools-install "$copy/e2e/tools-install.test.mjs"
  copy_declarations "$copy"
  node_suite dynamic-plugins "$copy/e2e/dynamic-plugins.test.mjs"
  section "fresh app" "a fresh Backstage app with the bundle installed from its packed tarballs (in the copy)"
  node_suite fresh-app "$copy/e2e/fresh-app.test.mjs"
  rm -rf "$copy"
  section "templates" "templates on port 7150: the template suites of the shared queue"
  export GOLDEN_PATH_E2E_BACKEND_PORT=7150
  template_queue
  end_section
}

# Before the lanes, alone: the set-up scripts on a broken machine stop the
# machine's PostgreSQL (the test command must start it again) and hold port 3000.
lane_name=before
section "set-up on a broken machine" "the set-up scripts on a broken machine (alone: it stops PostgreSQL)"
node_suite setup-bad-input e2e/setup-bad-input.test.mjs
end_section
template_queue_init
lanes_started=$(date +%s)

# run_lane NAME FUNCTION: the lane in the background, each line prefixed with [NAME].
lane_pids=()
run_lane() {
  ("$2" 2>&1 | sed -u "s/^/[$1] /") &
  lane_pids+=($!)
}
run_lane 7007 lane_7007
run_lane checks lane_checks
run_lane packing lane_packing
for pid in "${lane_pids[@]}"; do wait "$pid"; done
lanes_seconds=$(($(date +%s) - lanes_started))
lane_name=main

section "bad-input corpus" "bad-input corpus (hostile and malformed inputs across actions, insights and templates)"
check bad-input-corpus node "$ROOT/scripts/bad-input-corpus.mjs" "$RESULTS" 150
sed 's/^/  /' "$RESULTS/bad-input-corpus.log"

end_section

passed=0 failed=0
for f in "$RESULTS"/*.count; do
  read -r p fl <"$f"
  passed=$((passed + p)) failed=$((failed + fl))
  if [ "$fl" -gt 0 ]; then
    say "FAILED: $(basename "$f" .count) (log: test-results/$(basename "$f" .count).log)"
    node "$ROOT/scripts/failure-digest.mjs" "$RESULTS" "$(basename "$f" .count)" || true
  fi
done
say "all suites done in $(($(date +%s) - started))s; artifacts in test-results/"
# per phase, grouped by lane: the three lanes ran at the same time (${lanes_seconds}s together)
phases_line() { awk -F'|' -v l="$1" '$1 == l { printf "%s%s", (n++ ? ", " : ""), $2 }' "$RESULTS/phases.txt"; }
say "wall time per phase: set-up ${setup_seconds}s, $(phases_line before); at the same time for ${lanes_seconds}s: lane ports 7007/3000 ($(phases_line "ports 7007/3000")) and lane checks, own ports ($(phases_line "checks, own ports")) and lane packing ($(phases_line "packing (a copy)")); then $(phases_line main); total $(($(date +%s) - run_started))s"
# CPU seconds (user + system) per phase and the suites that took most: what
# bounds the run's time on 2 cores (README, "Two commands").
run_cpu=$(($(machine_cpu) - cpu_at_start)) run_wall=$(($(date +%s) - run_started))
cpu_per_phase=$(awk -F'|' '
  !($1 in lanes) { lanes[$1] = ++nl; lane[nl] = $1 }
  !(($1, $2) in c) { phase[$1, ++np[$1]] = $2 }
  { c[$1, $2] += $4 }
  END {
    for (i = 1; i <= nl; i++) {
      l = lane[i]; printf "%slane %s (", (i > 1 ? "; " : ""), l
      for (j = 1; j <= np[l]; j++) printf "%s%s %.0f s", (j > 1 ? ", " : ""), phase[l, j], c[l, phase[l, j]]
      printf ")"
    }
  }' "$RESULTS/cpu.txt")
in_suites=$(awk -F'|' '{ t += $4 } END { printf "%.0f", t }' "$RESULTS/cpu.txt" 2>/dev/null || echo 0)
say "CPU: $run_cpu s busy of $((run_wall * $(nproc))) s on $(nproc) cores: set-up $setup_cpu s, suites $in_suites s, the rest $((run_cpu - setup_cpu - in_suites)) s (the browser suites' shared product, anything else on the machine); per phase, each suite with the backends, tools and builds it waited for: $cpu_per_phase"
say "most CPU: $(sort -t'|' -k4,4 -rn "$RESULTS/cpu.txt" | head -10 | awk -F'|' '{ printf "%s%s %.0f s", (NR > 1 ? ", " : ""), $3, $4 }')"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
