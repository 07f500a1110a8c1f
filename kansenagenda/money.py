"""Money in and out: the one place that reads amounts people type and writes amounts people read.

Reading (``parse_amount``) follows how a person writes in the interface language:

* Dutch: ``1.250.000,50``, ``1250000,50``, ``0,10``, ``€ 7.500``, ``7500,00``, ``280.000``, ``€ 12,-``.
  A dot followed by groups of exactly three digits is a thousands separator; a single dot followed by one or
  two digits (``12.5``) can only be a decimal point and is read as such.
* English: ``1,250,000.50``, ``€1,250,000.50``, ``1250000.50``.

Nothing is guessed: ``0.105`` / ``0,105`` (three digits after a single separator behind a 0) could be 105 or
0,105 and is refused, as are exponents (``1e13``), negative amounts, more than two decimals and more digits
than the database column holds. Every refusal is a ``ValidationError`` whose Dutch message says what was
understood and how to write the amount.

The API (``parse_api_amount``) accepts a JSON number, a machine string (digits with at most one ``.`` as the
decimal point, no grouping: ``"1250000.50"``) and, for any other string, what a person of the active language
types. A machine string keeps its machine reading, so ``"280.000"`` is 280 with three decimals — refused —
never silently 280.000 euro.

Writing: ``format_amount`` (``€ 1.250.000,50``; English ``€1,250,000.50``), ``format_ratio`` (``0,96 : 1``),
``format_percent`` (``20,0 %``; English ``20.0%``), ``format_quantity`` (``120.000``, ``0,5``),
``format_amount_input`` (what an input shows:
``1250000,50``). The locale is the active language unless ``language`` is given (documents pass ``"nl"``).
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

MAX_DIGITS = 14  # DecimalField(max_digits=14, decimal_places=2) everywhere money is stored
MAX_LINE_AMOUNT = Decimal("10000000000.00")  # € 10 billion: the most one stored amount (a budget line) may be
DECIMAL_PLACES = 2
CENT = Decimal("0.01")
DASH = "–"

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_CURRENCY = re.compile(r"^(?:€|eur(?:o)?)|(?:€|eur(?:o)?)$", re.IGNORECASE)
_MACHINE = re.compile(r"^-?\d+(?:\.\d+)?$")
_PLAIN = re.compile(r"[0-9]+(?:[.,][0-9]{1,2})?")
API_RULE = (
    "Bedrag in euro's: een JSON-getal, of een tekst met een punt als decimaalteken en zonder scheiding voor "
    'duizendtallen ("1250000.50"); een andere tekst wordt gelezen zoals een gebruiker in de taal van de '
    'interface schrijft ("1.250.000,50"). Hoogstens twee decimalen; "280.000" is dus 280 met drie decimalen en '
    "wordt geweigerd. Antwoorden geven een tekst met twee decimalen."
)


def is_english(language: str | None = None) -> bool:
    return (language or translation.get_language() or "nl").lower().startswith("en")


def _separators(language: str | None) -> tuple[str, str]:
    """(decimal separator, thousands separator) of the language."""
    return (".", ",") if is_english(language) else (",", ".")


# --- reading ------------------------------------------------------------------------------------------
def _example(language: str | None) -> str:
    return "1,250,000.50" if is_english(language) else "1.250.000,50"


def _malformed(text: str, language: str | None, hint: str = "") -> ValidationError:
    message = _("‘%(text)s’ is geen bedrag. Schrijf het bijvoorbeeld als %(example)s of %(plain)s.") % {
        "text": text,
        "example": _example(language),
        "plain": "1250000.50" if is_english(language) else "1250000,50",
    }
    return ValidationError(f"{message} {hint}".strip(), code="invalid")


def _split_grouped(integer: str, group: str) -> str | None:
    """'1.250.000' → '1250000' when the groups are proper thousands groups (first group not 0), else None."""
    if re.fullmatch(r"[1-9]\d{0,2}(?:" + re.escape(group) + r"\d{3})+", integer):
        return integer.replace(group, "")
    return None


def _read(body: str, decimal: str, group: str) -> tuple[str, str] | None:
    """Split a sign-less body of digits and separators into (integer digits, decimal digits), or None."""
    if body.count(decimal) > 1:
        return None
    if decimal in body:
        integer, fraction = body.split(decimal)
        if fraction in ("-", "--"):  # "€ 12,-"
            fraction = ""
        elif not fraction.isdigit():
            return None
    else:
        integer, fraction = body, ""
    if integer == "" and fraction:
        integer = "0"  # ",50"
    if integer.isdigit():
        return integer, fraction
    if group in integer:
        plain = _split_grouped(integer, group)
        if plain is not None:
            return plain, fraction
        # "12.5" in Dutch: a single dot with one or two digits can only be a decimal point
        if not fraction and decimal not in body and integer.count(group) == 1:
            head, tail = integer.split(group)
            if head.isdigit() and tail.isdigit() and len(tail) <= 2:
                return head, tail
    return None


def parse_amount(
    text: Any,
    *,
    language: str | None = None,
    allow_negative: bool = False,
    max_digits: int = MAX_DIGITS,
    decimal_places: int = DECIMAL_PLACES,
) -> Decimal | None:
    """An amount as a person types it, in the notation of ``language`` (default: the active language).

    Empty → None. Returns a Decimal with ``decimal_places`` places. Raises ValidationError otherwise."""
    if text is None:
        return None
    if isinstance(text, Decimal):
        return _checked(text, str(text), language, allow_negative, max_digits, decimal_places)
    raw = str(text)
    if _PLAIN.fullmatch(raw) and decimal_places == DECIMAL_PLACES:
        # the common case ("2000", "7500,50", "12.5"): one reading in both languages; skip the full reader
        # (length first: quantizing more digits than the decimal precision holds raises InvalidOperation)
        if len(raw.partition(",")[0].partition(".")[0]) <= max_digits - decimal_places:
            return Decimal(raw.replace(",", ".")).quantize(CENT)
    cleaned = _SPACES.sub(" ", raw).strip()
    if not cleaned:
        return None
    decimal, group = _separators(language)
    body = _CURRENCY.sub("", cleaned).strip()
    negative = False
    if body[:1] in ("-", "−"):
        negative, body = True, body[1:].strip()
        body = _CURRENCY.sub("", body).strip()
    # spaces may group thousands ("1 250 000,50"); treat them as the language's group separator
    if " " in body:
        if not re.fullmatch(r"\d{1,3}(?: \d{3})+(?:[.,]\S*)?", body):
            raise _malformed(raw.strip(), language)
        body = body.replace(" ", group) if group not in body else body.replace(" ", "")
    if not body or not re.fullmatch(r"[0-9.,-]+", body):
        raise _malformed(raw.strip(), language)
    separators = [c for c in body if c in ".,"]
    if len(separators) == 1:
        head, tail = body.split(separators[0])
        if len(tail) == 3 and tail.isdigit() and head.strip("0") == "":
            # "0.105" / "0,105": 105 with a thousands separator, or 0,105 with three decimals — never guess
            raise ValidationError(
                _(
                    "‘%(text)s’ is niet eenduidig: het kan %(thousands)s betekenen of 0%(sep)s%(fraction)s euro "
                    "(drie decimalen). Schrijf het bedrag zonder scheidingsteken voor duizendtallen en met "
                    "hoogstens twee decimalen, bijvoorbeeld %(example)s."
                )
                % {
                    "text": raw.strip(),
                    "thousands": format_amount(Decimal(tail), language=language),
                    "sep": decimal,
                    "fraction": tail,
                    "example": format_amount_input(Decimal(tail), language=language),
                },
                code="ambiguous",
            )
    parts = _read(body, decimal, group)
    if parts is None:
        other_decimal, other_group = group, decimal
        other = _read(body, other_decimal, other_group)
        hint = ""
        if other is not None and (other[1] == "" or len(other[1]) <= decimal_places):
            understood = Decimal(f"{other[0]}.{other[1] or '0'}")
            hint = _("Bedoelt u %(amount)s? Schrijf dat als %(typed)s.") % {
                "amount": format_amount(understood, language=language),
                "typed": format_amount_input(understood, language=language),
            }
        raise _malformed(raw.strip(), language, hint)
    integer, fraction = parts
    if len(fraction) > decimal_places:
        raise _too_many_decimals(raw.strip(), Decimal(f"{integer}.{fraction}"), decimal_places, language)
    value = Decimal(f"{'-' if negative else ''}{integer}.{fraction or '0'}")
    return _checked(value, raw.strip(), language, allow_negative, max_digits, decimal_places)


def parse_number(
    text: Any, *, language: str | None = None, decimal_places: int = 4, max_digits: int = 18
) -> Decimal | None:
    """A quantity (a milestone's baseline or target) in the notation of the interface language, read with the same
    separators as amounts: "1.500" is 1500 in Dutch, "12,5" is 12.5; negative values allowed. Empty → None.
    A JSON number (int/float from the API) keeps its machine reading. Raises ValidationError otherwise."""
    if text is None or isinstance(text, Decimal):
        return text
    shown = str(text).strip()

    def refused() -> ValidationError:
        return ValidationError(
            _("‘%(text)s’ is geen getal. Schrijf het bijvoorbeeld als %(example)s (hoogstens %(places)s decimalen).")
            % {"text": shown, "example": "1,250.5" if is_english(language) else "1.250,5", "places": decimal_places},
            code="invalid",
        )

    if isinstance(text, bool):
        raise refused()
    if isinstance(text, int | float):
        value = Decimal(str(text))
        if not value.is_finite() or value.as_tuple().exponent < -decimal_places:
            raise refused()
    else:
        raw = _SPACES.sub("", str(text))
        if not raw:
            return None
        decimal, group = _separators(language)
        negative = raw[:1] in ("-", "−")
        body = raw[1:] if negative else raw
        parts = _read(body, decimal, group) if re.fullmatch(r"[0-9.,]+", body) else None
        if parts is None and body.count(group) == 1 and decimal not in body:
            # "165.0001" in Dutch: one group separator not followed by exactly three digits can only be a
            # decimal point (as "12.5" for amounts); "1.500" stays 1500
            head, tail = body.split(group)
            if head.isdigit() and tail.isdigit() and len(tail) != 3:
                parts = head, tail
        if parts is None or len(parts[1]) > decimal_places:
            raise refused()
        value = Decimal(f"{'-' if negative else ''}{parts[0]}.{parts[1] or '0'}")
    if abs(value) >= Decimal(10) ** (max_digits - decimal_places):
        raise ValidationError(_("‘%(text)s’ is te groot.") % {"text": shown}, code="max_digits")
    return value


def _too_many_decimals(text: str, value: Decimal, decimal_places: int, language: str | None) -> ValidationError:
    places = max(-value.as_tuple().exponent, decimal_places + 1)
    return ValidationError(
        _(
            "‘%(text)s’ heeft meer dan twee decimalen (gelezen als %(understood)s); rond af op hele centen, "
            "bijvoorbeeld %(example)s."
        )
        % {
            "text": text,
            "understood": format_number(value, decimals=places, language=language),
            "example": format_amount_input(value, language=language),
        },
        code="max_decimal_places",
    )


def _checked(
    value: Decimal, text: str, language: str | None, allow_negative: bool, max_digits: int, decimal_places: int
) -> Decimal:
    if not value.is_finite():
        raise _malformed(text, language)
    if value < 0 and not allow_negative:
        raise ValidationError(
            _("‘%(text)s’ is negatief; vul een bedrag van 0 of meer in.") % {"text": text}, code="min_value"
        )
    too_big = ValidationError(
        _("‘%(text)s’ is te groot: hoogstens %(digits)s cijfers vóór de komma.")
        % {"text": text, "digits": max_digits - decimal_places},
        code="max_digits",
    )
    if abs(value) >= Decimal(10) ** (max_digits - decimal_places):
        raise too_big  # before rounding: quantizing a huge number (1e40) exceeds the decimal precision
    quantum = Decimal(1).scaleb(-decimal_places)
    if abs(value) >= Decimal(10) ** (max_digits - decimal_places):  # before quantize: 1e244 cannot be quantized
        raise ValidationError(
            _("‘%(text)s’ is te groot: hoogstens %(digits)s cijfers vóór de komma.")
            % {"text": text, "digits": max_digits - decimal_places},
            code="max_digits",
        )
    if value != value.quantize(quantum, rounding=ROUND_DOWN):
        raise _too_many_decimals(text, value, decimal_places, language)
    value = value.quantize(quantum)
    if len(value.as_tuple().digits) > max_digits:
        raise too_big
    return value


def amount_problem(amount: Any, *, what: str, maximum: Decimal = MAX_LINE_AMOUNT) -> str | None:
    """The one rule for a stored amount, whatever door it came through: a finite number, 0 or more, whole cents,
    at most ``maximum`` (€ 10 billion a line). Returns the problem as a sentence naming ``what``, or None."""
    if not isinstance(amount, Decimal):
        try:
            amount = Decimal(str(amount))
        except InvalidOperation:
            amount = None
    if amount is None or not amount.is_finite():
        return _("%(what)s is geen geldig bedrag; vul een bedrag in euro's in, bijvoorbeeld 125000,50.") % {
            "what": what
        }
    if amount < 0:
        return _("%(what)s is negatief; vul een bedrag van 0 of meer in.") % {"what": what}
    if amount > maximum:  # before quantize: a huge number cannot be quantized
        return _("%(what)s is hoger dan het maximum van %(maximum)s; controleer het bedrag.") % {
            "what": what,
            "maximum": _("€ 10 miljard per regel") if maximum == MAX_LINE_AMOUNT else format_amount(maximum),
        }
    if amount != amount.quantize(CENT, rounding=ROUND_DOWN):
        return _("%(what)s heeft meer dan twee decimalen; rond af op hele centen.") % {"what": what}
    if amount > maximum:
        return _("%(what)s is hoger dan het maximum van %(maximum)s; controleer het bedrag.") % {
            "what": what,
            "maximum": _("€ 10 miljard per regel") if maximum == MAX_LINE_AMOUNT else format_amount(maximum),
        }
    return None


def parse_api_amount(value: Any, *, language: str | None = None, allow_negative: bool = False) -> Decimal | None:
    """The API rule: a JSON number, a machine string ("1250000.50": digits, at most one "." as decimal point,
    no grouping), or any other string as a person of the active language writes it ("1.250.000,50")."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Een bedrag is een getal, geen ja/nee."), code="invalid")
    if isinstance(value, int):
        value = Decimal(value)
    elif isinstance(value, float):
        value = Decimal(repr(value))  # the shortest text that reads back as the JSON number
    if isinstance(value, Decimal):
        return _checked(value, str(value), language, allow_negative, MAX_DIGITS, DECIMAL_PLACES)
    text = str(value).strip()
    if _MACHINE.fullmatch(text):
        if "." in text and len(text.split(".")[1]) > DECIMAL_PLACES:
            error = _too_many_decimals(text, Decimal(text), DECIMAL_PLACES, language)
            if len(text.split(".")[1]) == 3:
                grouped = Decimal(text.replace(".", "").lstrip("-") or "0")
                error = ValidationError(
                    _(
                        "%(message)s In de API is de punt het decimaalteken; bedoelt u %(amount)s, stuur dan "
                        "%(plain)s (of als JSON-getal)."
                    )
                    % {
                        "message": error.messages[0],
                        "amount": format_amount(grouped, language=language),
                        "plain": f"{grouped}",
                    },
                    code="max_decimal_places",
                )
            raise error
        return _checked(Decimal(text), text, language, allow_negative, MAX_DIGITS, DECIMAL_PLACES)
    return parse_amount(text, language=language, allow_negative=allow_negative)


