"""The contract document, both parties signing in the browser, and the immutability of a signed
document -- enforced by the database, not only by the pages."""

import hashlib
import subprocess

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.contracts import signing
from app.contracts.models import Contract
from app.core.identity import Identity, acting_as
from app.extensions import db
from tests.contracts.factories import placement


@pytest.fixture
def deal(sales):
    pm = sales.user("project_manager")
    p = placement(sales, partner=True, manager_id=pm, status="DRAFT", responsible_person="営業 花子",
                  work_site="東京都中央区日本橋")
    p.pm = Identity("project_manager", pm, display_name="営業 花子")
    p.customer_user = sales.user("customer", customer_id=p.customer)
    p.partner_user = sales.user("partner", partner_company_id=p.partner)
    p.other_customer = sales.customer()
    p.engine = sales.engine
    with sales.engine.begin() as conn:
        conn.execute(text("UPDATE contract_context.contracts SET status = 'DRAFT' WHERE id = :b"), {"b": p.buy})
    return p


def issued(p, contract_id):
    with acting_as(p.pm):
        contract = db.session.get(Contract, contract_id)
        signing.issue_for_signature(contract, contract.version)
        digest = contract.document_sha256
        db.session.commit()
    return digest


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "contract.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_issued_document_is_the_template_filled_in(deal, admin_engine, tmp_path):
    digest = issued(deal, deal.sell)
    with admin_engine.begin() as conn:
        pdf, status = conn.execute(text("SELECT document_pdf, status FROM contract_context.contracts"
                                        " WHERE id = :c"), {"c": deal.sell}).one()
    assert status == "PENDING_APPROVAL" and hashlib.sha256(pdf).hexdigest() == digest
    content = pdf_text(bytes(pdf), tmp_path)
    assert "業務委託個別契約書" in content and "株式会社テスト顧客" in content
    assert "800,000円" in content and "5,710円" in content and "営業 花子" in content
    assert "{" not in content          # every placeholder was filled


def test_both_parties_sign_and_the_contract_is_concluded(deal, login_as, admin_engine):
    digest = issued(deal, deal.sell)
    staff = login_as(user_id=deal.pm.user_id)
    response = staff.post(f"/contracts/{deal.sell}/sign", data={"document_sha256": digest,
                                                                "signer_title": "営業部長"},
                          headers={"User-Agent": "Browser/1.0"})
    assert response.status_code == 303
    customer = login_as(user_id=deal.customer_user)
    portal = customer.get(f"/contracts/portal/{deal.sell}")
    assert "署名する" in portal.text
    customer.post(f"/contracts/{deal.sell}/sign", data={"document_sha256": digest, "signer_title": "部長"})
    with admin_engine.begin() as conn:
        status = conn.execute(text("SELECT status FROM contract_context.contracts WHERE id = :c"),
                              {"c": deal.sell}).scalar()
        rows = conn.execute(text("SELECT party, signer_title, host(ip_address), user_agent, document_sha256"
                                 " FROM contract_context.contract_signatures ORDER BY signed_at")).all()
        events = conn.execute(text("SELECT count(*) FROM platform.domain_events"
                                   " WHERE event_type = 'ContractSigned' AND aggregate_id = :c"),
                              {"c": deal.sell}).scalar()
    assert status == "CONCLUDED" and events == 1
    assert [r[0] for r in rows] == ["OUR_COMPANY", "CUSTOMER"]
    assert rows[0][1:] == ("営業部長", "127.0.0.1", "Browser/1.0", digest)
    assert all(r[4] == digest for r in rows)


def test_a_signature_for_another_document_is_refused(deal, login_as, admin_engine):
    issued(deal, deal.sell)
    customer = login_as(user_id=deal.customer_user)
    customer.post(f"/contracts/{deal.sell}/sign", data={"document_sha256": "0" * 64})
    assert "変更されました" in customer.get(f"/contracts/portal/{deal.sell}").text
    with admin_engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM contract_context.contract_signatures")).scalar() == 0


def test_the_database_refuses_a_forged_hash_or_the_wrong_party(deal, admin_engine):
    issued(deal, deal.sell)
    customer = Identity("customer", deal.customer_user, customer_id=deal.customer)
    for party, digest in (("CUSTOMER", "a" * 64), ("OUR_COMPANY", None)):
        with acting_as(customer), pytest.raises(DBAPIError):
            db.session.execute(text(
                "INSERT INTO contract_context.contract_signatures (contract_id, party, signer_user_id,"
                " signer_name, document_sha256) SELECT id, :party, :u, 'x', coalesce(:d, document_sha256)"
                " FROM contract_context.contracts WHERE id = :c"),
                {"party": party, "u": deal.customer_user, "d": digest, "c": deal.sell})
        db.session.rollback()


