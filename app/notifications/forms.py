"""Forms of the notification pages (subscriptions are plain checkboxes named event:channel)."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.i18n import lazy_gettext as _l
from .queries import CHANNEL_LABELS


class ChannelForm(FlaskForm):
    name = StringField(_l("名称"), validators=[DataRequired(_l("名称を入力してください。")), Length(max=100)])
    url = StringField(_l("Webhook URL"), validators=[Optional(), Length(max=500)])
    is_active = BooleanField(_l("有効"))
    version = HiddenField()


class RuleForm(FlaskForm):
    is_active = BooleanField(_l("有効"))
    channel_codes = SelectMultipleField(
        _l("配信チャネル"), choices=[SelectChoice(k, v) for k, v in CHANNEL_LABELS.items()],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    version = HiddenField()


class TemplateForm(FlaskForm):
    subject_template = StringField(_l("件名"), validators=[
        DataRequired(_l("件名を入力してください。")), Length(max=300)])
    body_template = TextAreaField(_l("本文"), validators=[
        DataRequired(_l("本文を入力してください。")), Length(max=5000)])
    version = HiddenField()


class ConfirmForm(FlaskForm):
    """A POST button with a CSRF token and nothing else."""
