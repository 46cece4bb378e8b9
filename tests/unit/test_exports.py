"""Exports at scale: exact JSON text from cached pieces, and the streaming .xlsx export."""

from __future__ import annotations

import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import simplejson
import xlsxwriter
from openpyxl import load_workbook

from criteria_engine import decision_to_dict, evaluate_file
from criteria_engine.errors import OutputError
from criteria_engine.evaluator import Decision
from criteria_engine.exports import _XLSX_OPTIONS, MAX_ROWS, DecisionExport, _Sheet
from criteria_engine.expressions import DECIMAL_CONTEXT
from criteria_engine.library import choose_rule
from criteria_engine.report import decision_to_json
from tests.common import CRITERIA, EXAMPLES


def _decisions(rule: str) -> list[Decision]:
    choose, _ = choose_rule(rule, CRITERIA)
    return evaluate_file(EXAMPLES / f"{rule}.json", choose).decisions


def _exact(text: str) -> object:
    return json.loads(text, parse_float=Decimal)


def test_decision_to_json_is_decision_to_dict_on_every_example() -> None:
    for path in sorted(EXAMPLES.glob("*.json")):
        rule = re.sub(r"-[0-9]{4}$", "", path.stem)  # <rule-id>-<year>.json: a later period
        choose, _ = choose_rule(rule, CRITERIA)
        for decision in evaluate_file(path, choose).decisions:
            for lang in ("vi", "en"):
                expected = simplejson.dumps(decision_to_dict(decision, lang), use_decimal=True)
                assert _exact(decision_to_json(decision, lang)) == _exact(expected)


def test_json_numbers_are_written_digit_for_digit() -> None:
    decision = next(d for d in _decisions("dien-hinh-tien-tien-ca-nhan")
                    if "score_council" in d.facts and d.facts["score_council"] is not None)
    summed = DECIMAL_CONTEXT.add(Decimal("0.1"), Decimal("0.2"))
    facts = {**decision.facts, "score_council": Decimal("88.6")}
    changed = decision._replace(points=summed, facts=facts)
    text = decision_to_json(changed)
    assert '"points":0.3,' in text and '"score_council":88.6' in text
    assert "88.59" not in text and "0.30000000000000004" not in text
    assert _exact(text) == _exact(simplejson.dumps(decision_to_dict(changed), use_decimal=True))


def test_decision_to_dict_hands_out_copies_of_its_cached_parts() -> None:
    decision = _decisions("dien-hinh-tien-tien-ca-nhan")[0]
    first = decision_to_dict(decision)
    first["rule"]["id"] = "changed"
    first["criteria"][0]["cite"][0]["text"] = "changed"
    second = decision_to_dict(decision)
    assert second["rule"]["id"] == "dien-hinh-tien-tien-ca-nhan"
    assert second["criteria"][0]["cite"][0]["text"] != "changed"


def _one_sheet(target: Path, header: list[str], rows: list[list[object]]) -> None:
    """``rows`` written by the export's sheet writer, as DecisionExport writes them."""
    book = xlsxwriter.Workbook(str(target), _XLSX_OPTIONS)
    sheet = _Sheet(book, "Thử", header, max_rows=MAX_ROWS,
                   bold=book.add_format({"bold": True}))
    for row in rows:
        sheet.append(row)
    sheet.finish()
    book.close()


def test_xlsx_text_reads_back_exactly(tmp_path: Path) -> None:
    texts = ["a & <b> \"c\"", "tab\there", "line\nbreak", "bell\x07", "_x0041_ stays",
             " edge spaces ", "Nguyễn Văn Ánh", "Đạt; Chưa đủ dữ liệu", "x" * 40_000]
    target = tmp_path / "t.xlsx"
    _one_sheet(target, ["text", "number"],
               [[text, Decimal("88.6")] for text in texts] + [[None, True]])
    rows = list(load_workbook(target)["Thử"].iter_rows(min_row=2, values_only=True))
    # a control character, and text that looks like one's escape, are written the way
    # Excel reads them back (xlsxwriter's escapes); openpyxl shows the escapes as they are
    excel = {"bell\x07": "bell_x0007_", "_x0041_ stays": "_x005F_x0041_ stays"}
    assert [row[0] for row in rows[:-1]] == [excel.get(t, t) for t in texts[:-1]] + [
        "x" * 32_767]
    assert rows[0][1] == 88.6 and rows[-1] == (None, True)


