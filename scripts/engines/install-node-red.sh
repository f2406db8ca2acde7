#!/usr/bin/env bash
# Installs what the real-runtime Node-RED suite (test/engines/node-red) needs beyond the repository's
# own dev dependencies, into a cache outside the repository. Idempotent: a finished install leaves a
# marker and is reused; an interrupted one is started again.
#
#   scripts/engines/install-node-red.sh
#
# - Node-RED 4.1.x runs from the dev dependency on the machine's Node (20): nothing to install.
# - Node-RED 5 needs Node >= 22.9: Node 22 comes from the npm registry's `node` package (the same
#   place scripts/engines/install-n8n.sh puts it, so the two suites share it), and node-red@5 is
#   installed beside it with that Node first on PATH.
#
# - Express 5, for checking the route bookkeeping on it too (Node-RED 4.1 and 5.0 both ship Express 4).
#
# Prints one JSON line: {"node22": "<node binary>", "nodeRed5": "<red.js>", "express5": "<package dir>"}.
set -euo pipefail

node_red_version="${WAFLOW_NODE_RED_5_VERSION:-5.0.7}"
cache="${WAFLOW_ENGINE_CACHE:-$HOME/.cache/waflow-engines}"
node_dir="$cache/node22"
node_bin="$node_dir/node_modules/node/bin/node"
dir="$cache/node-red-5"
marker="$dir/.waflow-installed-$node_red_version"

if [ ! -x "$node_bin" ]; then
  echo "Installing Node.js 22 into $node_dir" >&2
  mkdir -p "$node_dir"
  npm install --prefix "$node_dir" --no-save --no-audit --no-fund --loglevel=error "node@22" >&2
fi

if [ ! -f "$marker" ]; then
  echo "Installing Node-RED $node_red_version into $dir" >&2
  rm -rf "$dir" && mkdir -p "$dir"
  echo '{ "name": "waflow-node-red-engine", "private": true }' > "$dir/package.json"
  # Optional dependencies skipped: only the native bcrypt, for admin passwords the suite does not use.
  PATH="$(dirname "$node_bin"):$PATH" npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
    --omit=optional "node-red@$node_red_version" >&2
  touch "$marker"
fi

express_dir="$cache/express-5"
if [ ! -f "$express_dir/.waflow-installed" ]; then
  rm -rf "$express_dir" && mkdir -p "$express_dir"
  echo '{ "name": "waflow-express-5", "private": true }' > "$express_dir/package.json"
  npm install --prefix "$express_dir" --no-audit --no-fund --loglevel=error "express@5" >&2
  touch "$express_dir/.waflow-installed"
fi

printf '{"node22": "%s", "nodeRed5": "%s", "express5": "%s"}\n' \
  "$node_bin" "$dir/node_modules/node-red/red.js" "$express_dir/node_modules/express"
