"""The command line, driven through click's CliRunner: output, exit codes, messages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from tests.common import CRITERIA, EXAMPLES, FIXTURES

SAMPLES = str(EXAMPLES / "dien-hinh-tien-tien-ca-nhan.json")
RULE = "dien-hinh-tien-tien-ca-nhan"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TDKT_CRITERIA_DIR", str(CRITERIA))
    monkeypatch.delenv("TDKT_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    return CliRunner()


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
    return found


@pytest.mark.parametrize("path", _commands(main), ids=" ".join)
def test_every_command_has_help(runner: CliRunner, path: tuple[str, ...]) -> None:
    result = runner.invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Cách dùng:" in result.output  # click's headings too are in Vietnamese
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    assert command.help, f"{' '.join(path)} has no help text"


def test_validate_shipped_library_is_clean(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(CRITERIA)])
    assert result.exit_code == 0, result.output
    shipped = len(list(CRITERIA.glob("*/*.yaml")))
    assert f"{shipped} tệp: {shipped} hợp lệ, 0 có lỗi" in result.output


def test_validate_names_file_line_and_field_of_a_broken_rule(runner: CliRunner,
                                                            tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    text = (CRITERIA / RULE / "2024.1.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("expr: score_council >= 85", "expr: score_councl >= 85"),
                      encoding="utf-8")
    result = runner.invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:" in result.stderr
    assert "criteria[5].expr" in result.stderr
    assert "'score_councl'" in result.stderr and "score_council" in result.stderr
    english = runner.invoke(main, ["validate", str(broken), "--lang", "en"])
    assert "did you mean 'score_council'?" in english.stderr


def test_evaluate_prints_a_table_and_summary(runner: CliRunner) -> None:
    result = runner.invoke(main, ["evaluate", "--rules", RULE, "--nominees", SAMPLES])
    assert result.exit_code == 0, result.output
    assert "BG-2024-CN-0001" in result.output
    assert "Đạt" in result.output
    assert "hồ sơ, " in result.output and "quyết định" in result.output


def test_evaluate_json_has_the_documented_fields(runner: CliRunner) -> None:
    result = runner.invoke(main, ["evaluate", "--rules", RULE, "--nominees", SAMPLES, "--json"])
    assert result.exit_code == 0
    decisions = json.loads(result.stdout)
    first = decisions[0]
    assert first["nominee_id"] == "BG-2024-CN-0001"
    # the 2024 erratum (2024.2 supersedes 2024.1) is the version in force for 2024
    assert first["rule"]["id"] == RULE and first["rule"]["version"] == "2024.2"
    assert len(first["rule"]["sha256"]) == 64
    assert first["outcome"] == "dat" and first["points"] == 100
    criterion = first["criteria"][0]
    assert set(criterion) >= {"id", "result", "points", "values", "cite"}
    assert first["engine_version"]


def test_evaluate_json_numbers_are_exact(runner: CliRunner) -> None:
    result = runner.invoke(main, ["evaluate", "--rules", RULE, "--nominees", SAMPLES, "--json"])
    assert '"score_council":88.5' in result.stdout  # written from Decimal, never via float


def test_explain_shows_why_a_nominee_on_the_threshold_passes(runner: CliRunner) -> None:
    result = runner.invoke(main, ["explain", "--rules", RULE, "--nominees", SAMPLES,
                                  "--id", "BG-2024-CN-0002"])
    assert result.exit_code == 0, result.output
    assert "Số việc đã hoàn thành: 19" in result.output  # the input's label, not its name
    assert "min_completion_ratio = 0,95" in result.output  # Vietnamese decimal comma
    assert "Điều 4, khoản 4, Nghị định số 98/2023/NĐ-CP" in result.output  # in force in 2024


def test_explain_unknown_id_is_an_error_naming_it(runner: CliRunner) -> None:
    result = runner.invoke(main, ["explain", "--rules", RULE, "--nominees", SAMPLES,
                                  "--id", "NOPE"])
    assert result.exit_code == 1
    assert "NOPE" in result.stderr


def test_unknown_rule_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["evaluate", "--rules", "khong-co", "--nominees", SAMPLES])
    assert result.exit_code == 2
    assert "khong-co" in result.stderr
    assert "Traceback" not in result.output


def test_missing_option_is_a_usage_error(runner: CliRunner) -> None:
    assert runner.invoke(main, ["evaluate", "--nominees", SAMPLES]).exit_code == 2


def test_bad_records_are_reported_and_the_rest_evaluated(runner: CliRunner,
                                                         tmp_path: Path) -> None:
    records = json.loads(Path(SAMPLES).read_text(encoding="utf-8"))
    records[1]["facts"]["score_council"] = "tám mươi"
    records[2]["facts"]["rank"] = 1
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(main, ["evaluate", "--rules", RULE, "--nominees", str(path), "--json"])
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)) == len(records) - 2
    assert f"hồ sơ {records[1]['id']} (#2), trường 'facts.score_council'" in result.stderr
    assert "facts.rank" in result.stderr


def test_file_that_is_not_utf8_is_named(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin.json"
    path.write_bytes('[{"id": "X", "name": "Nguyễn"}]'.encode("utf-16"))
    result = runner.invoke(main, ["evaluate", "--rules", RULE, "--nominees", str(path)])
    assert result.exit_code == 1
    assert "UTF-8" in result.stderr


def test_output_xlsx_opens_with_one_row_per_nominee(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "ket-qua.xlsx"
    result = runner.invoke(main, ["evaluate", "--rules", RULE, "--nominees", SAMPLES,
                                  "--output", str(target)])
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    summary = book["Kết quả"]
    records = json.loads(Path(SAMPLES).read_text(encoding="utf-8"))
    assert summary.max_row == len(records) + 1
    assert summary["A2"].value == "BG-2024-CN-0001"
    assert book["Chi tiết tiêu chí"].max_row > len(records)


def test_output_csv_has_a_bom_for_excel(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "ket-qua.csv"
    runner.invoke(main, ["evaluate", "--rules", RULE, "--nominees", SAMPLES, "-o", str(target)])
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")


def test_rules_list_and_show(runner: CliRunner) -> None:
    listed = runner.invoke(main, ["rules", "list"])
    assert listed.exit_code == 0
    assert "lao-dong-tien-tien" in listed.output
    shown = runner.invoke(main, ["rules", "show", "tap-the-lao-dong-tien-tien"])
    assert shown.exit_code == 0
    assert "min_ldtt_ratio" in shown.output and "⚠" in shown.output


def test_rules_show_unknown_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["rules", "show", RULE, "--version", "1999.1"])
    assert result.exit_code == 2
    assert "2024.1" in result.stderr


def test_rule_file_path_can_be_given_directly(runner: CliRunner) -> None:
    path = str(CRITERIA / RULE / "2024.1.yaml")
    samples = str(FIXTURES / "law" / "examples-before-issue-9" / f"{RULE}.json")
    result = runner.invoke(main, ["evaluate", "--rules", path, "--nominees", samples, "--json"])
    assert result.exit_code == 0


def test_schema_matches_the_committed_file(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    committed = (CRITERIA.parent / "schema" / "rule-file.schema.json").read_text(encoding="utf-8")
    assert json.loads(result.stdout) == json.loads(committed), (
        "the JSON Schema drifted: run `tdkt schema -o schema/rule-file.schema.json`")


def test_demo_runs_on_the_shipped_library(runner: CliRunner, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert "tdkt explain" in result.output


def test_english_output(runner: CliRunner) -> None:
    result = runner.invoke(main, ["evaluate", "--rules", RULE, "--nominees", SAMPLES,
                                  "--lang", "en"])
    assert "Meets" in result.output and "records, " in result.output
