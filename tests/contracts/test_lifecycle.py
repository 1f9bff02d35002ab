"""After signing: amendments keep earlier months' terms, renewals link, termination, the daily
status move, and versioned templates."""

from datetime import date

import pytest

from app.contracts import document, lifecycle, services
from app.contracts.models import Contract, ContractTemplate
from app.contracts.validation import ContractInvalid
from app.extensions import db
from tests.contracts.factories import placement


@pytest.fixture
def signed(sales, system):
    p = placement(sales, partner=True, status="ACTIVE")
    return p


def contract(contract_id) -> Contract:
    return db.session.get(Contract, contract_id)


def test_an_amendment_applies_from_its_month_and_earlier_months_keep_their_terms(signed):
    sale = contract(signed.sell)
    amendment = lifecycle.amend_contract(sale, effective_from=date(2026, 10, 1), reason="単価改定",
                                         values={"monthly_price": "850000", "lower_hours": "150"})
    assert amendment.changes == {"monthly_price": {"old": 800000, "new": 850000},
                                 "lower_hours": {"old": "140.00", "new": "150.00"}}
    minutes = 190 * 60 + 30
    assert services.settle_month(sale.id, 2026, 9, minutes).amount == 846_620
    october = services.settle_month(sale.id, 2026, 10, minutes)
    assert october.base_amount == 850_000 and october.excess_rate == 4720     # 850,000 / 180 -> 4,720
    assert sale.monthly_price == 800_000                                      # the contract is untouched


@pytest.mark.parametrize("effective, reason, values, field", [
    (date(2026, 10, 15), "x", {"monthly_price": "1"}, "effective_from"),
    (date(2026, 4, 1), "x", {"monthly_price": "1"}, "effective_from"),        # the first month
    (date(2027, 5, 1), "x", {"monthly_price": "1"}, "effective_from"),        # after the end
    (date(2026, 10, 1), " ", {"monthly_price": "1"}, "reason"),
    (date(2026, 10, 1), "x", {"monthly_price": "800000"}, "monthly_price"),   # nothing changes
    (date(2026, 10, 1), "x", {"upper_hours": "100"}, "upper_hours"),          # inverted range
])
def test_amendment_errors(signed, effective, reason, values, field):
    with pytest.raises(ContractInvalid) as excinfo:
        lifecycle.amend_contract(contract(signed.sell), effective_from=effective, reason=reason, values=values)
    assert excinfo.value.field == field


def test_drafts_are_edited_not_amended(sales, system):
    p = placement(sales, status="DRAFT")
    with pytest.raises(ContractInvalid):
        lifecycle.amend_contract(contract(p.sell), effective_from=date(2026, 10, 1), reason="x",
                                 values={"monthly_price": "1"})


def test_renewal_is_a_linked_draft_with_the_terms_in_force_and_its_purchase(signed):
    sale = contract(signed.sell)
    lifecycle.amend_contract(sale, effective_from=date(2027, 1, 1), reason="単価改定", values={"monthly_price": "820000"})
    renewal = lifecycle.renew_contract(sale)
    assert (renewal.renewed_from_id, renewal.status) == (sale.id, "DRAFT")
    assert (renewal.start_date, renewal.end_date, renewal.monthly_price) == (date(2027, 4, 1), date(2028, 3, 31), 820_000)
    [buy] = lifecycle.purchases_of(renewal)
    assert (buy.renewed_from_id, buy.partner_company_id, buy.monthly_price) == (signed.buy, signed.partner, 680_000)
    with pytest.raises(ContractInvalid, match="既に作成"):
        lifecycle.renew_contract(sale)


def test_termination_ends_the_sale_and_its_purchase(signed):
    sale = contract(signed.sell)
    with pytest.raises(ContractInvalid) as excinfo:
        lifecycle.terminate_contract(sale, terminated_on=date(2030, 1, 1), reason="x", seen_version=sale.version)
    assert excinfo.value.field == "terminated_on"
    lifecycle.terminate_contract(sale, terminated_on=date(2026, 12, 31), reason="顧客都合による終了",
                                 seen_version=sale.version)
    assert (sale.status, contract(signed.buy).status) == ("TERMINATED", "TERMINATED")
    assert sale.terminated_at.date() == date(2026, 12, 31)


def test_daily_status_move(sales, system):
    concluded = placement(sales, status="CONCLUDED", start_date=date(2026, 11, 1), end_date=date(2027, 3, 31))
    over = placement(sales, status="ACTIVE", start_date=date(2026, 4, 1), end_date=date(2026, 10, 31))
    assert lifecycle.advance_statuses(date(2026, 11, 1)) == (1, 1)
    db.session.expire_all()
    assert (contract(concluded.sell).status, contract(over.sell).status) == ("ACTIVE", "ENDED")


def test_templates_refuse_unknown_placeholders_and_version_up(system):
    with pytest.raises(ContractInvalid) as excinfo:
        document.save_template(code="SES-STD", name="x", contract_type="QUASI_MANDATE",
                               effective_from=date(2026, 1, 1), body="甲は{party_a}、乙は{partyb}")
    assert "{partyb}" in excinfo.value.message
    template = document.save_template(code="SES-STD", name="準委任 第2版", contract_type="QUASI_MANDATE",
                                      effective_from=date(2026, 1, 1), body="第1条 {party_a}と{party_b}")
    assert template.template_version == 2
    assert db.session.query(ContractTemplate).filter_by(code="SES-STD").count() == 2


def test_the_latest_effective_template_fills_the_document(signed):
    document.save_template(code="SES-STD", name="準委任 第2版", contract_type="QUASI_MANDATE",
                           effective_from=date(2026, 1, 1), body="第1条 {party_a}は{engineer_name}に委託する。")
    sale = contract(signed.sell)
    sale.contract_terms = services.terms_snapshot(sale)
    context = document.document_context(sale, date(2026, 4, 1))
    assert context["clauses"] == ["第1条 株式会社テスト顧客は山﨑 テストに委託する。"]
    assert context["title"] == "準委任 第2版"


def test_the_daily_move_is_scheduled(sales, system):
    from app.contracts.jobs import advance_statuses_daily
    from app.core.jobs import jobs

    assert "contracts.advance_statuses" in jobs.registered
    today = date.today()
    placement(sales, status="CONCLUDED", start_date=today.replace(day=1), end_date=today.replace(year=today.year + 1))
    assert advance_statuses_daily(0) == "started 1, ended 0"
