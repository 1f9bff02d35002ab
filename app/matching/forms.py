"""Forms of the Matching Context."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..core.i18n import lazy_gettext as _l
from ..core.tabular import CellError, join_list
from ..projects.forms import REQUIRED, choices
from ..projects.labels import CHAIN_RESTRICTION, JAPANESE_LEVEL, PHASE_TYPE, ROLES, WORK_STYLE
from ..projects.spreadsheets import skill_list
from .labels import CRITERIA_LABELS

_parse_skills = skill_list()


class SkillsField(StringField):
    """"Java:3、Spring Boot:2、AWS" <-> [("Java", 3), ("Spring Boot", 2), ("AWS", None)]."""

    def _value(self):
        if isinstance(self.data, list):
            return join_list(f"{n}:{float(y):g}" if y is not None else n for n, y in self.data)
        return self.data or ""

    def process_formdata(self, valuelist):
        raw = valuelist[0] if valuelist else ""
        try:
            self.data = _parse_skills(raw) if raw.strip() else []
        except CellError as error:
            self.data = raw
            raise ValueError(str(error)) from None


def _none_if_blank(value):
    return value or None


class RequestForm(FlaskForm):
    version = HiddenField()
    title = StringField(_l("依頼名"), validators=[REQUIRED, Length(max=200)])
    required_skills = SkillsField(_l("必須スキル（スキル名:年数）"))
    preferred_skills = SkillsField(_l("歓迎スキル"))
    start_date = DateField(_l("開始日"), validators=[InputRequired(_l("入力してください。"))])
    end_date = DateField(_l("終了日"), validators=[Optional()])
    rate_min = IntegerField(_l("単価（下限・円/月）"), validators=[Optional(), NumberRange(min=0)])
    rate_max = IntegerField(_l("単価（上限・円/月）"), validators=[Optional(), NumberRange(min=0)])
    work_style = SelectField(_l("勤務形態"), choices=choices(WORK_STYLE))
    location = StringField(_l("勤務地"), validators=[Optional(), Length(max=200)])
    nearest_station = StringField(_l("最寄駅"), validators=[Optional(), Length(max=100)])
    required_japanese_level = SelectField(_l("必要な日本語レベル"), choices=choices(JAPANESE_LEVEL, "—"),
                                          coerce=_none_if_blank)
    chain_restriction = SelectField(_l("商流制限"), choices=choices(CHAIN_RESTRICTION))
    roles = SelectMultipleField(_l("役割"), choices=choices(ROLES))
    phases = SelectMultipleField(_l("工程"), choices=choices(PHASE_TYPE))
    headcount = IntegerField(_l("募集人数"), default=1, validators=[InputRequired(_l("入力してください。")),
                                                                NumberRange(1, 99)])


class MoveForm(FlaskForm):
    version = HiddenField()
    status = SelectField(_l("次の段階"), choices=[])
    note = StringField(_l("メモ"), validators=[Optional(), Length(max=1000)])
    interview_at = DateTimeLocalField(_l("面談日時"), validators=[Optional()])


class CloseForm(FlaskForm):
    version = HiddenField()
    status = SelectField(_l("結果"), choices=choices({"CLOSED": _l("充足・終了"), "CANCELLED": _l("取消")}))


def _weight_fields():
    fields = {}
    for code, label in CRITERIA_LABELS.items():
        fields[f"{code}_weight"] = IntegerField(label, validators=[InputRequired(_l("入力してください。")),
                                                                   NumberRange(0, 100)])
        fields[f"{code}_active"] = BooleanField(_l("使う"))
        fields[f"{code}_version"] = HiddenField()
    return fields


WeightsForm = type("WeightsForm", (FlaskForm,), _weight_fields())
