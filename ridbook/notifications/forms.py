from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(
        label=_("Получать письма о событиях"),
        required=False,
        help_text=_("Задачи в «Мои задачи и сроки» появляются и без писем."),
    )
    language = forms.ChoiceField(label=_("Язык писем"), choices=settings.LANGUAGES)
