#!/usr/bin/env python3
"""Run the HTTP benchmarks against gunicorn on loopback and print the figures.

    .venv/bin/python scripts/bench/run_http.py single|concurrent|thousand|closeness|connections [--port 5077]
        [--pgbouncer N]

Starts gunicorn with the production configuration (scripts/gunicorn.conf.py) serving
``bench_app`` (the app plus the benchmark-only reference endpoints), runs locust headless with
CSV output into ``instance/bench/<run>/``, samples the established connections to the server
every second, stops gunicorn and prints a Markdown table (p50/p95/p99 ms, requests/s, failures).
The database comes from the usual settings (DATABASE_URL / MIGRATION_DATABASE_URL or the local
instance cluster) and must hold the large dataset with ``capture.py`` run once.  With
``--pgbouncer N`` the web workers reach the local instance cluster through a PgBouncer in
transaction mode with N server connections (scripts/pgbouncer.py), as in a scaled-out set-up.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import pgbouncer  # noqa: E402

VENV = ROOT / ".venv" / "bin"
OUT = ROOT / "instance" / "bench"
ROLE_USERS = ("Engineer", "Manager", "Customer", "Finance")     # the 1,000-user mix (locustfile.py)


def port_is_free(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def start_gunicorn(port: int, extra_env: dict) -> subprocess.Popen:
    if not port_is_free(port):
        raise SystemExit(f"port {port} is in use: choose another with --port")
    env = dict(os.environ, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_ACCESSLOG="/dev/null", **extra_env)
    with open(OUT / "gunicorn.log", "a") as log:   # the child keeps its own descriptor
        process = subprocess.Popen([str(VENV / "gunicorn"), "--config", str(ROOT / "scripts" / "gunicorn.conf.py"),
                                    "--chdir", str(ROOT / "scripts" / "bench"), "bench_app:app"],
                                   env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
    for _ in range(120):
        if process.poll() is not None:
            raise SystemExit("gunicorn exited: see instance/bench/gunicorn.log")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__bench/bare", timeout=2)
            return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("gunicorn did not start: see instance/bench/gunicorn.log")


def connections(port: int) -> int:
    out = subprocess.run(["ss", "-Htn", "state", "established", f"( sport = :{port} )"],
                         capture_output=True, text=True).stdout
    return len(out.splitlines())


def locust(port: int, name: str, users: int, rate: float, seconds: int, env: dict,
           classes: tuple[str, ...]) -> list[dict]:
    """One headless locust run of the given user classes only (locustfile.py), its stats rows."""
    target = OUT / name
    target.parent.mkdir(parents=True, exist_ok=True)
    peak, stop = [0], threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], connections(port))
            time.sleep(1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    cpu_before = _children_cpu()
    with open(f"{target}.log", "w") as log:
        subprocess.run([str(VENV / "locust"), "-f", str(ROOT / "scripts" / "bench" / "locustfile.py"), "--headless",
                        "-u", str(users), "-r", str(rate), "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{port}",
                        "--csv", str(target), "--reset-stats", "--only-summary", "--stop-timeout", "5", *classes],
                       env=dict(os.environ, **env), cwd=ROOT, check=False, stdout=log, stderr=subprocess.STDOUT)
    stop.set()
    with open(f"{target}_stats.csv") as stats:
        rows = list(csv.DictReader(stats))
    for row in rows:
        row["peak_connections"] = peak[0]
        row["locust_cpu_seconds"] = round(_children_cpu() - cpu_before, 1)
    return rows


def _children_cpu() -> float:
    """CPU seconds of the finished children (locust; gunicorn is reaped only at the end)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def table(rows: list[dict]) -> str:
    lines = ["| request | count | failures | p50 ms | p95 ms | p99 ms | req/s |", "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['Name']} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | {r['95%']} |"
                     f" {r['99%']} | {float(r['Requests/s']):.1f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", choices=["single", "concurrent", "thousand", "closeness", "connections"])
    parser.add_argument("--port", type=int, default=5377)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--pgbouncer", type=int, metavar="N", help="through PgBouncer with N server connections")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    bouncer, env = None, {}
    if args.pgbouncer:
        from app.config import INSTANCE

        bouncer = pgbouncer.run(OUT / "pgbouncer", str(INSTANCE / "pgsocket"), "ses", args.port + 1, args.pgbouncer)
        # PgBouncer is the pool; statements are not prepared on the server (PgBouncer < 1.21).
        env = {"DATABASE_URL": f"postgresql://ses_app@127.0.0.1:{args.port + 1}/ses",
               "SES_DB_PREPARE_THRESHOLD": "off", "SES_DB_POOL_SIZE": "5", "SES_DB_MAX_OVERFLOW": "5"}
    server = start_gunicorn(args.port, env)
    try:
        if args.run == "single":
            rows = locust(args.port, "single", 1, 1, args.seconds, {"SES_BENCH_THINK": "0"}, ("Everyone",))
        elif args.run == "concurrent":
            rows = locust(args.port, "concurrent", 20, 20, args.seconds, {"SES_BENCH_THINK": "0"}, ("Everyone",))
        elif args.run == "thousand":
            # Four log-ins a second: each is an Argon2id hash of ~150 ms of CPU, so ten a second
            # would take three quarters of the box for the 100 s of the ramp.  The figures start
            # when the last user has logged in (locustfile.py).
            rows = locust(args.port, "thousand", 1000, 4, args.seconds, {}, ROLE_USERS)
        elif args.run == "connections":
            print(open_connections(args.port, 1000))
            return 0
        else:
            rows = closeness(args.port, args.seconds)
        print(table(rows))
        print(f"\npeak established connections to the server: {rows[-1].get('peak_connections')}; "
              f"locust used {rows[-1].get('locust_cpu_seconds')} CPU seconds")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        if bouncer is not None:
            pgbouncer.stop(bouncer)
    return 0


