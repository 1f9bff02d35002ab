#!/usr/bin/env python3
"""A PgBouncer in transaction mode in front of a local cluster (tests and benchmarks).

    python3 scripts/pgbouncer.py <folder> <cluster socket folder> <database> [--port 6432] [--pool 1]

runs PgBouncer in the foreground until interrupted; ``run(...)`` from Python returns the process
(``stop(process)`` ends it).  Clients connect as themselves over TCP to 127.0.0.1:<port>,
database ``<database>``; PgBouncer reaches the cluster through its socket as the same user
(trust, as the local clusters are set up) and shares ``--pool`` server connections per user
between all of them, one transaction at a time.  Run as root it runs as the cluster's user.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pgcluster  # noqa: E402

USERS = ("ses_app", "ses_owner", "postgres")


def binary() -> str:
    found = shutil.which("pgbouncer") or (Path("/usr/sbin/pgbouncer").is_file() and "/usr/sbin/pgbouncer")
    if not found:
        raise SystemExit("pgbouncer is not installed: scripts/bootstrap.sh installs it")
    return found


def run(folder: Path, cluster_socket: str, database: str, port: int, pool: int = 1) -> subprocess.Popen:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "users.txt").write_text("".join(f'"{user}" ""\n' for user in USERS))
    (folder / "pgbouncer.ini").write_text(f"""\
[databases]
{database} = host={cluster_socket} dbname={database}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "users.txt"}
pool_mode = transaction
default_pool_size = {pool}
max_client_conn = 2000
logfile = {folder / "pgbouncer.log"}
ignore_startup_parameters = extra_float_digits
""")
    pgcluster._make_traversable(folder)
    for path in (folder, *folder.iterdir()):
        pgcluster._give_to_server_user(path)
    command = [binary(), str(folder / "pgbouncer.ini")]
    if pgcluster._as_root():
        command = ["runuser", "-u", pgcluster.RUN_AS, "--", *command]
    # Its messages go to the log file; what it says before it has one (a bad setting) to stderr.
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pgbouncer exited: {process.stderr.read().decode()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    stop(process)
    raise RuntimeError(f"pgbouncer did not listen on {port} within 10 s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.stderr.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("cluster_socket")
    parser.add_argument("database")
    parser.add_argument("--port", type=int, default=6432)
    parser.add_argument("--pool", type=int, default=1)
    args = parser.parse_args()
    process = run(args.folder.resolve(), args.cluster_socket, args.database, args.port, args.pool)
    print(f"pgbouncer (transaction mode, {args.pool} server connection(s) per user) on 127.0.0.1:{args.port}")
    try:
        process.wait()
    except KeyboardInterrupt:
        stop(process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
