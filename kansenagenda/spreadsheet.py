"""One rule for every CSV/XLSX export: text a spreadsheet would run as a formula is neutralised."""

from django.utils.functional import Promise

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix text that starts like a formula with an apostrophe (CSV/formula injection); numbers stay numbers."""
    if isinstance(value, Promise):  # lazy translations
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
