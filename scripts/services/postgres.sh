#!/usr/bin/env bash
# Makes sure Debian's PostgreSQL server is installed (the scale suite's n8n in queue mode keeps its
# data there; the suite starts a cluster of its own in a temporary folder). Prints the folder of
# its binaries (initdb, pg_ctl, postgres).
set -euo pipefail
find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(find_bin)" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  # The package's own cluster is not used.
  (service postgresql stop || true) >/dev/null 2>&1
fi
find_bin
