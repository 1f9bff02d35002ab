"""Migration imports: contracts with settlement terms and approved monthly hours, CSV or .xlsx,
preview with row errors, all or nothing -- through the contract and timesheet services."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import text

CONTRACTS = (
    "契約番号,区分,案件コード,技術者コード,顧客コード,パートナー企業コード,売上契約番号,件名,契約形態,状態,開始日,終了日,"
    "月額単価,精算方法,下限時間,上限時間,単価の端数単位\n"
    "S-0001,売上,{project},{engineer},{customer},,,基幹更改支援,準委任,稼働中,2026/04/01,2027/03/31,"
    "\"800,000\",上下割,140,180,10\n"
    "B-0001,仕入,{project},{engineer},,{partner},S-0001,基幹更改支援（仕入）,準委任,稼働中,2026/04/01,2027/03/31,"
    "680000,中間割,140,180,1\n")


@pytest.fixture
def codes(make, admin_engine):
    make.issuer()
    partner = make.partner(code="BP01", registration_number="T7123456789012")
    customer = make.customer(code="CU01")
    make.engineer("髙橋 健一", partner_id=partner, code="EN01")
    project = make.project(customer)
    with admin_engine.connect() as conn:
        project_code = conn.execute(text("SELECT code FROM project_context.projects WHERE id = :p"),
                                    {"p": project}).scalar()
    return {"project": project_code, "engineer": "EN01", "customer": "CU01", "partner": "BP01"}


def _count(admin_engine, table):
    with admin_engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def test_contracts_then_hours_through_the_cli_then_the_run(app, codes, tmp_path, admin_engine):
    contracts = tmp_path / "contracts.csv"
    contracts.write_bytes(CONTRACTS.format(**codes).encode("cp932"))
    runner = app.test_cli_runner()
    checked = runner.invoke(args=["billing", "import", "contracts", str(contracts)])
    assert checked.exit_code == 0, checked.output
    assert _count(admin_engine, "contract_context.contracts") == 0          # a check writes nothing
    done = runner.invoke(args=["billing", "import", "contracts", str(contracts), "--commit"])
    assert done.exit_code == 0 and "imported 2 rows" in done.output, done.output
    hours = tmp_path / "hours.csv"
    hours.write_text("契約番号,対象月,稼働時間,備考\nS-0001,2026-10,190:30,顧客様式\n", encoding="utf-8")
    assert runner.invoke(args=["billing", "import", "hours", str(hours), "--commit"]).exit_code == 0
    result = runner.invoke(args=["billing", "run", "--month", "2026-10", "--no-pdf"])
    assert "SUCCEEDED: 1 invoices, 1 payment notices" in result.output
    with admin_engine.connect() as conn:
        sell = conn.execute(text("SELECT subtotal_amount FROM billing_context.invoices")).scalar()
        buy = conn.execute(text("SELECT subtotal_amount FROM billing_context.purchase_statements")).scalar()
    assert (sell, buy) == (846_620, 724_625)            # DOMAIN.md §1: sell and buy of 190.5h


def test_one_bad_row_imports_nothing(app, codes, tmp_path, admin_engine):
    bad = CONTRACTS.format(**codes).replace("2027/03/31,\"800,000\"", "2027/03/31,abc")
    path = tmp_path / "contracts.csv"
    path.write_text(bad, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["billing", "import", "contracts", str(path), "--commit"])
    assert result.exit_code == 1 and "line 2" in result.output and "月額単価" in result.output
    assert _count(admin_engine, "contract_context.contracts") == 0


def test_hours_errors_are_shown_per_row(app, codes, tmp_path):
    path = tmp_path / "hours.csv"
    path.write_text("契約番号,対象月,稼働時間\nNOPE,2026-10,160\nX,2026-13,160\nY,2026-10,abc\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["billing", "import", "hours", str(path)])
    assert result.exit_code == 1
    assert "契約番号が見つかりません" in result.output
    assert "2026-10" in result.output and "160:30" in result.output


def test_the_import_page_previews_and_commits(codes, login_as, admin_engine):
    client = login_as("admin")
    page = client.get("/billing/import/contracts")
    assert page.status_code == 200 and "契約の取り込み" in page.text
    data = CONTRACTS.format(**codes).encode("utf-8")
    preview = client.post("/billing/import/contracts", data={"file": (io.BytesIO(data), "contracts.csv")},
                          content_type="multipart/form-data", htmx=True)
    assert preview.status_code == 200 and "S-0001" in preview.text
    token = preview.text.split('name="token" value="')[1].split('"')[0]
    committed = client.post("/billing/import/contracts", data={"token": token}, htmx=True)
    assert committed.status_code == 204
    assert _count(admin_engine, "contract_context.contracts") == 2
    template = client.get("/billing/import/hours/template.xlsx")
    assert template.status_code == 200 and template.data[:2] == b"PK"
