"""The money fields for forms and the API: thin doors onto ``kansenagenda.money`` (read by ``parse_amount`` /
``parse_api_amount``, shown by ``format_amount_input`` / ``format_api_amount``). Reached as ``money.MoneyField``
etc.; kept apart only so that neither module outgrows its job."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kansenagenda.money import API_RULE, format_amount_input, format_api_amount, parse_amount, parse_api_amount


class MoneyInput(forms.TextInput):
    """Never type=number: browsers then read "7500,00" by their own locale. A text box with a decimal keypad."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            return format_amount_input(value)
        return super().format_value(value)


class MoneyField(forms.CharField):
    """A form field for euros, read by ``parse_amount`` in the active language; cleans to Decimal or None."""

    widget = MoneyInput

    def __init__(self, *, allow_negative: bool = False, **kwargs):
        self.allow_negative = allow_negative
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return parse_amount(value, allow_negative=self.allow_negative)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_amount_input(value)
        return value


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "pattern": r"^\d+(\.\d{1,2})?$", "example": "1250000.50"},
            {"type": "number", "minimum": 0, "maximum": 9999999999.99, "multipleOf": 0.01},
        ],
        "description": API_RULE,
    }
)
class MoneySerializerField(serializers.Field):
    """A money amount in the API: JSON number, machine string "1250000.50" or a human string of the active
    language ("1.250.000,50"); answers with a string with two decimals ("1250000.50")."""

    def __init__(self, *, allow_negative: bool = False, **kwargs):
        self.allow_negative = allow_negative
        kwargs.setdefault("help_text", API_RULE)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            value = parse_api_amount(data, allow_negative=self.allow_negative)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code or "invalid") from None
        if value is None and not self.allow_null:
            self.fail("null")
        return value

    def to_representation(self, value):
        return format_api_amount(value)
