#!/usr/bin/env bash
# Checks the download budgets (budget.mjs) against the release build: starts the browser
# tests' server (serve.sh: demo data, a fresh database) on its own port, measures, stops it.
set -euo pipefail
cd "$(dirname "$0")"
port="${1:-3200}"
bash ./serve.sh "$port" > /tmp/homeward-budget-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/healthz" > /dev/null && break
  sleep 1
done
node budget.mjs "http://127.0.0.1:$port"
