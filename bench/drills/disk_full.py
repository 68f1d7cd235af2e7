#!/usr/bin/env python3
"""Drill: the disk fills up. SQLite on a 64 MB tmpfs; registrations from 8 connections while
a file takes every free byte. Requests that write must fail with 503 and the "unavailable"
error (no 500, no success that is not stored), the database must pass its integrity check,
and when the space comes back the same server takes writes again.

Usage: bench/drills/disk_full.py    (as root: it mounts a tmpfs)"""

import collections
import os
import random
import subprocess
import sys
import threading
import time

from common import Client, Database, Load, Server, create_supervisor, homeward, registration

port = 3330
mount = "/tmp/homeward-disk-full"
os.makedirs(mount, exist_ok=True)
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mount], check=True)
failed = True
server = None
try:
    db = Database("sqlite", "unused")
    db.dir = mount
    db.path = os.path.join(mount, "drill.db")
    db.url = "sqlite://" + db.path
    homeward(db, port, "migrate")
    create_supervisor(db, port)
    server = Server(db, port)
    client = Client(port)
    statuses = collections.Counter()
    unavailable_bodies = set()
    confirmed = []
    lock = threading.Lock()
    phase = ["before"]

    def worker(seed, stop):
        rng = random.Random(seed)
        while not stop.is_set():
            status, value = client.call("register_family", registration(rng))
            with lock:
                statuses[(phase[0], status)] += 1
                if status == 200:
                    confirmed.append(value)
                elif status == 503:
                    unavailable_bodies.add(str(value))

    load = Load(8, worker)
    time.sleep(3)
    filler = os.path.join(mount, "filler")
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1M"], capture_output=True)
    phase[0] = "full"
    print(f"disk full: {subprocess.run(['df', '-h', mount], capture_output=True, text=True).stdout.splitlines()[-1]}", flush=True)
    time.sleep(10)
    os.remove(filler)
    phase[0] = "after"
    time.sleep(5)
    load.stop()
    server.kill()
    server = None
    stored = {r[0] for r in db.rows("SELECT family_id FROM family")}
    lost = [f for f in confirmed if f not in stored]
    integrity = db.integrity()
    for key in sorted(statuses):
        print(f"  {key[0]:6} {key[1]}: {statuses[key]}")
    print(f"  503 answers: {sorted(unavailable_bodies)}")
    failed = (
        any(s >= 500 and s != 503 for (_, s) in statuses)
        or statuses[("full", 503)] == 0
        or statuses[("after", 200)] == 0
        or lost
        or integrity != "ok"
        or unavailable_bodies != {"Unavailable"}
    )
    print(f"sqlite on a full disk: {len(confirmed)} registrations answered OK, {len(lost)} of "
          f"them lost; integrity: {integrity}; writes work again after the space returns: "
          f"{statuses[('after', 200)] > 0}. " + ("OK" if not failed else "FAILED"))
finally:
    if server:
        server.kill()
    subprocess.run(["umount", mount], check=False)
sys.exit(1 if failed else 0)
