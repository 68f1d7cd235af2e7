#!/usr/bin/env bash
# Document uploads against the release server: a 12-megapixel phone photo (made by Chromium,
# 4000 × 3000 JPEG) and a 1 MB PDF, each uploaded N times one after another and then N at
# once, as a signed-in caseworker to one family. Reports the time per upload (median and
# 95th percentile), the wall time of the parallel burst, and the server's peak resident memory
# (VmHWM): every photo is decoded, scaled to 2,000 px and encoded again, at most two at once.
# Usage: bench/uploads.sh [sqlite|postgres] [N]. Needs a release build and end2end/'s npm
# packages (scripts/test.sh makes both).
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
n="${2:-20}"
port=3202
usage="$0 sqlite|postgres [N]"
source bench/server.sh
"$bin" migrate >/dev/null
echo "bench-password-long" | "$bin" create-user --email cw@bench.org --name "Bench Caseworker" \
  --role caseworker --org morr --area AF-KAB >/dev/null
serve

# The photo: a busy picture, so that JPEG has something to compress.
(cd end2end && node - "$dir/photo.jpg" <<'JS'
const { chromium } = require('@playwright/test');
(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 4000, height: 3000 } });
  await page.setContent(`<body style="margin:0;background:repeating-radial-gradient(circle at 30% 40%, #c93 0, #369 7px, #fc6 13px, #063 21px)"></body>`);
  await page.screenshot({ path: process.argv[2], type: 'jpeg', quality: 90 });
  await browser.close();
})();
JS
)
{ printf '%%PDF-1.4\n'; head -c 1048576 /dev/urandom; printf '\n%%%%EOF\n'; } > "$dir/paper.pdf"

/usr/bin/python3 - "$port" "$n" "$dir" <<'PY'
import sys, time, json, threading, statistics, urllib.request, urllib.error, http.cookiejar, uuid
port, n, d = sys.argv[1], int(sys.argv[2]), sys.argv[3]
base = f"http://127.0.0.1:{port}"
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
def post(path, data, ctype):
    req = urllib.request.Request(base + path, data=data, method="POST",
        headers={"Accept": "application/json", "Content-Type": ctype, "Origin": base})
    try:
        with opener.open(req, timeout=300) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
form = "application/x-www-form-urlencoded"
assert post("/api/sign_in", b"email=cw%40bench.org&password=bench-password-long", form)[0] == 200
import urllib.parse as up
reg = {"household[province]": "AF-KAB", "household[district]": "District 8", "household[return_date]": "2026-10-02",
       "household[returned_from]": "IR", "household[return_type]": "deported", "consent_registration": "yes",
       "consent_given_by": "Head", "calendar": "gregorian", "members[0][name_latin]": "Bench Family",
       "members[0][father_name]": "Bench", "members[0][sex]": "male", "members[0][age]": "40", "members[0][relationship]": "head"}
status, body = post("/api/register_family", up.urlencode(reg).encode(), form)
assert status == 200, body
family = json.loads(body)
files = {"photo": ("photo.jpg", open(f"{d}/photo.jpg", "rb").read()), "pdf": ("paper.pdf", open(f"{d}/paper.pdf", "rb").read())}
def upload(name, content):
    b = uuid.uuid4().hex
    parts = []
    for k, v in (("family_id", family), ("kind", "identity_document")):
        parts.append(f"--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode())
    parts.append(f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{b}--\r\n".encode())
    t = time.perf_counter()
    status, body = post("/api/upload_document", b"".join(parts), f"multipart/form-data; boundary={b}")
    return status, time.perf_counter() - t
for kind, (name, content) in files.items():
    times = []
    for _ in range(n):
        status, t = upload(name, content)
        assert status == 200, status
        times.append(t)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"{kind} ({len(content) / 1048576:.1f} MB): one at a time, median {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    results = []
    def worker():
        results.append(upload(name, content))
    threads = [threading.Thread(target=worker) for _ in range(n)]
    t = time.perf_counter()
    for th in threads: th.start()
    for th in threads: th.join()
    wall = time.perf_counter() - t
    ok = sum(1 for s, _ in results if s == 200)
    print(f"{kind}: {n} at once, {ok} stored, {wall:.1f} s in all ({n / wall:.1f} per second)")
PY
echo "server peak memory: $(grep VmHWM /proc/$server/status | awk '{print $2/1024 " MB"}')"
