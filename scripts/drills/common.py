"""What the fault drills share: gunicorn on loopback, logged-in HTTP clients, the database."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"
INSTANCE = Path(os.environ.get("SES_INSTANCE_PATH", ROOT / "instance"))
PASSWORD = os.environ.get("SES_BENCH_PASSWORD", "demo-pass-2026")
sys.path.insert(0, str(ROOT / "scripts"))


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)


@contextmanager
def gunicorn(port: int, workers: int = 3):
    import socket

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is in use by another server")
    env = dict(os.environ, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS=str(workers), GUNICORN_ACCESSLOG="/dev/null")
    with open(INSTANCE / f"drill-gunicorn-{port}.log", "a") as errors:
        process = subprocess.Popen([str(VENV / "gunicorn"), "--config", str(ROOT / "scripts" / "gunicorn.conf.py"),
                                    "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    try:
        for _ in range(120):
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited: see {INSTANCE}/drill-gunicorn-{port}.log")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def session(port: int, local: str) -> tuple[requests.Session, str]:
    """A logged-in browser-like session and its CSRF token."""
    s = requests.Session()
    base = f"http://127.0.0.1:{port}"
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', s.get(f"{base}/login").text).group(1)
    response = s.post(f"{base}/login", data={"email": f"{local}@large.ses.example", "password": PASSWORD,
                                             "csrf_token": token}, allow_redirects=False)
    assert response.status_code == 303, f"login {local}: {response.status_code}"
    home = s.get(f"{base}/").text
    match = re.search(r'"X-CSRFToken": "([^"]+)"', home)
    return s, match.group(1) if match else token


def psql(sql: str, database: str = "ses") -> str:
    socket = INSTANCE / "pgsocket"
    return subprocess.run(["psql", "-h", str(socket), "-U", "postgres", "-d", database, "-AtXc", sql],
                          capture_output=True, text=True, check=True).stdout.strip()
