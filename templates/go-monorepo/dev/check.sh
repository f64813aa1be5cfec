#!/usr/bin/env bash
# Renders the template with one values file and verifies the result with the
# real tools, printing the wall time of each phase:
#   buf lint/build/generate; go mod verify + tidy check; make lint/build/test
#   (go vet, go test -race over every go.work module, integration tests on the
#   local PostgreSQL/Redis/RabbitMQ); make check-generated (regeneration is a
#   no-op); the gateway's Kubernetes overlays (kustomize build, tools/k8scheck,
#   GOMEMLIMIT against the memory limit);
#   init-db.sh twice + per-service isolation; compose file against the
#   compose-spec JSON schema when COMPOSE_SCHEMA points to compose-spec.json.
#
# Usage: dev/check.sh values/mvp.json [/tmp/gp-mono-mvp]
#        dev/check.sh --rendered DIR   (checks DIR as rendered by the scaffolder,
#                                      e.g. `yarn golden-path render`; no render)
# Env: GOCACHE=$(mktemp -d) for a cold-cache run; PGHOST/PGPORT/PGUSER for init-db.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
rendered=""
if [[ "${1:-}" == "--rendered" ]]; then
  rendered=1
  out="$(cd "${2:?usage: check.sh --rendered DIR}" && pwd)"
  name="$(basename "$out")"
else
  values="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
  name="$(basename "$values" .json)"
  out="${2:-/tmp/gp-mono-$name}"
fi
export PATH="$repo/.tools/bin:/usr/local/go/bin:$PATH" GOTOOLCHAIN=local
node="${NODE:-$repo/.tools/node/bin/node}"
# golden-path template render-local: fetch:template without a backend (packages/cli).
golden_path=("$node" "$repo/packages/cli/bin/golden-path")

start_all=$(date +%s.%N)
phase() {
  local label=$1; shift
  local t0; t0=$(date +%s.%N)
  "$@" >"$out.log.tmp" 2>&1 || { cat "$out.log.tmp"; echo "FAIL: $label"; exit 1; }
  printf '  %-34s %6.1fs\n' "$label" "$(echo "$(date +%s.%N) - $t0" | bc)"
}

echo "== $name -> $out"
if [[ -z "$rendered" ]]; then
  rm -rf "$out"
  phase "render" "${golden_path[@]}" template render-local "$here/.." --values "$values" --out "$out"
fi
cd "$out"
phase "buf lint" bash -c 'cd api/proto && buf lint'
phase "buf build" bash -c 'cd api/proto && buf build -o /dev/null'
phase "buf generate (template step)" bash -c 'cd api/proto && buf generate'
phase "git init + commit (publish)" bash -c 'git init -q -b main && git add -A && git -c user.name=check -c user.email=check@localhost commit -qm init'
phase "go mod verify + tidy -diff" bash -c 'for m in pkg gateway; do (cd $m && go mod verify && go mod tidy -diff); done'
phase "make lint (buf lint, go vet)" make lint
phase "make build" make build
phase "make test (go test -race)" make test
phase "make breaking" make breaking
phase "make check-generated (no diff)" make check-generated
# The gateway's Kubernetes overlays: kustomize build, every document decoded
# strictly with the API types (tools/k8scheck, also built by scripts/setup.sh).
k8s_gateway() {
  local check="$repo/.tools/bin/k8scheck"
  [[ -x $check ]] || { (cd "$repo/tools/k8scheck" && go build -o /tmp/gp-k8scheck/k8scheck .) && check=/tmp/gp-k8scheck/k8scheck; }
  for dir in deploy/k8s/gateway/overlays/local deploy/k8s/gateway/overlays/prod; do
    kustomize build "$dir" | "$check" - || return 1
  done
}
phase "kustomize build + strict decode (k8s)" k8s_gateway
# GOMEMLIMIT about 90% of limits.memory in every container of the gateway's
# overlays (k8s-memlimit.mjs, decision 40); then a limit raised without it must fail.
k8s_memlimit() {
  local dir tmp
  for dir in deploy/k8s/gateway/overlays/local deploy/k8s/gateway/overlays/prod; do
    kustomize build "$dir" | "$node" "$here/k8s-memlimit.mjs" "$dir" || return 1
  done
  tmp="$(mktemp -d)"
  cp -r deploy/k8s/gateway "$tmp/gateway"
  sed -i 's/memory: 256Mi/memory: 1Gi/' "$tmp/gateway/base/deployment.yaml"
  if kustomize build "$tmp/gateway/overlays/prod" | "$node" "$here/k8s-memlimit.mjs" "$tmp/gateway/overlays/prod" >"$tmp/out" 2>&1; then
    cat "$tmp/out"; echo "a gateway memory limit raised without GOMEMLIMIT was accepted"; return 1
  fi
  grep -F 'containers[gateway]: GOMEMLIMIT 230MiB must be 85-95% of limits.memory 1Gi' "$tmp/out" || { cat "$tmp/out"; return 1; }
}
phase "GOMEMLIMIT ~90% of the memory limit" k8s_memlimit

