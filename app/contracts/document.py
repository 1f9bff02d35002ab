"""The contract document: the template's clauses with the contract's values filled in, the
conditions table, the parties -- as a plain dict for templates/pdf/contract.html.

Placeholders in a template are ``{name}`` with the names of PLACEHOLDERS; the template editor
refuses any other name, so a typo never reaches a signed document.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from sqlalchemy import select

from ..core.formatting import jdate
from ..core.i18n import lazy_gettext as _l
from ..extensions import db
from . import labels, lookups
from .models import Contract, ContractTemplate
from .settlement import SettlementTerms, rates

PLACEHOLDER = re.compile(r"\{(\w+)\}")
PLACEHOLDERS = {
    "party_a": _l("甲（委託者・顧客側）"), "party_b": _l("乙（受託者・提供側）"),
    "contract_number": _l("契約番号"), "project_title": _l("案件名"), "engineer_name": _l("要員氏名"),
    "work_description": _l("業務内容"), "work_site": _l("作業場所"),
    "responsible_person": _l("当社の業務責任者"), "client_supervisor": _l("指揮命令者"),
    "start_date": _l("開始日"), "end_date": _l("終了日"), "monthly_price": _l("月額"),
    "settlement_terms": _l("精算条件の文"), "payment_terms": _l("支払条件の文"),
    "dispatch_license_number": _l("派遣元許可番号"), "deliverables": _l("成果物"),
    "defect_liability_months": _l("契約不適合責任の期間"),
}
TITLES = {"QUASI_MANDATE": "業務委託個別契約書", "DISPATCH": "労働者派遣個別契約書",
          "CONTRACTED_WORK": "請負契約書"}


def unknown_placeholders(body: str) -> list[str]:
    return sorted({name for name in PLACEHOLDER.findall(body) if name not in PLACEHOLDERS})


def fill(body: str, values: Mapping[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def yen_text(amount: int | None) -> str:
    return "" if amount is None else f"{amount:,}円"


def settlement_sentence(contract: Contract) -> str:
    """精算条件 as one paragraph of the document."""
    hours = str(_l("稼働時間は%(scope)s%(unit)s単位で%(mode)sする。",
                   scope=_l("日ごとに") if contract.hours_rounding_scope == "DAILY" else _l("月の合計を"),
                   unit=labels.HOURS_UNIT[contract.hours_rounding_minutes],
                   mode=labels.ROUNDING_MODE[contract.hours_rounding_mode]))
    if contract.settlement_method == "NONE":
        return str(_l("稼働時間による精算は行わない（月額固定）。")) + hours
    terms = SettlementTerms.from_mapping({c: getattr(contract, c) for c in (
        "monthly_price", "settlement_method", "lower_hours", "upper_hours", "excess_rate",
        "deduction_rate", "rate_rounding_unit", "rate_rounding_mode", "rounding_target",
        "hours_rounding_minutes", "hours_rounding_scope", "hours_rounding_mode")})
    excess, deduction = rates(terms)
    return str(_l(
        "精算幅は%(low)s時間〜%(high)s時間（%(method)s）とし、下限を下回る場合は控除単価%(deduction)s/時間、"
        "上限を超える場合は超過単価%(excess)s/時間にて精算する（単価は%(unit)s%(mode)s）。",
        low=_hours(contract.lower_hours), high=_hours(contract.upper_hours),
        method=labels.SETTLEMENT_METHOD[contract.settlement_method], deduction=yen_text(deduction),
        excess=yen_text(excess), unit=labels.RATE_UNIT[contract.rate_rounding_unit],
        mode=labels.ROUNDING_MODE[contract.rate_rounding_mode])) + hours


def _hours(value) -> str:
    return f"{value.normalize():f}" if value is not None else ""


def payment_sentence(contract: Contract) -> str:
    return labels.payment_terms(contract.closing_day, contract.payment_month_offset,
                                contract.payment_day, contract.payment_holiday_rule)


def template_for(contract: Contract) -> ContractTemplate | None:
    if contract.template_id:
        return db.session.get(ContractTemplate, contract.template_id)
    return db.session.scalars(select(ContractTemplate).where(
        ContractTemplate.contract_type == contract.contract_type, ContractTemplate.is_active,
        ContractTemplate.effective_from <= (contract.start_date or date.today()))
        .order_by(ContractTemplate.effective_from.desc(), ContractTemplate.template_version.desc())
        ).first()


def party_names(contract: Contract) -> tuple[str, str]:
    """(甲, 乙): the client first.  A sale: customer / us; a purchase: us / the partner."""
    parties = contract.contract_terms.get("parties", {})
    ours = parties.get("our_company_name") or lookups.our_company()["name"]
    if contract.is_sell:
        return parties.get("customer_name") or "", ours
    return ours, parties.get("partner_name") or ""


def placeholder_values(contract: Contract) -> dict[str, str]:
    parties = contract.contract_terms.get("parties", {})
    party_a, party_b = party_names(contract)
    return {
        "party_a": party_a, "party_b": party_b, "contract_number": contract.contract_number,
        "project_title": parties.get("project_title") or contract.title,
        "engineer_name": parties.get("engineer_name") or "",
        "work_description": contract.work_description or contract.title,
        "work_site": contract.work_site or str(_l("甲乙協議のうえ定める場所")),
        "responsible_person": contract.responsible_person or "", "client_supervisor": contract.client_supervisor or "",
        "start_date": jdate(contract.start_date), "end_date": jdate(contract.end_date),
        "monthly_price": yen_text(contract.monthly_price),
        "settlement_terms": settlement_sentence(contract), "payment_terms": payment_sentence(contract),
        "dispatch_license_number": contract.dispatch_license_number or "",
        "deliverables": contract.deliverables or "",
        "defect_liability_months": str(contract.defect_liability_months or 12),
    }


def conditions(contract: Contract, values: Mapping[str, str]) -> list[tuple[str, str]]:
    rows = [(_l("契約番号"), contract.contract_number), (_l("契約形態"), labels.CONTRACT_TYPE[contract.contract_type]),
            (_l("案件"), values["project_title"]), (_l("要員"), values["engineer_name"]),
            (_l("契約期間"), f"{values['start_date']} 〜 {values['end_date']}"),
            (_l("月額（税抜）"), values["monthly_price"]), (_l("精算条件"), values["settlement_terms"]),
            (_l("支払条件"), values["payment_terms"]), (_l("作業場所"), values["work_site"])]
    if contract.responsible_person:
        rows.append((_l("業務責任者"), contract.responsible_person))
    if contract.contract_type == "DISPATCH":
        rows += [(_l("指揮命令者"), values["client_supervisor"]),
                 (_l("派遣元許可番号"), values["dispatch_license_number"])]
    return [(str(label), value) for label, value in rows]


def document_context(contract: Contract, issued_on: date) -> dict:
    """Everything the PDF shows, as plain values."""
    values = placeholder_values(contract)
    template = template_for(contract)
    body = fill(template.body, values) if template else ""
    party_a, party_b = party_names(contract)
    return {"title": template.name if template else TITLES[contract.contract_type],
            "template_code": f"{template.code} v{template.template_version}" if template else "",
            "contract_number": contract.contract_number, "issued_on": issued_on,
            "party_a": party_a, "party_b": party_b, "conditions": conditions(contract, values),
            "clauses": [p.strip() for p in body.split("\n\n") if p.strip()]}


def save_template(*, code: str, name: str, contract_type: str, effective_from, body: str) -> ContractTemplate:
    """A new version of a template (earlier versions stay for the documents that used them)."""
    from .validation import ContractInvalid, Problem

    problems = []
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", code or ""):
        problems.append(Problem("code", str(_l("コードは英数字・ハイフン・下線で40文字以内です。"))))
    if not (name or "").strip():
        problems.append(Problem("name", str(_l("名称を入力してください。"))))
    if contract_type not in TITLES:
        problems.append(Problem("contract_type", str(_l("契約形態を選択してください。"))))
    if effective_from is None:
        problems.append(Problem("effective_from", str(_l("適用開始日を入力してください。"))))
    if not (body or "").strip():
        problems.append(Problem("body", str(_l("条文を入力してください。"))))
    elif unknown := unknown_placeholders(body):
        problems.append(Problem("body", str(_l("使えない差し込み項目があります: %(names)s",
                                             names=", ".join("{" + n + "}" for n in unknown)))))
    if problems:
        raise ContractInvalid(problems)
    latest = db.session.scalar(select(db.func.max(ContractTemplate.template_version))
                               .where(ContractTemplate.code == code)) or 0
    template = ContractTemplate(code=code, name=name.strip(), contract_type=contract_type,
                                template_version=latest + 1, effective_from=effective_from,
                                body=body.replace("\r\n", "\n").strip())
    db.session.add(template)
    db.session.flush()
    return template
