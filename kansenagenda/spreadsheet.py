"""One rule for every CSV/XLSX export: text a spreadsheet would run as a formula is neutralised; one CSV writer."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.functional import Promise

from kansenagenda import money

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix text that starts like a formula with an apostrophe (CSV/formula injection); numbers stay numbers."""
    if isinstance(value, Promise):  # lazy translations
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_bytes(headers, rows, *, semicolon: bool = False, places: int | None = 2) -> bytes:
    """THE CSV writer of every export: UTF-8 with a byte-order mark (so Excel recognises it), CRLF lines, every
    text cell neutralised; numbers (Decimal) without grouping, "." as decimal separator — or, with ``semicolon``,
    the Dutch Excel dialect: ``;`` between fields and a decimal comma. ``places=None`` keeps a Decimal's
    stored precision (milestone values); ``None`` cells are empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if semicolon else ",", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([_cell(value, semicolon, places) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell(value, semicolon: bool, places: int | None):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return money.format_csv_decimal(value, decimal_comma=semicolon, places=places)
    return neutralise(value)


def csv_response(headers, rows, *, filename: str, semicolon: bool = False, places: int | None = 2):
    """An HTTP download of ``csv_bytes`` (``Content-Disposition: attachment``)."""
    response = HttpResponse(
        csv_bytes(headers, rows, semicolon=semicolon, places=places), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
