#!/usr/bin/env python3
"""Start, stop and inspect a private PostgreSQL 15 cluster in a folder of our own.

The server listens only on a Unix socket inside ``<dir>/socket`` so it never clashes with
another PostgreSQL on the machine.  As root, the server runs as the ``postgres`` OS user via
``runuser`` (initdb and postgres refuse to run as root); everything else keeps running as the
caller.  Standard library only: it runs before the virtualenv exists.

    pgcluster.py start DIR [--fast] [--database NAME]   # prints the socket folder
    pgcluster.py stop DIR
    pgcluster.py status DIR
    pgcluster.py recreate DIR --database NAME             # drop and create the database
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
RUN_AS = "postgres"

SERVER_SETTINGS = {
    "listen_addresses": "''",
    "max_connections": "300",
    "shared_buffers": "256MB",
    "work_mem": "16MB",
    "maintenance_work_mem": "256MB",
    "log_min_duration_statement": "1000",
    "timezone": "'Asia/Tokyo'",
    "max_wal_size": "2GB",
}
# Throwaway clusters (tests) trade durability for speed.
FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


def _as_root() -> bool:
    return os.geteuid() == 0


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    if _as_root():
        cmd = ["runuser", "-u", RUN_AS, "--", *cmd]
    return subprocess.run(cmd, check=True, **kwargs)


def _make_traversable(path: Path) -> None:
    """The server user must be able to reach the data folder through every parent."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o001)


def _give_to_server_user(path: Path) -> None:
    if _as_root():
        entry = pwd.getpwnam(RUN_AS)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def paths(base: Path) -> dict[str, Path]:
    return {"data": base / "pgdata", "socket": base / "pgsocket", "log": base / "postgresql.log"}


def is_running(base: Path) -> bool:
    p = paths(base)
    if not (p["data"] / "PG_VERSION").exists():
        return False
    result = subprocess.run(
        [str(PG_BIN / "pg_ctl"), "-D", str(p["data"]), "status"],
        capture_output=True,
        **({"user": RUN_AS} if _as_root() else {}),
    )
    return result.returncode == 0


def init(base: Path, fast: bool) -> None:
    p = paths(base)
    base.mkdir(parents=True, exist_ok=True)
    _make_traversable(base)
    for key in ("data", "socket"):
        p[key].mkdir(exist_ok=True)
        p[key].chmod(0o700 if key == "data" else 0o755)
        _give_to_server_user(p[key])
    if not p["log"].exists():
        p["log"].touch()
    _give_to_server_user(p["log"])
    if (p["data"] / "PG_VERSION").exists():
        return
    _run(
        [str(PG_BIN / "initdb"), "-D", str(p["data"]), "-U", "postgres", "--encoding=UTF8",
         "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256"],
        stdout=subprocess.DEVNULL,
    )
    settings = dict(SERVER_SETTINGS, unix_socket_directories=f"'{p['socket']}'")
    if fast:
        settings.update(FAST_SETTINGS)
    conf = "\n".join(f"{k} = {v}" for k, v in settings.items())
    auto_conf = p["data"] / "postgresql.auto.conf"
    # Written through the server user so file ownership stays consistent.
    _run(["sh", "-c", f"cat >> '{auto_conf}'"], input=("\n" + conf + "\n").encode())


def start(base: Path, fast: bool = False, database: str | None = None) -> Path:
    init(base, fast)
    p = paths(base)
    if not is_running(base):
        _run([str(PG_BIN / "pg_ctl"), "-D", str(p["data"]), "-l", str(p["log"]), "-w", "-t", "60",
              "start"], stdout=subprocess.DEVNULL)
    if database:
        create_database(base, database)
    return p["socket"]


def drop_database(base: Path, name: str) -> None:
    subprocess.run([str(PG_BIN / "psql"), "-h", str(paths(base)["socket"]), "-U", "postgres", "-d",
                    "postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
                   check=True, capture_output=True)


def create_database(base: Path, name: str) -> None:
    psql = [str(PG_BIN / "psql"), "-h", str(paths(base)["socket"]), "-U", "postgres", "-d",
            "postgres", "-tAc"]
    exists = subprocess.run([*psql, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
                            check=True, capture_output=True, text=True).stdout.strip()
    if not exists:
        subprocess.run([*psql, f'CREATE DATABASE "{name}"'], check=True, capture_output=True)


def stop(base: Path, remove: bool = False) -> None:
    p = paths(base)
    if is_running(base):
        _run([str(PG_BIN / "pg_ctl"), "-D", str(p["data"]), "-m", "fast", "-w", "stop"],
             stdout=subprocess.DEVNULL)
    if remove:
        shutil.rmtree(base, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop", "status", "recreate"])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--fast", action="store_true", help="no fsync: for throwaway clusters")
    parser.add_argument("--database", help="create this database if missing")
    parser.add_argument("--remove", action="store_true", help="with stop: delete the folder")
    args = parser.parse_args(argv)
    base = args.dir.resolve()
    if not (PG_BIN / "initdb").exists():
        print(f"PostgreSQL 15 not found in {PG_BIN}: run scripts/bootstrap.sh", file=sys.stderr)
        return 2
    if args.action == "start":
        print(start(base, args.fast, args.database))
    elif args.action == "recreate":
        start(base, args.fast)
        drop_database(base, args.database)
        create_database(base, args.database)
    elif args.action == "stop":
        stop(base, args.remove)
    else:
        running = is_running(base)
        print("running" if running else "stopped")
        return 0 if running else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