# init-db.sh: twice, then isolation between two service users.
suffix="$(date +%s)$RANDOM"
svc_a="gpchk${suffix}-alpha"; svc_b="gpchk${suffix}_beta"
ia="${svc_a//-/_}"; ib="${svc_b//-/_}"
export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-postgres}" SERVICE_DB_PASSWORD="chk-$RANDOM-pw"
cleanup_db() {
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ${ia}_db WITH (FORCE)" -c "DROP DATABASE IF EXISTS ${ib}_db WITH (FORCE)" \
    -c "DROP ROLE IF EXISTS ${ia}_svc" -c "DROP ROLE IF EXISTS ${ib}_svc" >/dev/null 2>&1 || true
}
trap cleanup_db EXIT
phase "init-db.sh (first run)" bash scripts/init-db.sh "$svc_a" "$svc_b"
phase "init-db.sh (second run)" bash scripts/init-db.sh "$svc_a" "$svc_b"
isolation() {
  PGPASSWORD="$SERVICE_DB_PASSWORD" psql -X -q -U "${ia}_svc" -d "${ia}_db" -c 'CREATE TABLE t (id int)' >/dev/null
  if PGPASSWORD="$SERVICE_DB_PASSWORD" psql -X -q -U "${ia}_svc" -d "${ib}_db" -c 'SELECT 1' 2>/dev/null; then
    echo "${ia}_svc could connect to ${ib}_db"; return 1
  fi
  if PGPASSWORD="$SERVICE_DB_PASSWORD" psql -X -q -U "${ib}_svc" -d "${ia}_db" -c 'SELECT 1' 2>/dev/null; then
    echo "${ib}_svc could connect to ${ia}_db"; return 1
  fi
  for bad in 'Bad Name' '../x' 'a/b' "x';drop" '9lives'; do
    if bash scripts/init-db.sh "$bad" 2>/dev/null; then echo "init-db accepted '$bad'"; return 1; fi
  done
}
phase "init-db isolation + bad names" isolation

if [[ -n "${COMPOSE_SCHEMA:-}" ]]; then
  # ajv (draft-07, formats not asserted, as the compose-spec schema expects) and yaml from the repository.
  phase "compose-spec schema" "$node" -e '
const req = require("module").createRequire(process.argv[1] + "/package.json");
const fs = require("fs");
const Ajv = req("ajv").default;
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false })
  .compile(JSON.parse(fs.readFileSync(process.argv[2], "utf8")));
if (!validate(req("yaml").parse(fs.readFileSync(process.argv[3], "utf8")))) {
  for (const e of validate.errors) console.log(`${process.argv[3]}${e.instancePath}: ${e.message}`);
  process.exit(1);
}' "$repo" "$COMPOSE_SCHEMA" deploy/docker-compose.yml
fi
rm -f "$out.log.tmp"
printf '  %-34s %6.1fs\n' "TOTAL render -> green" "$(echo "$(date +%s.%N) - $start_all" | bc)"
