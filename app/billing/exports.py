"""Exports for accounting software and plain CSVs (DOMAIN.md §6).

* 弥生会計: the 弥生インポート形式 (25 positional columns, no header line): one row per pair of
  debit and credit lines of an entry; 識別フラグ 2000 for a one-row entry, 2110 / 2100 / 2101
  for the first, middle and last rows of a compound entry.
* マネーフォワード クラウド会計: 仕訳帳 import by header; rows with the same 取引No and date form
  one compound entry.
* freee: 取引 import by header: an issued invoice is 収入, a payment notice 支出, one row per
  tax rate, amounts tax included.
* Plain CSV of the month's invoices and of their lines.

CP932 (Shift_JIS) by default, UTF-8 (with BOM, for Excel) as an option.  Characters CP932 lacks
become 〓.  Journal exports cover the entries dated in the month; document exports the
documents of the billed month.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import groupby, zip_longest

from ..core.calendar import month_end
from ..extensions import db
from .journal import purchase_tax_category, sales_tax_category
from .models import AccountingEntry, Invoice, InvoiceLine, PurchaseStatement

YAYOI_WIDTH = 25
MF_HEADER = ["取引No", "取引日", "借方勘定科目", "借方補助科目", "借方部門", "借方取引先", "借方税区分",
             "借方インボイス", "借方金額(円)", "借方税額", "貸方勘定科目", "貸方補助科目", "貸方部門",
             "貸方取引先", "貸方税区分", "貸方インボイス", "貸方金額(円)", "貸方税額", "摘要", "仕訳メモ",
             "タグ", "MF仕訳タイプ", "決算整理仕訳", "作成日時", "作成者", "最終更新日時", "最終更新者"]
FREEE_HEADER = ["収支区分", "管理番号", "発生日", "決済期日", "取引先", "勘定科目", "税区分", "金額",
                "税計算区分", "税額", "備考", "品目", "部門", "メモタグ（複数指定可、カンマ区切り）",
                "決済日", "決済口座", "決済金額"]
INVOICE_HEADER = ["請求書番号", "種別", "状態", "顧客コード", "顧客名", "対象月", "請求日", "支払期限",
                  "10%対象", "10%消費税", "8%対象", "8%消費税", "0%対象", "小計", "消費税", "合計", "入金済",
                  "原請求書番号", "PDF SHA-256"]
LINE_HEADER = ["請求書番号", "行", "区分", "契約番号", "技術者コード", "技術者名", "対象月", "品目",
               "稼働時間", "請求時間", "基本金額", "精算額", "金額", "税率"]
KIND = {"INVOICE": "請求書", "CREDIT_NOTE": "返還請求書", "REISSUE": "再発行"}
STATUS = {"ISSUED": "発行済", "PARTIALLY_PAID": "一部入金", "PAID": "入金済", "OVERDUE": "延滞",
          "CANCELLED": "取消", "DRAFT": "下書き"}


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8":
        return ("\ufeff" + text).encode("utf-8")
    return "".join(_cp932(ch) for ch in text).encode("cp932")


def _cp932(ch: str) -> str:
    try:
        ch.encode("cp932")
    except UnicodeEncodeError:
        return "〓"
    return ch


def to_csv(rows: Iterable[Sequence], header: Sequence[str] | None, encoding: str = "cp932") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return encode(buffer.getvalue(), encoding)


def _slash(day: date | None) -> str:
    return day.strftime("%Y/%m/%d") if day else ""


def month_entries(year: int, month: int) -> list[list[AccountingEntry]]:
    """The journal entries dated in the month, each as its list of lines."""
    lines = db.session.scalars(db.select(AccountingEntry).where(
        AccountingEntry.entry_date.between(date(year, month, 1), month_end(year, month)))
        .order_by(AccountingEntry.entry_number, AccountingEntry.line_no)).all()
    return [list(group) for _, group in groupby(lines, key=lambda line: line.entry_id)]


def _pairs(entry: list[AccountingEntry]):
    debits = [line for line in entry if line.side == "DEBIT"]
    credits = [line for line in entry if line.side == "CREDIT"]
    return list(zip_longest(debits, credits))


def _side(line: AccountingEntry | None) -> list:
    if line is None:
        return ["", "", "", "", 0, ""]
    return [line.account, line.sub_account or "", "", line.tax_category or "", line.amount, line.tax_amount or ""]


def yayoi_rows(entries: list[list[AccountingEntry]]) -> list[list]:
    rows = []
    for entry in entries:
        pairs = _pairs(entry)
        first = entry[0]
        for n, (debit, credit) in enumerate(pairs):
            flag = "2000" if len(pairs) == 1 else "2110" if n == 0 else "2101" if n == len(pairs) - 1 else "2100"
            row = [flag, first.entry_number, "", _slash(first.entry_date), *_side(debit), *_side(credit),
                   (first.description or "")[:64], "", "", "0", "0", "", "", "", "no"]
            rows.append(row[:YAYOI_WIDTH])
    return rows


def moneyforward_rows(entries: list[list[AccountingEntry]]) -> list[list]:
    rows = []
    for entry in entries:
        first = entry[0]
        for debit, credit in _pairs(entry):
            rows.append([first.entry_number, _slash(first.entry_date),
                         *_mf_side(debit, first), *_mf_side(credit, first),
                         first.description or "", first.event_type, "", "", "", "", "", "", ""])
    return rows


def _mf_side(line: AccountingEntry | None, first: AccountingEntry) -> list:
    if line is None:
        return ["", "", "", "", "", "", "", ""]
    return [line.account, line.sub_account or "", "", first.counterparty or "", line.tax_category or "", "",
            line.amount, line.tax_amount or ""]


def freee_rows(year: int, month: int) -> list[list]:
    rows = []
    for invoice in documents_of_month(year, month):
        for rate, values in sorted(invoice.billing_details["by_rate"].items(), key=lambda i: -int(i[0])):
            total = values["subtotal"] + values["tax"]
            credit_note = invoice.kind == "CREDIT_NOTE"
            rows.append(["支出" if credit_note else "収入", invoice.invoice_number, _slash(invoice.invoice_date),
                         _slash(invoice.due_date if not credit_note else invoice.invoice_date),
                         invoice.recipient_name, "売上値引高" if credit_note else "売上高",
                         ("課税売上返還" if credit_note else "課税売上") + _rate_suffix(int(rate)), abs(total), "税込",
                         abs(values["tax"]), f"{invoice.invoice_year}年{invoice.invoice_month}月分", "", "", "",
                         "", "", ""])
    statements = statements_of_month(year, month)
    cancelled_on = _cancellation_dates([s.id for s in statements if s.status == "CANCELLED"])
    for statement in statements:
        rows.extend(_freee_purchase_rows(statement))
        if statement.id in cancelled_on:     # the purchase taken back, as a 収入 of 外注費 (a refund)
            rows.extend(_freee_purchase_rows(statement, cancelled_on[statement.id]))
    return rows


def _freee_purchase_rows(statement: PurchaseStatement, cancelled_on: date | None = None) -> list[list]:
    rows = []
    for rate, values in sorted(statement.details["by_rate"].items(), key=lambda i: -int(i[0])):
        rows.append(["収入" if cancelled_on else "支出", statement.statement_number,
                     _slash(cancelled_on or statement.statement_date),
                     _slash(cancelled_on or statement.due_date), statement.partner_name, "外注費",
                     purchase_tax_category(int(rate), statement.deduction_percent),
                     values["subtotal"] + values["tax"], "税込", values["tax"],
                     f"{statement.statement_year}年{statement.statement_month}月分" + (" 取消" if cancelled_on else ""),
                     "", "", "", "", "", ""])
    return rows


def _cancellation_dates(statement_ids: list) -> dict:
    """The day each cancelled notice's purchase entry was reversed."""
    if not statement_ids:
        return {}
    return dict(db.session.execute(db.select(AccountingEntry.source_id, AccountingEntry.entry_date).where(
        AccountingEntry.event_type == "PARTNER_PURCHASE_CANCELLED", AccountingEntry.line_no == 1,
        AccountingEntry.source_id.in_(statement_ids))).all())


