"""`flask projects import-customers` / `flask engineers import-engineers`: dry run, commit, errors."""

from __future__ import annotations

from sqlalchemy import text


def count(admin_engine, table: str) -> int:
    with admin_engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def test_customer_import_is_a_dry_run_until_commit(app, admin_engine, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_bytes("顧客コード,会社名\nC301,株式会社いろは\nC302,株式会社にほへ\n".encode("cp932"))
    runner = app.test_cli_runner()
    checked = runner.invoke(args=["projects", "import-customers", str(path)])
    assert checked.exit_code == 0 and "2 rows OK (cp932)" in checked.output
    assert count(admin_engine, "project_context.customers") == 0
    done = runner.invoke(args=["projects", "import-customers", str(path), "--commit"])
    assert done.exit_code == 0 and "imported 2 rows" in done.output
    assert count(admin_engine, "project_context.customers") == 2


def test_a_bad_engineer_file_prints_each_row_and_writes_nothing(app, admin_engine, tmp_path):
    path = tmp_path / "engineers.csv"
    path.write_text("技術者コード,氏名,雇用形態,希望単価\nE9101,新人 一郎,正社員,55万\nE9102,,派遣,abc\n",
                    encoding="utf-8-sig")
    result = app.test_cli_runner().invoke(args=["engineers", "import-engineers", str(path), "--commit"])
    assert result.exit_code == 1
    assert "line 3: 氏名: 入力してください。" in result.output and "line 3: 雇用形態:" in result.output
    assert count(admin_engine, "engineer_context.engineers") == 0
