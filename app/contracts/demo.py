"""Demo contracts: the demo engineers placed on the demo cases, sell side and -- for partner
engineers -- the buy side, with a mix a real company has: contracts signed on paper before
the system, e-signed ones with their PDF and hash, one ending this month and one next month,
a renewal waiting for the customer's signature (the demo customer signs it), a purchase
waiting for the partner's (the demo partner signs it), a draft, and an amendment.

Runs after the projects and engineers loaders (app/core/demo.py); ids are looked up by code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, text

from ..core.calendar import add_months, month_end
from ..core.pdf import sha256_hex
from ..extensions import db
from .lifecycle import amend_contract
from .models import Contract, ContractSignature
from .services import create_contract, terms_snapshot
from .signing import render_document

TOKYO = ZoneInfo("Asia/Tokyo")
SALES = "sales@demo.ses.example"
CUSTOMER = "customer@demo.ses.example"
PARTNER = "partner@demo.ses.example"


@dataclass(frozen=True)
class Placement:
    key: str
    project: str
    engineer: str
    start: int                  # months from this month (0 = this month)
    end: int                    # the contract ends at the end of this month offset
    price: int
    buy_price: int | None = None
    kind: str = "QUASI_MANDATE"
    method: str = "UPPER_LOWER"
    low: int = 140
    high: int = 180
    status: str = "ACTIVE"
    signing: str = "paper"      # paper, esigned, ours (our signature only), none


PLACEMENTS = [
    Placement("E0001", "PJ-0001", "E0001", -4, 1, 800_000, signing="esigned"),
    Placement("E0027", "PJ-0001", "E0027", -4, 0, 720_000, buy_price=600_000),
    Placement("E0013", "PJ-0003", "E0013", -6, 2, 650_000),
    Placement("E0003", "PJ-0005", "E0003", -5, 0, 600_000, method="NONE"),
    Placement("E0017", "PJ-0009", "E0017", -3, 1, 640_000),
    Placement("E0018", "PJ-0009", "E0018", -3, 6, 560_000, kind="DISPATCH"),
    Placement("E0005", "PJ-0013", "E0005", -6, 5, 1_050_000, low=150, high=200, signing="esigned"),
    Placement("E0028", "PJ-0004", "E0028", 1, 6, 760_000, buy_price=640_000, status="PENDING_APPROVAL",
              signing="ours"),
    Placement("E0034", "PJ-0010", "E0034", 0, 5, 900_000, buy_price=760_000, status="DRAFT", signing="none"),
]


def _period(demo, p: Placement) -> tuple[date, date]:
    start = date(*add_months(demo.today.year, demo.today.month, p.start), 1)
    return start, month_end(*add_months(demo.today.year, demo.today.month, p.end))


def _values(demo, p: Placement, side: str) -> dict:
    start, end = _period(demo, p)
    project = demo.ids["project"][p.project]
    location, restriction = db.session.execute(text(
        "SELECT location, chain_restriction FROM project_context.projects WHERE id = :p"), {"p": project}).one()
    values = {"contract_type": p.kind, "side": side, "project_id": project,
              "engineer_id": demo.ids["engineer"][p.engineer], "start_date": start, "end_date": end,
              "monthly_price": p.price if side == "SELL" else p.buy_price, "settlement_method": p.method,
              "lower_hours": p.low, "upper_hours": p.high, "work_site": location,
              "responsible_person": "営業 花子", "status": "DRAFT", "chain_restriction": restriction,
              "work_description": "設計・製造・テスト工程の支援"}
    if side == "BUY":
        partner = db.session.execute(text("SELECT partner_company_id FROM engineer_context.engineers"
                                          " WHERE id = :e"), {"e": values["engineer_id"]}).scalar()
        values.update(settlement_method="MIDDLE", rate_rounding_unit=1, partner_company_id=partner)
    if p.kind == "DISPATCH":
        values.update(dispatch_license_number="派13-305512", client_supervisor="開発部 課長 北村 直人")
    return values


def load(demo) -> None:
    if db.session.scalar(select(Contract.id).limit(1)):
        return
    for placement in PLACEMENTS:
        _place(demo, placement)
    _amend(demo)
    _renewal(demo)


def _place(demo, p: Placement) -> None:
    sale = create_contract(_values(demo, p, "SELL") | {"title": _title(demo, p)})
    demo.remember("contract", p.key, sale.id)
    buy = None
    if p.buy_price:
        buy = create_contract(_values(demo, p, "BUY") | {"sell_contract_id": sale.id,
                                                         "title": _title(demo, p) + "（仕入）"})
        demo.remember("contract", p.key + "-BUY", buy.id)
    for contract in filter(None, (sale, buy)):
        _sign(demo, contract, p)


def _title(demo, p: Placement) -> str:
    title = db.session.execute(text("SELECT title FROM project_context.projects WHERE id = :p"),
                               {"p": demo.ids["project"][p.project]}).scalar()
    return title


def _sign(demo, contract: Contract, p: Placement) -> None:
    """Bring the contract to its demo state: paper, e-signed by both, signed by us only, draft."""
    if p.signing == "none":
        return
    if p.signing == "paper":
        contract.status, contract.notes = p.status, "システム導入前に書面で締結済み"
        contract.concluded_at = datetime.combine(contract.start_date - timedelta(days=10), time(10), TOKYO)
        db.session.flush()
        return
    _issue(contract, contract.start_date - timedelta(days=14))
    when = datetime.combine(contract.start_date - timedelta(days=12), time(11), TOKYO)
    _signature(contract, "OUR_COMPANY", demo.user(SALES), "営業 花子", "営業部長", when)
    if p.signing == "esigned":
        counterparty = ("CUSTOMER", demo.user(CUSTOMER), "顧客 一郎", "情報システム部 部長")
        _signature(contract, *counterparty, when + timedelta(days=2, hours=3))
        db.session.execute(text("UPDATE contract_context.contracts SET status = :s WHERE id = :c"),
                           {"s": p.status, "c": contract.id})
    db.session.refresh(contract)


def _issue(contract: Contract, issued_on: date) -> None:
    contract.contract_terms = terms_snapshot(contract)
    pdf = render_document(contract, issued_on)
    contract.document_pdf, contract.document_sha256 = pdf, sha256_hex(pdf)
    contract.status = "PENDING_APPROVAL"
    db.session.flush()


def _signature(contract: Contract, party: str, user_id, name: str, title: str, when: datetime) -> None:
    db.session.add(ContractSignature(
        contract_id=contract.id, party=party, signer_user_id=user_id, signer_name=name, signer_title=title,
        signed_at=when, ip_address="203.0.113.10" if party == "OUR_COMPANY" else "198.51.100.24",
        user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0",
        document_sha256=contract.document_sha256))
    db.session.flush()


def _amend(demo) -> None:
    """E0013's price went up two months ago: earlier months keep the old price."""
    contract = db.session.get(Contract, demo.ids["contract"]["E0013"])
    effective = date(*add_months(demo.today.year, demo.today.month, -2), 1)
    amend_contract(contract, effective_from=effective, reason="スキル評価に基づく単価改定（顧客合意済み）",
                   values={"monthly_price": "680000"})


def _renewal(demo) -> None:
    """E0001's next period: drafted, signed by us, waiting for the customer's signature."""
    from .lifecycle import renew_contract

    current = db.session.get(Contract, demo.ids["contract"]["E0001"])
    renewal = renew_contract(current, months=6)
    renewal.monthly_price = 820_000
    db.session.flush()
    _issue(renewal, demo.today - timedelta(days=3))
    _signature(renewal, "OUR_COMPANY", demo.user(SALES), "営業 花子", "営業部長",
               datetime.combine(demo.today - timedelta(days=2), time(15), TOKYO))
    demo.remember("contract", "E0001-RENEWAL", renewal.id)