def _rate_suffix(rate: int) -> str:
    return sales_tax_category(rate).removeprefix("課税売上") if rate else "対象外"


def documents_of_month(year: int, month: int) -> list[Invoice]:
    return list(db.session.scalars(db.select(Invoice).where(
        Invoice.invoice_year == year, Invoice.invoice_month == month, Invoice.status != "DRAFT")
        .order_by(Invoice.invoice_number)))


def statements_of_month(year: int, month: int) -> list[PurchaseStatement]:
    return list(db.session.scalars(db.select(PurchaseStatement).where(
        PurchaseStatement.statement_year == year, PurchaseStatement.statement_month == month,
        PurchaseStatement.status != "DRAFT").order_by(PurchaseStatement.statement_number)))


def invoice_rows(year: int, month: int) -> list[list]:
    originals = {}
    rows = []
    for inv in documents_of_month(year, month):
        by_rate = inv.billing_details["by_rate"]
        rate = {r: by_rate.get(r, {"subtotal": "", "tax": ""}) for r in ("10", "8", "0")}
        if inv.original_invoice_id:
            originals.setdefault(inv.original_invoice_id, Invoice.get(inv.original_invoice_id))
        original = originals.get(inv.original_invoice_id)
        rows.append([inv.invoice_number, KIND[inv.kind], STATUS[inv.status], inv.billing_details.get("customer_code", ""),
                     inv.recipient_name, f"{inv.invoice_year}-{inv.invoice_month:02d}", _slash(inv.invoice_date),
                     _slash(inv.due_date), rate["10"]["subtotal"], rate["10"]["tax"], rate["8"]["subtotal"],
                     rate["8"]["tax"], rate["0"]["subtotal"], inv.subtotal_amount, inv.tax_amount, inv.total_amount,
                     inv.paid_amount, original.invoice_number if original else "", inv.pdf_sha256 or ""])
    return rows


