"""``tdkt dedup`` through click's CliRunner: formats, --fail-on exit codes, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from cli import main
from tests.common import CRITERIA
from tests.dedup.common import CONFLICT, PAIR


def run(*args: str) -> Result:
    runner = CliRunner(env={"COLUMNS": "250"})
    return runner.invoke(main, ["dedup", *args], catch_exceptions=False)


def test_help() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "--fail-on" in result.output and "--format" in result.output


def test_table_groups_by_pair_of_titles_most_serious_first() -> None:
    result = run(str(PAIR), "--lang", "en")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "alpha 2024.1" in out and "beta 2024.1" in out
    assert "Whole titles: ⇒ implies" in out
    rows = out[out.index("┏"):]
    assert rows.index("≡ equivalent") < rows.index("⇒ implies") < rows.index("∩ overlaps")
    assert "∅ disjoint" not in out
    assert "1 disjoint pairs not listed; use --all to see them" in out
    assert "6 criteria pairs compared: 2 equivalent, 2 implies" in out


def test_all_shows_disjoint_pairs_last() -> None:
    out = run(str(PAIR), "--lang", "en", "--all").output
    assert "∅ disjoint" in out
    assert out.index("∩ overlaps") < out.index("∅ disjoint")


def test_vietnamese_is_the_default() -> None:
    out = run(str(PAIR)).output
    assert "tương đương" in out and "Cả danh hiệu" in out


def test_table_values_read_as_words_and_vietnamese_numbers() -> None:
    """Witness facts say Có/Không and similarity 0,42 in Vietnamese, Yes/No and 0.42 in
    English; JSON keeps the raw value (a number, true/false)."""
    vi = run(str(PAIR)).output
    assert "disciplined=Không" in vi and "0,42" in vi
    assert "=false" not in vi and "0.42" not in vi
    en = run(str(PAIR), "--lang", "en").output
    assert "disciplined=No" in en and "0.42" in en
    data = json.loads(run(str(PAIR), "--format", "json").output)
    assert isinstance(data["findings"][0]["wording_similarity"], float)


def test_json_output() -> None:
    result = run(str(PAIR), "--format", "json", "--lang", "en")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["summary"] == {"equivalent": 2, "implies": 2, "implied_by": 0, "overlaps": 1,
                               "undecided": 0, "disjoint": 1, "compared": 6, "unrelated": 24}
    relations = [f["relation"] for f in data["findings"]]
    assert relations == ["equivalent", "equivalent", "implies", "implies", "overlaps"]
    first = data["findings"][0]
    assert first["left"]["file"].endswith("alpha/2024.1.yaml") and first["left"]["line"] > 0
    assert first["witnesses"][0]["record"]["facts"] == {"rating": first["witnesses"][0][
        "record"]["facts"]["rating"]}
    assert first["proofs"][0]["theory"] == "finite"
    assert [t["relation"] for t in data["titles"]] == ["implies"]
    with_all = json.loads(run(str(PAIR), "--format", "json", "--all").output)
    assert with_all["findings"][-1]["relation"] == "disjoint"


def test_json_and_table_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "dedup.json"
    result = run(str(PAIR), "--format", "json", "--output", str(target))
    assert result.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["compared"] == 6
    text = tmp_path / "dedup.txt"
    assert run(str(PAIR), "--output", str(text), "--lang", "en").exit_code == 0
    assert "Whole titles" in text.read_text(encoding="utf-8")


def test_xlsx(tmp_path: Path) -> None:
    target = tmp_path / "dedup.xlsx"
    result = run(str(PAIR), "--format", "xlsx", "--output", str(target), "--lang", "en")
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    assert book.sheetnames == ["Criteria pairs", "Whole titles", "Witnesses"]
    rows = list(book["Criteria pairs"].iter_rows(values_only=True))
    assert rows[0][:3] == ("No.", "Relation", "Left rule")
    assert [r[1] for r in rows[1:]] == ["≡ equivalent", "≡ equivalent", "⇒ implies",
                                       "⇒ implies", "∩ overlaps"]
    witnesses = list(book["Witnesses"].iter_rows(values_only=True))[1:]
    assert len(witnesses) == 11 - 2 + 2  # disjoint hidden; the title's two witnesses added
    assert json.loads(str(witnesses[0][4]))["subject"] == "ca_nhan"


def test_xlsx_needs_an_output_file() -> None:
    result = run(str(PAIR), "--format", "xlsx", "--lang", "en")
    assert result.exit_code == 2
    assert "the xlsx format needs --output FILE.xlsx" in result.output


@pytest.mark.parametrize(("classes", "code"), [
    ("equivalent", 1), ("implies", 1), ("equivalent,implies", 1), ("overlaps", 1),
    ("disjoint", 1), ("undecided", 0), ("", 0),
])
def test_fail_on(classes: str, code: int) -> None:
    result = run(str(PAIR), "--fail-on", classes, "--lang", "en")
    assert result.exit_code == code
    if code:
        assert f"of class {classes.replace(',', ', ')} (--fail-on)" in result.output


def test_fail_on_counts_whole_titles_too() -> None:
    result = run(str(PAIR), "--fail-on", "implies", "--lang", "en")
    assert "3 finding(s) of class implies" in result.output  # two criteria pairs and the titles


def test_fail_on_rejects_unknown_classes() -> None:
    result = run(str(PAIR), "--fail-on", "equivalent,similar", "--lang", "en")
    assert result.exit_code == 2
    assert "unknown class 'similar'" in result.output


def test_a_type_conflict_names_both_files_and_lines() -> None:
    result = run(str(CONFLICT), "--lang", "en")
    assert result.exit_code == 1
    assert "one.yaml:13:5" in result.output and "two.yaml:13" in result.output
    assert "decimal [0, 100]" in result.output and "integer [0, 10]" in result.output


def test_invalid_rule_files_are_reported_and_the_rest_compared(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [\n", encoding="utf-8")
    result = run(str(PAIR), str(broken), "--lang", "en")
    assert result.exit_code == 1
    assert "malformed YAML" in result.output
    assert "6 criteria pairs compared" in result.output


def test_shipped_library() -> None:
    result = run(str(CRITERIA), "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["summary"]["undecided"] == 0
    found = {(f["left"]["rule"], f["left"]["criterion"], f["right"]["rule"],
              f["right"]["criterion"]): f["relation"] for f in data["findings"]}
    # CSTĐCS restates the Advanced Worker standard (Điều 23 requires it): equivalent gates.
    assert found[("chien-si-thi-dua-co-so", "ldtt_xep_loai", "lao-dong-tien-tien",
                  "xep_loai")] == "equivalent"
    # The excellent collective's 70% implies the advanced collective's "more than 50%".
    assert found[("tap-the-lao-dong-tien-tien", "ty_le_lao_dong_tien_tien",
                  "tap-the-lao-dong-xuat-sac", "ty_le_lao_dong_tien_tien")] == "implied_by"
    # The two thematic collective titles measure reach with the same facts.
    assert found[("dien-hinh-tien-tien-tap-the", "lan_toa", "mo-hinh-hoc-tap-lam-theo-bac",
                  "co_hieu_qua_thuc_te")] == "implies"
    titles = {(t["left"]["rule"], t["right"]["rule"]): t["relation"] for t in data["titles"]}
    assert titles[("chien-si-thi-dua-co-so", "lao-dong-tien-tien")] == "implies"
    # Without the cảnh cáo gate (not in Điều 27), TTLĐXS no longer implies TTLĐTT.
    assert titles[("tap-the-lao-dong-tien-tien", "tap-the-lao-dong-xuat-sac")] == "overlaps"
    assert titles[("dien-hinh-tien-tien-tap-the", "mo-hinh-hoc-tap-lam-theo-bac")] == "overlaps"
    assert run(str(CRITERIA), "--fail-on", "equivalent").exit_code == 1
