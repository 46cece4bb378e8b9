"""safe_cell: text a spreadsheet would run as a formula is neutralised; numbers are not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from criteria_engine.cells import safe_cell


@pytest.mark.parametrize("text", [
    '=HYPERLINK("http://evil.example","Bấm vào đây")', "+84 912 345 678", "-1+2", "@SUM(A1)",
    "\t=1+1", "\r=1+1", "=",
])
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Nguyễn Văn An", "", " =1", "a=b", "'=already", "BG-2024-01",
                                  "84.9"])
def test_other_text_is_unchanged(text: str) -> None:
    assert safe_cell(text) == text


@pytest.mark.parametrize("number", [-5, -0.5, Decimal("-84.9"), 0, None, True])
def test_numbers_and_other_values_are_untouched(number: object) -> None:
    assert safe_cell(number) is number
