#!/usr/bin/env bash
# Starts cmd/losant-fake with testdata/fixtures.json, runs Losant's official
# JavaScript client (losant-rest, pinned in interop/losant-rest) through
# every action against it, then stops the fake with SIGINT and checks that it
# shut down cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

go build -o "$tmp/losant-fake" ./cmd/losant-fake
"$tmp/losant-fake" -addr 127.0.0.1:0 -fixtures testdata/fixtures.json >"$tmp/out" 2>&1 &
pid=$!

url=
for _ in $(seq 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/out" || true)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/out"; echo "losant-fake exited early"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$tmp/out"; echo "losant-fake printed no URL"; exit 1; }
echo "losant-fake is at $url"

(cd interop/losant-rest && npm ci --no-audit --no-fund --loglevel=error)
LOSANT_URL="$url" node interop/losant-rest/interop.js

kill -INT "$pid"
wait "$pid"
pid=
grep -q "losant-fake: stopped" "$tmp/out" || { cat "$tmp/out"; echo "losant-fake did not stop cleanly"; exit 1; }
echo "losant-fake stopped cleanly on SIGINT"
