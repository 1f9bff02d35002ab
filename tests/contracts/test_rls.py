"""Row level security on contracts, signatures and amendments, queried as each role."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from app.core.identity import Identity
from tests.contracts.factories import placement
from tests.timesheets.test_rls import changed, rows

CONTRACTS = "SELECT id FROM contract_context.contracts"


@pytest.fixture
def chains(sales, admin_engine):
    found = []
    for _ in range(2):
        pm = sales.user("project_manager")
        p = placement(sales, partner=True, manager_id=pm)
        p.pm = Identity("project_manager", pm)
        p.customer_user = Identity("customer", sales.user("customer", customer_id=p.customer), customer_id=p.customer)
        p.partner_user = Identity("partner", sales.user("partner", partner_company_id=p.partner),
                                  partner_company_id=p.partner)
        p.engineer_user = Identity("engineer", sales.user("engineer", engineer_id=p.engineer), engineer_id=p.engineer)
        with admin_engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO contract_context.contract_amendments (contract_id, effective_from, reason, changes,"
                " terms) VALUES (:c, '2026-10-01', '単価改定', '{}', '{\"monthly_price\": 850000}')"), {"c": p.sell})
        found.append(p)
    return found


def test_a_project_manager_sees_both_sides_of_their_cases_only(chains):
    a, b = chains
    assert rows(a.pm, CONTRACTS) == {a.sell, a.buy}
    assert changed(a.pm, "UPDATE contract_context.contracts SET notes = 'x' WHERE id = :c", c=b.sell) == 0


def test_a_customer_sees_its_sales_never_our_purchases(chains):
    a, _ = chains
    assert rows(a.customer_user, CONTRACTS) == {a.sell}
    with pytest.raises(ProgrammingError, match="permission denied"):
        rows(a.customer_user, "SELECT id FROM contract_context.contract_amendments")


def test_a_partner_sees_its_purchases_only(chains):
    a, _ = chains
    assert rows(a.partner_user, CONTRACTS) == {a.buy}


def test_an_engineer_sees_where_they_work_not_what_we_charge_or_pay(chains):
    a, _ = chains
    assert rows(a.engineer_user, CONTRACTS) == {a.sell}
    for column in ("monthly_price", "contract_terms", "document_pdf"):
        with pytest.raises(ProgrammingError, match="permission denied"):
            rows(a.engineer_user, f"SELECT {column} FROM contract_context.contracts")


def test_nobody_but_staff_writes_contracts(chains):
    a, _ = chains
    for who in (a.customer_user, a.partner_user, a.engineer_user):
        with pytest.raises(ProgrammingError, match="permission denied"):
            changed(who, "UPDATE contract_context.contracts SET notes = 'x' WHERE id = :c", c=a.sell)


def test_each_party_signs_only_as_itself(chains, admin_engine):
    a, _ = chains
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE contract_context.contracts SET status = 'PENDING_APPROVAL',"
                          " document_sha256 = repeat('c', 64) WHERE id = :c"), {"c": a.sell})
    forge = ("INSERT INTO contract_context.contract_signatures (contract_id, party, signer_user_id, signer_name,"
             " document_sha256) VALUES (:c, :party, :u, 'x', repeat('c', 64))")
    with pytest.raises(ProgrammingError, match="row-level security"):
        changed(a.pm, forge, c=a.sell, party="CUSTOMER", u=a.pm.user_id)
    with pytest.raises(ProgrammingError, match="row-level security"):
        changed(a.customer_user, forge, c=a.sell, party="OUR_COMPANY", u=a.customer_user.user_id)
    with pytest.raises(ProgrammingError, match="row-level security"):
        changed(a.customer_user, forge, c=a.sell, party="CUSTOMER", u=a.pm.user_id)
    assert changed(a.customer_user, forge, c=a.sell, party="CUSTOMER", u=a.customer_user.user_id) == 1
