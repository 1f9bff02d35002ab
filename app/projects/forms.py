"""Forms of the Project Context.  Choices that come from the database are filled by routes."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from ..core.i18n import lazy_gettext as _l
from .fields import select_choices, uuid_or_none
from .labels import (
    CHAIN_RESTRICTION,
    HOLIDAY_RULE,
    HONORIFIC,
    INVOICE_GROUPING,
    JAPANESE_LEVEL,
    MILESTONE_STATUS,
    PHASE_TYPE,
    PRIORITY,
    REQUIREMENT_TYPE,
    WORK_STYLE,
)

CODE = Regexp(r"^[A-Za-z0-9_-]{1,30}$", message=_l("英数字・ハイフン・アンダースコア30文字以内で入力してください。"))
REQUIRED = DataRequired(_l("入力してください。"))


def choices(labels: dict, blank: str | None = None) -> list:
    return select_choices(labels.items(), blank)


def _none_if_blank(value):
    return value or None


class ProjectForm(FlaskForm):
    version = HiddenField()
    code = StringField(_l("案件コード"), validators=[REQUIRED, CODE])
    customer_id = SelectField(_l("顧客企業"), choices=[], coerce=uuid_or_none, validators=[REQUIRED])
    end_user_name = StringField(_l("エンドユーザー"), validators=[Optional(), Length(max=200)])
    title = StringField(_l("案件名"), validators=[REQUIRED, Length(max=200)])
    description = TextAreaField(_l("概要"), validators=[Optional(), Length(max=4000)])
    priority = SelectField(_l("優先度"), choices=choices(PRIORITY), default="3", coerce=int)
    start_date = DateField(_l("開始日"), validators=[Optional()])
    end_date = DateField(_l("終了日"), validators=[Optional()])
    location = StringField(_l("勤務地"), validators=[Optional(), Length(max=200)])
    nearest_station = StringField(_l("最寄駅"), validators=[Optional(), Length(max=100)])
    work_style = SelectField(_l("勤務形態"), choices=choices(WORK_STYLE))
    headcount = IntegerField(_l("募集人数"), default=1, validators=[InputRequired(_l("入力してください。")),
                                                                NumberRange(1, 999)])
    rate_min = IntegerField(_l("単価（下限・円/月）"), validators=[Optional(), NumberRange(min=0)])
    rate_max = IntegerField(_l("単価（上限・円/月）"), validators=[Optional(), NumberRange(min=0)])
    settlement_lower_hours = DecimalField(_l("精算幅（下限時間）"), places=2,
                                          validators=[Optional(), NumberRange(0, 744)])
    settlement_upper_hours = DecimalField(_l("精算幅（上限時間）"), places=2,
                                          validators=[Optional(), NumberRange(0, 744)])
    chain_position = IntegerField(_l("商流（当社の位置）"), default=1, validators=[
        InputRequired(_l("入力してください。")), NumberRange(1, 9)])
    chain_restriction = SelectField(_l("商流制限"), choices=choices(CHAIN_RESTRICTION))
    required_japanese_level = SelectField(_l("必要な日本語レベル"), choices=choices(JAPANESE_LEVEL, "—"), coerce=_none_if_blank)
    sales_manager_id = SelectField(_l("営業担当"), choices=[], coerce=uuid_or_none)
    project_manager_id = SelectField(_l("PM（案件責任者）"), choices=[], coerce=uuid_or_none)


class StatusForm(FlaskForm):
    version = HiddenField()
    status = SelectField(_l("新しいステータス"), choices=[], validators=[REQUIRED])
    reason = StringField(_l("理由（失注・中止のとき）"), validators=[Optional(), Length(max=500)])


class RequirementForm(FlaskForm):
    version = HiddenField()             # editing an existing requirement
    requirement_type = SelectField(_l("種類"), choices=choices(REQUIREMENT_TYPE))
    name = StringField(_l("名称"), validators=[REQUIRED, Length(max=100)])
    min_years = DecimalField(_l("必要経験年数"), places=1, validators=[Optional(), NumberRange(0, 50)])
    is_mandatory = BooleanField(_l("必須"), default=True)
    description = StringField(_l("補足"), validators=[Optional(), Length(max=500)])


class PhaseForm(FlaskForm):
    phase_type = SelectField(_l("工程"), choices=choices(PHASE_TYPE))
    name = StringField(_l("フェーズ名"), validators=[REQUIRED, Length(max=100)])
    start_date = DateField(_l("開始日"), validators=[Optional()])
    end_date = DateField(_l("終了日"), validators=[Optional()])


class MilestoneForm(FlaskForm):
    name = StringField(_l("マイルストーン"), validators=[REQUIRED, Length(max=200)])
    due_date = DateField(_l("期日"), validators=[InputRequired(_l("入力してください。"))])
    phase_id = SelectField(_l("フェーズ"), choices=[], coerce=uuid_or_none)


class MilestoneStatusForm(FlaskForm):
    version = HiddenField()
    status = SelectField(_l("状態"), choices=choices(MILESTONE_STATUS))


class CompanyForm(FlaskForm):
    """The fields of ``models.CompanyColumns``: a customer's and a partner company's form."""

    version = HiddenField()
    name = StringField(_l("会社名"), validators=[REQUIRED, Length(max=200)])
    name_kana = StringField(_l("会社名（カナ）"), validators=[Optional(), Length(max=200)])
    corporate_number = StringField(_l("法人番号"), validators=[Optional(), Regexp(r"^[0-9]{13}$", message=_l("13桁の数字で入力してください。"))])
    registration_number = StringField(_l("適格請求書 登録番号"), validators=[
        Optional(), Regexp(r"^T[0-9]{13}$", message=_l("T + 13桁の数字で入力してください。"))])
    postal_code = StringField(_l("郵便番号"), validators=[Optional(), Regexp(r"^[0-9]{3}-?[0-9]{4}$", message=_l("123-4567 の形式で入力してください。"))])
    address = StringField(_l("住所"), validators=[Optional(), Length(max=300)])
    phone = StringField(_l("電話番号"), validators=[Optional(), Length(max=30)])
    closing_day = IntegerField(_l("締め日（0 = 月末）"), default=0, validators=[InputRequired(_l("入力してください。")), NumberRange(0, 28)])
    payment_month_offset = IntegerField(_l("支払月（締めの何か月後）"), default=1, validators=[InputRequired(_l("入力してください。")), NumberRange(0, 3)])
    payment_day = IntegerField(_l("支払日（0 = 月末）"), default=0, validators=[InputRequired(_l("入力してください。")), NumberRange(0, 28)])
    payment_holiday_rule = SelectField(_l("支払日が休日のとき"), choices=choices(HOLIDAY_RULE))
    notes = TextAreaField(_l("備考"), validators=[Optional(), Length(max=2000)])


class CustomerForm(CompanyForm):
    code = StringField(_l("顧客コード"), validators=[REQUIRED, CODE])
    honorific = SelectField(_l("敬称"), choices=choices(HONORIFIC))
    billing_department = StringField(_l("請求先部署"), validators=[Optional(), Length(max=100)])
    billing_contact_name = StringField(_l("請求先担当者"), validators=[Optional(), Length(max=100)])
    billing_email = EmailField(_l("請求書送付先メール"), validators=[Optional(), Email(_l("メールアドレスの形式が正しくありません。"))])
    invoice_grouping = SelectField(_l("請求書の単位"), choices=choices(INVOICE_GROUPING))
    attach_work_report = BooleanField(_l("作業報告書を添付する"))


class ContactForm(FlaskForm):
    version = HiddenField()
    name = StringField(_l("氏名"), validators=[REQUIRED, Length(max=100)])
    name_kana = StringField(_l("氏名（カナ）"), validators=[Optional(), Length(max=100)])
    department = StringField(_l("部署"), validators=[Optional(), Length(max=100)])
    title = StringField(_l("役職"), validators=[Optional(), Length(max=100)])
    email = EmailField(_l("メールアドレス"), validators=[Optional(), Email(_l("メールアドレスの形式が正しくありません。"))])
    phone = StringField(_l("電話番号"), validators=[Optional(), Length(max=30)])
    is_billing_contact = BooleanField(_l("請求担当"))
    is_work_report_approver = BooleanField(_l("作業報告書の承認者"))
    notes = StringField(_l("備考"), validators=[Optional(), Length(max=500)])
