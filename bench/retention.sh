#!/usr/bin/env bash
# How long retention takes on a generated caseload: `homeward retention --dry-run` listing the
# closed cases due, then `homeward retention` anonymising them (one transaction per case), and
# deleting a million audit entries older than their period (in batches of 5,000).
# Usage: bench/retention.sh sqlite|postgres [families] [audit entries]
# Needs a release build (scripts/start.sh or test.sh makes one) and sqlite3 or psql.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
families="${2:-20000}"
entries="${3:-1000000}"
port=3210
usage="$0 sqlite|postgres [families] [audit entries]"
source bench/server.sh

"$bin" migrate >/dev/null
/usr/bin/time -f "generate $families families: %e s" "$bin" generate --families "$families" >/dev/null
# Old audit entries, as years of reads would leave them.
sql "INSERT INTO audit_event (occurred_at, action, target_type, target_id, detail)
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $entries)
     SELECT '2015-01-01T00:00:00.000000Z', 'case_viewed', 'family', 'f' || i, NULL FROM n"
echo "closed cases: $(sql "SELECT COUNT(*) FROM family WHERE status = 'closed'")," \
     "audit entries: $(sql "SELECT COUNT(*) FROM audit_event")"

# Everything generated is older than 0 days; audit entries older than ten years go.
export HOMEWARD_ANONYMISE_AFTER_DAYS=0 HOMEWARD_AUDIT_RETENTION_DAYS=3650
/usr/bin/time -f "dry run: %e s, %M KB peak" "$bin" retention --dry-run | tail -3
HOMEWARD_AUDIT_RETENTION_DAYS=never /usr/bin/time -f "anonymising: %e s, %M KB peak" "$bin" retention
HOMEWARD_ANONYMISE_AFTER_DAYS=never /usr/bin/time -f "deleting audit entries: %e s, %M KB peak" "$bin" retention
echo "left holding names: $(sql "SELECT COUNT(*) FROM member m JOIN family f ON f.family_id = m.family_id
      WHERE f.status = 'closed' AND m.name_latin IS NOT NULL")"
/usr/bin/time -f "second run (nothing due): %e s" "$bin" retention
