"""Creating and editing contracts under the rules (DOMAIN.md §1, §2, §4), without HTTP."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from app.contracts import services
from app.contracts.models import Contract
from app.contracts.validation import ContractInvalid
from app.core.calendar import BusinessCalendar
from app.core.db import ConflictError
from app.extensions import db


def sell_values(project, engineer, **extra):
    return {"contract_type": "QUASI_MANDATE", "side": "SELL", "project_id": project,
            "engineer_id": engineer, "start_date": date(2026, 4, 1), "end_date": date(2026, 9, 30),
            "monthly_price": 800_000, "lower_hours": Decimal(140), "upper_hours": Decimal(180),
            "responsible_person": "営業 花子", **extra}


def errors_of(excinfo) -> dict:
    return excinfo.value.by_field()


def test_a_sale_gets_a_number_the_cases_customer_and_a_terms_snapshot(system, sales):
    project, engineer = sales.project(), sales.engineer()
    contract = services.create_contract(sell_values(project, engineer))
    assert contract.contract_number.startswith(f"S{date.today().year}-")
    assert contract.customer_id == sales.customer_of(project)
    assert contract.status == "DRAFT" and contract.title == "勘定系システム更改"
    assert contract.contract_terms["settlement"]["lower_hours"] == "140.00"
    assert contract.contract_terms["parties"]["engineer_name"] == "山﨑 テスト"


def test_csv_strings_are_converted_like_form_values(system, sales):
    project, engineer = sales.project(), sales.engineer()
    raw = {k: str(v) for k, v in sell_values(project, engineer).items()}
    raw.update(start_date="2026/04/01", monthly_price="800,000", contract_number="IMP-001",
               status="ACTIVE", hours_rounding_minutes="30")
    contract = services.create_contract(raw)
    assert (contract.start_date, contract.monthly_price, contract.hours_rounding_minutes) == (
        date(2026, 4, 1), 800_000, 30)
    assert (contract.contract_number, contract.status) == ("IMP-001", "ACTIVE")


def test_bad_csv_values_are_reported_per_field(system, sales):
    project, engineer = sales.project(), sales.engineer()
    raw = sell_values(project, engineer, start_date="4月1日", monthly_price="八十万",
                      settlement_method="WHATEVER", lower_hours="-3")
    with pytest.raises(ContractInvalid) as excinfo:
        services.create_contract(raw)
    assert set(errors_of(excinfo)) >= {"start_date", "monthly_price", "settlement_method", "lower_hours"}
    assert db.session.query(Contract).count() == 0


def test_end_before_start_and_an_inverted_range_are_refused(system, sales):
    values = sell_values(sales.project(), sales.engineer(), end_date=date(2026, 3, 31),
                         lower_hours=Decimal(180), upper_hours=Decimal(140))
    with pytest.raises(ContractInvalid) as excinfo:
        services.create_contract(values)
    errors = errors_of(excinfo)
    assert "終了日が開始日より前" in errors["end_date"][0]
    assert "逆転" in errors["upper_hours"][0]


def test_fixed_rates_need_both_rates_and_no_settlement_needs_no_range(system, sales):
    project = sales.project()
    with pytest.raises(ContractInvalid) as excinfo:
        services.create_contract(sell_values(project, sales.engineer(), settlement_method="FIXED",
                                             excess_rate=4500))
    assert set(errors_of(excinfo)) == {"deduction_rate"}
    flat = services.create_contract(sell_values(project, sales.engineer(), settlement_method="NONE"))
    assert flat.lower_hours is None and flat.upper_hours is None


def test_overlapping_contracts_of_one_engineer_are_refused_whoever_manages_them(app, sales):
    from app.core.identity import Identity, acting_as

    engineer = sales.engineer()
    pm1, pm2 = sales.user("project_manager"), sales.user("project_manager")
    first = sales.project(manager_id=pm1)
    with acting_as(Identity("project_manager", pm1)):
        services.create_contract(sell_values(first, engineer, contract_number="K-FIRST"))
        db.session.commit()
    other = sales.project(manager_id=pm2)
    with acting_as(Identity("project_manager", pm2)), pytest.raises(ContractInvalid) as excinfo:
        services.create_contract(sell_values(other, engineer, start_date=date(2026, 9, 1),
                                             end_date=date(2027, 3, 31)))
    assert "K-FIRST" in errors_of(excinfo)["start_date"][0]
    db.session.rollback()


def test_a_renewal_starting_the_day_after_does_not_overlap(system, sales):
    project, engineer = sales.project(), sales.engineer()
    services.create_contract(sell_values(project, engineer))
    services.create_contract(sell_values(project, engineer, start_date=date(2026, 10, 1),
                                         end_date=date(2027, 3, 31)))


def test_an_engineer_received_under_dispatch_is_never_placed_again(system, sales):
    project = sales.project()
    flagged = sales.engineer("FREELANCE", received_under_dispatch=True)
    with pytest.raises(ContractInvalid) as excinfo:
        services.create_contract(sell_values(project, flagged))
    assert "二重派遣" in errors_of(excinfo)["engineer_id"][0]


def test_a_dispatch_purchase_blocks_any_sale_of_the_same_engineer(system, sales):
    partner = sales.partner()
    engineer = sales.engineer("PARTNER", partner_id=partner)
    project = sales.project()
    sales.contract(project, engineer, side="BUY", contract_type="DISPATCH", partner_company_id=partner)
    with pytest.raises(ContractInvalid) as excinfo:
        services.create_contract(sell_values(project, engineer))
    assert "二重派遣" in errors_of(excinfo)["engineer_id"][0]


def test_a_purchase_is_from_the_engineers_own_partner(system, sales):
    partner, other = sales.partner(), sales.partner()
    engineer = sales.engineer("PARTNER", partner_id=partner)
    project = sales.project()
    sale = services.create_contract(sell_values(project, engineer))
    buy = {**sell_values(project, engineer), "side": "BUY", "partner_company_id": other,
           "sell_contract_id": sale.id, "monthly_price": 680_000}
    with pytest.raises(ContractInvalid) as excinfo:
        services.create_contract(buy)
    assert set(errors_of(excinfo)) == {"partner_company_id"}
    ok = services.create_contract({**buy, "partner_company_id": partner})
    assert (ok.side, ok.sell_contract_id, ok.customer_id) == ("BUY", sale.id, None)
    assert ok.contract_number.startswith("B")


def test_employees_have_no_purchase_contract(system, sales):
    project, engineer = sales.project(), sales.engineer("EMPLOYEE")
    with pytest.raises(ContractInvalid) as excinfo:
        services.create_contract({**sell_values(project, engineer), "side": "BUY",
                                  "partner_company_id": sales.partner()})
    assert "engineer_id" in errors_of(excinfo)


def test_chain_restrictions_of_the_sale(system, sales):
    partner = sales.partner(is_sole_proprietor=True)
    engineer = sales.engineer("PARTNER", partner_id=partner)
    with pytest.raises(ContractInvalid) as excinfo:
        services.create_contract(sell_values(sales.project(), engineer, chain_restriction="EMPLOYEES_ONLY"))
    assert "chain_restriction" in errors_of(excinfo)
    with pytest.raises(ContractInvalid):
        services.create_contract(sell_values(sales.project(), engineer,
                                             chain_restriction="NO_SOLE_PROPRIETORS"))
    with pytest.raises(ContractInvalid) as excinfo:
        services.create_contract(sell_values(sales.project(), engineer, chain_restriction="NO_FURTHER_TIERS"))
    assert "再委託不可" in excinfo.value.message
    services.create_contract(sell_values(sales.project(), sales.engineer(), chain_restriction="NO_FURTHER_TIERS"))


def test_dispatch_needs_a_licence_and_contracted_work_a_deliverable(system, sales):
    with pytest.raises(ContractInvalid) as excinfo:
        services.create_contract(sell_values(sales.project(), sales.engineer(), contract_type="DISPATCH"))
    assert "dispatch_license_number" in errors_of(excinfo)
    with pytest.raises(ContractInvalid) as excinfo:
        services.create_contract(sell_values(sales.project(), sales.engineer(),
                                             contract_type="CONTRACTED_WORK"))
    assert "deliverables" in errors_of(excinfo)


def test_a_partner_covered_by_the_payment_law_gets_a_warning_over_60_days(system, sales):
    partner = sales.partner(subcontract_act_covered=True)
    engineer = sales.engineer("PARTNER", partner_id=partner)
    project = sales.project()
    sale = services.create_contract(sell_values(project, engineer))
    buy = services.create_contract({**sell_values(project, engineer), "side": "BUY",
                                    "partner_company_id": partner, "sell_contract_id": sale.id,
                                    "monthly_price": 680_000, "payment_month_offset": 2})
    warnings = services.warnings_for(buy)
    assert [w.field for w in warnings] == ["payment_month_offset"]
    assert "62日" in warnings[0].message        # 2026-06-30 -> 2026-08-31, the longest wait
    buy30 = {"payment_month_offset": 1}
    assert not [w for w in services.warnings_for(services.update_contract(buy, buy30, buy.version))
                if w.field == "payment_month_offset"]


def test_payment_days_of_the_domain_example():
    from app.contracts.validation import payment_days

    sixty = {"start_date": date(2026, 4, 1), "end_date": date(2026, 4, 30), "closing_day": 0,
             "payment_month_offset": 2, "payment_day": 0, "payment_holiday_rule": "PREVIOUS"}
    assert payment_days(sixty) == 61                                  # 04-30 -> 06-30
    assert payment_days({**sixty, "payment_month_offset": 1}) == 29   # 05-31 is a Sunday: 05-29
    assert payment_days({**sixty, "payment_month_offset": 2, "payment_day": 15}) == 46   # 04-30 -> 06-15


def test_a_duplicate_number_is_a_field_error(system, sales):
    services.create_contract(sell_values(sales.project(), sales.engineer(), contract_number="DUP-1"))
    with pytest.raises(ContractInvalid) as excinfo:
        services.create_contract(sell_values(sales.project(), sales.engineer(), contract_number="DUP-1"))
    assert list(errors_of(excinfo)) == ["contract_number"]


def test_only_drafts_are_edited_and_a_stale_version_conflicts(system, sales):
    contract = services.create_contract(sell_values(sales.project(), sales.engineer()))
    seen = contract.version
    services.update_contract(contract, {"monthly_price": "850000"}, seen)
    assert contract.monthly_price == 850_000 and contract.version == seen + 1
    with pytest.raises(ConflictError):
        services.update_contract(contract, {"monthly_price": 1}, seen)
    contract.status = "ACTIVE"
    db.session.flush()
    with pytest.raises(ContractInvalid) as excinfo:
        services.update_contract(contract, {"monthly_price": 1}, contract.version)
    assert "契約変更" in excinfo.value.message


@pytest.mark.parametrize("rule, share", [
    ("CALENDAR_DAYS", Fraction(16, 30)),        # 2026-04-15..30 of 30 days
    ("BUSINESS_DAYS", Fraction(11, 21)),        # 11 of April 2026's 21 business days
    ("NONE", Fraction(1)),
])
def test_partial_month_share(rule, share):
    contract = Contract(start_date=date(2026, 4, 15), end_date=date(2026, 9, 30), partial_month_rule=rule)
    calendar = BusinessCalendar()
    assert services.proration(contract, 2026, 4, calendar) == share
    assert services.proration(contract, 2026, 5, calendar) == 1
    assert services.proration(contract, 2026, 10, calendar) == 0


def test_settle_month_uses_the_months_terms(system, sales):
    contract = services.create_contract(sell_values(sales.project(), sales.engineer()))
    assert services.settle_month(contract.id, 2026, 5, 190 * 60 + 30).amount == 846_620


def test_gross_margin_of_the_chain_example():
    margin = services.gross_margin(846_620, 724_625)
    assert (margin.amount, margin.rate) == (121_995, Decimal("14.4"))
    assert services.gross_margin(0, 0).rate is None
