"""Each fault a rule author can make, and what the engine says about it.

One invalid file per fault lives in ``tests/fixtures/invalid/`` (as OpenFisca keeps
its parameter-validation fixtures); the table below is the specification of the
error each must raise: its message key, the line it points at, and words that must
appear in the Vietnamese and the English text.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from criteria_engine.errors import ExpressionError, RuleFileError
from criteria_engine.library import RuleLibrary, load_rule
from criteria_engine.rules import parse_rule_file
from tests.common import FIXTURES

INVALID = FIXTURES / "invalid"

#: fixture, message key, line, words in the Vietnamese text, words in the English text
FAULTS = [
    ("yaml-syntax", "yaml.syntax", 16, "YAML sai cú pháp", "malformed YAML"),
    ("not-mapping", "rule.not_mapping", 1, "ánh xạ YAML", "must be a YAML mapping"),
    ("unknown-key", "rule.unknown_key", 4, "khoá 'description' không có trong định dạng",
     "allowed keys: achievements, award_basis, criteria, decision, effective, id,"),
    ("missing-key", "rule.missing_key", 2, "thiếu khoá bắt buộc 'kind'",
     "required key 'kind' is missing"),
    ("duplicate-criterion", "rule.duplicate_criterion", 34, "'xep_loai' bị trùng (đã có ở dòng 30)",
     "'xep_loai' is used twice (first on line 30)"),
    ("gate-with-points", "rule.gate_with_points", 38, "vừa là điều kiện bắt buộc",
     "is both a gate and scored"),
    ("neither-gate-nor-points", "rule.neither_gate_nor_points", 34, "thêm 'gate: true'",
     "neither a gate nor scored; add 'gate: true' or 'points: N'"),
    ("expr-syntax", "expr.syntax", 36, "không đúng cú pháp", "does not parse"),
    ("undeclared-name", "expr.unknown_name", 36, "có phải ý bạn là 'score'?",
     "'scor' is not a declared input or param; did you mean 'score'?"),
    ("enum-value", "expr.enum_value", 36, "có phải ý bạn là 'hoan_thanh_xuat_sac'?",
     "'hoan_thanh_xuat_sach' is not a value of 'rating'"),
    ("enum-order", "expr.enum_order", 36, "không so sánh lớn/nhỏ với 'rating'",
     "compare it with == or in [..]"),
    ("threshold-below-min", "expr.out_of_range", 36, "ngưỡng -5 nằm ngoài miền",
     "threshold -5 is outside the declared range of 'beneficiaries' (0 to +∞)"),
    ("threshold-above-max", "expr.out_of_range", 36, "ngưỡng 101 nằm ngoài miền",
     "threshold 101 is outside the declared range of 'score' (0 to 100)"),
    ("attribute", "expr.construct", 36, "'score.__class__' không thuộc ngôn ngữ",
     "'score.__class__' is not part of the expression language"),
    ("subscript", "expr.construct", 36, "'score[0]' không thuộc ngôn ngữ",
     "'score[0]' is not part of the expression language"),
    ("call-open", "expr.unknown_function", 36, "hàm 'open' không được phép",
     "function 'open' is not allowed; use only min(), max(), abs()"),
    ("call-import", "expr.unknown_function", 36, "hàm '__import__' không được phép",
     "function '__import__' is not allowed"),
    ("lambda", "expr.construct", 36, "'lambda s: s >= 85' không thuộc",
     "'lambda s: s >= 85' is not part of the expression language"),
    ("comprehension", "expr.construct", 36, "không thuộc ngôn ngữ biểu thức",
     "'[s >= 85 for s in [score]]' is not part of the expression language"),
    ("private-name", "expr.private_name", 36, "tên '_score' bắt đầu bằng '_'",
     "names starting with '_' are not allowed ('_score')"),
    ("huge-power", "expr.power", 36, "số mũ phải là số nguyên cụ thể từ 0 đến 8",
     "exponent must be a literal whole number from 0 to 8"),
    ("modulo", "expr.construct", 36, "'beneficiaries % 2' không thuộc",
     "'beneficiaries % 2' is not part of the expression language"),
    ("floor-division", "expr.construct", 36, "'beneficiaries // 2' không thuộc",
     "'beneficiaries // 2' is not part of the expression language"),
    ("not-boolean", "expr.not_boolean", 36, "tiêu chí phải là một điều kiện đúng/sai",
     "must be a true/false condition; this expression gives number"),
    ("type-mismatch", "expr.type", 36, "+ cần number nhưng nhận boolean",
     "+ needs number but got boolean"),
    ("version-number", "rule.model", 3, "đặt trong dấu nháy nếu là số",
     "expected text (quote it if it looks like a number, e.g. \"2024.1\")"),
    ("range-inverted", "rule.range_inverted", 23, "min (100) lớn hơn max (0)",
     "'score': min (100) is greater than max (0)"),
    ("effective-inverted", "rule.effective_inverted", 10, "trước ngày có hiệu lực",
     "the end date (2023-12-31) is before the start date (2024-01-01)"),
    ("name-clash", "rule.name_clash", 14, "vừa là tham số vừa là dữ kiện đầu vào",
     "'score' is both a param and an input; rename one"),
]


@pytest.mark.parametrize(("fixture", "key", "line", "vi", "en"), FAULTS,
                         ids=[fault[0] for fault in FAULTS])
def test_invalid_rule_file_is_refused_with_place_and_words(
        fixture: str, key: str, line: int, vi: str, en: str) -> None:
    path = INVALID / f"{fixture}.yaml"
    with pytest.raises(RuleFileError) as caught:
        load_rule(path)
    error = caught.value
    assert error.key == key
    assert isinstance(error, ExpressionError) == key.startswith("expr.")
    assert error.where.path == str(path)
    assert error.where.line == line
    assert error.more == [], "each fixture holds exactly one fault"
    assert vi in error.render("vi")
    assert en in error.render("en")
    assert error.render("en").startswith(f"{path}:{line}")


def test_every_invalid_fixture_has_its_expected_error() -> None:
    on_disk = {path.stem for path in INVALID.glob("*.yaml")}
    assert on_disk == {fault[0] for fault in FAULTS}


def test_invalid_fixtures_are_reported_together_by_the_library() -> None:
    library = RuleLibrary.load([INVALID])
    assert library.all() == []
    assert sorted(Path(p.where.path or "").stem for p in library.problems) == sorted(
        fault[0] for fault in FAULTS)


def test_yaml_syntax_error_shows_numbered_lines_and_a_caret() -> None:
    with pytest.raises(RuleFileError) as caught:
        load_rule(INVALID / "yaml-syntax.yaml")
    assert caught.value.where.column == 10
    assert "   16 |     label: Xếp loại chất lượng\n      |          ^" in caught.value.render("en")


def test_expression_errors_name_the_criterion_field() -> None:
    with pytest.raises(ExpressionError) as caught:
        load_rule(INVALID / "undeclared-name.yaml")
    assert caught.value.where.field == "criteria[1].expr"
    assert "field 'criteria[1].expr'" in caught.value.render("en")
    assert "trường 'criteria[1].expr'" in caught.value.render("vi")


def test_all_faults_of_one_file_are_reported_at_once(tmp_path: Path) -> None:
    text = (INVALID / "undeclared-name.yaml").read_text(encoding="utf-8")
    text = text.replace('expr: rating == "hoan_thanh_xuat_sac"', "expr: rating > 1")
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExpressionError) as caught:
        load_rule(path)
    assert [caught.value.key, *(p.key for p in caught.value.more)] == [
        "expr.enum_order", "expr.unknown_name"]
    assert len(caught.value.render("en").splitlines()) == 2


def test_misspelt_key_reports_the_missing_and_the_unknown_key(tmp_path: Path) -> None:
    text = (INVALID / "unknown-key.yaml").read_text(encoding="utf-8")
    path = tmp_path / "titel.yaml"
    path.write_text(text.replace("description: Khoá này không có trong định dạng\n", "")
                    .replace("title:", "titel:"), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rule(path)
    problems = [caught.value, *caught.value.more]
    assert [(p.key, p.where.field) for p in problems] == [
        ("rule.missing_key", "title"), ("rule.unknown_key", "titel")]


def test_unknown_key_is_reported_whatever_its_case(tmp_path: Path) -> None:
    text = (INVALID / "unknown-key.yaml").read_text(encoding="utf-8")
    path = tmp_path / "upper.yaml"
    path.write_text(text.replace("description:", "Description:"), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rule(path)
    assert (caught.value.key, caught.value.where.line) == ("rule.unknown_key", 4)
    assert "unknown key 'Description'" in caught.value.render("en")


@pytest.mark.parametrize(("value", "words"), [
    ("2024-13-45", "month must be in 1..12"),
    ("1" * 5000, "4300 digits"),
])
def test_a_value_yaml_cannot_construct_is_a_syntax_error_at_its_line(
        tmp_path: Path, value: str, words: str) -> None:
    text = (INVALID / "unknown-key.yaml").read_text(encoding="utf-8")
    path = tmp_path / "value.yaml"
    path.write_text(text.replace("from: 2024-01-01", f"from: {value}"), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rule(path)
    assert (caught.value.key, caught.value.where.line) == ("yaml.syntax", 10)
    assert words in caught.value.render("en")


def test_control_character_is_a_syntax_error_at_its_line(tmp_path: Path) -> None:
    text = (INVALID / "unknown-key.yaml").read_text(encoding="utf-8")
    path = tmp_path / "control.yaml"
    path.write_text(text.replace("title: Quy tắc", "title: Quy\x1a tắc"), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rule(path)
    assert (caught.value.key, caught.value.where.line, caught.value.where.column) == (
        "yaml.syntax", 5, 11)
    assert "#x001a" in caught.value.render("en")


def test_file_that_is_not_utf8_names_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: mau\nversion: \"2024.1\"\ntitle: Cà phê\n".encode("latin-1"))
    with pytest.raises(RuleFileError) as caught:
        load_rule(path)
    error = caught.value
    assert (error.key, error.where.line) == ("file.not_utf8", 3)
    assert "không phải UTF-8 (byte lỗi ở dòng 3)" in error.render("vi")
    assert "not UTF-8 (bad byte on line 3); save it again as UTF-8" in error.render("en")


def test_missing_rule_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError) as caught:
        load_rule(tmp_path / "absent.yaml")
    assert caught.value.key == "file.not_found"
    assert "check the path" in caught.value.render("en")


def test_nfd_text_loads_as_nfc_with_a_warning_per_line(tmp_path: Path) -> None:
    text = (INVALID / "unknown-key.yaml").read_text(encoding="utf-8")
    text = text.replace("description: Khoá này không có trong định dạng\n", "")
    lines = text.splitlines(keepends=True)
    lines[3] = unicodedata.normalize("NFD", lines[3])
    assert lines[3].startswith("title: Quy ta")
    path = tmp_path / "nfd.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    source = parse_rule_file(path)
    assert source.model.title == "Quy tắc mẫu có lỗi"
    assert [(w.key, w.where.line) for w in source.warnings] == [("file.nfd", 4)]
    assert "NFD" in source.warnings[0].render("vi")
    assert "normalised to NFC" in source.warnings[0].render("en")
    assert source.source.raw == path.read_bytes()


def test_library_collects_nfd_warnings_without_refusing_the_rule(tmp_path: Path) -> None:
    folder = tmp_path / "mau-loi"
    folder.mkdir()
    text = (INVALID / "unknown-key.yaml").read_text(encoding="utf-8")
    text = text.replace("description: Khoá này không có trong định dạng\n", "")
    (folder / "2024.1.yaml").write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    library = RuleLibrary.load([tmp_path])
    assert library.problems == []
    assert [rule.id for rule in library.all()] == ["mau-loi"]
    assert {w.key for w in library.warnings} == {"file.nfd"}


# --- the column of an expression error points into the expression ------------------------

_SCALARS = {
    "plain": "    expr: score >= 0 and score >= 101\n",
    "single-quoted": "    expr: 'score >= 0 and score >= 101'\n",
    "double-quoted": '    expr: "score >= 0 and score >= 101"\n',
    "literal-block": "    expr: |\n      (score >= 0 and\n        score >= 101)\n",
    "literal-block-strip": "    expr: |-\n        score >= 0 and score >= 101\n",
    "folded-block": "    expr: >\n      score >= 0 and\n      score >= 101\n",
    "plain-two-lines": "    expr: score >= 0 and\n      score >= 101\n",
    "vietnamese-before": '    expr: score >= 0 and "Điểm" != "" and score >= 101\n',
}


@pytest.mark.parametrize("style", list(_SCALARS))
def test_expression_error_column_points_at_the_fault(tmp_path: Path, style: str) -> None:
    text = (INVALID / "threshold-above-max.yaml").read_text(encoding="utf-8")
    text = text.replace("    expr: score >= 101\n", _SCALARS[style])
    path = tmp_path / f"{style}.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExpressionError) as caught:
        load_rule(path)
    where = caught.value.where
    assert caught.value.key == "expr.out_of_range"
    line = text.splitlines()[(where.line or 0) - 1]
    assert line[(where.column or 0) - 1:].startswith("101"), (style, where)


def test_mapping_used_as_a_key_is_a_syntax_error_at_its_line(tmp_path: Path) -> None:
    text = (INVALID / "unknown-key.yaml").read_text(encoding="utf-8")
    path = tmp_path / "complex-key.yaml"
    path.write_text(text.replace("description: Khoá này không có trong định dạng\n",
                                 "? {a: {b: 1}}\n: 2\n"), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rule(path)
    assert (caught.value.key, caught.value.where.line) == ("yaml.syntax", 4)
    assert "found unhashable key" in caught.value.render("en")
