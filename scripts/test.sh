#!/usr/bin/env bash
# Runs every test: unit tests, integration tests on SQLite and PostgreSQL (a fresh database
# each), and the browser tests in Chromium with JavaScript off and on. The release build is
# made once and reused: the browser tests run its binary, and the Rust tests share its
# compiled dependencies (same profile, same environment as cargo-leptos).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/setup.sh --test
scripts/postgres.sh
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

echo "==> building (release)"
cargo leptos build --release --precompress

# The variables cargo-leptos builds with; the same ones here keep its artifacts valid.
export LEPTOS_OUTPUT_NAME=homeward LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=app \
  LEPTOS_BIN_DIR=server LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=true \
  RUSTFLAGS="--cfg erase_components"

echo "==> unit and integration tests (SQLite and PostgreSQL)"
cargo test --workspace --profile server-release

echo "==> browser tests (Chromium, JavaScript off and on)"
(cd end2end && npx playwright test)

echo "==> download budgets (first and repeat visits, as served)"
end2end/budget.sh