# --- writing ------------------------------------------------------------------------------------------
def to_decimal(value: Any) -> Decimal | None:
    """Accept Decimal, int, str (as stored in document data) or None; never float arithmetic."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def format_number(value: Any, decimals: int = 0, *, language: str | None = None, rounding=ROUND_HALF_UP) -> str:
    """1234567.891 → "1.234.567,89" (decimals=2; English "1,234,567.89"). Empty string for None."""
    number = to_decimal(value)
    if number is None:
        return ""
    number = number.quantize(Decimal(1).scaleb(-decimals), rounding=rounding)
    sign = "-" if number < 0 else ""
    text = f"{abs(number):,.{decimals}f}"  # 1,234,567.89
    if not is_english(language):
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"{sign}{text}"


def format_quantity(value: Any, *, language: str | None = None) -> str:
    """A measured value as people read it, no trailing zeros: Decimal("120000.0000") → "120.000",
    Decimal("0.5000") → "0,5" (English "120,000" / "0.5"). Empty string for None."""
    number = to_decimal(value)
    if number is None:
        return ""
    exponent = number.normalize().as_tuple().exponent
    return format_number(number, max(0, -exponent) if isinstance(exponent, int) else 0, language=language)


def format_amount(value: Any, *, language: str | None = None, decimals: int = 2, empty: str = DASH) -> str:
    """Decimal("1250000.5") → "€ 1.250.000,50" (English "€1,250,000.50"); negative "€ -1.234,00" / "-€1,234.00";
    None → "–"."""
    text = format_number(value, decimals, language=language)
    if not text:
        return empty
    if is_english(language):
        return f"-€{text[1:]}" if text.startswith("-") else f"€{text}"
    return f"€ {text}"


def format_amount_input(value: Any, *, language: str | None = None) -> str:
    """What a money input shows: "1250000,50" (English "1250000.50"); the parser reads it back unchanged."""
    number = to_decimal(value)
    if number is None:
        return ""
    text = f"{number.quantize(CENT, rounding=ROUND_HALF_UP):f}"
    return text if is_english(language) else text.replace(".", ",")


def format_number_input(value: Any, *, language: str | None = None) -> str:
    """What a quantity input shows: "12,5" (English "12.5"), no grouping, no trailing zeros."""
    number = to_decimal(value)
    if number is None:
        return ""
    text = f"{number.normalize():f}"
    return text if is_english(language) else text.replace(".", ",")


def format_api_amount(value: Any) -> str | None:
    """How the API writes an amount: a string with two decimals and "." as decimal point ("1250000.50")."""
    number = to_decimal(value)
    return None if number is None else f"{number.quantize(CENT, rounding=ROUND_HALF_UP):f}"


def format_csv_decimal(value: Decimal, *, decimal_comma: bool = False, places: int | None = 2) -> str:
    """A number cell of a CSV export: no grouping, "." (or "," for the Dutch Excel dialect) as decimal separator;
    ``places=None`` keeps the stored precision."""
    text = f"{value:.{places}f}" if places is not None else f"{value:f}"
    return text.replace(".", ",") if decimal_comma else text


def format_ratio_number(value: Any, *, language: str | None = None) -> str:
    """The number of a co-financing ratio, 0.996 → "0,99": rounded down, so a ratio just under the 1 : 1 bar never
    reads as "1,00". For messages whose text already says ": 1"; None → "–"."""
    return format_number(value, 2, language=language, rounding=ROUND_DOWN) or DASH


def format_ratio(value: Any, *, language: str | None = None) -> str:
    """Co-financing ratio 0.96 → "0,96 : 1" (English "0.96 : 1"); None (no Rijk contribution) → "–"."""
    text = format_ratio_number(value, language=language)
    return DASH if text == DASH else f"{text} : 1"


def format_percent(value: Any, decimals: int = 1, *, language: str | None = None) -> str:
    """20 → "20,0 %" (English "20.0%"); None → "–"."""
    text = format_number(value, decimals, language=language)
    if not text:
        return DASH
    return f"{text}%" if is_english(language) else f"{text}\u00a0%"


def format_compact_amount(value: Any, *, language: str | None = None) -> str:
    """For chart labels: € 12,7 mln / € 1,2 mld / € 950.000."""
    number = to_decimal(value)
    if number is None:
        return ""
    for size, label in ((Decimal("1000000000"), _("mld")), (Decimal("1000000"), _("mln"))):
        if abs(number) >= size:
            return f"{format_amount(number / size, language=language, decimals=1)} {label}"
    return format_amount(number, language=language, decimals=0)


# --- fields: the form and serializer fields live in money_fields and are part of this module's interface ---
from kansenagenda.money_fields import MoneyField, MoneyInput, MoneySerializerField  # noqa: E402, F401
