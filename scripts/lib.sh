# Shared helpers for the setup, start and test scripts. Source, don't run.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="${GOLDEN_PATH_TOOLS_DIR:-$ROOT/.tools}"
# shellcheck source=../tools/versions.env
. "$ROOT/tools/versions.env"

say() { printf '\033[1m[golden-path]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[golden-path] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Puts the project toolchain first on PATH and sets what native addons need.
activate_toolchain() {
  export PATH="$TOOLS_DIR/bin:$TOOLS_DIR/node/bin:${GOLDEN_PATH_GO_BIN:-/usr/local/go/bin}:$PATH"
  export npm_config_nodedir="$TOOLS_DIR/node"
  export npm_config_build_from_source=true
  export GOLDEN_PATH_TOOLS_DIR="$TOOLS_DIR"
  export YARN_ENABLE_TELEMETRY=0
  export GOTOOLCHAIN=local
}

yarn_cmd() {
  local release
  release="$(sed -n 's/^yarnPath: *//p' "$ROOT/.yarnrc.yml")"
  node "$ROOT/$release" "$@"
}

# Fails with one line when a TCP port on loopback is already taken.
require_free_port() {
  local port=$1 what=$2
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port ($what) is already in use: stop whatever listens there (ss -ltnp 'sport = :$port') and run again"
  fi
}

# Exports GOLDEN_PATH_TOKEN (the backend's static external-access token),
# generating one into .tools/dev-token the first time.
ensure_dev_token() {
  if [ -z "${GOLDEN_PATH_TOKEN:-}" ]; then
    [ -s "$TOOLS_DIR/dev-token" ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$TOOLS_DIR/dev-token"
    GOLDEN_PATH_TOKEN="$(cat "$TOOLS_DIR/dev-token")"
  fi
  export GOLDEN_PATH_TOKEN
  export GOLDEN_PATH_LOCAL_ROOT="${GOLDEN_PATH_LOCAL_ROOT:-$ROOT/.tools/local-repos}"
}

# Starts PostgreSQL, Redis or RabbitMQ when one is down (the local services
# the tests talk to), failing with one line when one cannot be started.
ensure_services() {
  port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
  wait_port() { for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 1; done; return 1; }
  if ! port_open 5432; then
    say "PostgreSQL is down: starting it"
    { pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start && wait_port 5432; } >/dev/null 2>&1 ||
      die "PostgreSQL on 127.0.0.1:5432 is down and could not be started: start it (pg_ctlcluster <version> main start) and run again"
  fi
  if ! port_open 6379; then
    say "Redis is down: starting it"
    { redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log && wait_port 6379; } >/dev/null 2>&1 ||
      die "Redis on 127.0.0.1:6379 is down and could not be started: start redis-server and run again"
  fi
  if ! port_open 5672; then
    say "RabbitMQ is down: starting it"
    { rabbitmq-server -detached && wait_port 5672; } >/dev/null 2>&1 ||
      die "RabbitMQ on 127.0.0.1:5672 is down and could not be started: start rabbitmq-server and run again"
  fi
  psql -h 127.0.0.1 -U postgres -XAtqc 'select 1' postgres >/dev/null 2>&1 ||
    die "PostgreSQL on 127.0.0.1:5432 refuses user postgres without a password: allow trust auth for 127.0.0.1 (pg_hba.conf)"
}

# The per-user cache the built tools live in, outside the clone (as Go caches
# builds), so a second clone on this machine does not build them again.
golden_path_cache() { echo "${GOLDEN_PATH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/golden-path}"; }

# Directory of the built Gitea: the binary `gitea` and the options/, templates/
# and public/ trees its STATIC_ROOT_PATH points at (built without `bindata`).
gitea_dir() { echo "$(golden_path_cache)/gitea/$GITEA_VERSION"; }

# Builds Gitea $GITEA_VERSION from the Go module proxy into gitea_dir, once per
# version and machine. A lock makes a second caller (the forge suite while
# set-up builds it in the background) wait for the first build instead of
# starting another.
build_gitea() {
  local dir tmp src
  dir="$(gitea_dir)"
  [ -f "$dir/.complete" ] && return
  mkdir -p "$(dirname "$dir")"
  exec 8>"$dir.lock"
  flock 8
  if [ ! -f "$dir/.complete" ]; then
    say "building Gitea $GITEA_VERSION from the Go module proxy (a few minutes, once per machine)"
    src="$(go mod download -json "code.gitea.io/gitea@v$GITEA_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
    [ -n "$src" ] || { exec 8>&-; die "cannot download code.gitea.io/gitea@v$GITEA_VERSION from the Go module proxy: check go env GOPROXY and the network, then run again"; }
    tmp="$(mktemp -d "$(dirname "$dir")/.build.XXXXXX")"
    cp -r "$src" "$tmp/src" && chmod -R u+w "$tmp/src"
    if ! (cd "$tmp/src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.Version=$GITEA_VERSION" -o "$tmp/gitea" .) >"$tmp/build.log" 2>&1; then
      tail -n 5 "$tmp/build.log" >&2
      rm -rf "$tmp"
      exec 8>&-
      die "building Gitea $GITEA_VERSION failed (last lines above): check the Go version (go version) and the module proxy, then run again"
    fi
    mv "$tmp/src/options" "$tmp/src/templates" "$tmp/src/public" "$tmp/"
    rm -rf "$tmp/src" "$tmp/build.log"
    touch "$tmp/.complete"
    rm -rf "$dir" && mv -T "$tmp" "$dir"
  fi
  exec 8>&-
}
