#!/usr/bin/env bash
# Renders a monorepo and a service into it without a backend (`golden-path
# template render-local`, packages/cli) and runs what the template's steps and CI run, printing the
# wall time of each phase:
#   buf lint/generate, sqlc generate/vet (template steps); atlas.sum (written
#   the way `atlas migrate hash` does); make workspace; gofmt; go mod tidy/verify;
#   go build, go vet; go test -race (unit, fx graph, dependency rule,
#   integration tests on a fresh PostgreSQL database, the binary boot test with
#   a real gRPC client and SIGTERM); golangci-lint with the service's
#   .golangci.yml (the dependency rule);
#   kustomize build of every Kubernetes overlay, decoded strictly (tools/k8scheck);
#   buf breaking against the committed state; sqlc diff; make check-generated.
#
# Usage: dev/check.sh values/orders.json [OUT_DIR] [MONOREPO_VALUES]
#   MONOREPO_VALUES defaults to go-monorepo/values/{mvp,async}.json by stage.
#   MONOREPO_RENDERED=DIR takes the monorepo from DIR (e.g. `yarn golden-path render
#   templates/go-monorepo ...`) instead of rendering it without a backend.
#   RENDERED=DIR takes the service files from DIR instead of render-local, e.g.
#   the output of the real scaffolder:
#     yarn golden-path render templates/go-service --values values/orders.json --out /tmp/dry-orders
#     RENDERED=/tmp/dry-orders dev/check.sh values/orders.json
# Env: GOCACHE=$(mktemp -d) for a cold-cache run; TEST_DATABASE_URL,
#      TEST_RABBITMQ_URL as in the generated tests.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
values="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
label="$(basename "$values" .json)"
out="${2:-/tmp/gp-svc-$label}"
export PATH="$repo/.tools/bin:/usr/local/go/bin:$PATH" GOTOOLCHAIN=local
node="${NODE:-$repo/.tools/node/bin/node}"
# golden-path template render-local / sync-catalog-proto (packages/cli).
golden_path=("$node" "$repo/packages/cli/bin/golden-path")
read -r name stage < <("$node" -e 'const v=require(process.argv[1]); console.log(v.name, v.stage)' "$values")
mono_values="${3:-$repo/templates/go-monorepo/values/$([[ $stage == async ]] && echo async || echo mvp).json}"
svc="services/$name-service"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

start_all=$(date +%s.%N)
phase() {
  local label=$1; shift
  local t0; t0=$(date +%s.%N)
  "$@" >"$log" 2>&1 || { cat "$log"; echo "FAIL: $label"; exit 1; }
  printf '  %-40s %6.1fs\n' "$label" "$(echo "$(date +%s.%N) - $t0" | bc)"
}

