"""Spreadsheet cells that stay data: the OWASP rule against formula injection.

A nominee file is written by many hands; a name such as ``=HYPERLINK("http://…")``
must reach the council's spreadsheet as text, not as a live formula. Excel,
LibreOffice and Google Sheets treat a cell that starts with ``=``, ``+``, ``-`` or
``@`` (and, after trimming, a tab or carriage return) as a formula, so every text
cell written to a CSV or xlsx export goes through :func:`safe_cell` (OWASP, "CSV
Injection": prefix such a cell with a single quote)::

    >>> safe_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell("Nguyễn Văn An"), safe_cell(-5), safe_cell("")
    ('Nguyễn Văn An', -5, '')

Numbers (``int``, ``float``, ``Decimal``) are left alone: they are written as
numbers and a negative number is not a formula. Pass a number as a number, not as
its text, or it is neutralised like any other text starting with ``-``. The JSON
exports are not spreadsheets and keep text exactly as it is.
"""

from __future__ import annotations

from typing import TypeVar

__all__ = ["FORMULA_PREFIXES", "safe_cell"]

#: First characters that make a spreadsheet read a text cell as a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

T = TypeVar("T")


def safe_cell(value: T) -> T | str:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
