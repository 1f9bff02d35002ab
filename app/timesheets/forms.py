"""Forms of the timesheet pages.  Times and minutes arrive as text and are parsed here with a
Japanese message per field; the arithmetic and its rules live in rules.py / services.py."""

from __future__ import annotations

from datetime import time
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField

from ..core.i18n import lazy_gettext as _l
from .labels import ADJUSTMENT_REASON, KIND, LOCATION
from .services import DayInput, TimesheetError


def _select(label, choices) -> SelectField:
    return SelectField(label, choices=[SelectChoice(k, v) for k, v in choices.items()], validate_choice=False)


def _time(label) -> StringField:
    return StringField(label, render_kw={"type": "time", "step": "60"})


class DayForm(FlaskForm):
    """One day of the sheet (the row saves itself through htmx)."""

    class Meta:
        csrf = False        # the token travels in the htmx headers / the page's hidden field

    kind = _select(_l("種別"), KIND)
    start_time = _time(_l("開始"))
    end_time = _time(_l("終了"))
    break_minutes = StringField(_l("休憩（分）"), render_kw={"inputmode": "numeric", "autocomplete": "off"})
    work_location = _select(_l("勤務場所"), LOCATION)
    note = StringField(_l("備考"), render_kw={"maxlength": 200})

    def entry(self) -> DayInput:
        """The typed day, or TimesheetError on the field that cannot be read."""
        kind = self.kind.data if self.kind.data in KIND else "NORMAL"
        location = self.work_location.data if self.work_location.data in LOCATION else "ONSITE"
        return DayInput(kind=kind, start_time=parse_time(self.start_time.data, "start_time"),
                        end_time=parse_time(self.end_time.data, "end_time"),
                        break_minutes=parse_minutes(self.break_minutes.data), work_location=location,
                        note=(self.note.data or "")[:200])


def parse_time(value: str | None, field: str) -> time | None:
    text = (value or "").strip().replace("：", ":")
    if not text:
        return None
    try:
        hours, _, minutes = text.partition(":")
        return time(int(hours), int(minutes or 0))
    except (ValueError, OverflowError):
        raise TimesheetError(field, _l("時刻は 09:00 のように入力してください。")) from None


def parse_minutes(value: str | None) -> int:
    text = (value or "").strip()
    if not text:
        return 0
    if not text.isdigit() or int(text) > 1440:
        raise TimesheetError("break_minutes", _l("休憩時間は0〜1440分で入力してください。"))
    return int(text)


class PatternForm(FlaskForm):
    start_time = _time(_l("開始"))
    end_time = _time(_l("終了"))
    break_minutes = StringField(_l("休憩（分）"), render_kw={"inputmode": "numeric"})
    work_location = _select(_l("勤務場所"), LOCATION)
    overwrite = BooleanField(_l("入力済みの日も上書きする"))

    def entry(self) -> DayInput:
        location = self.work_location.data if self.work_location.data in LOCATION else "ONSITE"
        return DayInput(start_time=parse_time(self.start_time.data, "start_time"),
                        end_time=parse_time(self.end_time.data, "end_time"),
                        break_minutes=parse_minutes(self.break_minutes.data), work_location=location)


class DecisionForm(FlaskForm):
    action = HiddenField()
    version = HiddenField()
    comment = TextAreaField(_l("コメント"), render_kw={"rows": 2, "maxlength": 1000})


class AdjustmentForm(FlaskForm):
    reason_code = _select(_l("理由"), ADJUSTMENT_REASON)
    reason = TextAreaField(_l("内容"), render_kw={"rows": 2, "maxlength": 1000})
    hours_delta = StringField(_l("調整時間（例: 1:30 / -0:45）"), render_kw={"autocomplete": "off"})
    apply_month = StringField(_l("反映する請求月"), render_kw={"type": "month"})


def parse_delta(value: str | None) -> int:
    """Signed minutes from "1:30", "-0:45" or "1.5"."""
    text = (value or "").strip().replace("：", ":").replace("−", "-").replace("－", "-")
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    try:
        if ":" in text:
            hours, _, minutes = text.partition(":")
            minutes_total = int(hours or 0) * 60 + int(minutes or 0)
        else:
            minutes_total = int(Decimal(text) * 60) if text else 0
    except (ValueError, InvalidOperation, OverflowError):
        minutes_total = 0
    return sign * minutes_total
