"""Forms of the Engineer Context.  Record choices (partners) are filled by the routes."""

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
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from ..core.i18n import lazy_gettext as _l
from ..projects.fields import uuid_or_none
from ..projects.forms import CODE, REQUIRED, CompanyForm, choices
from ..projects.labels import JAPANESE_LEVEL, PHASE_TYPE, ROLES
from .labels import (
    AVAILABILITY,
    EMPLOYMENT_TYPE,
    GENDER,
    SKILL_CATEGORY,
    SKILL_LEVEL,
    WORK_STYLE_PREFERENCE,
)

EMAIL = Email(_l("メールアドレスの形式が正しくありません。"))


def _none_if_blank(value):
    return value or None


class _Profile(FlaskForm):
    """What an engineer may edit about themself (the column grants allow exactly these)."""

    version = HiddenField()
    full_name_kana = StringField(_l("氏名（カナ）"), validators=[Optional(), Length(max=100)])
    email = EmailField(_l("メールアドレス"), validators=[Optional(), EMAIL, Length(max=254)])
    phone = StringField(_l("電話番号"), validators=[Optional(), Length(max=30)])
    address = StringField(_l("住所"), validators=[Optional(), Length(max=300)])
    nearest_station = StringField(_l("最寄駅"), validators=[Optional(), Length(max=100)])
    work_style_preference = SelectField(_l("勤務形態の希望"), choices=choices(WORK_STYLE_PREFERENCE))
    desired_rate = IntegerField(_l("希望単価（円/月）"), validators=[Optional(), NumberRange(0, 10_000_000)])
    available_from = DateField(_l("稼働可能日"), validators=[Optional()])
    japanese_level = SelectField(_l("日本語レベル"), choices=choices(JAPANESE_LEVEL))
    work_authorization = StringField(_l("在留資格"), validators=[Optional(), Length(max=100)])
    work_authorization_expires_on = DateField(_l("在留期限"), validators=[Optional()])
    experience_years = DecimalField(_l("IT経験年数"), places=1, validators=[Optional(), NumberRange(0, 60)])
    roles = SelectMultipleField(_l("役割"), choices=choices(ROLES))
    summary = TextAreaField(_l("自己PR・得意分野"), validators=[Optional(), Length(max=4000)])


class EngineerSelfForm(_Profile):
    pass


class EngineerForm(_Profile):
    code = StringField(_l("技術者コード"), validators=[REQUIRED, CODE])
    employment_type = SelectField(_l("雇用形態"), choices=choices(EMPLOYMENT_TYPE))
    partner_company_id = SelectField(_l("パートナー企業"), choices=[], coerce=uuid_or_none)
    received_under_dispatch = BooleanField(_l("派遣で受け入れた技術者（再派遣不可）"))
    full_name = StringField(_l("氏名"), validators=[REQUIRED, Length(max=100)])
    initials = StringField(_l("イニシャル"), validators=[Optional(), Length(max=10)])
    birth_date = DateField(_l("生年月日"), validators=[Optional()])
    gender = SelectField(_l("性別"), choices=choices(GENDER), coerce=_none_if_blank)
    nationality = StringField(_l("国籍"), validators=[Optional(), Length(max=50)])
    availability_status = SelectField(_l("稼働状況"), choices=choices(AVAILABILITY))


class SkillForm(FlaskForm):
    skill_name = StringField(_l("スキル名"), validators=[REQUIRED, Length(max=100)])
    skill_category = SelectField(_l("分類"), choices=choices(SKILL_CATEGORY))
    skill_level = SelectField(_l("レベル"), choices=choices(SKILL_LEVEL), coerce=int, default=3)
    years_experience = DecimalField(_l("経験年数"), places=1, validators=[
        InputRequired(_l("入力してください。")), NumberRange(0, 60)])
    last_used_year = IntegerField(_l("最終使用年"), validators=[Optional(), NumberRange(1970, 2100)])
    notes = StringField(_l("備考"), validators=[Optional(), Length(max=500)])


class CertificationForm(FlaskForm):
    name = StringField(_l("資格名"), validators=[REQUIRED, Length(max=200)])
    issuer = StringField(_l("発行元"), validators=[Optional(), Length(max=200)])
    certificate_number = StringField(_l("認定番号"), validators=[Optional(), Length(max=100)])
    acquired_on = DateField(_l("取得日"), validators=[Optional()])
    expires_on = DateField(_l("有効期限"), validators=[Optional()])


class WorkHistoryForm(FlaskForm):
    started_on = DateField(_l("開始"), validators=[InputRequired(_l("入力してください。"))])
    ended_on = DateField(_l("終了"), validators=[Optional()])
    project_summary = StringField(_l("案件概要"), validators=[REQUIRED, Length(max=300)])
    industry = StringField(_l("業種"), validators=[Optional(), Length(max=100)])
    role = StringField(_l("役割"), validators=[Optional(), Length(max=50)])
    team_size = IntegerField(_l("チーム人数"), validators=[Optional(), NumberRange(1, 9999)])
    phases = SelectMultipleField(_l("担当工程"), choices=choices(PHASE_TYPE))
    technologies = StringField(_l("使用技術（、区切り）"), validators=[Optional(), Length(max=500)])
    description = TextAreaField(_l("業務内容"), validators=[Optional(), Length(max=4000)])


class AvailabilityForm(FlaskForm):
    available_from = DateField(_l("稼働可能日"), validators=[InputRequired(_l("入力してください。"))])
    available_to = DateField(_l("まで"), validators=[Optional()])
    utilization_percent = IntegerField(_l("稼働率（%）"), default=100, validators=[
        InputRequired(_l("入力してください。")), NumberRange(1, 100)])
    notes = StringField(_l("備考"), validators=[Optional(), Length(max=500)])


class PartnerForm(CompanyForm):
    code = StringField(_l("パートナーコード"), validators=[REQUIRED, CODE])
    is_sole_proprietor = BooleanField(_l("個人事業主"))
    capital_yen = IntegerField(_l("資本金（円）"), validators=[Optional(), NumberRange(min=0)])
    employee_count = IntegerField(_l("従業員数"), validators=[Optional(), NumberRange(min=0)])
    subcontract_act_covered = BooleanField(_l("取適法（旧下請法）の対象"))
    freelance_act_covered = BooleanField(_l("フリーランス法の対象"))
    contact_name = StringField(_l("担当者"), validators=[Optional(), Length(max=100)])
    contact_email = EmailField(_l("担当者メール"), validators=[Optional(), EMAIL])
