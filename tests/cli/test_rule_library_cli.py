"""The command line on a rule library holding a broken revision, and on long rule work.

A revision with a typo must stop every command that would use its rule id, naming the
file and its problems, because the alternative (judging with the previous version,
exit 0) is a wrong answer that looks right. ``validate`` holds whatever it is given to
the library's own checks, and the slow commands show progress on a terminal.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

import cli
from cli import main
from tests.common import CRITERIA, EXAMPLES, FIXTURES

DHTT = "dien-hinh-tien-tien-ca-nhan"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The shipped rules plus ``DHTT`` 2026.1: a copy of 2025.1 with one misspelt input."""
    root = tmp_path / "criteria"
    shutil.copytree(CRITERIA, root)
    text = (root / DHTT / "2025.1.yaml").read_text(encoding="utf-8")
    text = (text.replace('version: "2025.1"', 'version: "2026.1"', 1)
            .replace("from: 2025-01-01", "from: 2026-01-01", 1)
            .replace("expr: score_council >=", "expr: score_councl >=", 1))
    (root / DHTT / "2026.1.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def nominees_2026(tmp_path: Path) -> Path:
    records = json.loads((EXAMPLES / f"{DHTT}.json").read_text(encoding="utf-8"))
    for record in records:
        record["period"] = 2026
    path = tmp_path / "2026.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_evaluate_with_a_broken_revision_stops_and_records_nothing(
        library: Path, nominees_2026: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    code, output = invoke("evaluate", "--rules", DHTT, "--nominees", str(nominees_2026),
                          "--rules-dir", str(library), "--record", "--db", str(db))
    assert code == 1
    assert f"quy tắc '{DHTT}' có phiên bản không nạp được" in output
    assert str(library / DHTT / "2026.1.yaml") in output
    assert "'score_councl' chưa được khai báo" in output
    assert "Đạt" not in output, "no decision is shown"
    if db.exists():
        with sqlite3.connect(db) as connection:
            tables = {row[0] for row in connection.execute(
                "select name from sqlite_master where type = 'table'")}
            if "decisions" in tables:
                assert connection.execute("select count(*) from decisions").fetchone()[0] == 0


@pytest.mark.parametrize("reference", [f"{DHTT}@2026.1", f"{DHTT}@2025.1"])
def test_a_named_version_of_a_broken_rule_says_why_it_failed(
        library: Path, nominees_2026: Path, reference: str) -> None:
    code, output = invoke("evaluate", "--rules", reference, "--nominees", str(nominees_2026),
                          "--rules-dir", str(library), "--lang", "en")
    assert code == 1
    assert "has no version" not in output
    assert "never falls back to another version" in output
    assert "'score_councl' is not a declared input or param" in output


@pytest.mark.parametrize("command", [
    ["rules", "show", DHTT],
    ["explain", "--rules", DHTT, "--nominees", str(EXAMPLES / f"{DHTT}.json"),
     "--id", "BG-2024-CN-0001"],
])
def test_every_command_using_the_id_names_the_broken_file(
        library: Path, command: list[str]) -> None:
    code, output = invoke(*command, "--rules-dir", str(library))
    assert code == 1
    assert "2026.1.yaml" in output


def test_rules_list_shows_the_broken_version_and_exits_1(library: Path) -> None:
    code, output = invoke("rules", "list", "--rules-dir", str(library))
    assert code == 1
    assert "có lỗi, không nạp được" in output
    assert "2026.1" in output
    assert "lao-dong-tien-tien" in output, "the good rules are listed as well"


def test_the_demo_does_not_judge_a_broken_rules_samples(library: Path, tmp_path: Path) -> None:
    code, output = invoke("demo", "--rules-dir", str(library), "--no-record", "--lang", "en")
    assert code == 1
    assert "2026.1.yaml" in output
    assert "BG-2024-CN-0001" not in output, "DHTT's samples are not judged with 2025.1"


def test_validate_holds_a_lone_file_to_its_folder_name(tmp_path: Path) -> None:
    folder = tmp_path / "lao-dong-tien-tien-x"
    folder.mkdir()
    shutil.copy(CRITERIA / "lao-dong-tien-tien" / "2024.1.yaml", folder / "2024.1.yaml")
    code, output = invoke("validate", str(folder / "2024.1.yaml"))
    assert code == 1
    assert "khác tên thư mục 'lao-dong-tien-tien-x'" in output
    code, _ = invoke("validate", str(CRITERIA / "lao-dong-tien-tien" / "2024.1.yaml"))
    assert code == 0


def test_validate_lists_the_broken_file_under_its_rule(library: Path) -> None:
    code, output = invoke("validate", str(library / DHTT))
    assert code == 1
    files = len(list((library / DHTT).glob("*.yaml")))  # the shipped versions and 2026.1
    assert f"{files} tệp: {files - 1} hợp lệ, 1 có lỗi" in output


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """stderr as a terminal, captured: progress bars are drawn only on a terminal."""
    buffer = io.StringIO()
    monkeypatch.setattr(cli, "error_console", lambda: Console(
        file=buffer, force_terminal=True, width=80, highlight=False))
    return buffer


def test_check_shows_progress_on_a_terminal(terminal: io.StringIO) -> None:
    code, _ = invoke("check", str(FIXTURES / "broken" / "vacuous.yaml"), "--max-examples", "5")
    assert code == 1
    assert "Kiểm tra tính chất" in terminal.getvalue()


def test_validate_shows_progress_on_a_terminal(terminal: io.StringIO) -> None:
    code, _ = invoke("validate", str(CRITERIA), "--lang", "en")
    assert code == 0
    assert "Reading rule files" in terminal.getvalue()


def test_no_progress_is_drawn_into_a_pipe() -> None:
    result = CliRunner().invoke(main, ["validate", str(CRITERIA), "--lang", "en"])
    assert "Reading rule files" not in result.output
