#!/usr/bin/env bash
# The team page at scale: `team_caseload` (each caseworker's open cases, follow-ups due and
# overdue, pending closures, counted over a country's cases) and `reassign_cases` moving 500
# cases with their follow-ups in one step, timed with curl against the release server.
# Usage: bench/team.sh sqlite|postgres [families]
# Needs a release build (scripts/start.sh or test.sh makes one) and sqlite3 or psql.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
families="${2:-20000}"
port=3220
usage="$0 sqlite|postgres [families]"
source bench/server.sh

"$bin" migrate >/dev/null
/usr/bin/time -f "generate $families families: %e s" "$bin" generate --families "$families" >/dev/null
echo "bench-password-long" | "$bin" create-user --email sup@bench.org --name "Bench Supervisor" --role supervisor --org morr >/dev/null
echo "bench-password-long" | "$bin" create-user --email cw@bench.org --name "Bench Caseworker" --role caseworker --org morr --area AF-KAB >/dev/null
serve

sup="$(curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$port/api/sign_in" \
  -H 'Accept: application/json' --data "email=sup@bench.org&password=bench-password-long" \
  | tr -d '\r' | sed -n 's/^set-cookie: \(hw_session=[^;]*\).*/\1/Ip')"
call() {
  curl -s -o /dev/null -w '%{http_code} %{time_total}s' -X POST "http://127.0.0.1:$port/api/$1" \
    -H "Cookie: $sup" -H 'Accept: application/json' "${@:2}"
}

echo "open Afghan cases: $(sql "SELECT COUNT(*) FROM family WHERE country = 'AF' AND status <> 'closed'")," \
     "scheduled follow-ups: $(sql "SELECT COUNT(*) FROM follow_up WHERE status = 'scheduled'")"
for i in 1 2 3 4 5; do printf 'team_caseload, run %s: %s\n' "$i" "$(call team_caseload)"; done
printf 'team page (GET /team): %s\n' "$(curl -s -o /dev/null -w '%{http_code} %{time_total}s' -H "Cookie: $sup" "http://127.0.0.1:$port/team")"

# The 500 open Kabul cases longest untouched, handed to the bench caseworker in one step.
user="$(sql "SELECT user_id FROM app_user WHERE email = 'cw@bench.org'")"
args=(--data-urlencode "user_id=$user")
for id in $(sql "SELECT family_id FROM family WHERE province = 'AF-KAB' AND status <> 'closed'
                 ORDER BY updated_at LIMIT 500"); do
  args+=(--data-urlencode "family_ids[]=$id")
done
printf 'reassign_cases, 500 cases: %s\n' "$(call reassign_cases "${args[@]}")"
echo "now theirs: $(sql "SELECT COUNT(*) FROM family WHERE assigned_to = '$user'") cases," \
     "$(sql "SELECT COUNT(*) FROM follow_up WHERE assigned_to = '$user' AND status = 'scheduled'") scheduled follow-ups"