# atlas.sum as `atlas migrate hash` writes it, with Atlas's own Go library
# (a throwaway program, built once); .tools/bin/atlas, when present, must agree.
atlas_hash() {
  local tool=/tmp/gp-atlashash
  if [[ ! -x $tool/atlashash ]]; then
    mkdir -p $tool
    cat >$tool/main.go <<'GO'
package main

import (
	"log"
	"os"

	"ariga.io/atlas/sql/migrate"
)

func main() {
	dir, err := migrate.NewLocalDir(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	files, err := dir.Files()
	if err != nil {
		log.Fatal(err)
	}
	sum, err := migrate.NewHashFile(files)
	if err != nil {
		log.Fatal(err)
	}
	if err := migrate.WriteSumFile(dir, sum); err != nil {
		log.Fatal(err)
	}
}
GO
    printf 'module gp/atlashash\n\ngo 1.26.0\n\nrequire ariga.io/atlas v0.32.1-0.20250325101103-175b25e1c1b9\n' >$tool/go.mod
    (cd $tool && GOWORK=off GOFLAGS=-mod=mod go mod tidy && GOWORK=off go build -o atlashash .)
  fi
  $tool/atlashash "$svc/db/migrations"
  if [[ -x "$repo/.tools/bin/atlas" ]]; then
    atlas migrate validate --dir "file://$svc/db/migrations"
  fi
}

# The layer rule, on the real import graph: domain imports nothing of the
# application, adapters or infrastructure; the application no adapter or
# infrastructure package.
# The dependency rule: golangci-lint (depguard) with the service's .golangci.yml,
# the file tests/architecture and the insights tab read too (decision 50).
lint_rule() {
  command -v golangci-lint >/dev/null || { echo "golangci-lint is not in .tools/bin: run scripts/setup.sh (tools/golangci-lint/go.mod pins it)"; return 1; }
  (cd "$svc" && golangci-lint run ./...)
}

# Kubernetes: every overlay of the service (and the monorepo's gateway) built
# with kustomize and each document decoded strictly with the API types
# (tools/k8scheck: unknown kinds and misspelled fields refused, plus the
# workload rules); then a misspelled field must make it fail.
k8scheck_bin() {
  if [[ -x "$repo/.tools/bin/k8scheck" ]]; then echo "$repo/.tools/bin/k8scheck"; return; fi
  (cd "$repo/tools/k8scheck" && go build -o /tmp/gp-k8scheck/k8scheck .) >&2 && echo /tmp/gp-k8scheck/k8scheck
}
k8s_check() {
  command -v kustomize >/dev/null || { echo "kustomize is not in .tools/bin: run scripts/setup.sh (tools/go/go.mod pins it)"; return 1; }
  local check overlays=0; check="$(k8scheck_bin)"
  for dir in "$svc"/deploy/k8s/overlays/* deploy/k8s/gateway/overlays/*; do
    [[ -d $dir ]] || continue
    echo "== kustomize build $dir"
    kustomize build "$dir" | "$check" - || return 1
    overlays=$((overlays + 1))
  done
  [[ $overlays -ge 2 ]] || { echo "no overlay under $svc/deploy/k8s/overlays"; return 1; }
  # Every variable the ConfigMaps set is one the service reads.
  local key bad=0
  for key in $(grep -hoE '^[A-Z][A-Z0-9_]*=' "$svc"/deploy/k8s/base/*.env "$svc"/deploy/k8s/overlays/*/*.env | tr -d = | sort -u); do
    grep -rqF --include='*.go' "\"$key\"" "$svc/internal" "$svc/cmd" pkg ||
      { echo "$svc/deploy/k8s: $key is set but the service never reads it"; bad=1; }
  done
  return $bad
}
# GOMEMLIMIT, a literal in the manifests (decision 55), is about 90% (85-95%)
# of limits.memory in every container and init container of every overlay of
# the service and of the gateway (go-monorepo/dev/k8s-memlimit.mjs); then a
# prod limit raised without it and an init container's out of step must fail.
k8s_memlimit_of() {
  kustomize build "$1" | "$node" "$repo/templates/go-monorepo/dev/k8s-memlimit.mjs" "$1"
}
k8s_memlimit() {
  local dir tmp
  for dir in "$svc"/deploy/k8s/overlays/* deploy/k8s/gateway/overlays/*; do
    [[ -d $dir ]] || continue
    k8s_memlimit_of "$dir" || return 1
  done
  tmp="$(mktemp -d)"
  cp -r "$svc/deploy/k8s" "$tmp/k8s"
  sed -i 's/memory: 512Mi/memory: 1Gi/' "$tmp/k8s/overlays/prod/deployment-patch.yaml"
  if k8s_memlimit_of "$tmp/k8s/overlays/prod" >"$tmp/out" 2>&1; then
    cat "$tmp/out"; echo "a prod memory limit raised without GOMEMLIMIT was accepted"; return 1
  fi
  grep -F 'containers[server]: GOMEMLIMIT 460MiB must be 85-95% of limits.memory 1Gi' "$tmp/out" || { cat "$tmp/out"; return 1; }
  rm -rf "$tmp/k8s" && cp -r "$svc/deploy/k8s" "$tmp/k8s"
  sed -i 's/value: 115MiB/value: 200MiB/' "$tmp/k8s/base/deployment.yaml"
  if k8s_memlimit_of "$tmp/k8s/overlays/local" >"$tmp/out" 2>&1; then
    cat "$tmp/out"; echo "the migrations init container's GOMEMLIMIT above its memory limit was accepted"; return 1
  fi
  grep -F 'initContainers[migrate]: GOMEMLIMIT 200MiB must be 85-95% of limits.memory 128Mi' "$tmp/out" || { cat "$tmp/out"; return 1; }
}
k8s_typo_refused() {
  local tmp; tmp="$(mktemp -d)"
  cp -r "$svc/deploy/k8s" "$tmp/k8s"
  sed -i '0,/readinessProbe:/s//readinesProbe:/' "$tmp/k8s/base/deployment.yaml"
  if kustomize build "$tmp/k8s/overlays/prod" | "$(k8scheck_bin)" - >"$tmp/out" 2>&1; then
    cat "$tmp/out"; echo "k8scheck accepted a misspelled field (readinesProbe)"; return 1
  fi
  grep -F 'unknown field "spec.template.spec.containers[0].readinesProbe"' "$tmp/out"
}
# The migrations init container's own command line (args from the built local
# overlay, $(VAR)s expanded from its ConfigMap) run with atlas against a fresh
# database owned by a fresh login role, the password only in PGPASSWORD, with
# the migrations where db/Dockerfile puts them; every file must be applied.
k8s_migrate() {
  grep -qx 'COPY migrations/ /migrations/' "$svc/db/Dockerfile" || { echo "$svc/db/Dockerfile does not copy migrations/ to /migrations/"; return 1; }
  local role="gpk8s_$(date +%s)_$RANDOM" pw="pw-$RANDOM-$RANDOM" pg=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres)
  "${pg[@]}" -d postgres -c "CREATE ROLE $role LOGIN PASSWORD '$pw'" -c "CREATE DATABASE ${role}_db OWNER $role" || return 1
  local rc=0
  k8s_migrate_run "$role" "$pw" || rc=$?
  "${pg[@]}" -d postgres -c "DROP DATABASE IF EXISTS ${role}_db WITH (FORCE)" -c "DROP ROLE IF EXISTS $role"
  return $rc
}
k8s_migrate_run() {
  local role=$1 pw=$2 pg=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres) args
  mapfile -t args < <(kustomize build "$svc/deploy/k8s/overlays/local" | "$node" -e '
const { parseAllDocuments } = require("module").createRequire(process.argv[1] + "/package.json")("yaml");
const docs = parseAllDocuments(require("fs").readFileSync(0, "utf8")).map(d => d.toJS()).filter(Boolean);
const cms = Object.fromEntries(docs.filter(d => d.kind === "ConfigMap").map(d => [d.metadata.name, d.data ?? {}]));
const dep = docs.find(d => d.kind === "Deployment");
const c = (dep?.spec.template.spec.initContainers ?? []).find(c => c.name === "migrate");
if (!c) process.exit(0);
const env = {};
for (const ef of c.envFrom ?? []) Object.assign(env, cms[ef.configMapRef.name]);
for (const a of process.argv.slice(2)) env[a.slice(0, a.indexOf("="))] = a.slice(a.indexOf("=") + 1);
for (const a of c.args) {
  console.log(a.replace(/\$\((\w+)\)/g, (_, v) => {
    if (!(v in env)) throw new Error(`the migrate init container uses $(${v}), which no ConfigMap sets`);
    return env[v];
  }));
}
' "$repo" DB_HOST=127.0.0.1 DB_NAME="${role}_db" DB_USER="$role" DB_SSLMODE=disable)
  [[ ${#args[@]} -gt 0 && ${args[0]} == migrate ]] || { echo "no migrate init container in the local overlay"; return 1; }
  args=("${args[@]/#file:\/\/\/migrations/file://$PWD/$svc/db/migrations}")
  echo "atlas ${args[*]}"
  PGPASSWORD="$pw" atlas "${args[@]}" || return 1
  local want applied
  want=$(ls "$svc"/db/migrations/*.sql | wc -l)
  applied=$("${pg[@]}" -d "${role}_db" -tAc "SELECT count(*) FROM atlas_schema_revisions.atlas_schema_revisions WHERE applied = total")
  [[ $applied == "$want" ]] || { echo "$applied of $want migrations applied"; return 1; }
}

# Local observability: the service's scrape target and dashboard (deploy/),
# checked with promtool (tools/promtool/go.mod pins it): the monorepo's
# Prometheus config with the target file, and every dashboard query parsed as
# a rule, the pool panels evaluated by promtool on known series; then a
# dashboard query naming an unregistered metric (an RPC one, a pool one) must
# fail.
observability_check() {
  command -v promtool >/dev/null || { echo "promtool is not in .tools/bin: run scripts/setup.sh (tools/promtool/go.mod pins it)"; return 1; }
  local target="deploy/prometheus/targets/$name-service.yml" dash="deploy/grafana/dashboards/$name-service.json" tmp jobs
  grep -q "host.docker.internal:$(sed -n 's/^METRICS_PORT=//p' "$svc/configs/local.env")\"" "$target" ||
    { echo "$target does not scrape the METRICS_PORT of $svc/configs/local.env"; return 1; }
  promtool check config deploy/prometheus/prometheus.yml || return 1
  jobs=$("$node" -e 'console.log((require(process.argv[1]).jobs ?? []).length > 0)' "$values")
  tmp="$(mktemp -d)"
  "$node" "$here/dashboard-rules.mjs" "$dash" . "$name-service" "$jobs" >"$tmp/rules.yml" || return 1
  promtool check rules "$tmp/rules.yml" || return 1
  # The pool panels evaluated on two replicas' series (and another service's):
  # a query that does not sum the replicas must fail.
  "$node" "$here/dashboard-pool-test.mjs" "$dash" "$name-service" >"$tmp/pool-test.yml" || return 1
  promtool test rules "$tmp/pool-test.yml" || return 1
  sed 's/sum(db_pool_acquired_connections{/max(db_pool_acquired_connections{/' "$dash" >"$tmp/bad-pool.json"
  "$node" "$here/dashboard-pool-test.mjs" "$tmp/bad-pool.json" "$name-service" >"$tmp/bad-pool-test.yml" || return 1
  if promtool test rules "$tmp/bad-pool-test.yml" >"$tmp/err" 2>&1; then
    echo "a pool panel taking the max of the replicas passed its promtool test"; return 1
  fi
  local metric
  for metric in grpc_server_handled_total db_pool_idle_connections; do
    sed "s/$metric/${metric}_x/" "$dash" >"$tmp/bad.json"
    if "$node" "$here/dashboard-rules.mjs" "$tmp/bad.json" . "$name-service" "$jobs" >/dev/null 2>"$tmp/err"; then
      echo "a dashboard query on an unregistered metric (${metric}_x) was accepted"; return 1
    fi
    grep -q "uses ${metric}_x, which pkg does not register" "$tmp/err" || { cat "$tmp/err"; return 1; }
  done
}

echo "== $label ($name-service, stage $stage) -> $out"
phase "catalog-info embeds the proto template" "${golden_path[@]}" template sync-catalog-proto "$here/.." --check
phase "proto-base = go-monorepo's api/proto" diff -r "$here/../proto-base" "$repo/templates/go-monorepo/skeleton/api/proto"
# A rule JSON Schema cannot express (transition to an unknown state) must stop rendering.
refused() {
  local bad; bad="$(mktemp -d)"
  "$node" -e 'const v=require(process.argv[1]); v.states=["a","b"]; v.transitions=[{name:"go",from:"a",to:"nowhere"}]; require("fs").writeFileSync(process.argv[2], JSON.stringify(v))' "$values" "$bad/values.json"
  if "${golden_path[@]}" template render-local "$here/.." --values "$bad/values.json" --out "$bad/out" --skip fetch-proto-base-local >"$bad/log" 2>&1; then
    echo "rendering accepted a transition to an unknown state"; return 1
  fi
  grep -q check_failed__transition_to_is_not_one_of_the_states "$bad/log"
}
phase "invalid state machine is refused" refused
rm -rf "$out"
if [[ -n "${MONOREPO_RENDERED:-}" ]]; then
  phase "copy monorepo rendered by the scaffolder" cp -r "$MONOREPO_RENDERED" "$out"
else
  phase "render monorepo (go-monorepo)" "${golden_path[@]}" template render-local "$repo/templates/go-monorepo" --values "$mono_values" --out "$out"
fi
cd "$out"
phase "monorepo: buf generate + git commit" bash -c 'cd api/proto && buf generate && cd ../.. && git init -q -b main && git add -A && git -c user.name=check -c user.email=check@localhost commit -qm monorepo'
t_service=$(date +%s.%N)
if [[ -n "${RENDERED:-}" ]]; then
  phase "copy service rendered by the scaffolder" bash -c "cp -r '$RENDERED/services' '$RENDERED/api' '$out/' && cp -r '$RENDERED/deploy/.' '$out/deploy/'"
else
  # The monorepo rendered above already has api/proto (proto-base is its copy).
  phase "render service" "${golden_path[@]}" template render-local "$here/.." --values "$values" --out "$out" --skip fetch-proto-base-local
fi
phase "buf lint (template step)" bash -c 'cd api/proto && buf lint'
phase "buf generate (template step)" bash -c 'cd api/proto && buf generate'
phase "sqlc generate (template step)" bash -c "cd $svc/db && sqlc generate"
phase "sqlc vet (template step)" bash -c "cd $svc/db && sqlc vet"
phase "atlas.sum (template step)" atlas_hash
phase "make workspace (go work use)" make workspace
phase "gofmt -l (prints nothing)" bash -c "test -z \"\$(gofmt -l $svc | tee /dev/stderr)\""
phase "go mod tidy -diff + verify" bash -c "cd $svc && go mod tidy -diff && go mod verify"
phase "go build" bash -c "cd $svc && go build ./..."
phase "go vet" bash -c "cd $svc && go vet ./..."
phase "go test -race (unit+integration+boot)" bash -c "cd $svc && go test -race -count=1 ./... | grep -v 'no test files'"
printf '  %-40s %6.1fs\n' "= render service -> tested service" "$(echo "$(date +%s.%N) - $t_service" | bc)"
phase "golangci-lint (.golangci.yml rule)" lint_rule
proto_pkg="${name//-/}"
phase "catalog-info.yaml (catalog-model)" "${golden_path[@]}" template validate-catalog "$svc/catalog-info.yaml" --proto "api/proto/$proto_pkg/v1/${proto_pkg}_service.proto"
phase "kustomize build + strict decode (k8s)" k8s_check
phase "misspelled manifest field refused" k8s_typo_refused
phase "GOMEMLIMIT ~90% of the memory limit" k8s_memlimit
phase "migrations init container command (atlas)" k8s_migrate
phase "scrape target + dashboard (promtool)" observability_check
phase "git commit (publish)" bash -c 'git add -A && git -c user.name=check -c user.email=check@localhost commit -qm service'
phase "buf breaking vs committed" bash -c "cd api/proto && buf breaking --against '../../.git#branch=main,subdir=api/proto'"
phase "sqlc diff" bash -c "cd $svc/db && sqlc diff"
phase "make check-generated (no diff)" make check-generated
if [[ -x "$repo/.tools/bin/atlas" ]]; then
  dev_db="gpchk_dev_$(date +%s)_$RANDOM"
  phase "atlas migrate diff (no change) + lint" bash -c "
    psql -X -q -h 127.0.0.1 -U postgres -d postgres -c 'CREATE DATABASE $dev_db' &&
    trap \"psql -X -q -h 127.0.0.1 -U postgres -d postgres -c 'DROP DATABASE IF EXISTS $dev_db WITH (FORCE)'\" EXIT &&
    cd $svc/db && atlas migrate diff check --dir file://migrations --to file://schema/schema.sql \
      --dev-url 'postgres://postgres@127.0.0.1:5432/$dev_db?sslmode=disable' &&
    test -z \"\$(git status --porcelain migrations)\" &&
    atlas migrate lint --dir file://migrations --latest \$(ls migrations/*.sql | wc -l) \
      --dev-url 'postgres://postgres@127.0.0.1:5432/$dev_db?sslmode=disable'"
fi
printf '  %-40s %6.1fs\n' "TOTAL" "$(echo "$(date +%s.%N) - $start_all" | bc)"