def line_rows(year: int, month: int) -> list[list]:
    rows = []
    numbers = {inv.id: inv.invoice_number for inv in documents_of_month(year, month)}
    lines = db.session.scalars(db.select(InvoiceLine).where(InvoiceLine.invoice_id.in_(list(numbers)))
                               .order_by(InvoiceLine.invoice_id, InvoiceLine.line_no)) if numbers else []
    for line in sorted(lines, key=lambda x: (numbers[x.invoice_id], x.line_no)):
        period = f"{line.period_year}-{line.period_month:02d}" if line.period_year else ""
        rows.append([numbers[line.invoice_id], line.line_no, line.item_type, line.contract_number or "",
                     line.engineer_code or "", line.engineer_name or "", period, line.description,
                     line.worked_hours if line.worked_hours is not None else "",
                     line.billed_hours if line.billed_hours is not None else "",
                     line.base_amount if line.base_amount is not None else "", line.adjustment_amount, line.amount,
                     line.tax_rate_percent])
    return rows


def export(kind: str, year: int, month: int, encoding: str = "cp932") -> tuple[bytes, str]:
    """The file of ``kind`` (yayoi, moneyforward, freee, invoices, lines) and its name."""
    stem = f"{year}-{month:02d}"
    if kind == "yayoi":
        return to_csv(yayoi_rows(month_entries(year, month)), None, encoding), f"yayoi-journal-{stem}.csv"
    if kind == "moneyforward":
        return (to_csv(moneyforward_rows(month_entries(year, month)), MF_HEADER, encoding),
                f"moneyforward-journal-{stem}.csv")
    if kind == "freee":
        return to_csv(freee_rows(year, month), FREEE_HEADER, encoding), f"freee-deals-{stem}.csv"
    if kind == "invoices":
        return to_csv(invoice_rows(year, month), INVOICE_HEADER, encoding), f"invoices-{stem}.csv"
    if kind == "lines":
        return to_csv(line_rows(year, month), LINE_HEADER, encoding), f"invoice-lines-{stem}.csv"
    raise ValueError(f"unknown export {kind!r}")


