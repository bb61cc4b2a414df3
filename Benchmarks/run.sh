#!/usr/bin/env bash
# Builds the release products and runs membersync-bench with the settings of BENCHMARKS.md.
#
#   Benchmarks/run.sh [membersync-bench options...]     e.g. Benchmarks/run.sh --sizes 1000,10000
#
# Prints the tables (Markdown) on standard output and progress on standard error. Everything runs over
# loopback: bc-sandbox on an ephemeral port, membersync and the naive sync as child processes, with the
# data in a temp dir removed afterwards (pass --keep --work DIR to look at it). About 10 minutes.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
test -f /usr/include/sqlite3.h || make -C "$root" deps >/dev/null
for product in membersync bc-sandbox membersync-bench; do
    swift build -c release --product "$product" --package-path "$root" >/dev/null
done
bin="$(swift build -c release --package-path "$root" --show-bin-path)"
exec "$bin/membersync-bench" "$@"
