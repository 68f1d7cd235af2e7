#!/usr/bin/env bash
# Installs what building Homeward needs, at pinned versions, skipping what is already there:
# the wasm target, cargo-leptos, wasm-bindgen-cli, and the npm packages of end2end/ (which
# include the wasm-opt release builds use). With --test, also what the tests need from
# Debian: Chromium, an SMTP listener for email tests, brotli, PostgreSQL if none is running.
# Sourced by start.sh and test.sh; it leaves end2end/node_modules/.bin on PATH.
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.10        # 0.3.11 needs rustc 1.96
WASM_BINDGEN_VERSION=0.2.130       # must equal the wasm-bindgen pinned in Cargo.toml
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 25 minutes, once)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 6 minutes, once)"
  # Not --locked: one of its locked dependencies is no longer in the registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# npm's binaryen provides wasm-opt (Debian's is too old and silently breaks hydration), and
# Playwright drives Debian's Chromium, so no browser is downloaded.
if [ ! -x "$ROOT/end2end/node_modules/.bin/wasm-opt" ] || \
   [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
  say "installing npm packages of end2end/"
  (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
export PATH="$ROOT/end2end/node_modules/.bin:$PATH"

if [ "${1:-}" = "--test" ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
  command -v brotli >/dev/null || missing+=(brotli)
  # The print tests read the PDFs Chromium prints.
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing from Debian: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
fi
