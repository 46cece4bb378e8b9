"""What a new user hit in the first hour, as fixtures: every bad input gets a clear answer.

Each case below is one of the bad inputs reported from a fresh-clone trial (issue 8):
files a person could really hand over (a typo in a new rule version, a nested or
aliased file, a mistyped URL, a locked output file). Every case runs through the real
command line and must end the same way:

* exit code 1 (invalid input) or 2 (usage error), never 0 and never a crash;
* no ``Traceback`` in anything printed;
* the message names the file, the record or the option at fault;
* in Vietnamese (the default), no English sentence.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from tests.common import CRITERIA, EXAMPLES, english_sentences

LDTT_EXAMPLE = EXAMPLES / "lao-dong-tien-tien.json"


@dataclass
class Case:
    """A bad input: how to lay it out in a folder, the command, and what must be named."""

    name: str
    build: Callable[[Path], list[str]]
    names: Callable[[Path], list[str]] = field(default=lambda tmp: [])
    exit_codes: tuple[int, ...] = (1, 2)
    env: dict[str, str] = field(default_factory=dict)


def _ldtt_record(**changes: object) -> dict[str, object]:
    record = json.loads(LDTT_EXAMPLE.read_text(encoding="utf-8"))[0]
    record.update(changes)
    return record


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _library_with_broken_revision(tmp: Path) -> Path:
    """criteria/ as shipped, plus a 2026.1 of the exemplar rule with one typo."""
    library = tmp / "criteria"
    shutil.copytree(CRITERIA, library)
    folder = library / "dien-hinh-tien-tien-ca-nhan"
    text = (folder / "2025.1.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "2025.1"', 'version: "2026.1"', 1)
    text = text.replace("from: 2025-01-01", "from: 2026-01-01", 1)
    text = text.replace("expr: score_council >=", "expr: score_councl >=", 1)
    _write(folder / "2026.1.yaml", text)
    return library


def _nominees_2026(tmp: Path) -> Path:
    records = json.loads((EXAMPLES / "dien-hinh-tien-tien-ca-nhan.json").read_text("utf-8"))
    for record in records:
        record["period"] = 2026
    return _write(tmp / "dien-hinh-2026.json", json.dumps(records, ensure_ascii=False))


def _evaluate(tmp: Path, nominees: Path, *extra: str) -> list[str]:
    return ["evaluate", "--rules", "lao-dong-tien-tien", "--nominees", str(nominees),
            "--rules-dir", str(CRITERIA), *extra]


def _nested_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def _nested_record(depth: int) -> str:
    deep = '{"x": ' * depth + "1" + "}" * depth
    return json.dumps([_ldtt_record(facts={})]).replace('"facts": {}', f'"facts": {deep}')


DUPLICATE_KEYS = """[{"id": "NV1", "name": "A", "subject": "ca_nhan", "period": 2024,
  "facts": {"rating": "hoan_thanh_tot", "disciplined": true,
            "administrative_sanction": false, "disciplined": false}}]
