"""Each fault a rule author can make, and what the engine says about it.

One invalid file per fault lives in ``tests/fixtures/invalid/`` (as OpenFisca keeps
its parameter-validation fixtures); the table below is the specification of the
error each must raise: its message key, the line it points at, and words that must
appear in the Vietnamese and the English text.
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from criteria_engine.demo import run_demo
from criteria_engine.errors import ExpressionError, RuleFileError
from criteria_engine.library import RuleLibrary, choose_rule, load_rule
from criteria_engine.messages import Bilingual, pydantic_problem
from criteria_engine.rules import MAX_RULE_FILE_BYTES, parse_rule_file
from criteria_engine.sources import yaml_problem
from tests.common import CRITERIA, EXAMPLES, FIXTURES

INVALID = FIXTURES / "invalid"

#: fixture, message key, line, words in the Vietnamese text, words in the English text
FAULTS = [
    ("yaml-syntax", "yaml.syntax", 16, "YAML sai cú pháp", "malformed YAML"),
    ("not-mapping", "rule.not_mapping", 1, "ánh xạ YAML", "must be a YAML mapping"),
    ("unknown-key", "rule.unknown_key", 4, "khoá 'description' không có trong định dạng",
     "allowed keys: achievements, award_basis, cap, criteria, decision, deferral,"),
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
    # habits from spreadsheets and other languages get a hint, never Python's "invalid syntax"
    ("expr-and-and", "expr.syntax", 36, "'&&' không thuộc ngôn ngữ biểu thức; dùng and",
     "'&&' is not part of the expression language; use and"),
    ("expr-or-or", "expr.syntax", 36, "'||' không thuộc ngôn ngữ biểu thức; dùng or",
     "'||' is not part of the expression language; use or"),
    ("expr-assign", "expr.syntax", 36, "'=' là phép gán; để so sánh bằng, dùng ==",
     "'=' assigns; to compare for equality, use =="),
    ("expr-percent", "expr.syntax", 36, "'80%' không phải một số; viết 0.8, hoặc 80",
     "'80%' is not a number; write 0.8, or 80 if the input is declared in percent"),
    ("expr-unclosed", "expr.syntax", 36, "dấu '(' chưa được đóng", "'(' is never closed"),
    ("chained-mixed", "expr.chain_mixed", 36, "nghĩa là 'score > 5 and 5 < 10'",
     "means 'score > 5 and 5 < 10', not a range; write 5 < x < 10 or join with and"),
    # arithmetic that fails whatever the nominee is the rule's fault, found at load
    ("constant-division", "expr.constant_arithmetic", 36,
     "tiêu chí 'diem': phép tính '85 / 0' luôn lỗi (chia cho 0)",
     "criterion 'diem': '85 / 0' can never be computed (division by zero); the rule is at fault"),
    ("divisor-zero", "expr.constant_arithmetic", 36, "'score / (1 - 1)' luôn lỗi (chia cho 0)",
     "'score / (1 - 1)' can never be computed (division by zero)"),
    ("constant-overflow", "expr.constant_arithmetic", 36, "luôn lỗi (kết quả quá lớn)",
     "'10 ** 8 * 1e999999' can never be computed (the result is too large)"),
    ("huge-literal", "expr.number_range", 36, "số 1e999999999 quá lớn để tính toán",
     "the number 1e999999999 is too large to compute with"),
    ("param-too-large", "rule.number_range", 14, "quá lớn để tính toán",
     "the number 1E+9999999 is too large to compute with"),
    # names the expression language cannot use, and texts that would display misleadingly
    ("keyword-input", "rule.keyword_name", 26, "'lambda' là từ khoá của ngôn ngữ biểu thức",
     "'lambda' is a keyword of the expression language and cannot name an input or param"),
    ("keyword-param", "rule.keyword_name", 13, "'class' là từ khoá", "rename it, e.g. 'class_'"),
    ("blank-title", "rule.model", 4, "không được chỉ có khoảng trắng", "must not be only whitespace"),
    ("invisible-character", "rule.model", 31, "ký tự vô hình U+202E",
     "holds a control or invisible character U+202E"),
    # pydantic's, ruamel's and Python's English, said in the catalogue's words
    ("date-as-year", "rule.model", 9, "cần ngày dạng YYYY-MM-DD (ví dụ 2024-01-01), không phải một số",
     "expected a date YYYY-MM-DD (e.g. 2024-01-01), not a number"),
    ("date-month", "yaml.syntax", 9, "tháng phải từ 1 đến 12", "the month must be from 1 to 12"),
    ("name-too-long", "rule.model", 27, "dài quá 64 ký tự", "longer than 64 characters"),
    ("not-a-list", "rule.model", 10, "cần một danh sách", "expected a list"),
    ("yaml-mapping-values", "yaml.syntax", 4, "dấu ':' ở chỗ không được phép",
     "a ':' where none is allowed"),
    ("yaml-tab", "yaml.syntax", 28, "không dùng phím Tab", "YAML indents with spaces, never tabs"),
    # bounds: a hostile file is refused before it can exhaust the stack or the memory
    ("deep-nesting", "yaml.too_deep", 2, "tệp lồng nhau quá 100 tầng",
     "the file nests deeper than 100 levels"),
    ("alias-bomb", "yaml.aliases", 10, "bí danh YAML (*tên) nhân bản quá 100000 phần tử",
     "YAML aliases (*name) expand to more than 100000 extra items"),
]

#: Python's, pydantic's and ruamel's own English sentences, none of which may reach a user.
ENGLISH_ORIGINALS = ("invalid syntax", "should have", "Input should", "Datetimes provided",
                     "month must be", "mapping values are not allowed", "cannot start any token",
                     "was never closed", "InvalidOperation", "set_int_max_str_digits")


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
    assert not [words for words in ENGLISH_ORIGINALS if words in error.render("vi")]


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
    ("2024-13-45", "the month must be from 1 to 12"),
    ("2024-02-30", "that day does not exist in that month"),
    ("1" * 5000, "the number has more than 4300 digits"),
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
    assert not [w for w in ENGLISH_ORIGINALS if w in caught.value.render("vi")]


def test_control_character_is_a_syntax_error_at_its_line(tmp_path: Path) -> None:
    text = (INVALID / "unknown-key.yaml").read_text(encoding="utf-8")
    path = tmp_path / "control.yaml"
    path.write_text(text.replace("title: Quy tắc", "title: Quy\x1a tắc"), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rule(path)
    assert (caught.value.key, caught.value.where.line, caught.value.where.column) == (
        "yaml.syntax", 5, 11)
    assert "#x001a" in caught.value.render("en")
    assert "ký tự điều khiển #x001a không được phép" in caught.value.render("vi")


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
    assert "a key must be a single value" in caught.value.render("en")
    assert "khoá phải là một giá trị đơn" in caught.value.render("vi")


# --- the YAML reader's English, said in the user's language --------------------------------

@pytest.mark.parametrize(("text", "vi", "en"), [
    ("a: 1\n  b: 2\n", "dấu ':' ở chỗ không được phép", "a ':' where none is allowed"),
    ("a: 1\nb\n", "thiếu dấu ':' sau khoá", "a key is missing its ':'"),
    ("x:\n  - a\n  b: 1\n", "thụt lề không khớp", "the indentation does not match"),
    ("a: 'x\n", "tệp kết thúc giữa chừng", "the file ends too early"),
    ("a: {b: 1, c\n", "thiếu '}' hoặc dấu ','", "a '}' or a ',' is missing"),
    ("a: *x\n", "bí danh *x chưa được định nghĩa", "the alias *x is not defined"),
    ("a: 1\na: 2\n", "khoá 'a' xuất hiện hai lần", "the key 'a' appears twice"),
    ('a: "\\q"\n', "không phải ký tự thoát hợp lệ", "is not a valid escape"),
    ("a: 1\n---\nb: 2\n", "chỉ được chứa một tài liệu YAML", "a single YAML document"),
    ("a: `x`\n", "ký tự '`' không được đứng đầu một giá trị", "a value cannot start with '`'"),
    ("a: &\n", "tên neo (&) hoặc bí danh (*) không hợp lệ", "an invalid anchor (&) or alias (*)"),
    ("a: |x\n  t\n", "sau '|' hoặc '>' chỉ được có", "after '|' or '>' only '-', '+' or a digit"),
])
def test_yaml_syntax_problems_are_said_in_the_users_language(
        tmp_path: Path, text: str, vi: str, en: str) -> None:
    path = tmp_path / "syntax.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rule(path)
    assert caught.value.key == "yaml.syntax"
    assert vi in caught.value.render("vi")
    assert en in caught.value.render("en")


@pytest.mark.parametrize(("original", "vi"), [
    ("expected the node content, but found '}'", "thiếu một giá trị trước '}'"),
    ("sequence entries are not allowed here", "gạch đầu dòng '-' ở chỗ không được phép"),
    ("expected a comment or a line break, but found 'e'", "có ký tự thừa sau giá trị"),
    ("found a tab character that violates indentation", "không dùng phím Tab"),
    ("year 0 is out of range", "năm 0 nằm ngoài khoảng 1 đến 9999"),
])
def test_rarer_yaml_problems_are_translated_too(original: str, vi: str) -> None:
    assert vi in yaml_problem(original).texts["vi"]


def test_an_unknown_yaml_problem_keeps_the_original_as_a_quoted_code() -> None:
    problem = yaml_problem("found something nobody has seen before")
    assert problem.texts["vi"] == (
        "lỗi cú pháp YAML (thông báo gốc của bộ đọc: `found something nobody has seen before`)")
    assert problem.texts["en"] == "found something nobody has seen before"


def test_an_unknown_pydantic_problem_is_a_vietnamese_sentence_quoting_the_original() -> None:
    problem = pydantic_problem("rule_value", {"type": "uuid_type", "msg": "UUID input should be"})
    assert isinstance(problem, Bilingual)
    assert problem.texts["vi"] == (
        "giá trị không hợp lệ (mã lỗi `uuid_type`, thông báo gốc: `UUID input should be`)")
    assert problem.texts["en"] == "UUID input should be (uuid_type)"


@pytest.mark.parametrize(("old", "new", "field"), [
    ("id: mau-loi", 'id: "   "', "id"),
    ('version: "2024.1"', 'version: " "', "version"),
    ("  - id: xep_loai", '  - id: "xep\u202eloai"', "criteria[0].id"),
    ("  score:", '  "sco re":', "inputs.sco re"),
])
def test_blank_or_hidden_characters_are_refused_in_identifiers(
        tmp_path: Path, old: str, new: str, field: str) -> None:
    text = (INVALID / "range-inverted.yaml").read_text(encoding="utf-8")
    text = text.replace("min: 100", "min: 0", 1).replace("max: 0", "max: 100", 1)
    path = tmp_path / "ids.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rule(path)
    assert (caught.value.key, caught.value.where.field) == ("rule.model", field)
    assert "không đúng dạng" in caught.value.render("vi")


# --- bounds: sizes, and how much of a user's text is echoed --------------------------------

def test_a_rule_file_past_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * MAX_RULE_FILE_BYTES + b"\n")
    with pytest.raises(RuleFileError) as caught:
        load_rule(path)
    assert caught.value.key == "rule.too_large"
    assert f"larger than {MAX_RULE_FILE_BYTES} bytes" in caught.value.render("en")


def test_an_unknown_key_of_150_000_characters_is_not_echoed_in_full(tmp_path: Path) -> None:
    text = (INVALID / "unknown-key.yaml").read_text(encoding="utf-8")
    path = tmp_path / "long-key.yaml"
    # an explicit key ("? key"), since YAML itself limits a plain key to 1024 characters
    path.write_text(text.replace("description:", "? " + "d" * 150_000 + "\n:"),
                    encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rule(path)
    assert caught.value.key == "rule.unknown_key"
    assert len(caught.value.render("vi")) < 1_000


def test_a_syntax_error_on_a_long_line_shows_a_window_around_the_column(
        tmp_path: Path) -> None:
    path = tmp_path / "one-line.yaml"
    path.write_text("a: [" + "1, " * 20_000 + "}\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rule(path)
    assert caught.value.key == "yaml.syntax"
    excerpt = caught.value.render("en").splitlines()[1:]
    assert all(len(line) < 120 for line in excerpt)
    caret = excerpt[1].index("^")
    assert excerpt[0][caret] == "}"


def test_texts_may_span_lines_but_not_hide_characters(tmp_path: Path) -> None:
    text = (INVALID / "unknown-key.yaml").read_text(encoding="utf-8")
    text = text.replace("description: Khoá này không có trong định dạng\n", "")
    path = tmp_path / "lines.yaml"
    path.write_text(text.replace("title: Quy tắc mẫu có lỗi", 'title: "Quy tắc\\nmẫu"'),
                    encoding="utf-8")
    assert parse_rule_file(path).model.title == "Quy tắc\nmẫu"
    path.write_text(text.replace("title: Quy tắc mẫu có lỗi", 'title: "Quy\\u200btắc"'),
                    encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        parse_rule_file(path)
    assert "U+200B" in caught.value.render("vi")


# --- a version that fails to load is an error wherever its rule id is used ------------------

DHTT = "dien-hinh-tien-tien-ca-nhan"


def _library_with_typo(tmp_path: Path) -> Path:
    """The shipped library plus a 2026.1 of DHTT with one typo (the issue's repro)."""
    root = tmp_path / "criteria"
    shutil.copytree(CRITERIA, root)
    text = (root / DHTT / "2025.1.yaml").read_text(encoding="utf-8")
    text = (text.replace('version: "2025.1"', 'version: "2026.1"', 1)
            .replace("from: 2025-01-01", "from: 2026-01-01", 1)
            .replace("expr: score_council >=", "expr: score_councl >=", 1))
    (root / DHTT / "2026.1.yaml").write_text(text, encoding="utf-8")
    return root


def test_a_broken_version_is_never_skipped_for_another(tmp_path: Path) -> None:
    library = RuleLibrary.load([_library_with_typo(tmp_path)])
    broken = str(tmp_path / "criteria" / DHTT / "2026.1.yaml")
    assert [(b.path, b.rule_ids, b.version) for b in library.broken] == [
        (broken, (DHTT,), "2026.1")]
    for use in (lambda: library.get(DHTT), lambda: library.get(DHTT, "2026.1"),
                lambda: library.get(DHTT, "2025.1"), lambda: library.in_force(DHTT, 2026),
                lambda: library.in_force(DHTT, 2024)):
        with pytest.raises(RuleFileError) as caught:
            use()
        error = caught.value
        assert error.key == "rules.broken"
        assert broken in error.render("vi")
        assert "never falls back to another version" in error.render("en")
        assert [p.key for p in error.more] == ["expr.unknown_name"]
        assert "'score_councl' is not a declared input" in error.render("en")
    assert library.get("lao-dong-tien-tien", "2024.1").version == "2024.1", \
        "other rules stay usable"


@pytest.mark.parametrize("reference", [DHTT, f"{DHTT}@2026.1", f"{DHTT}@2025.1"])
def test_rules_option_with_a_broken_version_fails_before_any_judging(
        tmp_path: Path, reference: str) -> None:
    with pytest.raises(RuleFileError) as caught:
        choose_rule(reference, _library_with_typo(tmp_path))
    assert caught.value.key == "rules.broken"
    assert "2026.1.yaml" in caught.value.render("vi")


def test_a_file_in_the_wrong_folder_breaks_both_ids(tmp_path: Path) -> None:
    root = tmp_path / "criteria"
    shutil.copytree(CRITERIA / "lao-dong-tien-tien", root / "lao-dong-tien-tien")
    (root / "ldtt").mkdir()
    shutil.copy(CRITERIA / "lao-dong-tien-tien" / "2024.1.yaml", root / "ldtt" / "2025.1.yaml")
    library = RuleLibrary.load([root])
    assert [b.rule_ids for b in library.broken] == [("ldtt", "lao-dong-tien-tien")]
    with pytest.raises(RuleFileError):
        library.get("lao-dong-tien-tien")


def test_a_demo_never_judges_samples_with_the_versions_that_did_load(tmp_path: Path) -> None:
    library = RuleLibrary.load([_library_with_typo(tmp_path)])
    runs = run_demo(library, EXAMPLES)
    assert DHTT not in {run.rule.id for run in runs}
    assert "lao-dong-tien-tien" in {run.rule.id for run in runs}


# --- validate holds whatever it is given to the library's layout --------------------------

def test_a_lone_file_is_held_to_its_folder_and_name_as_library(tmp_path: Path) -> None:
    folder = tmp_path / "lao-dong-tien-tien-x"
    folder.mkdir()
    path = folder / "2024.1.yaml"
    shutil.copy(CRITERIA / "lao-dong-tien-tien" / "2024.1.yaml", path)
    assert RuleLibrary.load([path]).problems == [], "as a draft, any file is taken as it is"
    library = RuleLibrary.load([path], as_library=True)
    assert [p.key for p in library.problems] == ["rule.id_folder"]
    assert RuleLibrary.load([folder], as_library=True).problems[0].key == "rule.id_folder"


def test_a_rules_own_folder_is_held_to_version_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "lao-dong-tien-tien"
    folder.mkdir()
    shutil.copy(CRITERIA / "lao-dong-tien-tien" / "2024.1.yaml", folder / "ban-moi.yaml")
    library = RuleLibrary.load([folder], as_library=True)
    assert [(p.key, Path(p.where.path or "").name) for p in library.problems] == [
        ("rule.version_file", "ban-moi.yaml")]
    assert RuleLibrary.load([CRITERIA / "lao-dong-tien-tien"], as_library=True).problems == []
    assert RuleLibrary.load([CRITERIA / "lao-dong-tien-tien" / "2024.1.yaml"],
                            as_library=True).problems == []


def test_a_lone_file_duplicating_a_version_beside_it_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "lao-dong-tien-tien"
    folder.mkdir()
    shutil.copy(CRITERIA / "lao-dong-tien-tien" / "2024.1.yaml", folder / "2024.1.yaml")
    shutil.copy(CRITERIA / "lao-dong-tien-tien" / "2024.1.yaml", folder / "2024.1.yml")
    whole = RuleLibrary.load([tmp_path])
    alone = RuleLibrary.load([folder / "2024.1.yml"], as_library=True)
    assert [(p.key, p.where.path) for p in alone.problems] == [
        (p.key, p.where.path) for p in whole.problems] == [
        ("rule.duplicate_version", str(folder / "2024.1.yml"))]
    assert RuleLibrary.load([folder / "2024.1.yaml"], as_library=True).problems == []


def test_loading_reports_progress_file_by_file() -> None:
    calls: list[tuple[int, int]] = []
    library = RuleLibrary.load([CRITERIA], progress=lambda done, total: calls.append((done, total)))
    files = len(library.all())
    assert calls == [(done, files) for done in range(1, files + 1)]
