"""Forms of the contract pages.  They carry the values as typed text; the services convert and
check them (one place for the rules and their Japanese messages, the same for CSV imports)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField

from ..core.i18n import lazy_gettext as _l
from . import labels


def _select(label, choices, **kw) -> SelectField:
    return SelectField(label, choices=[SelectChoice(str(k), v) for k, v in choices.items()],
                       validate_choice=False, **kw)


def _number(label, **kw) -> StringField:
    return StringField(label, render_kw={"inputmode": "decimal", "autocomplete": "off"}, **kw)


def _date(label) -> StringField:
    return StringField(label, render_kw={"type": "date"})


class TermFields(FlaskForm):
    """Price and settlement terms: on a contract, and again on an amendment."""

    monthly_price = _number(_l("月額単価（税抜・円）"))
    settlement_method = _select(_l("精算方法"), labels.SETTLEMENT_METHOD)
    lower_hours = _number(_l("精算幅 下限（時間）"))
    upper_hours = _number(_l("精算幅 上限（時間）"))
    deduction_rate = _number(_l("控除単価（円/時間）"))
    excess_rate = _number(_l("超過単価（円/時間）"))
    rate_rounding_unit = _select(_l("単価の端数"), labels.RATE_UNIT)
    rate_rounding_mode = _select(_l("単価の丸め方"), labels.ROUNDING_MODE)
    rounding_target = _select(_l("丸める対象"), labels.ROUNDING_TARGET)
    hours_rounding_minutes = _select(_l("稼働時間の単位"), labels.HOURS_UNIT)
    hours_rounding_scope = _select(_l("稼働時間の丸め"), labels.HOURS_SCOPE)
    hours_rounding_mode = _select(_l("稼働時間の丸め方"), labels.ROUNDING_MODE)


class ContractForm(TermFields):
    version = HiddenField()
    contract_type = _select(_l("契約形態"), labels.CONTRACT_TYPE)
    side = _select(_l("売上・仕入"), labels.SIDE)
    project_id = SelectField(_l("案件"), choices=[], validate_choice=False)
    engineer_id = SelectField(_l("技術者"), choices=[], validate_choice=False)
    partner_company_id = SelectField(_l("仕入先パートナー企業"), choices=[], validate_choice=False)
    sell_contract_id = HiddenField()
    matching_result_id = HiddenField()
    template_id = SelectField(_l("契約書テンプレート"), choices=[], validate_choice=False)
    contract_number = StringField(_l("契約番号"), description=_l("空欄なら自動で採番します"))
    title = StringField(_l("件名"))
    start_date = _date(_l("開始日"))
    end_date = _date(_l("終了日"))
    tax_rate_percent = _select(_l("消費税率"), labels.TAX_RATE)
    partial_month_rule = _select(_l("月途中の開始・終了"), labels.PARTIAL_MONTH)
    closing_day = _number(_l("締め日（0＝末日）"))
    payment_month_offset = _select(_l("支払月"), {0: _l("当月"), 1: _l("翌月"), 2: _l("翌々月"),
                                                  3: _l("3か月後")})
    payment_day = _number(_l("支払日（0＝末日）"))
    payment_holiday_rule = _select(_l("支払日が休日のとき"), labels.HOLIDAY_RULE)
    chain_position = _number(_l("商流の位置（1＝元請直）"))
    chain_restriction = _select(_l("商流制限"), labels.CHAIN_RESTRICTION)
    responsible_person = StringField(_l("当社の業務責任者"))
    client_supervisor = StringField(_l("顧客側の指揮命令者（派遣）"))
    work_site = StringField(_l("作業場所"))
    work_description = TextAreaField(_l("業務内容"), render_kw={"rows": 3})
    dispatch_license_number = StringField(_l("派遣元許可番号"))
    deliverables = TextAreaField(_l("成果物（請負）"), render_kw={"rows": 2})
    defect_liability_months = _number(_l("契約不適合責任の期間（月）"))
    notes = TextAreaField(_l("備考"), render_kw={"rows": 2})

    def values(self) -> dict:
        """The submitted values by column name (blank choices as empty strings)."""
        skip = {"csrf_token", "version"}
        return {name: field.data for name, field in self._fields.items() if name not in skip}


class AmendmentForm(TermFields):
    version = HiddenField()
    effective_from = StringField(_l("適用開始月"), render_kw={"type": "month"})
    reason = TextAreaField(_l("変更理由"), render_kw={"rows": 2})

    def term_values(self) -> dict:
        skip = {"csrf_token", "version", "effective_from", "reason"}
        return {name: field.data for name, field in self._fields.items() if name not in skip}


class TerminateForm(FlaskForm):
    version = HiddenField()
    terminated_on = _date(_l("解約日"))
    reason = TextAreaField(_l("解約理由"), render_kw={"rows": 2})


class SignForm(FlaskForm):
    """Click to sign: the signer confirms the exact document by its hash."""
    document_sha256 = HiddenField()
    signer_title = StringField(_l("役職"))


class TemplateForm(FlaskForm):
    code = StringField(_l("テンプレートコード"))
    name = StringField(_l("名称"))
    contract_type = _select(_l("契約形態"), labels.CONTRACT_TYPE)
    effective_from = _date(_l("適用開始日"))
    body = TextAreaField(_l("条文"), render_kw={"rows": 18})
