#!/usr/bin/env bash
# Quick start: installs what is missing, builds the release, creates the SQLite database
# under data/, applies migrations, loads the demo data and serves at http://127.0.0.1:3000.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/setup.sh
echo "==> building (release)"
cargo leptos build --release --precompress
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
exec target/server-release/homeward serve --demo
