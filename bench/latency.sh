#!/usr/bin/env bash
# Latency of searches, case lists and the programme overview with synthetic data (families
# with their assessments, follow-ups, referrals and closures), measured with wrk (2 threads)
# against the release server, as a busy office would load it: every kind of search at 16
# connections, the list and search pages at 64 beside a static file (the ceiling; the ratio
# of requests per second is printed), the overview at 16, then the server's memory.
# Usage: bench/latency.sh sqlite|postgres [families] [seconds]
#        BENCH_DATABASE_URL=… bench/latency.sh sqlite|postgres  (reuses a generated database)
# Needs a release build (scripts/start.sh or test.sh makes one) and wrk (Debian package).
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
families="${2:-120000}"
seconds="${3:-10}"
port=3200
usage="$0 sqlite|postgres [families] [seconds]"
source bench/server.sh

"$bin" migrate >/dev/null
# BENCH_DATABASE_URL: a database this script generated before (generating 120,000 families
# takes 8 to 18 minutes here); its accounts exist already.
if [ -z "${BENCH_DATABASE_URL:-}" ]; then
  /usr/bin/time -f "generate: %e s, %M KB peak" "$bin" generate --families "$families"
  echo "bench-password-long" | "$bin" create-user --email sup@bench.org --name "Bench Supervisor" --role supervisor --org morr >/dev/null
  echo "bench-password-long" | "$bin" create-user --email pm@bench.org --name "Bench Manager" --role programme_manager --org programme >/dev/null
  echo "bench-password-long" | "$bin" create-user --email cw@bench.org --name "Bench Caseworker" --role caseworker --org morr --area AF-KAB --area AF-HER >/dev/null
fi
serve

sign_in() {
  curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$port/api/sign_in" \
    -H 'Accept: application/json' --data "email=$1&password=bench-password-long" \
    | tr -d '\r' | sed -n 's/^set-cookie: \(hw_session=[^;]*\).*/\1/Ip'
}
sup="$(sign_in sup@bench.org)"
cw="$(sign_in cw@bench.org)"
pm="$(sign_in pm@bench.org)"
# The programme indicators are computed once at start-up (seconds at this size); measuring
# starts once they are, as it would on a server that has been up for a while.
curl -s -o /dev/null -X POST -H "Cookie: $pm" -H 'Accept: application/json' \
  "http://127.0.0.1:$port/api/overview" --data 'country='

# A family with a name no generated family has (the rare-name search), registered as a
# caseworker does, timed: registration with its duplicate check and name index.
register() {
  curl -s -o /dev/null -w '%{http_code} %{time_total}s' -X POST "http://127.0.0.1:$port/api/register_family" \
    -H "Cookie: $sup" -H 'Accept: application/json' \
    --data-urlencode 'household[province]=AF-KAB' --data-urlencode 'household[district]=District 5' \
    --data-urlencode 'household[return_date]=2026-10-02' --data-urlencode 'household[returned_from]=PK' \
    --data-urlencode 'household[return_type]=spontaneous' --data-urlencode 'consent_registration=yes' \
    --data-urlencode 'consent_given_by=head' --data-urlencode 'calendar=gregorian' \
    --data-urlencode "members[0][name_local]=$1" --data-urlencode "members[0][name_latin]=$2" \
    --data-urlencode "members[0][father_name]=$3" --data-urlencode 'members[0][sex]=male' \
    --data-urlencode 'members[0][age]=41' --data-urlencode 'members[0][relationship]=head'
}
printf '%-66s %s\n' "registration (duplicate check, name index), a rare name" "$(register 'زمری خپلواک' 'Zmarai Khpalwak' 'Gulab')"
printf '%-66s %s\n' "registration, a common name" "$(register 'محمد احمدی' 'Mohammad Ahmadi' 'Abdul Karim')"

