#!/usr/bin/env python3
"""Drill: the power cut. Registrations and notes on existing cases from 32 connections; the
server is killed with SIGKILL in the middle, restarted, and this is repeated. After each kill,
every write that was answered with success must be in the database, and the database must
pass its integrity check.

Usage: bench/drills/kill_under_load.py sqlite|postgres [rounds] [connections]
Needs a release build (scripts/start.sh or scripts/test.sh makes one)."""

import random
import sys
import threading
import time

from common import Client, Database, Load, Server, create_supervisor, homeward, registration

backend = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
connections = int(sys.argv[3]) if len(sys.argv) > 3 else 32
port = 3310

db = Database(backend, f"homeward_drill_{port}")
homeward(db, port, "migrate")
create_supervisor(db, port)

confirmed_families, confirmed_notes = [], []
lock = threading.Lock()
failed = False
server = None


def worker(client, seed, stop):
    rng = random.Random(seed)
    mine = []
    while not stop.is_set():
        try:
            if mine and rng.random() < 0.5:
                family = rng.choice(mine)
                body = f"drill note {seed}-{rng.getrandbits(48):x}"
                status, _ = client.call("add_note", {"family_id": family, "body": body})
                if status == 200:
                    with lock:
                        confirmed_notes.append((family, body))
            else:
                status, value = client.call("register_family", registration(rng))
                if status == 200:
                    mine.append(value)
                    with lock:
                        confirmed_families.append(value)
        except Exception:
            # The server is gone: this connection's in-flight write had no answer, so it may
            # or may not be there; nothing is claimed for it.
            return


try:
    for n in range(1, rounds + 1):
        server = Server(db, port)
        client = Client(port)
        before = (len(confirmed_families), len(confirmed_notes))
        load = Load(connections, lambda seed, stop: worker(client, seed, stop), n * 1000)
        time.sleep(random.uniform(2.0, 5.0))
        server.kill()
        load.stop()
        families = {r[0] for r in db.rows("SELECT family_id FROM family")}
        notes = {(r[0], r[1]) for r in db.rows("SELECT family_id, body FROM case_note")}
        lost_families = [f for f in confirmed_families if f not in families]
        lost_notes = [x for x in confirmed_notes if x not in notes]
        integrity = db.integrity()
        ok = not lost_families and not lost_notes and integrity == "ok"
        failed |= not ok
        print(f"round {n:2}: {len(confirmed_families) - before[0]:4} registrations and "
              f"{len(confirmed_notes) - before[1]:4} notes answered OK before SIGKILL; "
              f"lost {len(lost_families)} + {len(lost_notes)}; integrity: {integrity}", flush=True)
    server = Server(db, port)
    server.kill()
    print(f"{backend}: {rounds} kills, {len(confirmed_families)} registrations and "
          f"{len(confirmed_notes)} notes confirmed, "
          + ("none lost, integrity ok; the server starts after the last kill."
             if not failed else "FAILED"))
finally:
    if server and server.proc.poll() is None:
        server.kill()
    db.drop()
sys.exit(1 if failed else 0)
