"""What the drills share: a fresh database of either backend, the release server started and
killed, accounts, HTTP calls as a script makes them, integrity checks. Standard library only."""

import json
import os
import random
import signal
import socket
import sqlite3
import string
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "target", "server-release", "homeward")
ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PASSWORD = "drill-password-long"


class Database:
    """A fresh database: a SQLite file in a temporary folder or a PostgreSQL database."""

    def __init__(self, backend, name):
        self.backend = backend
        self.dir = tempfile.mkdtemp(prefix="homeward-drill-")
        if backend == "sqlite":
            self.path = os.path.join(self.dir, "drill.db")
            self.url = "sqlite://" + self.path
        elif backend == "postgres":
            self.name = name
            psql(ADMIN_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
            self.url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
        else:
            raise SystemExit("backend: sqlite or postgres")

    def rows(self, sql):
        """The rows of a query, as lists of text."""
        if self.backend == "sqlite":
            db = sqlite3.connect(self.path)
            try:
                return [[str(v) for v in r] for r in db.execute(sql).fetchall()]
            finally:
                db.close()
        out = subprocess.run(["psql", self.url, "-AtF", "\t", "-c", sql], check=True,
                             capture_output=True, text=True).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    def integrity(self):
        """'ok', or what the integrity check found: PRAGMA integrity_check on SQLite, amcheck
        on every B-tree index (with its heap) on PostgreSQL."""
        if self.backend == "sqlite":
            result = [r[0] for r in self.rows("PRAGMA integrity_check")]
            return "ok" if result == ["ok"] else "; ".join(result)
        psql(self.url, "CREATE EXTENSION IF NOT EXISTS amcheck")
        try:
            self.rows("SELECT bt_index_check(c.oid, true) FROM pg_index i "
                      "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
                      "WHERE a.amname = 'btree' AND c.relnamespace = 'public'::regnamespace")
        except subprocess.CalledProcessError as e:
            return e.stderr.strip()
        return "ok"

    def drop(self):
        if self.backend == "postgres":
            psql(ADMIN_URL, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        if not os.environ.get("DRILL_KEEP"):
            subprocess.run(["rm", "-rf", self.dir], check=False)
        else:
            print(f"kept {self.dir}")


def psql(url, *commands):
    for c in commands:
        subprocess.run(["psql", url, "-qc", c], check=True, capture_output=True, text=True)


def env(db, port, **extra):
    e = dict(os.environ, DATABASE_URL=db.url, HOMEWARD_DATA_DIR=db.dir,
             LEPTOS_SITE_ROOT=os.path.join(ROOT, "target", "site"),
             LEPTOS_SITE_ADDR=f"127.0.0.1:{port}",
             RUST_LOG=os.environ.get("DRILL_RUST_LOG", "error"))
    e.update(extra)
    return e


def homeward(db, port, *args, stdin=None):
    return subprocess.run([BIN, *args], env=env(db, port), input=stdin, text=True,
                          capture_output=True, check=True).stdout


def create_supervisor(db, port, email="sup@drill.org"):
    homeward(db, port, "create-user", "--email", email, "--name", "Drill Supervisor",
             "--role", "supervisor", "--org", "morr", stdin=PASSWORD + "\n")


class Server:
    """`homeward serve`, started and waited for; stopped by a signal of the caller's choice."""

    def __init__(self, db, port, **extra):
        self.port = port
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise SystemExit(f"something already listens on port {port}")
        # Beside, not inside, the database's folder (which the disk-full drill fills up).
        self.log = open(os.path.join(tempfile.gettempdir(), f"homeward-drill-{port}.log"), "ab")
        self.proc = subprocess.Popen([BIN, "serve"], env=env(db, port, **extra),
                                     stdout=subprocess.DEVNULL, stderr=self.log)
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                return
            except Exception:
                if self.proc.poll() is not None:
                    raise SystemExit(f"the server exited ({self.proc.returncode}); see {self.log.name}")
                time.sleep(0.1)
        raise SystemExit("the server did not answer /healthz")

    def kill(self, sig=signal.SIGKILL):
        self.proc.send_signal(sig)
        self.proc.wait()
        self.log.close()


class Client:
    """Calls server functions as a script does: form-encoded, JSON back, a session cookie."""

    def __init__(self, port, email="sup@drill.org"):
        self.base = f"http://127.0.0.1:{port}"
        self.cookie = ""
        status, _, headers = self.call("sign_in", {"email": email, "password": PASSWORD},
                                       with_headers=True)
        if status != 200:
            raise SystemExit(f"sign in: {status}")
        for h in headers.get_all("set-cookie") or []:
            if h.startswith("hw_session="):
                self.cookie = h.split(";")[0]

    def page(self, path, timeout=30):
        """Loads a page as a browser does; answers its status."""
        req = urllib.request.Request(f"{self.base}{path}", headers={"Cookie": self.cookie})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as res:
                res.read()
                return res.status
        except urllib.error.HTTPError as e:
            return e.code

    def call(self, endpoint, form, timeout=30, with_headers=False):
        data = urllib.parse.urlencode(form).encode()
        req = urllib.request.Request(f"{self.base}/api/{endpoint}", data=data, method="POST",
                                     headers={"Accept": "application/json", "Cookie": self.cookie})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as res:
                body, status, headers = res.read(), res.status, res.headers
        except urllib.error.HTTPError as e:
            body, status, headers = e.read(), e.code, e.headers
        try:
            value = json.loads(body)
        except ValueError:
            value = body.decode(errors="replace")
        return (status, value, headers) if with_headers else (status, value)


class Load:
    """`n` threads each running `work(seed, stop)` until `stop()`."""

    def __init__(self, n, work, first_seed=0):
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=work, args=(first_seed + i, self.stopping))
                        for i in range(n)]
        for t in self.threads:
            t.start()

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join()


def random_name(rng):
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(9)).capitalize()


def registration(rng):
    """A valid registration of a one-person family with a name nobody else has."""
    given, family = random_name(rng), random_name(rng)
    return {
        "household[province]": "AF-KAB", "household[district]": "District 5",
        "household[return_date]": "2026-10-02", "household[returned_from]": "PK",
        "household[return_type]": "spontaneous", "consent_registration": "yes",
        "consent_given_by": "head", "calendar": "gregorian", "confirmed_distinct": "yes",
        "members[0][name_local]": f"{given} {family}", "members[0][name_latin]": f"{given} {family}",
        "members[0][father_name]": random_name(rng), "members[0][sex]": "male",
        "members[0][age]": str(rng.randint(18, 80)), "members[0][relationship]": "head",
    }
