"""Forms of the report pages."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from ..core.i18n import lazy_gettext as _l

MONTH_RANGES = (3, 6, 12, 24)


class AddWidgetForm(FlaskForm):
    kind = SelectField(_l("追加するウィジェット"), choices=[])


class ReportRequestForm(FlaskForm):
    template = SelectField(_l("レポート"), choices=[])
    month = StringField(_l("対象月"), render_kw={"type": "month", "placeholder": "YYYY-MM"})


class ArchiveForm(FlaskForm):
    cutoff = DateField(_l("基準日"), validators=[InputRequired(_l("基準日を入力してください。"))])
    confirm = BooleanField(_l("この日より前に終了したデータを論理削除することを確認しました"),
                           validators=[DataRequired(_l("確認のチェックを入れてください。"))])


class SnapshotForm(FlaskForm):
    month = StringField(_l("最終月"), render_kw={"type": "month", "placeholder": "YYYY-MM"})
    months = IntegerField(_l("月数"), default=12, validators=[
        InputRequired(_l("月数を入力してください。")),
        NumberRange(1, 36, _l("月数は1〜36で指定してください。"))])


def month_range_choices() -> list[SelectChoice]:
    return [SelectChoice(str(n), _l("%(n)sか月", n=n)) for n in MONTH_RANGES]
