# Sourced by the bench scripts, after they set $backend (sqlite or postgres), $port and $usage:
# a fresh database of that backend (on PostgreSQL the database homeward_bench_$port, so two
# scripts can run side by side) or $BENCH_DATABASE_URL as it is, the server's environment,
# and `serve`. The server and the
# data are cleaned up on exit. Needs a release build (scripts/start.sh or test.sh makes one).
bin=target/server-release/homeward
dir="$(mktemp -d)"
server=
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  # A database generated before (see latency.sh): used as it is, not dropped.
  export DATABASE_URL="$BENCH_DATABASE_URL"
else
  case "$backend" in
    sqlite) export DATABASE_URL="sqlite://$dir/bench.db" ;;
    postgres)
      admin="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
      db="homeward_bench_$port"
      psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
      export DATABASE_URL="${admin%/*}/$db" ;;
    *) echo "usage: $usage" >&2; exit 2 ;;
  esac
fi
export HOMEWARD_DATA_DIR="$dir" LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=error

# Starts the server (with the environment given) and waits until it answers.
serve() {
  env "$@" "$bin" serve >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
}

# Runs one SQL statement on the bench database and prints its rows (sqlite3 or psql).
sql() {
  case "$backend" in
    sqlite) sqlite3 "${DATABASE_URL#sqlite://}" "$1" ;;
    postgres) psql "$DATABASE_URL" -qtAc "$1" ;;
  esac
}