"""

ALIAS_BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def _rule_text(**replace: str) -> str:
    text = (CRITERIA / "lao-dong-tien-tien" / "2024.1.yaml").read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _ldtt_rule_file(tmp: Path, name: str, **replace: str) -> Path:
    return _write(tmp / "rules" / name, _rule_text(**replace))


def _store(tmp: Path) -> str:
    return str(tmp / "store.db")


CASES = [
    Case("broken new version is an error, never skipped",
         lambda tmp: ["evaluate", "--rules", "dien-hinh-tien-tien-ca-nhan", "--nominees",
                      str(_nominees_2026(tmp)), "--rules-dir",
                      str(_library_with_broken_revision(tmp)), "--record", "--db", _store(tmp)],
         lambda tmp: ["2026.1.yaml"]),
    Case("the broken version asked for by name says why it failed",
         lambda tmp: ["evaluate", "--rules", "dien-hinh-tien-tien-ca-nhan@2026.1", "--nominees",
                      str(_nominees_2026(tmp)), "--rules-dir",
                      str(_library_with_broken_revision(tmp))],
         lambda tmp: ["2026.1.yaml"]),
    Case("rules list shows the broken version",
         lambda tmp: ["rules", "list", "--rules-dir", str(_library_with_broken_revision(tmp))],
         lambda tmp: ["2026.1.yaml"]),
    Case("-o into a missing folder",
         lambda tmp: _evaluate(tmp, LDTT_EXAMPLE, "-o", str(tmp / "missing" / "out.xlsx")),
         lambda tmp: ["missing"]),
    Case("-o into a missing folder, with --record: nothing recorded",
         lambda tmp: _evaluate(tmp, LDTT_EXAMPLE, "--record", "--db", _store(tmp), "-o",
                               str(tmp / "missing" / "out.csv")),
         lambda tmp: ["missing"]),
    Case("-o onto a folder",
         lambda tmp: _evaluate(tmp, LDTT_EXAMPLE, "-o", str(tmp)),
         lambda tmp: [str(tmp)]),
    Case("dedup -o into a missing folder",
         lambda tmp: ["dedup", str(CRITERIA), "--format", "xlsx", "-o",
                      str(tmp / "missing" / "dedup.xlsx")],
         lambda tmp: ["missing"]),
    Case("schema -o into a missing folder",
         lambda tmp: ["schema", "-o", str(tmp / "missing" / "schema.json")],
         lambda tmp: ["missing"]),
    Case("audit export -o into a missing folder",
         lambda tmp: ["audit", "export", "--db", _store(tmp), "-o",
                      str(tmp / "missing" / "audit.jsonl")],
         lambda tmp: ["missing"]),
    Case("a rule file nested 300 levels",
         lambda tmp: ["validate", str(_write(tmp / "deep.yaml",
                                              "id: " + "[" * 300 + "]" * 300 + "\n"))],
         lambda tmp: ["deep.yaml"]),
    Case("a nominee JSON nested 500 levels",
         lambda tmp: _evaluate(tmp, _write(tmp / "deep.json", _nested_json(500))),
         lambda tmp: ["deep.json"]),
    Case("a nominee record whose facts nest 500 levels",
         lambda tmp: _evaluate(tmp, _write(tmp / "deep-facts.json", _nested_record(500))),
         lambda tmp: ["deep-facts.json"]),
    Case("a YAML alias bomb as a nominee file",
         lambda tmp: _evaluate(tmp, _write(tmp / "bomb.yaml", ALIAS_BOMB)),
         lambda tmp: ["bomb.yaml"]),
    Case("duplicate JSON keys in a record",
         lambda tmp: _evaluate(tmp, _write(tmp / "dup.json", DUPLICATE_KEYS)),
         lambda tmp: ["dup.json", "disciplined"]),
    Case("a malformed PostgreSQL URL",
         lambda tmp: _evaluate(tmp, LDTT_EXAMPLE, "--record", "--db", "postgresql://::::"),
         lambda tmp: ["postgresql://"]),
    Case("a PostgreSQL URL with a bad port",
         lambda tmp: _evaluate(tmp, LDTT_EXAMPLE, "--record", "--db",
                               "postgresql://u@:notaport/db"),
         lambda tmp: ["postgresql://"]),
    Case("an asynchronous driver in the URL",
         lambda tmp: _evaluate(tmp, LDTT_EXAMPLE, "--record", "--db",
                               "postgresql+asyncpg://u@localhost/db"),
         lambda tmp: ["asyncpg"]),
    Case("an in-memory SQLite store would lose everything",
         lambda tmp: _evaluate(tmp, LDTT_EXAMPLE, "--record", "--db", "sqlite://"),
         lambda tmp: ["sqlite://"]),
    Case("an unrelated SQLite file is not adopted as a store",
         lambda tmp: _evaluate(tmp, LDTT_EXAMPLE, "--record", "--db", _other_sqlite(tmp)),
         lambda tmp: ["other.db"]),
    Case("an empty file is not adopted as a store",
         lambda tmp: _evaluate(tmp, LDTT_EXAMPLE, "--record", "--db",
                               str(_write(tmp / "empty.db", b""))),
         lambda tmp: ["empty.db"]),
    Case("a non-UTF-8 byte in --actor",
         lambda tmp: _evaluate(tmp, LDTT_EXAMPLE, "--record", "--db", _store(tmp), "--actor",
                               b"th\xe0nh".decode("utf-8", "surrogateescape")),
         lambda tmp: ["--actor"]),
    Case("a newline and a bidi override in --actor",
         lambda tmp: _evaluate(tmp, LDTT_EXAMPLE, "--record", "--db", _store(tmp), "--actor",
                               "admin\n\u202eevil"),
         lambda tmp: ["--actor"]),
    Case("audit show of an id past 64 bits",
         lambda tmp: ["audit", "show", "99999999999999999999", "--db", _recorded_store(tmp)],
         lambda tmp: ["99999999999999999999"]),
    Case("validate one file whose id is not its folder",
         lambda tmp: ["validate", str(_write(tmp / "lao-dong-tien-tien-x" / "2024.1.yaml",
                                              _rule_text()))],
         lambda tmp: ["2024.1.yaml"]),
    Case("a division by the literal zero in a rule",
         lambda tmp: ["validate", str(_ldtt_rule_file(
             tmp, "zero.yaml", **{"rating in": "1 / 0 > 0 and rating in"}))],
         lambda tmp: ["zero.yaml"]),
    Case("an input named lambda",
         lambda tmp: ["validate", str(_ldtt_rule_file(
             tmp, "lambda.yaml", **{"  rating:": "  lambda:\n    type: boolean\n"
                                                 "    label: x\n  rating:"}))],
         lambda tmp: ["lambda.yaml", "lambda"]),
    Case("&& in an expression",
         lambda tmp: ["validate", str(_ldtt_rule_file(
             tmp, "and.yaml", **{"rating in": "True && rating in"}))],
         lambda tmp: ["and.yaml", "and"]),
    Case("a date given as a bare year",
         lambda tmp: ["validate", str(_ldtt_rule_file(tmp, "year.yaml",
                                                      **{"from: 2024-01-01": "from: 2024"}))],
         lambda tmp: ["year.yaml", "from"]),
    Case("month 13",
         lambda tmp: ["validate", str(_ldtt_rule_file(tmp, "month.yaml",
                                                      **{"from: 2024-01-01": "from: 2024-13-01"}))],
         lambda tmp: ["month.yaml"]),
    Case("a whitespace-only nominee id",
         lambda tmp: _evaluate(tmp, _write(tmp / "blank.json",
                                          json.dumps([_ldtt_record(id="   ")]))),
         lambda tmp: ["blank.json"]),
    Case("a bidi override in a nominee id",
         lambda tmp: _evaluate(tmp, _write(tmp / "bidi.json",
                                          json.dumps([_ldtt_record(id="NV\u202e1")]))),
         lambda tmp: ["bidi.json"]),
    Case("an unknown --id",
         lambda tmp: ["explain", "--rules", "lao-dong-tien-tien", "--nominees",
                      str(LDTT_EXAMPLE), "--id", "BG-2024-LDTT-000", "--rules-dir", str(CRITERIA)],
         lambda tmp: ["BG-2024-LDTT-000"]),
    Case("a file that is not UTF-8",
         lambda tmp: _evaluate(tmp, _write(tmp / "latin1.json",
                                          '[{"id": "A", "name": "Nguy\xe9n"}]'.encode("latin-1"))),
         lambda tmp: ["latin1.json"]),
    Case("a mistyped command",
         lambda tmp: ["evalute", "--rules", "lao-dong-tien-tien"],
         lambda tmp: ["evalute", "evaluate"]),
    Case("a mistyped option",
         lambda tmp: _evaluate(tmp, LDTT_EXAMPLE, "--recrod"),
         lambda tmp: ["--recrod", "--record"]),
    Case("a word where a decision number is wanted",
         lambda tmp: ["audit", "show", "một", "--db", _store(tmp)],
         lambda tmp: ["một", "DECISION_ID"]),
    Case("an output format that does not exist",
         lambda tmp: ["dedup", str(CRITERIA), "--format", "pdf"],
         lambda tmp: ["pdf", "--format"]),
    Case("a schema revision that does not exist",
         lambda tmp: ["db", "upgrade", "nosuch", "--db", _store(tmp)],
         lambda tmp: ["nosuch"]),
    Case("a relative schema revision past the first one",
         lambda tmp: ["db", "downgrade", "-5", "--db", _store(tmp)],
         lambda tmp: ["-5"]),
]


def _other_sqlite(tmp: Path) -> str:
    path = tmp / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("create table contacts (name text)")
    return str(path)


def _recorded_store(tmp: Path) -> str:
    db = _store(tmp)
    result = CliRunner().invoke(main, _evaluate(tmp, LDTT_EXAMPLE, "--record", "--db", db))
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_gets_a_clear_answer(case: Case, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TDKT_LANG", raising=False)
    args = case.build(tmp_path)
    result = CliRunner().invoke(main, args, env={"COLUMNS": "80", **case.env})
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exit_code in case.exit_codes, (result.exit_code, output, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in output
    for name in case.names(tmp_path):
        assert name in output, (name, output)
    assert english_sentences(output) == [], output


def test_a_bad_output_path_records_nothing(tmp_path: Path) -> None:
    """The write target is checked before any work: with --record, nothing is stored."""
    db = tmp_path / "store.db"
    result = CliRunner().invoke(main, _evaluate(tmp_path, LDTT_EXAMPLE, "--record", "--db",
                                                str(db), "-o", str(tmp_path / "no" / "x.xlsx")))
    assert result.exit_code in (1, 2)
    assert not db.exists() or _decision_count(db) == 0


def test_a_huge_id_is_not_echoed_in_full(tmp_path: Path) -> None:
    huge = "X" * 1_000_000
    path = _write(tmp_path / "huge.json", json.dumps([_ldtt_record(id=huge)]))
    result = CliRunner().invoke(main, _evaluate(tmp_path, path))
    assert result.exit_code == 1
    assert len(result.output) < 5_000


def _decision_count(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        try:
            return int(connection.execute("select count(*) from decisions").fetchone()[0])
        except sqlite3.OperationalError:
            return 0
