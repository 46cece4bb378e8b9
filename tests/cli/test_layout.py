"""Every table reads at 80 columns, and in a pipe (issue 8, point 8).

The reference is the same command at 250 columns, where nothing needs to wrap: every
id, date, version and path printed there must appear whole at 80 columns too. Output
is plain text (CliRunner is a pipe): no ANSI codes, and no line wider than COLUMNS.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rich.cells import cell_len

from cli import main
from criteria_engine.store import audit_log
from tests.common import CRITERIA, EXAMPLES, FIXTURES, ROOT

RULE = "dien-hinh-tien-tien-ca-nhan"
SAMPLES = str(EXAMPLES / f"{RULE}.json")
README_EXPLAIN = ["explain", "--rules", RULE, "--nominees", SAMPLES, "--id", "BG-2024-CN-0002"]

#: Names a person may need to copy or search for: ids, dates, versions, paths, hashes.
ID_LIKE = re.compile(r"[\w./@-]*[_\-\d@/][\w./@-]*")
SEPARATORS = re.compile(r"[\s│┃║|┏┓┗┛┡┩┠┨━─═╇╈┳┻┼╭╮╰╯,;:()\[\]\"'“”…]+")


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TDKT_CRITERIA_DIR", str(CRITERIA))
    monkeypatch.delenv("TDKT_LANG", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return CliRunner()


def run(runner: CliRunner, args: list[str], width: int) -> Result:
    return runner.invoke(main, args, terminal_width=width, env={"COLUMNS": str(width)})


def names(text: str) -> set[str]:
    found = set()
    for token in SEPARATORS.split(text):
        token = token.strip(".")
        if len(token) >= 5 and ID_LIKE.fullmatch(token):
            found.add(token)
    return found


def assert_reads_at_80(runner: CliRunner, args: list[str], *, tables: bool = True) -> Result:
    """The command at 80 columns shows every name the wide run shows, each in one piece.

    ``tables=False`` for plain report lines (``check``), which the terminal wraps itself.
    """
    wide = run(runner, args, 250)
    narrow = run(runner, args, 80)
    assert narrow.exit_code == wide.exit_code, narrow.output
    assert "Traceback" not in narrow.output
    assert "\x1b[" not in narrow.output, "ANSI codes in piped output"
    shown = names(narrow.stdout)
    # a column may give way at 80 when another one holds its value: a rule's id and version
    # are the folder and the file name in its path
    within = {piece.removesuffix(".yaml") for name in shown for piece in name.split("/")}
    cut = names(wide.stdout) - shown - within
    assert not cut, f"split or lost at 80 columns: {sorted(cut)}\n{narrow.stdout}"
    too_wide = [line for line in narrow.stdout.splitlines() if tables
                and cell_len(line) > 80 and not line.lstrip().startswith("tdkt ")]
    assert not too_wide, too_wide
    return narrow


def test_names_are_found_whole_and_split_ones_are_not() -> None:
    whole = "│ dien-hinh-tien-tien-ca-nhan │ 2024-01-01 → 2030-12-31 │"
    split = "│ dien-hinh-tien-t │ 2024-01-0 │\n│ ien-ca-nhan      │ 1 → …     │"
    assert {"dien-hinh-tien-tien-ca-nhan", "2024-01-01", "2030-12-31"} <= names(whole)
    assert "dien-hinh-tien-tien-ca-nhan" not in names(split)
    assert "2024-01-01" not in names(split)


def test_rules_list_keeps_rule_ids_and_dates_whole(runner: CliRunner) -> None:
    out = assert_reads_at_80(runner, ["rules", "list"]).stdout
    assert "giay-khen-chu-tich-ubnd-huyen-bac-giang" in out  # the longest shipped id
    assert "2030-12-31" in out


@pytest.mark.parametrize("options", [["--period", "2024"], ["--period", "2026"],
                                     ["--issuer", "xa"], ["--issuer", "tinh", "--lang", "en"]])
def test_rules_list_filtered_reads_at_80(runner: CliRunner, options: list[str]) -> None:
    assert_reads_at_80(runner, ["rules", "list", *options])


@pytest.mark.parametrize("rule", sorted(path.name for path in CRITERIA.iterdir() if path.is_dir()))
def test_rules_show_keeps_names_whole(runner: CliRunner, rule: str) -> None:
    assert_reads_at_80(runner, ["rules", "show", rule])


def test_validate_keeps_paths_whole(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths as a user types them from the project folder (relative): the layout must not
    depend on where the repository happens to be cloned."""
    monkeypatch.chdir(ROOT)
    assert_reads_at_80(runner, ["validate", str(CRITERIA.relative_to(ROOT))])
    assert_reads_at_80(runner, ["validate", str((FIXTURES / "invalid").relative_to(ROOT))])


