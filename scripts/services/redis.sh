#!/usr/bin/env bash
# Makes sure Debian's redis-server is installed (the scale suite starts its own on a free loopback
# port; this only installs). Prints the binary's path.
set -euo pipefail
if ! command -v redis-server >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq redis-server >&2
  # The package's own service is not used: each suite starts a server of its own.
  (service redis-server stop || true) >/dev/null 2>&1
fi
command -v redis-server
