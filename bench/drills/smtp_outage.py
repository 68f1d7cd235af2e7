#!/usr/bin/env python3
"""Drill: the SMTP relay is down. Forty emails are queued (password resets by an admin); the
relay refuses connections for a minute, then answers every message with 451 (try later) for
a minute and a half, during which the server is also killed and restarted; then a real relay
(aiosmtpd) comes up. Every email must arrive, each exactly once.

Usage: bench/drills/smtp_outage.py sqlite|postgres [emails]
Needs a release build and python3-aiosmtpd (scripts/setup.sh --test installs it)."""

import re
import socket
import subprocess
import sys
import threading
import time

from common import PASSWORD, Client, Database, Server, homeward

backend = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
emails = int(sys.argv[2]) if len(sys.argv) > 2 else 40
port, smtp_port = 3320, 3325
started = time.time()


def say(text):
    print(f"{time.time() - started:6.1f} s  {text}", flush=True)


class Refusing:
    """A relay that answers every message with 451, as a relay over quota or greylisting."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", smtp_port))
        self.sock.listen()
        self.refused = 0
        self.sessions = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.sessions.append(conn)
            threading.Thread(target=self.session, args=(conn,), daemon=True).start()

    def session(self, conn):
        with conn:
            f = conn.makefile("rwb")
            f.write(b"220 drill ESMTP\r\n"); f.flush()
            for line in iter(f.readline, b""):
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    f.write(b"250 drill\r\n")
                elif verb == b"MAIL":
                    self.refused += 1
                    f.write(b"451 4.3.0 Try again later\r\n")
                elif verb == b"QUIT":
                    f.write(b"221 bye\r\n"); f.flush()
                    return
                else:
                    f.write(b"503 5.5.1 Bad sequence\r\n")
                f.flush()

    def close(self):
        # shutdown() wakes the thread blocked in accept(); close() alone would not free the
        # port while it waits.
        for s in [self.sock] + self.sessions:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


db = Database(backend, f"homeward_drill_{port}")
failed = True
server = listener = None
try:
    homeward(db, port, "migrate")
    homeward(db, port, "create-user", "--email", "admin@drill.org", "--name", "Drill Admin",
             "--role", "admin", "--org", "programme", stdin=PASSWORD + "\n")
    users = []
    for i in range(emails):
        out = homeward(db, port, "create-user", "--email", f"user{i}@drill.org", "--name",
                       f"Drill User {i}", "--role", "programme_manager", "--org", "programme",
                       stdin=PASSWORD + "\n")
        users.append(re.search(r"\(([0-9a-f-]{36})\)", out).group(1))
    smtp = dict(HOMEWARD_SMTP_HOST="127.0.0.1", HOMEWARD_SMTP_PORT=str(smtp_port),
                HOMEWARD_SMTP_TLS="none")
    server = Server(db, port, **smtp)
    admin = Client(port, "admin@drill.org")
    for u in users:
        status, value = admin.call("reset_password", {"user_id": u, "new_password": "a new long password"})
        assert status == 200, (status, value)
    say(f"{emails} emails queued; the relay refuses connections")
    time.sleep(60)
    relay = Refusing()
    say("the relay answers 451 to every message")
    time.sleep(40)
    server.kill()
    server = Server(db, port, **smtp)
    say("the server was killed (SIGKILL) and restarted")
    time.sleep(50)
    relay.close()
    say(f"the relay had answered 451 to {relay.refused} messages; a working relay comes up")
    listener = subprocess.Popen(["/usr/bin/python3", "-u", "-m", "aiosmtpd", "-n", "-l",
                                 f"127.0.0.1:{smtp_port}"], stdout=subprocess.PIPE, text=True)
    deadline = time.time() + 15 * 60
    while time.time() < deadline:
        waiting = int(db.rows("SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NULL")[0][0])
        if waiting == 0:
            break
        time.sleep(5)
    say(f"{waiting} emails still waiting")
    server.kill()
    server = None
    listener.terminate()
    received = listener.communicate()[0]
    listener = None
    attempts = db.rows("SELECT attempts FROM email_outbox")
    ids = [r[0] for r in db.rows("SELECT email_id FROM email_outbox")]
    copies = [received.count(f"Message-ID: <{i}@homeward>") for i in ids]
    max_attempts = max(int(a[0]) for a in attempts)
    failed = waiting > 0 or len(ids) != emails or any(c != 1 for c in copies)
    print(f"{backend}: {len(ids)} emails queued, {sum(1 for c in copies if c == 1)} arrived "
          f"exactly once, {sum(1 for c in copies if c == 0)} never, "
          f"{sum(1 for c in copies if c > 1)} more than once; up to {max_attempts} attempts "
          f"each; all delivered {time.time() - started:.0f} s after the outage began. "
          + ("OK" if not failed else "FAILED"))
finally:
    if server:
        server.kill()
    if listener:
        listener.kill()
    db.drop()
sys.exit(1 if failed else 0)
