#!/usr/bin/env bash
# Lighthouse (mobile preset: simulated slow 4G, 4x CPU slowdown) on the sign-in page, the case
# list and a family page, signed in as the Afghan demo caseworker, in English and in Dari,
# against the release build with the demo data (end2end/serve.sh). Each page is run three
# times and the worst run is printed (results vary from run to run on a shared machine):
# performance score, LCP, TBT, CLS and the accessibility score.
# Goals (issue 13): performance >= 95, LCP <= 1.5 s, TBT <= 100 ms, CLS <= 0.02, a11y >= 95.
# Usage: bench/lighthouse.sh [runs]   Needs a release build (scripts/test.sh makes one).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
port=3300
base="http://127.0.0.1:$port"
if [ ! -x bench/lighthouse/node_modules/.bin/lighthouse ]; then
  (cd bench/lighthouse && npm install --no-audit --no-fund >/dev/null)
fi
bash end2end/serve.sh "$port" > /tmp/homeward-lighthouse-server.log 2>&1 &
server=$!
out="$(mktemp -d)"
trap 'kill $server 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 1 120); do curl -fs "$base/healthz" >/dev/null && break; sleep 1; done

session="$(curl -s -D - -o /dev/null -X POST "$base/api/sign_in" -H 'Accept: application/json' \
  --data 'email=caseworker.af@demo.homeward.org&password=homeward-demo-2026' \
  | tr -d '\r' | sed -n 's/^set-cookie: \(hw_session=[^;]*\).*/\1/Ip')"
family="$(curl -s -H "Cookie: $session" "$base/cases" | grep -o 'href="/cases/[0-9a-f-]\{36\}"' | head -1 | cut -d'"' -f2)"

language() { # sets the caseworker's language (and the anonymous visitor's cookie)
  curl -s -o /dev/null -X POST "$base/api/set_language" -H 'Accept: application/json' \
    -H "Cookie: $session" --data "language=$1"
}

printf '%-8s %-12s %6s %8s %8s %7s %6s\n' language page score LCP_ms TBT_ms CLS a11y
for lang in en fa-AF; do
  language "$lang"
  for page in sign-in cases family; do
    case "$page" in
      sign-in) url="$base/sign-in"; cookie="i18n_pref_locale=$lang" ;;
      cases) url="$base/cases"; cookie="$session" ;;
      family) url="$base$family"; cookie="$session" ;;
    esac
    for run in $(seq 1 "$runs"); do
      CHROME_PATH=/usr/bin/chromium bench/lighthouse/node_modules/.bin/lighthouse "$url" --quiet \
        --chrome-flags="--headless=new --no-sandbox" --output=json \
        --output-path="$out/$lang-$page-$run.json" \
        --only-categories=performance,accessibility \
        --extra-headers "{\"Cookie\":\"$cookie\"}" >/dev/null 2>&1 || true
    done
    node -e '
      const fs = require("fs");
      const [dir, lang, page, runs] = process.argv.slice(1);
      const rs = [];
      for (let i = 1; i <= Number(runs); i++) {
        try {
          const r = JSON.parse(fs.readFileSync(`${dir}/${lang}-${page}-${i}.json`));
          if (r.runtimeError) console.error(`${lang} ${page} run ${i}: ${r.runtimeError.message}`);
          else if (r.categories.performance.score !== null) rs.push(r);
        } catch {}
      }
      if (rs.length === 0) { console.log(`${lang.padEnd(8)} ${page.padEnd(12)} (no run finished)`); process.exit(0); }
      const a = (r, id) => r.audits[id].numericValue ?? NaN;
      const worst = rs.reduce((w, r) => (r.categories.performance.score < w.categories.performance.score ? r : w));
      console.log([lang.padEnd(8), page.padEnd(12),
        String(Math.round(worst.categories.performance.score * 100)).padStart(6),
        String(Math.round(a(worst, "largest-contentful-paint"))).padStart(8),
        String(Math.round(a(worst, "total-blocking-time"))).padStart(8),
        a(worst, "cumulative-layout-shift").toFixed(3).padStart(7),
        String(Math.round(Math.min(...rs.map((r) => r.categories.accessibility.score)) * 100)).padStart(6),
        `(worst of ${rs.length})`].join(" "));
    ' "$out" "$lang" "$page" "$runs"
  done
done
language en
