#!/usr/bin/env bash
# Installs a real n8n (and the Node.js it needs) from the npm registry into a cache outside the
# repository, for the real-instance suite (test/engines/n8n). Idempotent: a finished install leaves a
# marker and is reused; an interrupted one is started again.
#
#   scripts/engines/install-n8n.sh [1|2]    # 1: n8n 1.123.x on Node 22 (default), 2: n8n 2.40.x on Node 24
#
# Prints {"dir": install directory, "node": the Node.js binary to run it with, "version"} as its last line.
# Facts it works around:
# - n8n's `xlsx` dependency points outside the npm registry: an npm `override` pins the registry's
#   xlsx 0.18.5 (n8n 2.40 also needs `linkedom` pinned to 0.18.12, whose newer versions are missing).
# - Native addons (sqlite3, isolated-vm) must be built against the Node that will run n8n, not the
#   machine's: `npm_config_nodedir` points node-gyp at the headers shipped in the `node` package.
set -euo pipefail

line="${1:-1}"
cache="${WAFLOW_ENGINE_CACHE:-$HOME/.cache/waflow-engines}"
case "$line" in
  1) n8n_version="1.123.81"; node_major=22; dir="$cache/n8n-1.123"
     overrides='{"xlsx": "npm:xlsx@0.18.5"}'; ignore_scripts=0 ;;
  2) n8n_version="2.40.7"; node_major=24; dir="$cache/n8n-2.40"
     overrides='{"xlsx": "npm:xlsx@0.18.5", "linkedom": "0.18.12"}'; ignore_scripts=1 ;;
  *) echo "usage: $0 [1|2]" >&2; exit 2 ;;
esac

node_dir="$cache/node$node_major"
node_bin="$node_dir/node_modules/node/bin/node"
marker="$dir/.waflow-installed-$n8n_version"

if [ ! -x "$node_bin" ]; then
  echo "Installing Node.js $node_major into $node_dir" >&2
  mkdir -p "$node_dir"
  npm install --prefix "$node_dir" --no-save --no-audit --no-fund --loglevel=error "node@$node_major" >&2
  # The binary is put in place by the package's install script: an npm that skips dependency
  # install scripts would leave none.
  [ -x "$node_bin" ] || { echo "node@$node_major installed no binary at $node_bin (were its install scripts skipped?)" >&2; exit 1; }
fi

if [ ! -f "$marker" ]; then
  echo "Installing n8n $n8n_version into $dir (a few minutes, ~2 GB)" >&2
  rm -rf "$dir" && mkdir -p "$dir"
  cat > "$dir/package.json" <<JSON
{ "name": "waflow-n8n-engine", "private": true, "dependencies": { "n8n": "$n8n_version" }, "overrides": $overrides }
JSON
  # npm and node-gyp run with the cached Node first on PATH, so addons get its ABI and headers.
  export PATH="$(dirname "$node_bin"):$PATH"
  # The `node` package keeps the official tarball (bin/, include/node/) in its platform package.
  headers="$(ls -d "$node_dir"/node_modules/node/node_modules/node-*/include/node | head -n 1)"
  export npm_config_nodedir="$(dirname "$(dirname "$headers")")"
  if [ "$ignore_scripts" = 1 ]; then
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error --ignore-scripts >&2
    npm rebuild --prefix "$dir" sqlite3 isolated-vm >&2
  else
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error >&2
  fi
  touch "$marker"
fi

printf '{"dir": "%s", "node": "%s", "version": "%s"}\n' "$dir" "$node_bin" "$n8n_version"
