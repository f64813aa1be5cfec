#!/usr/bin/env bash
# Starts the local Golden Path Backstage: app on :3000, backend on :7007,
# SQLite in memory, guest sign-in. Sets everything up first (idempotent).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
bash "$ROOT/scripts/setup.sh"
activate_toolchain
cd "$ROOT"

require_free_port 3000 "Backstage app"
require_free_port 7007 "Backstage backend"
ensure_dev_token
mkdir -p "$GOLDEN_PATH_LOCAL_ROOT"

(
  for _ in $(seq 1 180); do
    if curl -sf http://127.0.0.1:7007/.backstage/health/v1/readiness >/dev/null &&
      curl -sf http://127.0.0.1:3000 >/dev/null; then
      say "ready: open http://localhost:3000 (Create page: http://localhost:3000/create)"
      say "backend http://localhost:7007 · static token for scripts: .tools/dev-token · local publish root: $GOLDEN_PATH_LOCAL_ROOT"
      exit 0
    fi
    sleep 2
  done
  say "still not ready after 6 minutes: see the output above"
) &

say "starting Backstage (Ctrl-C stops it)"
exec node "$ROOT/$(sed -n 's/^yarnPath: *//p' .yarnrc.yml)" start