def test_readme_explain_prints_each_citation_once_below_the_table(runner: CliRunner) -> None:
    out = assert_reads_at_80(runner, README_EXPLAIN).stdout
    # the campaign basis, cited by three criteria of the 2024 erratum, is listed once
    # each citation is printed once, as a footnote (criteria citing the same instrument
    # from different lines of the rule file are different footnotes: "(dòng N)")
    footnotes = [line.split("] ", 1)[1] for line in out.splitlines()
                 if line.lstrip().startswith("[") and "] " in line]
    assert "Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị" in out
    assert len(footnotes) == len(set(footnotes)), footnotes
    assert out.count("Điều 3, khoản 4, Luật Thi đua, khen thưởng số 06/2022/QH15") == 1
    assert len(out.splitlines()) < 90  # was 14 lines a criterion for the citations alone


def test_explain_in_english_reads_at_80(runner: CliRunner) -> None:
    assert_reads_at_80(runner, [*README_EXPLAIN, "--lang", "en"])


def test_evaluate_table_reads_at_80(runner: CliRunner) -> None:
    assert_reads_at_80(runner, ["evaluate", "--rules", RULE, "--nominees", SAMPLES])
    assert_reads_at_80(runner, ["evaluate", "--rules", "lao-dong-tien-tien", "--rules",
                                "chien-si-thi-dua-co-so", "--nominees",
                                str(EXAMPLES / "lao-dong-tien-tien.json")])


def test_dedup_never_wraps_identifiers_letter_by_letter(runner: CliRunner) -> None:
    out = assert_reads_at_80(runner, ["dedup", str(CRITERIA)]).stdout
    assert "members_disciplined_warning_or_above" in out


def test_check_reads_at_80(runner: CliRunner) -> None:
    assert_reads_at_80(runner, ["check", str(FIXTURES / "broken" / "weaker-higher.yaml"),
                                "--max-examples", "10"], tables=False)


def test_demo_hint_is_one_line_that_can_be_copied(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = run(runner, ["demo", "--db", str(db), "--examples-dir", str(EXAMPLES)], 80)
    assert result.exit_code == 0, result.output
    hints = [line for line in result.stdout.splitlines() if "tdkt explain" in line]
    assert hints
    for hint in hints:  # the period's hint also names its period and history
        assert re.fullmatch(r"\s*tdkt explain --rules \S+ --nominees \S+"
                            r"( --period \S+ --history \S+)? --id \S+", hint), hint
    assert "\x1b[" not in result.output


@pytest.fixture
def demo_db(runner: CliRunner, tmp_path: Path) -> str:
    db = str(tmp_path / "demo.db")
    result = runner.invoke(main, ["demo", "--db", db, "--examples-dir", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    return db


def test_audit_log_and_show_read_at_80(runner: CliRunner, demo_db: str) -> None:
    assert_reads_at_80(runner, ["audit", "log", "--db", demo_db])
    # the first exemplar decision (its number depends on how many samples come before it)
    [event] = audit_log(demo_db, nominee="BG-2024-CN-0001")
    out = assert_reads_at_80(runner, ["audit", "show", str(event.decision_id),
                                      "--db", demo_db]).stdout
    # each citation is printed once, as a footnote (criteria citing the same instrument
    # from different lines of the rule file are different footnotes: "(dòng N)")
    footnotes = [line.split("] ", 1)[1] for line in out.splitlines()
                 if line.lstrip().startswith("[") and "] " in line]
    assert "Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị" in out
    assert len(footnotes) == len(set(footnotes)), footnotes
