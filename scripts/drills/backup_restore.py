#!/usr/bin/env python3
"""Drill: back up the large dataset per schema and restore it into a fresh cluster (RTO).

    SES_INSTANCE_PATH=... .venv/bin/python scripts/drills/backup_restore.py [--keep]

Uses the operations commands (``flask ses backup`` / ``flask ses restore``, app/core/backup.py):
the backup writes one ``pg_dump -n <schema>`` per schema and a manifest of every table's row
count and checksum; the restore goes into a brand-new PostgreSQL cluster started for the drill,
migrates it, loads the data and compares every table with the manifest.  Printed: the sizes, the
time of each step and the restore time -- the recovery time objective of a logical restore.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import common  # noqa: F401, I001  (puts scripts/ on the path for pgcluster)
import pgcluster  # noqa: I001
from common import INSTANCE, ROOT, VENV, log


def _flask(env: dict, *args) -> float:
    started = time.time()
    subprocess.run([str(VENV / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True)
    return time.time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the backup and the fresh cluster")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ses-drill-"))
    folder = work / "backup"
    env = dict(os.environ)
    log(f"backup of {INSTANCE / 'pgsocket'} into {folder}")
    backup_seconds = _flask(env, "ses", "backup", str(folder))
    size = sum(f.stat().st_size for f in folder.iterdir())
    log(f"backup: {backup_seconds:.0f} s, {size / 2**20:.0f} MiB")
    fresh = work / "fresh"
    socket = pgcluster.start(fresh)
    log(f"fresh cluster on {socket}")
    fresh_env = dict(env, DATABASE_URL=f"postgresql://ses_app@/postgres?host={socket}",
                     MIGRATION_DATABASE_URL=f"postgresql://postgres@/postgres?host={socket}")
    try:
        restore_seconds = _flask(fresh_env, "ses", "restore", str(folder), "--database", "ses_restored")
        log(f"restore into the fresh cluster, checked table by table: {restore_seconds:.0f} s (RTO)")
    finally:
        if not args.keep:
            pgcluster.stop(fresh, remove=True)
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
