"""Billing forms.  Every parse error is a Japanese message next to its field."""

from __future__ import annotations

import re
import secrets
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)

from ..core.i18n import lazy_gettext as _l
from ..core.registration import (
    PROBLEM_MESSAGES,
    normalise_registration_number,
    registration_number_problem,
)
from .labels import ACCOUNT_TYPE, FEE_BORNE_BY, PAYMENT_METHOD, TAX_ROUNDING

MONTH_PATTERN = re.compile(r"^(\d{4})-(0?[1-9]|1[0-2])$")


class YenField(StringField):
    """An amount in whole yen: "880,000", "¥880,000" and "880000円" are accepted."""

    def __init__(self, label=None, validators=None, minimum: int = 0, maximum: int = 9_999_999_999, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.raw = raw
        cleaned = raw.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        cleaned = re.sub(r"[,，¥￥円\s]", "", cleaned)
        self.data = int(cleaned) if re.fullmatch(r"-?\d{1,13}", cleaned) else None

    def pre_validate(self, form):
        if self.data is None and getattr(self, "raw", ""):
            raise StopValidation(_l("金額は半角数字（円単位）で入力してください。"))
        if self.data is not None and not self.minimum <= self.data <= self.maximum:
            raise ValidationError(_l("金額は{}円から{}円の範囲で入力してください。").format(
                f"{self.minimum:,}", f"{self.maximum:,}"))


class JDateField(StringField):
    """A date (YYYY-MM-DD, as <input type=date> sends it; 2026/10/31 too)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"type": "date"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.raw = raw
        try:
            self.data = date.fromisoformat(raw.replace("/", "-")) if raw else None
        except ValueError:
            self.data = None

    def _value(self):
        return self.data.isoformat() if isinstance(self.data, date) else (getattr(self, "raw", "") or "")

    def pre_validate(self, form):
        if self.data is None and getattr(self, "raw", ""):
            raise StopValidation(_l("日付はYYYY-MM-DDの形式で入力してください。"))


class MonthField(StringField):
    """A billing month, YYYY-MM; ``data`` is (year, month)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"type": "month", "placeholder": "2026-10"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.raw = raw
        match = MONTH_PATTERN.match(raw)
        self.data = (int(match.group(1)), int(match.group(2))) if match else None

    def _value(self):
        if isinstance(self.data, tuple):
            return f"{self.data[0]}-{self.data[1]:02d}"
        return getattr(self, "raw", "") or ""

    def pre_validate(self, form):
        if self.data is None:
            raise StopValidation(_l("対象月をYYYY-MMの形式で入力してください。"))


class ChoiceField(SelectField):
    """A select whose refusal of an unknown value is in Japanese."""

    def pre_validate(self, form):
        if self.validate_choice and self.choices is not None and self.data not in {c.value for c in self.choices}:
            raise StopValidation(_l("選択肢から選んでください。"))


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices (a lazy label stays lazy: shown in the user's language)."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(24)


class RunForm(FlaskForm):
    month = MonthField(_l("対象月"))
    issue_date = JDateField(_l("請求日"), validators=[Optional()],
                            description=_l("空欄なら対象月の末日（締め日）"))


class PaymentForm(FlaskForm):
    idempotency_key = HiddenField()
    paid_on = JDateField(_l("入金日"), validators=[DataRequired(_l("入金日を入力してください。"))])
    received = YenField(_l("入金額"), validators=[DataRequired(_l("入金額を入力してください。"))])
    fee = YenField(_l("振込手数料（先方差引）"), default=0)
    method = ChoiceField(_l("入金方法"), choices=choices((k, v) for k, v in PAYMENT_METHOD.items() if k != "OFFSET"))
    payer_name = StringField(_l("振込名義"), validators=[Optional(), Length(max=100)])
    reference = StringField(_l("メモ"), validators=[Optional(), Length(max=200)])


class ApplyCreditForm(FlaskForm):
    idempotency_key = HiddenField()
    amount = YenField(_l("充当額"), minimum=1, validators=[DataRequired(_l("充当額を入力してください。"))])


class CorrectionForm(FlaskForm):
    action = ChoiceField(_l("処理"), choices=choices([("reissue", _l("取り消して再発行する")),
                                                     ("cancel", _l("取り消す（返還請求書を発行）"))]))
    reason = TextAreaField(_l("理由"), validators=[DataRequired(_l("理由を入力してください。")), Length(max=500)])
    issue_date = JDateField(_l("発行日"), validators=[DataRequired(_l("発行日を入力してください。"))])


class PaymentReversalForm(FlaskForm):
    reason = TextAreaField(_l("取消の理由"), validators=[DataRequired(_l("取消の理由を入力してください。")),
                                                      Length(max=500)])
    reversed_on = JDateField(_l("取消日"), validators=[DataRequired(_l("取消日を入力してください。"))])


class StatementCorrectionForm(CorrectionForm):
    action = ChoiceField(_l("処理"), choices=choices([("reissue", _l("取り消して再発行する")),
                                                     ("cancel", _l("取り消すだけ（次の請求処理で再計上）"))]))
    issue_date = JDateField(_l("取消日（再発行日）"), validators=[DataRequired(_l("取消日を入力してください。"))])


def _registration_number(form, field):
    field.data = normalise_registration_number(field.data)
    problem = registration_number_problem(field.data)
    if problem:
        raise ValidationError(PROBLEM_MESSAGES[problem])


class IssuerForm(FlaskForm):
    version = HiddenField()
    name = StringField(_l("会社名"), validators=[DataRequired(_l("会社名を入力してください。")), Length(max=200)])
    registration_number = StringField(_l("登録番号（適格請求書発行事業者）"), validators=[_registration_number])
    postal_code = StringField(_l("郵便番号"), validators=[Optional(), Regexp(
        r"^\d{3}-?\d{4}$", message=_l("郵便番号は123-4567の形式で入力してください。"))])
    address = StringField(_l("住所"), validators=[DataRequired(_l("住所を入力してください。")), Length(max=300)])
    phone = StringField(_l("電話番号"), validators=[Optional(), Length(max=30)])
    email = StringField(_l("メールアドレス"), validators=[
        Optional(), Email(_l("メールアドレスの形式が正しくありません。")), Length(max=254)])
    bank_name = StringField(_l("銀行名"), validators=[DataRequired(_l("銀行名を入力してください。")), Length(max=100)])
    bank_branch = StringField(_l("支店名"), validators=[DataRequired(_l("支店名を入力してください。")), Length(max=100)])
    bank_account_type = ChoiceField(_l("口座種別"), choices=choices(ACCOUNT_TYPE.items()))
    bank_account_number = StringField(_l("口座番号"), validators=[Regexp(
        r"^\d{7}$", message=_l("口座番号は7桁の数字で入力してください。"))])
    bank_account_holder_kana = StringField(_l("口座名義（カナ）"), validators=[
        DataRequired(_l("口座名義を入力してください。")), Length(max=100),
        Regexp(r"^[ァ-ヶー０-９0-9Ａ-Ｚa-zA-Z（）()．.・\-\s　]+$",
               message=_l("口座名義はカタカナで入力してください。"))])
    tax_rounding = ChoiceField(_l("消費税の端数処理"), choices=choices(TAX_ROUNDING.items()))
    invoice_number_prefix = StringField(_l("請求書番号の接頭辞"), validators=[Regexp(
        r"^[A-Z0-9]{1,10}$", message=_l("英大文字と数字で10文字以内にしてください。"))])
    seal = FileField(_l("角印（PNG画像）"))
    remove_seal = BooleanField(_l("角印を削除する"))


class PurchasePaymentForm(FlaskForm):
    idempotency_key = HiddenField()
    paid_on = JDateField(_l("支払日"), validators=[DataRequired(_l("支払日を入力してください。"))])
    amount = YenField(_l("支払額（消込額）"), minimum=1, validators=[DataRequired(_l("支払額を入力してください。"))])
    fee = YenField(_l("振込手数料（税込）"), default=0)
    fee_borne_by = ChoiceField(_l("手数料負担"), choices=choices(FEE_BORNE_BY.items()))
    reference = StringField(_l("メモ"), validators=[Optional(), Length(max=200)])


class ExtraForm(FlaskForm):
    contract_id = ChoiceField(_l("契約"), choices=[], validate_choice=False)
    month = MonthField(_l("対象月"))
    description = StringField(_l("品目"), validators=[DataRequired(_l("品目を入力してください。")), Length(max=200)])
    amount = YenField(_l("金額（税抜）"), minimum=1, validators=[DataRequired(_l("金額を入力してください。"))])
    tax_rate_percent = ChoiceField(_l("税率"), choices=choices([("10", "10%"), ("8", _l("8%（軽減税率）")), ("0", "0%")]))


EXPORT_FORMATS = {"yayoi": _l("弥生会計 仕訳"), "freee": _l("freee 取引"), "moneyforward": _l("マネーフォワード 仕訳"),
                  "invoices": _l("請求書一覧 CSV"), "lines": _l("請求明細 CSV")}


class ExportForm(FlaskForm):
    class Meta:
        csrf = False          # a GET download

    month = MonthField(_l("対象月"))
    format = ChoiceField(_l("形式"), choices=choices(EXPORT_FORMATS.items()), default="yayoi")
    encoding = ChoiceField(_l("文字コード"), default="cp932", choices=choices([("cp932", "Shift_JIS (CP932)"), ("utf-8", "UTF-8")]))
