"""The CLI: the run and the exports, as cron jobs and the migration use them."""

from __future__ import annotations

import csv

from sqlalchemy import text


def test_billing_run_cli_is_idempotent(app, sold, make, admin_engine):
    make.closed_month(sold.contract, 2026, 10, 160 * 60)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["billing", "run", "--month", "2026-10", "--no-pdf"])
    assert first.exit_code == 0, first.output
    assert "INV-2026-000001" in first.output and "SUCCEEDED: 1 invoices" in first.output
    again = runner.invoke(args=["billing", "run", "--month", "2026-10"])
    assert again.exit_code == 0 and "SUCCEEDED: 0 invoices" in again.output
    with admin_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM billing_context.invoices")).scalar() == 1


def test_a_bad_month_is_refused(app):
    result = app.test_cli_runner().invoke(args=["billing", "run", "--month", "2026-13"])
    assert result.exit_code != 0 and "YYYY-MM" in result.output


def test_export_invoices_writes_invoices_and_lines(app, sold, make, tmp_path):
    make.closed_month(sold.contract, 2026, 10, 190 * 60 + 30)
    runner = app.test_cli_runner()
    runner.invoke(args=["billing", "run", "--month", "2026-10", "--no-pdf"])
    result = runner.invoke(args=["billing", "export", "invoices", "--month", "2026-10", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    invoices = list(csv.reader((tmp_path / "invoices-2026-10.csv").read_text(encoding="cp932").splitlines()))
    lines = list(csv.reader((tmp_path / "invoice-lines-2026-10.csv").read_text(encoding="cp932").splitlines()))
    header = invoices[0]
    row = dict(zip(header, invoices[1], strict=True))
    assert (row["請求書番号"], row["請求日"], row["支払期限"], row["10%対象"], row["10%消費税"], row["合計"]) == (
        "INV-2026-000001", "2026/10/31", "2026/11/30", "846620", "84662", "931282")
    line = dict(zip(lines[0], lines[1], strict=True))
    assert (line["請求時間"], line["基本金額"], line["精算額"], line["金額"]) == ("190.50", "800000", "46620", "846620")
    assert line["契約番号"] and line["技術者コード"]


def test_export_journal_for_yayoi(app, sold, make, tmp_path):
    make.closed_month(sold.contract, 2026, 10, 160 * 60)
    runner = app.test_cli_runner()
    runner.invoke(args=["billing", "run", "--month", "2026-10", "--no-pdf"])
    result = runner.invoke(args=["billing", "export", "journal", "--month", "2026-10", "--format", "yayoi",
                                 "--output", str(tmp_path), "--encoding", "utf-8"])
    assert result.exit_code == 0
    rows = list(csv.reader((tmp_path / "yayoi-journal-2026-10.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [r[0] for r in rows] == ["2110", "2101"]
