#!/usr/bin/env bash
# The benchmark's own command (not part of the test suite): installs nginx and wrk from Debian
# and the npm references, builds the release preset, runs tests/perf/bench.py and writes
# docs/performance.md. About 9 minutes; --quick (about 4) for a smoke run that still measures
# the pinned per-core figures in 3 rounds. Run it on an otherwise idle machine: the per-core
# figures pin the server to core 0 and wrk to core 1 (needs taskset; perf for the futex count,
# strace otherwise).
set -euo pipefail
cd "$(dirname "$0")/../.."
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
missing=""
for pkg in nginx wrk strace; do  # strace counts futex calls when perf is not there
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi
packaging/setup.sh build
(cd tests/perf && npm ci --no-audit --no-fund --loglevel=error)
python3 tests/perf/bench.py "$@"
