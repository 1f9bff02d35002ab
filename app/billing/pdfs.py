"""Invoice and payment-notice PDFs (WeasyPrint, the Noto Sans JP font the app ships).

A document is rendered once from its own snapshots and stored with its SHA-256; the database
refuses to replace a stored PDF.  The approved work report (作業実績) is attached as a second
part when the customer wants it.  A month's PDFs can be downloaded as one ZIP.
"""

from __future__ import annotations

import base64
import io
import zipfile
from datetime import datetime

from sqlalchemy import text

from ..core.pdf import render_pdf, sha256_hex
from ..extensions import db
from .issue import invoice_lines
from .models import Invoice, Issuer, PurchaseStatement
from .purchases import statement_lines
from .tax import RateTotal

TITLES = {"INVOICE": "請求書", "REISSUE": "請求書（再発行）", "CREDIT_NOTE": "返還請求書"}
ROUNDING_LABELS = {"FLOOR": "切り捨て", "HALF_UP": "四捨五入", "CEIL": "切り上げ"}
DAY_KINDS = {"NORMAL": "出勤", "HOLIDAY_WORK": "休日出勤", "PAID_LEAVE": "有給休暇", "ABSENCE": "欠勤",
             "SPECIAL_LEAVE": "特別休暇", "SUBSTITUTE_HOLIDAY": "振替休日"}


def _seal(issuer_id) -> str | None:
    data = db.session.scalar(db.select(Issuer.seal_image).where(Issuer.id == issuer_id))
    return f"data:image/png;base64,{base64.b64encode(data).decode()}" if data else None


def _rates(by_rate: dict) -> list[RateTotal]:
    return [RateTotal(int(rate), v["subtotal"], v["tax"], v.get("reduced", False))
            for rate, v in sorted(by_rate.items(), key=lambda item: -int(item[0]))]


def _work_reports(lines) -> list[dict]:
    timesheets = [line for line in lines if line.item_type == "SETTLEMENT" and line.timesheet_id]
    if not timesheets:
        return []
    rows = db.session.execute(text(
        "SELECT timesheet_id, work_date, kind, start_time, end_time, break_minutes, worked_minutes, note"
        " FROM timesheet_context.daily_attendances WHERE timesheet_id = ANY(:ids) AND deleted_at IS NULL"
        " ORDER BY work_date"), {"ids": [line.timesheet_id for line in timesheets]}).mappings().all()
    days: dict = {}
    for row in rows:
        days.setdefault(row["timesheet_id"], []).append(row)
    return [{"engineer_name": line.engineer_name, "description": line.description,
             "days": days.get(line.timesheet_id, []), "worked_hours": line.worked_hours,
             "billed_hours": line.billed_hours} for line in timesheets]


def render_invoice_pdf(invoice: Invoice) -> bytes:
    lines = invoice_lines(invoice)
    details = invoice.billing_details
    return render_pdf(
        "pdf/invoice.html", inv=invoice, lines=lines, details=details, issuer=details["issuer"],
        title=TITLES[invoice.kind], rates=_rates(details["by_rate"]), seal=_seal(invoice.issuer_id),
        reduced_any=any(line.is_reduced_rate for line in lines),
        rounding_label=ROUNDING_LABELS[invoice.tax_rounding], kinds=DAY_KINDS,
        reports=_work_reports(lines) if invoice.attach_work_report else [])


def store_invoice_pdf(invoice: Invoice) -> bytes:
    """Render and store the PDF of an issued invoice (once: a stored PDF is kept as it is)."""
    if invoice.pdf_sha256:
        return invoice.pdf
    data = render_invoice_pdf(invoice)
    invoice.pdf, invoice.pdf_sha256 = data, sha256_hex(data)
    db.session.flush()
    return data


def invoice_pdf_filename(invoice: Invoice) -> str:
    return f"{TITLES[invoice.kind]}_{invoice.invoice_number}_{invoice.recipient_name}.pdf"


def render_statement_pdf(statement: PurchaseStatement) -> bytes:
    return render_pdf("pdf/payment_notice.html", st=statement, lines=statement_lines(statement),
                      issuer=statement.details["issuer"], rates=_rates(statement.details["by_rate"]),
                      seal=_seal(statement.issuer_id))


def store_statement_pdf(statement: PurchaseStatement) -> bytes:
    if statement.pdf_sha256:
        return statement.pdf
    data = render_statement_pdf(statement)
    statement.pdf, statement.pdf_sha256 = data, sha256_hex(data)
    db.session.flush()
    return data


def statement_pdf_filename(statement: PurchaseStatement) -> str:
    return f"支払通知書_{statement.statement_number}_{statement.partner_name}.pdf"


def zip_of(invoices: list[Invoice], render_missing: bool = True) -> bytes:
    """The stored PDFs as one ZIP.  A missing PDF is rendered and stored first, or left out
    (``render_missing=False``: the customer portal serves stored documents only)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for invoice in invoices:
            if not invoice.pdf_sha256 and not render_missing:
                continue
            data = invoice.pdf if invoice.pdf_sha256 else store_invoice_pdf(invoice)
            info = zipfile.ZipInfo(invoice_pdf_filename(invoice), date_time=datetime.now().timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
