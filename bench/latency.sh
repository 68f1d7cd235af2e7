#!/usr/bin/env bash
# Latency of case lists, search and the programme overview with synthetic data (families
# with their assessments, follow-ups, referrals and closures), measured with wrk against the
# release server. Usage: bench/latency.sh sqlite|postgres [families] [seconds]
# Needs a release build (scripts/start.sh or test.sh makes one) and wrk (Debian package).
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
families="${2:-100000}"
seconds="${3:-20}"
port=3200
usage="$0 sqlite|postgres [families] [seconds]"
source bench/server.sh

"$bin" migrate >/dev/null
"$bin" generate --families "$families"
echo "bench-password-long" | "$bin" create-user --email sup@bench.org --name "Bench Supervisor" --role supervisor --org morr >/dev/null
echo "bench-password-long" | "$bin" create-user --email pm@bench.org --name "Bench Manager" --role programme_manager --org programme >/dev/null
echo "bench-password-long" | "$bin" create-user --email cw@bench.org --name "Bench Caseworker" --role caseworker --org morr --area AF-KAB --area AF-HER >/dev/null
serve

sign_in() {
  curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$port/api/sign_in" \
    -H 'Accept: application/json' --data "email=$1&password=bench-password-long" \
    | tr -d '\r' | sed -n 's/^set-cookie: \(hw_session=[^;]*\).*/\1/Ip'
}
# Sessions time out after 30 idle minutes; each run signs in afresh.
run() {
  local who="$1" label="$2"; shift 2
  printf '%-58s ' "$label"
  COOKIE="$(sign_in "$who")" wrk -t1 -c4 -d"${seconds}s" -s bench/requests.lua "http://127.0.0.1:$port" -- "$@" | tail -1
}
echo "== $backend, $families families, wrk 1 thread 4 connections ${seconds}s per line"
run sup@bench.org "case list page, supervisor (whole country)" /cases
run cw@bench.org "case list page, caseworker (two provinces)" /cases
run sup@bench.org "list_cases API, supervisor, pages 1-3 and filters" \
  "POST /api/list_cases filter[page]=1" "POST /api/list_cases filter[page]=3" \
  "POST /api/list_cases filter[status]=in_progress" "POST /api/list_cases filter[province]=AF-HER&filter[need]=disability"
run sup@bench.org "search by name (Latin, Dari, variants)" \
  "POST /api/list_cases filter[q]=mohammad%20ahmadi" "POST /api/list_cases filter[q]=%D9%85%D8%AD%D9%85%D8%AF%20%DA%A9%D8%B1%DB%8C%D9%85%DB%8C" \
  "POST /api/list_cases filter[q]=muhammad" "POST /api/list_cases filter[q]=gul%20bibi%20sultani"
run sup@bench.org "search by case number and phone" \
  "POST /api/list_cases filter[q]=AF-2026-000123" "POST /api/list_cases filter[q]=0701234567" "POST /api/list_cases filter[q]=123"
run sup@bench.org "search page (server-rendered)" "/cases?q=ahmadi" "/cases?q=%D8%A7%D8%AD%D9%85%D8%AF%DB%8C"
run pm@bench.org "overview API, both countries, no filter" "POST /api/overview country="
run pm@bench.org "overview API, one country / one year / a province and year" \
  "POST /api/overview country=AF" "POST /api/overview year=2025" \
  "POST /api/overview province=IQ-BG&year=2026" "POST /api/overview country=IQ&year=2026"
run sup@bench.org "overview page (server-rendered), supervisor's country" "/overview"
run pm@bench.org "Excel export of every table" "/overview/export.xlsx"
# The overview kept no cube: each request groups the whole caseload, which is what every
# refresh of the cube costs (once per HOMEWARD_OVERVIEW_REFRESH_SECS, off the request path).
kill $server; wait $server 2>/dev/null || true
serve HOMEWARD_OVERVIEW_REFRESH_SECS=0
cookie="$(sign_in pm@bench.org)"
printf '%-58s ' "overview API recomputing the cube (refresh cost), 5 times"
for _ in 1 2 3 4 5; do
  curl -s -o /dev/null -w '%{time_total}s ' -X POST -H "Cookie: $cookie" -H 'Accept: application/json' \
    "http://127.0.0.1:$port/api/overview" --data 'country='
done
echo
