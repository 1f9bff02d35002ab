"""The daily move of contracts: 締結 -> 稼働中 once started, -> 終了 once over."""

from __future__ import annotations

from datetime import date

from ..core.jobs import jobs
from .lifecycle import advance_statuses


@jobs.periodic(cron="5 15 * * *", name="contracts.advance_statuses")     # 00:05 JST
def advance_statuses_daily(timestamp: int) -> str:
    started, ended = advance_statuses(date.today())
    return f"started {started}, ended {ended}"
