#!/usr/bin/env bash
# A burst of parallel sign-ins against the release server: N at once (500 by default), each
# for a different address, so the throttle's counters do not stop them and only the cap on
# concurrent password hashes stands between the burst and the server's memory. Reports the
# answers by status, the time the burst took, and the server's peak resident memory
# (VmHWM). Usage: bench/sign_in_burst.sh [sqlite|postgres] [N]
# Needs a release build (scripts/start.sh or test.sh makes one).
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
n="${2:-500}"
port=3201
usage="$0 sqlite|postgres [N]"
source bench/server.sh
"$bin" migrate >/dev/null
echo "bench-password-long" | "$bin" create-user --email cw@bench.org --name "Bench Caseworker" \
  --role caseworker --org morr --area AF-KAB >/dev/null
serve
echo "== $backend: $n sign-ins at once; server memory before: $(grep VmRSS /proc/$server/status | awk '{print $2/1024 " MB"}')"
/usr/bin/python3 - "$port" "$n" <<'PY'
import sys, threading, time, urllib.request, urllib.error, collections
port, n = sys.argv[1], int(sys.argv[2])
answers = collections.Counter()
lock = threading.Lock()
start = threading.Barrier(n)
def attempt(i):
    body = f"email=nobody{i}%40bench.org&password=a+wrong+password+{i}".encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/sign_in", data=body,
        headers={"Accept": "application/json"}, method="POST")
    start.wait()
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            code = r.status
    except urllib.error.HTTPError as e:
        code = e.code
    except Exception as e:
        code = type(e).__name__
    with lock:
        answers[code] += 1
threads = [threading.Thread(target=attempt, args=(i,)) for i in range(n)]
t0 = time.time()
for t in threads: t.start()
for t in threads: t.join()
print(f"answers: {dict(answers)} in {time.time() - t0:.1f} s  (401 checked and refused, 429 busy)")
PY
echo "server peak memory (VmHWM): $(grep VmHWM /proc/$server/status | awk '{print $2/1024 " MB"}')"
