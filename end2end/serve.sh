#!/usr/bin/env bash
# The server the browser tests run against: the release binary, a fresh SQLite database in
# a temporary folder, the demo data, and accounts that only the tests use.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-3100}"
dir="$(mktemp -d)"
bin=target/server-release/homeward
export DATABASE_URL="sqlite://$dir/homeward.db" HOMEWARD_DATA_DIR="$dir" \
  LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn
"$bin" migrate >/dev/null
# One account per browser project for the lockout test, which locks the account it uses.
for project in js no-js; do
  echo "a test password of length" | "$bin" create-user --email "lockout.$project@test.homeward.org" \
    --name "Lockout Test" --role programme_manager --org programme >/dev/null
done
# Caseworkers whose language the language tests change (other tests expect English).
for project in js no-js; do
  echo "a test password of length" | "$bin" create-user --email "i18n.$project@test.homeward.org" \
    --name "Language Test" --role caseworker --org morr --area AF-KAB >/dev/null
done
exec "$bin" serve --demo
