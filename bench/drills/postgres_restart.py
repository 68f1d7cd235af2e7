#!/usr/bin/env python3
"""Drill: PostgreSQL restarts under load. Registrations and case-list pages from 16
connections; PostgreSQL is stopped (fast shutdown) for ten seconds and started again, twice,
while Homeward keeps running. During the outage requests must fail fast with 503 (no 500, no
hanging), and afterwards succeed again without restarting Homeward.

Usage: bench/drills/postgres_restart.py   (on the machine running the PostgreSQL cluster;
stops and starts it with pg_ctlcluster)"""

import collections
import glob
import os
import random
import subprocess
import sys
import threading
import time
import urllib.request

from common import Client, Database, Load, Server, create_supervisor, homeward, registration

port = 3340
version = os.path.basename(sorted(glob.glob("/etc/postgresql/*"))[-1])


def cluster(action):
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action]
                   + (["-m", "fast"] if action == "stop" else []), check=True)


db = Database("postgres", f"homeward_drill_{port}")
failed = True
server = None
try:
    homeward(db, port, "migrate")
    create_supervisor(db, port)
    server = Server(db, port)
    client = Client(port)
    stats = collections.defaultdict(list)   # (phase, status) -> seconds taken
    lock = threading.Lock()
    phase = ["up"]

    def worker(seed, stop):
        rng = random.Random(seed)
        while not stop.is_set():
            started = time.time()
            try:
                if rng.random() < 0.5:
                    status, _ = client.call("register_family", registration(rng), timeout=60)
                else:
                    status = client.page("/cases", timeout=60)
            except Exception:
                status = "no answer"
            with lock:
                stats[(phase[0], status)].append(time.time() - started)
            if status != 200:
                time.sleep(0.2)

    load = Load(16, worker)
    recoveries = []
    for outage in (1, 2):
        time.sleep(4)
        phase[0] = f"down {outage}"
        cluster("stop")
        time.sleep(10)
        cluster("start")
        restarted = time.time()
        phase[0] = f"back {outage}"
        while True:
            with lock:
                ok = len(stats[(phase[0], 200)])
            if ok >= 5 or time.time() - restarted > 60:
                break
            time.sleep(0.1)
        recoveries.append(time.time() - restarted)
    time.sleep(3)
    load.stop()
    health = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").status
    server.kill()
    server = None
    for (p, s), times in sorted(stats.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        times.sort()
        print(f"  {p:7} {str(s):9} {len(times):6} requests, median {times[len(times)//2]*1000:7.0f} ms, "
              f"max {times[-1]*1000:7.0f} ms")
    bad = [k for k in stats if k[1] not in (200, 503)]
    slowest_failure = max((max(v) for k, v in stats.items() if k[1] == 503), default=0)
    failed = bool(bad) or health != 200 or any(r > 30 for r in recoveries)
    print(f"postgres restarted twice under load: answers other than 200 and 503: {bad or 'none'}; "
          f"slowest 503 {slowest_failure:.1f} s; served again {', '.join(f'{r:.1f} s' for r in recoveries)} "
          f"after each start, without restarting Homeward. " + ("OK" if not failed else "FAILED"))
finally:
    if server:
        server.kill()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
                   capture_output=True)
    db.drop()
sys.exit(1 if failed else 0)