def test_customers_cannot_sign_purchases_and_partners_sign_their_own(deal, login_as, admin_engine):
    digest = issued(deal, deal.buy)
    assert login_as(user_id=deal.customer_user).get(f"/contracts/portal/{deal.buy}").status_code == 404
    partner = login_as(user_id=deal.partner_user)
    partner.post(f"/contracts/{deal.buy}/sign", data={"document_sha256": digest})
    with admin_engine.begin() as conn:
        party = conn.execute(text("SELECT party FROM contract_context.contract_signatures"
                                  " WHERE contract_id = :c"), {"c": deal.buy}).scalar()
    assert party == "PARTNER"


def signed_by_us(deal):
    digest = issued(deal, deal.sell)
    with acting_as(deal.pm):
        signing.sign(db.session.get(Contract, deal.sell), digest, signing.Signer("営業 花子", None, None, None))
        db.session.commit()
    return digest


@pytest.mark.parametrize("assignment", [
    "monthly_price = 900000", "upper_hours = 200", "document_pdf = 'x'::bytea",
    "document_sha256 = repeat('b', 64)", "end_date = end_date + 30",
])
def test_a_signed_document_and_its_terms_are_immutable(deal, assignment):
    signed_by_us(deal)
    with acting_as(deal.pm), pytest.raises(DBAPIError, match="is signed"):
        db.session.execute(text(f"UPDATE contract_context.contracts SET {assignment} WHERE id = :c"),
                           {"c": deal.sell})
    db.session.rollback()


def test_status_and_notes_still_move_on_a_signed_contract(deal):
    signed_by_us(deal)
    with acting_as(deal.pm):
        changed = db.session.execute(text(
            "UPDATE contract_context.contracts SET notes = '更新の打診済み' WHERE id = :c"), {"c": deal.sell}).rowcount
        db.session.rollback()
    assert changed == 1


def test_signatures_cannot_be_altered(deal, admin_engine):
    signed_by_us(deal)
    with acting_as(Identity("admin", None)), pytest.raises(DBAPIError, match="cannot be changed"):
        db.session.execute(text("UPDATE contract_context.contract_signatures SET signer_name = 'x'"))
    db.session.rollback()


def test_withdrawing_is_refused_once_signed(deal, login_as):
    signed_by_us(deal)
    staff = login_as(user_id=deal.pm.user_id)
    with deal.engine.begin() as conn:
        version = conn.execute(text("SELECT version FROM contract_context.contracts WHERE id = :c"),
                               {"c": deal.sell}).scalar()
    assert staff.post(f"/contracts/{deal.sell}/withdraw", data={"version": version}).status_code == 303
    assert "取り下げできません" in staff.get(f"/contracts/{deal.sell}").text


def test_verification_of_the_stored_and_an_uploaded_copy(deal, login_as, admin_engine):
    signed_by_us(deal)
    staff = login_as(user_id=deal.pm.user_id)
    stored = staff.post(f"/contracts/{deal.sell}/verify", htmx=True)
    assert "一致し" in stored.text and "alert-success" in stored.text
    with admin_engine.begin() as conn:
        pdf = bytes(conn.execute(text("SELECT document_pdf FROM contract_context.contracts WHERE id = :c"),
                                 {"c": deal.sell}).scalar())
    from io import BytesIO
    same = staff.post(f"/contracts/{deal.sell}/verify", htmx=True,
                      data={"document": (BytesIO(pdf), "contract.pdf")}, content_type="multipart/form-data")
    assert "alert-success" in same.text
    other = staff.post(f"/contracts/{deal.sell}/verify", htmx=True,
                       data={"document": (BytesIO(pdf + b" "), "contract.pdf")}, content_type="multipart/form-data")
    assert "alert-danger" in other.text


def test_the_document_downloads_for_its_parties_only(deal, login_as):
    issued(deal, deal.sell)
    customer = login_as(user_id=deal.customer_user)
    response = customer.get(f"/contracts/{deal.sell}/document.pdf")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    stranger = login_as("customer", customer_id=deal.other_customer)
    assert stranger.get(f"/contracts/{deal.sell}/document.pdf").status_code == 404
