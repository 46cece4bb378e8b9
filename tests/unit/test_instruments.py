"""Citations of instruments that are not in force for a rule's dates are warned of.

Nghị định 98/2023/NĐ-CP was in force 2024-01-01 … 2025-06-30; Nghị định 152/2025/NĐ-CP
replaced it on 2025-07-01 ("có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025"; NĐ 98/2023
"hết hiệu lực kể từ ngày Nghị định này có hiệu lực", Điều 59). A rule for 2026 citing NĐ 98
gives a council a confident citation of a dead decree: ``tdkt validate`` says so, as a
warning (the rule still evaluates), at the citation's line.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from criteria_engine import RuleLibrary
from criteria_engine.instruments import INSTRUMENTS, find_instrument
from tests.common import FIXTURES
from tests.unit.test_supersession import RULE, library, rule_text

ND98 = "Nghị định số 98/2023/NĐ-CP"
ND152 = "Nghị định số 152/2025/NĐ-CP"
LAPSED = FIXTURES / "instruments"


@pytest.mark.parametrize(("text", "symbol"), [
    ("Nghị định số 98/2023/NĐ-CP", "98/2023/NĐ-CP"),
    ("Nghị định 98/2023/ND-CP của Chính phủ", "98/2023/NĐ-CP"),  # no diacritics
    ("nghị định số 152/2025/nđ-cp", "152/2025/NĐ-CP"),
    ("Luật Thi đua, khen thưởng số 06/2022/QH15", "06/2022/QH15"),
    ("Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị", "01-KL/TW"),
    ("Quyết định số 86/2025/QĐ-UBND của UBND tỉnh Bắc Ninh", "86/2025/QĐ-UBND"),
])
def test_an_instrument_is_found_by_its_number_and_symbol(text: str, symbol: str) -> None:
    found = find_instrument(text)
    assert found is not None and found.symbol == symbol


@pytest.mark.parametrize("text", [
    "Nghị định số 198/2023/NĐ-CP",       # another decree
    "Nghị định số 98/2023/NĐ-CPX",
    "Quyết định số 86/2025/QĐ-UBND của UBND tỉnh Lạng Sơn",  # every province numbers its own
    "Quy định về công tác thi đua, khen thưởng của Ủy ban nhân dân tỉnh Bắc Giang",
])
def test_other_instruments_are_not_mistaken_for_a_known_one(text: str) -> None:
    assert find_instrument(text) is None


def test_a_provincial_instrument_is_matched_by_the_rules_jurisdiction_too() -> None:
    assert find_instrument("Quyết định số 86/2025/QĐ-UBND", "Bắc Ninh") is not None
    assert find_instrument("Quyết định số 86/2025/QĐ-UBND") is None


def test_the_table_holds_the_dates_of_the_law_review() -> None:
    dates = {i.symbol: (i.start, i.end) for i in INSTRUMENTS}
    assert dates["98/2023/NĐ-CP"] == (date(2024, 1, 1), date(2025, 6, 30))
    assert dates["152/2025/NĐ-CP"] == (date(2025, 7, 1), None)
    assert dates["129/2025/NĐ-CP"] == (date(2025, 7, 1), None)
    assert dates["06/2022/QH15"] == (date(2024, 1, 1), None)
    assert dates["91/2017/NĐ-CP"][1] == date(2023, 12, 31)
    assert dates["86/2025/QĐ-UBND"] == (date(2025, 12, 15), None)
    assert dates["13/2024/QĐ-UBND"] == (None, date(2025, 12, 14))  # start unverified
    assert all(i.source for i in INSTRUMENTS)


def test_validate_warns_of_a_2026_rule_citing_nd_98_and_exits_0() -> None:
    """The issue's "Done means": the warning fires on a test file citing NĐ 98 for 2026."""
    result = CliRunner().invoke(main, ["validate", str(LAPSED), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert ("cites-nd-98/2026.1.yaml:17:17, field 'legal_basis[1].instrument': "
            f"{ND98} lapsed after 2025-06-30 but this version applies from 2026-01-01; "
            f"add a new version citing {ND152}") in result.output
    vi = CliRunner().invoke(main, ["validate", str(LAPSED)])
    assert vi.exit_code == 0
    assert f"Cảnh báo: {LAPSED / 'cites-nd-98' / '2026.1.yaml'}:17:17" in vi.output
    assert f"căn cứ {ND98} hết hiệu lực sau 2025-06-30" in vi.output


def test_a_rule_with_no_end_citing_nd_98_is_warned_until_a_successor_ends_it(
        tmp_path: Path) -> None:
    lib = library(tmp_path, rule_text("2024.1", "2024-01-01", instrument=ND98))
    assert [w.key for w in lib.warnings] == ["instrument.lapsed"]
    assert "with no end date" in lib.warnings[0].render("en")
    # the successor's start ends 2024.1 on 2025-06-30, the day NĐ 98 lapsed
    lib = library(tmp_path, rule_text("2025.1", "2025-07-01", instrument=ND152))
    assert lib.warnings == []


def test_an_explicit_end_past_the_instruments_end_is_warned(tmp_path: Path) -> None:
    lib = library(tmp_path, rule_text("2024.1", "2024-01-01", to="2030-12-31", instrument=ND98))
    assert [w.key for w in lib.warnings] == ["instrument.lapsed"]
    assert "until 2030-12-31" in lib.warnings[0].render("en")


def test_a_rule_starting_before_its_instrument_is_warned(tmp_path: Path) -> None:
    lib = library(tmp_path, rule_text("2025.1", "2025-01-01", instrument=ND152))
    assert [w.key for w in lib.warnings] == ["instrument.not_yet"]
    assert lib.warnings[0].render("vi").endswith(
        f"căn cứ {ND152} có hiệu lực từ 2025-07-01 nhưng phiên bản này áp dụng từ 2025-01-01; "
        "cho phiên bản bắt đầu từ 2025-07-01 hoặc dẫn văn bản có hiệu lực khi đó")


def test_a_superseded_version_is_not_warned_of(tmp_path: Path) -> None:
    """It is history: never chosen again, and its file is never edited."""
    lib = library(tmp_path, rule_text("2024.1", "2024-01-01", instrument=ND98),
                  rule_text("2024.2", "2024-01-01", to="2025-06-30", supersedes=["2024.1"],
                            instrument=ND98))
    assert lib.problems == [] and lib.warnings == []


def test_criterion_citations_are_checked_once_per_instrument(tmp_path: Path) -> None:
    text = rule_text("2026.1", "2026-01-01", instrument=ND98).replace(
        "    gate: true\n",
        f"    gate: true\n    cite: {{instrument: {ND98}, article: 4}}\n")
    lib = library(tmp_path, text)
    assert len(lib.warnings) == 1
    assert lib.warnings[0].where.field == "legal_basis[0].instrument"
    lib = RuleLibrary.load([tmp_path / "criteria"])
    assert RULE in lib.rules