# Sessions time out after 30 idle minutes; each line has its cookie from above.
run() {
  local cookie="$1" connections="$2" label="$3"; shift 3
  printf '%-66s ' "$label"
  # What the line before left in flight is answered first, so it is not counted here.
  sleep 2
  COOKIE="$cookie" wrk -t2 -c"$connections" -d"${seconds}s" -s bench/requests.lua "http://127.0.0.1:$port" -- "$@" | tail -1
}
q() { echo "POST /api/list_cases filter[q]=$1"; }
echo "== $backend, $families families, wrk 2 threads, ${seconds}s per line"
echo "-- every kind of search, 16 connections (target: p95 <= 20 ms, no errors)"
run "$sup" 16 "common name, Latin (mohammad)" "$(q mohammad)"
run "$sup" 16 "two common words (mohammad ahmadi)" "$(q mohammad%20ahmadi)"
run "$sup" 16 "rare name (khpalwak)" "$(q khpalwak)"
run "$sup" 16 "Dari script (محمد کریمی)" "$(q %D9%85%D8%AD%D9%85%D8%AF%20%DA%A9%D8%B1%DB%8C%D9%85%DB%8C)"
run "$sup" 16 "Latin spelling variant (muhammad)" "$(q muhammad)"
run "$sup" 16 "across scripts, Latin for a name in Arabic script (zmarai)" "$(q zmarai)"
run "$sup" 16 "prefix while typing (moh)" "$(q moh)"
run "$sup" 16 "case number (AF-2026-000123)" "$(q AF-2026-000123)"
run "$sup" 16 "phone (0701234567)" "$(q 0701234567)"
run "$cw" 16 "caseworker (two provinces), common name (ahmadi)" "$(q ahmadi)"
echo "-- pages at 64 connections (target: p99 <= 50 ms, requests/s >= 30 % of the static file's)"
static="$(run "$sup" 64 "static /pkg/homeward.css (the ceiling)" /pkg/homeward.css)"
echo "$static"
static_rate="$(sed -n 's/.*rate=\([0-9.]*\).*/\1/p' <<<"$static" | cut -d' ' -f1)"
ratio() {
  local line; line="$(run "$@")"
  local rate; rate="$(sed -n 's/.*rate=\([0-9.]*\).*/\1/p' <<<"$line" | cut -d' ' -f1)"
  echo "$line $(awk -v r="$rate" -v s="$static_rate" 'BEGIN { printf "of-static=%.0f%%", 100 * r / s }')"
}
ratio "$sup" 64 "case list page, supervisor (whole country)" /cases
ratio "$cw" 64 "case list page, caseworker (two provinces)" /cases
ratio "$sup" 64 "search page, supervisor (ahmadi, احمدی)" "/cases?q=ahmadi" "/cases?q=%D8%A7%D8%AD%D9%85%D8%AF%DB%8C"
ratio "$cw" 64 "search page, caseworker (ahmadi, احمدی)" "/cases?q=ahmadi" "/cases?q=%D8%A7%D8%AD%D9%85%D8%AF%DB%8C"
echo "-- overview at 16 connections (target: p95 <= 50 ms)"
run "$pm" 16 "overview API, no filter / a country / a year / a province" \
  "POST /api/overview country=" "POST /api/overview country=AF" "POST /api/overview year=2025" \
  "POST /api/overview province=IQ-BG&year=2026"
run "$sup" 16 "overview page (server-rendered), supervisor's country" "/overview"
run "$pm" 2 "Excel export of every table (2 connections)" /overview/export.xlsx
echo "server memory after the load: $(ps -o rss= -p "$server" | awk '{ printf "%.0f MB RSS", $1 / 1024 }') (target: <= 150 MB)"
# The overview kept no cube: each request groups the whole caseload, which is what every
# refresh of the cube costs (once per HOMEWARD_OVERVIEW_REFRESH_SECS, off the request path).
kill $server; wait $server 2>/dev/null || true
serve HOMEWARD_OVERVIEW_REFRESH_SECS=0
cookie="$(sign_in pm@bench.org)"
printf '%-66s ' "overview API recomputing the cube (refresh cost), 5 times"
for _ in 1 2 3 4 5; do
  curl -s -o /dev/null -w '%{time_total}s ' -X POST -H "Cookie: $cookie" -H 'Accept: application/json' \
    "http://127.0.0.1:$port/api/overview" --data 'country='
done
echo
