#!/usr/bin/env python3
"""CPU and wall time per request of every benchmark scenario, in-process (the test client).

    SES_INSTANCE_PATH=<cluster with the large dataset> .venv/bin/python scripts/bench/page_cpu.py [N] [--profile NAME]

Each scenario is requested three times to warm up, then N times (default 40) as its user of
the large dataset, with the garbage collector set as in a gunicorn worker; prints the mean
process CPU and wall time per request.  ``--profile NAME`` runs the scenarios whose name
contains NAME (``all`` for every one) under cProfile instead and prints the 40 functions first
in ``--sort`` order (cumulative time unless told).  Relative figures: what one change does to a
page's Python, on the same data, one run after the other.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import runpy
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts" / "bench"))

from scenarios import SCENARIOS  # noqa: E402
from sessions import client_for  # noqa: E402


def _yesterday() -> str:
    return (date.today() - timedelta(days=1)).isoformat()


def _request(client, scenario, path: str) -> None:
    headers = {"X-CSRFToken": client.csrf} | ({"HX-Request": "true"} if scenario.partial else {})
    response = client.open(path, method=scenario.method, headers=headers, data=dict(scenario.form) or None)
    if response.status_code >= 400:
        raise SystemExit(f"{scenario.name}: {path} answered {response.status_code}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=40)
    parser.add_argument("--profile")
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime, ...")
    args = parser.parse_args()
    from app import create_app

    app = create_app()
    clients = {s.user: client_for(app, f"{s.user}@large.ses.example") for s in SCENARIOS}
    sheet = clients["e00001"].get("/timesheets/mine").headers.get("Location", "").split("#")[0]
    # The collector as a gunicorn worker has it (frozen start-up objects, fewer young collections).
    runpy.run_path(str(ROOT / "scripts" / "gunicorn.conf.py"))["post_worker_init"](None)
    profiler = cProfile.Profile()
    for scenario in SCENARIOS:
        client = clients[scenario.user]
        path = scenario.path.replace("{timesheet}", sheet).replace("{day}", _yesterday())
        for _ in range(3):
            _request(client, scenario, path)
        if args.profile:
            if args.profile == "all" or args.profile in scenario.name:
                profiler.enable()
                for _ in range(args.n):
                    _request(client, scenario, path)
                profiler.disable()
            continue
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(args.n):
            _request(client, scenario, path)
        print(f"{scenario.name:35s} cpu {1000 * (time.process_time() - cpu) / args.n:6.1f} ms"
              f"  wall {1000 * (time.perf_counter() - wall) / args.n:6.1f} ms")
    if args.profile:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