def open_connections(port: int, count: int) -> str:
    """``count`` keep-alive connections opened at once, each answered, all held open together,
    then each answered again on the same connection: what "1,000 open connections accepted"
    means, without think times blurring it."""
    import asyncio

    request = f"GET /__bench/bare HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()

    async def ask(reader, writer) -> bool:
        try:
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            await reader.readexactly(int(re.search(rb"(?i)content-length: *(\d+)", head).group(1)))
        except (OSError, asyncio.IncompleteReadError):
            return False
        return head.startswith(b"HTTP/1.1 200") and b"connection: close" not in head.lower()

    async def run() -> str:
        streams = await asyncio.gather(*(asyncio.open_connection("127.0.0.1", port) for _ in range(count)))
        first = await asyncio.gather(*(ask(r, w) for r, w in streams))
        held = connections(port)
        second = await asyncio.gather(*(ask(r, w) for r, w in streams))
        for _, writer in streams:
            writer.close()
        return (f"{count} connections opened; answered {sum(first)}, then all held open at once "
                f"({held} established at the server), answered again on the same connections {sum(second)}")

    return asyncio.run(run())


def login_cookie(port: int, email: str) -> str:
    """A live session of ``email``, so the page phases measure pages, not logins."""
    import requests

    client = requests.Session()
    base = f"http://127.0.0.1:{port}"
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(f"{base}/login").text).group(1)
    client.post(f"{base}/login", data={"email": email, "password": os.environ.get("SES_BENCH_PASSWORD",
                                                                                 "demo-pass-2026"),
                                        "csrf_token": token}, allow_redirects=False)
    return client.cookies["ses_session"]


def closeness(port: int, seconds: int) -> list[dict]:
    """Each GET scenario, its reference (same SQL, same role switch) and the owner variant, one
    after the other at the same concurrency, in one server run."""
    scenarios = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/__bench/scenarios").read())
    captured = json.loads((OUT / "queries.json").read_text())
    rows = locust(port, "closeness/bare", 10, 10, seconds, {"SES_BENCH_TARGET": "/__bench/bare"}, ("Reference",))
    for n, info in scenarios.items():
        record = captured[int(n)]
        if "save" in info["name"]:
            continue
        cookie = login_cookie(port, record["user"])
        htmx = "1" if "(partial)" in info["name"] else "0"
        for kind, target in (("page", record["path"]), ("ref", f"/__bench/ref/{n}"), ("owner", f"/__bench/owner/{n}")):
            env = {"SES_BENCH_TARGET": target, "SES_BENCH_COOKIE": cookie if kind == "page" else "",
                   "SES_BENCH_TARGET_HTMX": htmx}
            result = locust(port, f"closeness/{n}-{kind}", 10, 10, seconds, env, ("Reference",))
            for row in result:
                if row["Name"] == target:
                    row["Name"] = f"{info['name']} [{kind}]"
                    rows.append(row)
    return [r for r in rows if r["Name"] not in ("Aggregated", "login", "login page", "home")]


if __name__ == "__main__":
    sys.exit(main())
