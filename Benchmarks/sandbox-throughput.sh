#!/usr/bin/env bash
# Measures how many small store requests per second bc-sandbox serves on loopback.
#
#   Benchmarks/sandbox-throughput.sh [REQUESTS_PER_CLIENT] [CLIENTS]
#
# Builds bc-sandbox in release mode, starts it on a free port with a quota large enough never to refuse,
# seeds 50 customers, then runs CLIENTS curl processes in parallel, each sending REQUESTS_PER_CLIENT
# `GET /v3/customers?id:in=N` requests over one keep-alive connection (curl URL globbing reuses it).
# Prints the request rate. Only loopback is used; the data lives in a temp dir removed afterwards.
set -euo pipefail

per_client=${1:-5000}
clients=${2:-4}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

swift build -c release --product bc-sandbox --package-path "$root" >/dev/null
binary="$(swift build -c release --package-path "$root" --show-bin-path)/bc-sandbox"

BC_SANDBOX_TOKEN=bench-token "$binary" serve --data "$work/store.sqlite" --port-file "$work/port" \
    --quota 100000000 >"$work/out" 2>"$work/err" &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$work/port")"

for i in $(seq 50); do
    "$binary" seed --url "$url" customer --email "bench$i@example.test" --first-name "Bench" --last-name "N$i" >/dev/null
done

start=$(date +%s.%N)
for _ in $(seq "$clients"); do
    curl -s -o /dev/null -H "X-Auth-Token: bench-token" \
        "$url/stores/sandbox/v3/customers?id:in=[1-$per_client]" &
done
wait $(jobs -p | grep -v "^$server_pid\$")
end=$(date +%s.%N)

served=$(curl -s "$url/__sandbox/requests" | grep -o '"seq"' | wc -l)
total=$((per_client * clients))
rate=$(echo "$total / ($end - $start)" | bc -l)
printf 'sent %d requests (%d clients x %d, keep-alive), logged %d, in %.2f s: %.0f requests/s\n' \
    "$total" "$clients" "$per_client" "$served" "$(echo "$end - $start" | bc -l)" "$rate"
