from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..core.i18n import lazy_gettext as _l
from .roles import ROLE_LABELS


class LoginForm(FlaskForm):
    email = EmailField(_l("メールアドレス"), validators=[DataRequired(_l("メールアドレスを入力してください。")),
                                                   Length(max=254)])
    password = PasswordField(_l("パスワード"), validators=[DataRequired(_l("パスワードを入力してください。")),
                                                      Length(max=200)])


class UserForm(FlaskForm):
    email = EmailField(_l("メールアドレス"), validators=[
        DataRequired(_l("メールアドレスを入力してください。")),
        Email(_l("メールアドレスの形式が正しくありません。")), Length(max=254)])
    display_name = StringField(_l("表示名"), validators=[DataRequired(_l("表示名を入力してください。")),
                                                     Length(max=100)])
    role = SelectField(_l("ロール"), choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()])
    # Choices are filled by the route from the engineer pool and the customer/partner lists.
    engineer_id = SelectField(_l("技術者"), choices=[])
    customer_id = SelectField(_l("顧客企業"), choices=[])
    partner_company_id = SelectField(_l("パートナー企業"), choices=[])
    locale = SelectField(_l("表示言語"), choices=[SelectChoice("ja", "日本語"), SelectChoice("en", "English")])
    is_active = BooleanField(_l("有効"), default=True)
    password = PasswordField(_l("パスワード"), validators=[Optional(), Length(max=200)])