def test_xlsx_numbers_stay_numbers_written_digit_for_digit(tmp_path: Path) -> None:
    summed = DECIMAL_CONTEXT.add(Decimal("0.1"), Decimal("0.2"))
    target = tmp_path / "t.xlsx"
    _one_sheet(target, ["a", "b", "c", "d"], [[summed, Decimal("88.6"), 7, "-5"]])
    sheet = load_workbook(target)["Thử"]
    assert [cell.value for cell in sheet[2]] == [0.3, 88.6, 7, "'-5"]
    assert [cell.data_type for cell in sheet[2]] == ["n", "n", "n", "s"]
    with zipfile.ZipFile(target) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<v>0.3</v>" in xml and "<v>88.6</v>" in xml and "0.30000000000000004" not in xml


def test_xlsx_text_starting_with_equals_is_stored_as_text(tmp_path: Path) -> None:
    """OWASP formula injection: the cell is text with a leading quote, never a formula."""
    hostile = ["=1+1", '=HYPERLINK("http://x.example","bấm")', "+1", "@SUM(A1)",
               "http://x.example"]
    target = tmp_path / "t.xlsx"
    _one_sheet(target, ["Họ và tên"] * len(hostile), [hostile])
    cells = load_workbook(target)["Thử"][2]
    assert [cell.data_type for cell in cells] == ["s"] * len(hostile)
    assert [cell.value for cell in cells] == ["'" + h for h in hostile[:4]] + [hostile[4]]
    with zipfile.ZipFile(target) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode("utf-8")
        assert "<f>" not in xml and "hyperlink" not in xml.lower().replace("=hyperlink", "")
        assert not [n for n in package.namelist() if "worksheets/_rels" in n]  # no links


def test_xlsx_header_is_bold_frozen_and_columns_sized(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    _one_sheet(target, ["Mã", "Lý do"], [["BG-0001", "y" * 100]])
    sheet = load_workbook(target)["Thử"]
    assert sheet["A1"].font.b and sheet["B1"].font.b and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width > len("BG-0001")
    assert sheet.column_dimensions["B"].width <= 61  # capped, not 100 wide


def test_sheets_past_excels_row_limit_go_on_in_continuation_sheets(tmp_path: Path) -> None:
    decisions = _decisions("lao-dong-tien-tien")  # 5 decisions, 2 or more criteria each
    rows = sum(len(d.criteria) + len(d.deferral) for d in decisions)
    target = tmp_path / "t.xlsx"
    with DecisionExport(target, max_rows=1 + 4) as export:  # a header and 4 rows a sheet
        for decision in decisions:
            export.add(decision)
    more = [f"Chi tiết tiêu chí ({n})" for n in range(2, -(-rows // 4) + 1)]
    assert len(more) >= 2
    assert export.continued == [("Kết quả", ["Kết quả (2)"]), ("Chi tiết tiêu chí", more)]
    book = load_workbook(target)  # each continuation right after the sheet it continues
    assert book.sheetnames == ["Kết quả", "Kết quả (2)", "Chi tiết tiêu chí", *more,
                               "Hồ sơ lỗi"]
    parts = [book[name] for name in ["Chi tiết tiêu chí", *more]]
    assert [sheet.max_row - 1 for sheet in parts[:-1]] == [4] * len(more)
    assert sum(sheet.max_row - 1 for sheet in parts) == rows
    assert all(sheet["A1"].value == "Mã hồ sơ" and sheet["A1"].font.b for sheet in parts)
    assert [book["Kết quả"].max_row, book["Kết quả (2)"].max_row] == [5, 2]


def test_a_failed_export_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    try:
        with DecisionExport(target) as export:
            export.add(_decisions("lao-dong-tien-tien")[0])
            raise RuntimeError("stopped")
    except RuntimeError:
        pass
    assert list(tmp_path.iterdir()) == []


def test_a_folder_removed_before_closing_is_an_output_error(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    export = DecisionExport(folder / "t.xlsx")
    export.add(_decisions("lao-dong-tien-tien")[0])
    folder.rmdir()
    with pytest.raises(OutputError) as caught:
        export.close()
    assert caught.value.key == "output.not_writable" and caught.value.params["reason"] == "ENOENT"
