"""Exports at scale: exact JSON text from cached pieces, and the streaming .xlsx writer."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import simplejson
from openpyxl import load_workbook

from criteria_engine import decision_to_dict, evaluate_file
from criteria_engine._xlsx import Workbook
from criteria_engine.evaluator import Decision
from criteria_engine.exports import DecisionExport
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
        for decision in _decisions(path.stem):
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


def test_xlsx_text_reads_back_exactly(tmp_path: Path) -> None:
    texts = ["a & <b> \"c\"", "tab\there", "line\nbreak", "bell\x07", "_x0041_ stays",
             " edge spaces ", "Nguyễn Văn Ánh", "x" * 40_000]
    target = tmp_path / "t.xlsx"
    with Workbook(target) as book:
        sheet = book.sheet("Thử", ["text", "number"])
        for text in texts:
            sheet.append([text, Decimal("88.6")])
        sheet.append([None, True])
    rows = list(load_workbook(target)["Thử"].iter_rows(min_row=2, values_only=True))
    # a control character, and text that looks like one's escape, are written the way
    # Excel reads them back (as xlsxwriter does); openpyxl shows the escapes as they are
    excel = {"bell\x07": "bell_x0007_", "_x0041_ stays": "_x005F_x0041_ stays"}
    assert [row[0] for row in rows[:-1]] == [excel.get(t, t) for t in texts[:-1]] + [
        "x" * 32_767]
    assert rows[0][1] == 88.6 and rows[-1] == (None, True)


def test_sheets_past_excels_row_limit_go_on_in_continuation_sheets(tmp_path: Path) -> None:
    decisions = _decisions("lao-dong-tien-tien")  # 5 decisions, 3 criteria each
    target = tmp_path / "t.xlsx"
    with DecisionExport(target, max_rows=6) as export:
        for decision in decisions:
            export.add(decision)
    assert export.continued == [("Chi tiết tiêu chí", ["Chi tiết tiêu chí (2)",
                                                       "Chi tiết tiêu chí (3)"])]
    book = load_workbook(target)
    assert book.sheetnames == ["Kết quả", "Chi tiết tiêu chí", "Chi tiết tiêu chí (2)",
                               "Chi tiết tiêu chí (3)", "Hồ sơ lỗi"]
    parts = [book[name] for name in book.sheetnames[1:4]]
    assert sum(sheet.max_row - 1 for sheet in parts) == 15
    assert all(sheet["A1"].value == "Mã hồ sơ" for sheet in parts)


def test_a_failed_export_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    try:
        with DecisionExport(target) as export:
            export.add(_decisions("lao-dong-tien-tien")[0])
            raise RuntimeError("stopped")
    except RuntimeError:
        pass
    assert list(tmp_path.iterdir()) == []
