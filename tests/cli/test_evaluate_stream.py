"""``tdkt evaluate`` at scale: decisions streamed out, tables cut short, files written safely."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import simplejson
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import TABLE_LIMIT, main
from criteria_engine import decision_to_dict, evaluate_file
from criteria_engine.library import choose_rule
from tests.common import CRITERIA, EXAMPLES

LDTT = "lao-dong-tien-tien"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TDKT_CRITERIA_DIR", str(CRITERIA))
    monkeypatch.delenv("TDKT_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    return CliRunner()


def _records(path: Path, count: int, **fields: str) -> Path:
    """``count`` LĐTT records as JSON Lines."""
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            handle.write(json.dumps({
                "id": f"N-{number:04d}", "name": f"Người {number}", "subject": "ca_nhan",
                "unit": "Xã Thử", "period": 2024, **fields,
                "facts": {"rating": "hoan_thanh_tot", "disciplined": number % 3 == 0,
                          "administrative_sanction": False}}, ensure_ascii=False) + "\n")
    return path


def _exact(text: str) -> object:
    return json.loads(text, parse_float=Decimal)


#: Every sample file, with the rule id it belongs to (``<rule-id>-<year>.json`` for a later period).
SAMPLES = sorted((re.sub(r"-[0-9]{4}$", "", p.stem), p.name) for p in EXAMPLES.glob("*.json"))


def _old_json(rule: str, sample: str | None = None) -> object:
    """What ``--json`` printed before streaming: the whole list, pretty-printed (with the
    library, so a title that needs another in the same period judges it on the record)."""
    choose, library = choose_rule(rule, CRITERIA)
    report = evaluate_file(EXAMPLES / (sample or f"{rule}.json"), choose, library=library)
    return _exact(simplejson.dumps([decision_to_dict(d) for d in report.decisions],
                                   ensure_ascii=False, indent=2, use_decimal=True))


@pytest.mark.parametrize(("rule", "sample"), SAMPLES, ids=[name for _, name in SAMPLES])
def test_streamed_json_is_the_same_array_as_before_on_every_example(runner: CliRunner,
                                                                    rule: str, sample: str) -> None:
    result = runner.invoke(main, ["evaluate", "--rules", rule, "--nominees",
                                  str(EXAMPLES / sample), "--json"])
    assert result.exit_code in (0, 1), result.output
    assert _exact(result.stdout) == _old_json(rule, sample)


def test_jsonl_writes_one_decision_a_line(runner: CliRunner) -> None:
    rule = "dien-hinh-tien-tien-ca-nhan"
    result = runner.invoke(main, ["evaluate", "--rules", rule, "--nominees",
                                  str(EXAMPLES / f"{rule}.json"), "--jsonl"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [_exact(line) for line in lines] == _old_json(rule)
    assert '"score_council":88.5' in result.stdout  # from Decimal, never through float


def test_json_and_jsonl_together_are_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["evaluate", "--rules", LDTT, "--nominees",
                                  str(EXAMPLES / f"{LDTT}.json"), "--json", "--jsonl"])
    assert result.exit_code == 2
    assert "--jsonl" in result.stderr and "Traceback" not in result.output


def test_an_empty_file_is_an_empty_json_array(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "none.jsonl"
    path.write_text("", encoding="utf-8")
    result = runner.invoke(main, ["evaluate", "--rules", LDTT, "--nominees", str(path),
                                  "--json"])
    assert json.loads(result.stdout) == []


def test_the_table_stops_at_its_limit_with_exact_counts_and_a_pointer(
        runner: CliRunner, tmp_path: Path) -> None:
    total = TABLE_LIMIT + 50
    path = _records(tmp_path / "many.jsonl", total)
    result = runner.invoke(main, ["evaluate", "--rules", LDTT, "--nominees", str(path)])
    assert result.exit_code == 0, result.output
    assert f"N-{TABLE_LIMIT - 1:04d}" in result.stdout
    assert f"N-{TABLE_LIMIT:04d}" not in result.stdout
    assert f"{total} hồ sơ, {total} quyết định" in result.stdout
    assert f"{TABLE_LIMIT} trên {total}" in result.stdout
    assert "-o" in result.stdout and "--jsonl" in result.stdout
    english = runner.invoke(main, ["evaluate", "--rules", LDTT, "--nominees", str(path),
                                   "--lang", "en"])
    assert f"Showing {TABLE_LIMIT} of {total} decisions" in english.stdout


def test_a_small_file_shows_no_pointer(runner: CliRunner) -> None:
    result = runner.invoke(main, ["evaluate", "--rules", LDTT, "--nominees",
                                  str(EXAMPLES / f"{LDTT}.json")])
    assert "--jsonl" not in result.stdout


@pytest.mark.parametrize("target", ["missing/ket-qua.xlsx", "ket-qua.pdf"])
def test_a_bad_output_with_record_records_nothing(runner: CliRunner, tmp_path: Path,
                                                  target: str) -> None:
    db = tmp_path / "tdkt.db"
    result = runner.invoke(main, ["evaluate", "--rules", LDTT, "--nominees",
                                  str(EXAMPLES / f"{LDTT}.json"), "--record", "--db", str(db),
                                  "-o", str(tmp_path / target)])
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output
    assert not db.exists()


def test_a_missing_output_folder_is_one_line_naming_it(runner: CliRunner,
                                                       tmp_path: Path) -> None:
    target = tmp_path / "missing" / "ket-qua.xlsx"
    result = runner.invoke(main, ["evaluate", "--rules", LDTT, "--nominees",
                                  str(EXAMPLES / f"{LDTT}.json"), "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "missing" in result.stderr
    assert result.stdout == ""  # nothing evaluated before the check


@pytest.mark.parametrize("command", [["schema"], ["dedup", str(CRITERIA)]])
def test_schema_and_dedup_check_their_output_first(runner: CliRunner, tmp_path: Path,
                                                   command: list[str]) -> None:
    result = runner.invoke(main, [*command, "-o", str(tmp_path / "missing" / "out.json")])
    assert result.exit_code == 1
    assert "missing" in result.stderr and "Traceback" not in result.output


def test_record_in_batches_then_again_records_nothing_twice(runner: CliRunner,
                                                           tmp_path: Path) -> None:
    path = _records(tmp_path / "n.jsonl", 12)
    db = str(tmp_path / "tdkt.db")
    args = ["evaluate", "--rules", LDTT, "--nominees", str(path), "--jsonl", "--record",
            "--db", db]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "12 quyết định" in first.stderr
    again = runner.invoke(main, args)
    assert "Đã ghi 0 quyết định" in again.stderr and "12 quyết định đã có" in again.stderr
    assert len(again.stdout.splitlines()) == 12


HOSTILE = {"name": '=HYPERLINK("http://x.example","bấm")', "unit": "@SUM(1+1)"}


def test_xlsx_cells_that_look_like_formulas_stay_text(runner: CliRunner,
                                                      tmp_path: Path) -> None:
    path = _records(tmp_path / "n.jsonl", 2, **HOSTILE)
    target = tmp_path / "ket-qua.xlsx"
    result = runner.invoke(main, ["evaluate", "--rules", LDTT, "--nominees", str(path),
                                  "-o", str(target)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(target)["Kết quả"]
    name, unit = sheet["B2"], sheet["C2"]
    assert name.data_type == "s" and name.value == "'" + HOSTILE["name"]
    assert unit.data_type == "s" and unit.value == "'" + HOSTILE["unit"]
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_csv_cells_that_look_like_formulas_are_neutralised(runner: CliRunner,
                                                           tmp_path: Path) -> None:
    path = _records(tmp_path / "n.jsonl", 2, **HOSTILE)
    target = tmp_path / "ket-qua.csv"
    result = runner.invoke(main, ["evaluate", "--rules", LDTT, "--nominees", str(path),
                                  "-o", str(target)])
    assert result.exit_code == 0, result.output
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][1] == "'" + HOSTILE["name"] and rows[1][2] == "'" + HOSTILE["unit"]
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]


def test_xlsx_has_the_three_sheets_and_every_criterion(runner: CliRunner,
                                                       tmp_path: Path) -> None:
    path = _records(tmp_path / "n.jsonl", 5)
    judged = evaluate_file(path, choose_rule(LDTT, CRITERIA)[0]).decisions
    rows = sum(len(d.criteria) + len(d.deferral) for d in judged)
    bad = tmp_path / "n.jsonl"
    bad.write_text(bad.read_text(encoding="utf-8") + "[1]\n", encoding="utf-8")
    target = tmp_path / "ket-qua.xlsx"
    result = runner.invoke(main, ["evaluate", "--rules", LDTT, "--nominees", str(path),
                                  "-o", str(target)])
    assert result.exit_code == 1  # the bad record
    book = load_workbook(target)
    assert book.sheetnames == ["Kết quả", "Chi tiết tiêu chí", "Hồ sơ lỗi"]
    assert book["Kết quả"].max_row == 6
    assert book["Chi tiết tiêu chí"].max_row == 1 + rows and rows >= 5 * 2
    assert book["Hồ sơ lỗi"].max_row == 2
    assert book["Kết quả"]["H2"].value == 0 and book["Kết quả"]["A1"].font.b
