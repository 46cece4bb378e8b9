"""What a new user can type at the store, and what the store must never do with it.

A ``--db`` tdkt cannot open is one line naming it (password hidden) and the forms it
accepts, exit 2; SQLite in memory is refused (its records would vanish at exit); an
existing file that is not a tdkt store is never adopted; actors and notes cannot carry
characters that make the log display misleadingly, and stored text is shown escaped;
an id beyond 64 bits is simply not found; no driver exception reaches the user.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, text

from criteria_engine.errors import StoreError, StoreUsageError
from criteria_engine.store import VERIFY_STAGES, Store, check_recording, database_url, verify
from criteria_engine.store._connect import hide_password, store_errors
from tests.common import EXAMPLES, ROOT, english_sentences
from tests.store.conftest import POSTGRES_ENV, Raw, report_for, run

RULE = "dien-hinh-tien-tien-ca-nhan"
SAMPLES = str(EXAMPLES / f"{RULE}.json")




def one_line(result: Result) -> str:
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# -- 1. --db addresses -----------------------------------------------------------------------

@pytest.mark.parametrize(("url", "words"), [
    ("postgresql://::::", "port ':::'"),
    ("postgresql://u@:notaport/db", "port 'notaport' is not a number"),
    ("postgresql://u@h:99999/db", "port '99999'"),
    ("postgresql+asyncpg://lan:secret@h/db", "'postgresql+asyncpg' is not supported"),
    ("mysql://lan:secret@h/db", "'mysql' is not supported"),
    ("sqlite+aiosqlite:///x.db", "'sqlite+aiosqlite' is not supported"),
    ("://nothing", "malformed"),
])
def test_a_db_address_tdkt_cannot_use_is_one_line_and_exit_2(runner: CliRunner, url: str,
                                                             words: str) -> None:
    for command in (["audit", "log"], ["audit", "verify"], ["db", "upgrade"]):
        result = run(runner, *command, "--db", url, "--lang", "en")
        assert result.exit_code == 2
        line = one_line(result)
        assert words in line
        assert "secret" not in line
        assert "postgresql://user@host:port/name" in line
    vietnamese = run(runner, "audit", "log", "--db", url)
    assert vietnamese.exit_code == 2
    assert english_sentences(vietnamese.stderr) == []


def test_the_password_is_hidden_in_every_message() -> None:
    assert hide_password("postgresql+asyncpg://lan:p@ss@h/db") == "postgresql+asyncpg://lan:***@h/db"
    assert hide_password("postgresql://lan@h/db") == "postgresql://lan@h/db"
    assert hide_password("tdkt.db") == "tdkt.db"
    with pytest.raises(StoreUsageError) as caught:
        database_url("mysql://lan:hunter2@h/db")
    assert "hunter2" not in caught.value.render("en")


@pytest.mark.parametrize("url", ["postgresql://u@127.0.0.1:1/x", "postgres://u@127.0.0.1:1/x",
                                 "postgresql+psycopg://u@127.0.0.1:1/x"])
def test_the_accepted_postgresql_forms_reach_the_driver(runner: CliRunner, url: str) -> None:
    result = run(runner, "audit", "log", "--db", url, "--lang", "en")
    assert result.exit_code == 1
    assert one_line(result).startswith("cannot reach PostgreSQL at 127.0.0.1:1 (Connection refused")
    vietnamese = run(runner, "audit", "log", "--db", url)
    assert "ECONNREFUSED" in vietnamese.stderr
    assert english_sentences(vietnamese.stderr) == []


# -- 2. SQLite safety ------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", ":memory:",
                                 "sqlite:///file:x?mode=memory&uri=true"])
def test_sqlite_in_memory_is_refused_because_records_would_be_lost(runner: CliRunner,
                                                                   url: str) -> None:
    result = run(runner, "evaluate", "--rules", RULE, "--nominees", SAMPLES, "--record",
                 "--db", url, "--lang", "en")
    assert result.exit_code == 2
    assert "in-memory database: every decision would be lost" in one_line(result)
    assert result.stdout == ""  # refused before any evaluation


def _sqlite_with_a_table(path: Path) -> None:
    with sqlite3.connect(path) as database:
        database.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT)")
        database.execute("INSERT INTO accounts (name) VALUES ('kế toán')")
    database.close()


@pytest.mark.parametrize(("make", "words"), [
    (lambda path: path.write_bytes(b""), "the file is empty (0 bytes)"),
    (lambda path: path.write_text("ho ten,don vi\n", encoding="utf-8"),
     "not a SQLite database (no SQLite header)"),
    (_sqlite_with_a_table, "no tdkt schema revision"),
    (lambda path: sqlite3.connect(path).execute("VACUUM").connection.close(),
     "no tdkt schema revision"),
], ids=["empty", "text", "other-program", "sqlite-without-tables"])
def test_an_existing_file_that_is_not_a_tdkt_store_is_never_adopted(
        runner: CliRunner, tmp_path: Path, make: object, words: str) -> None:
    path = tmp_path / "tdkt.db"
    make(path)  # type: ignore[operator]
    before = path.read_bytes()
    for args in (["evaluate", "--rules", RULE, "--nominees", SAMPLES, "--record"],
                 ["audit", "log"], ["audit", "verify"], ["db", "upgrade"], ["db", "current"]):
        result = run(runner, *args, "--db", str(path), "--lang", "en")
        assert result.exit_code == 2, (args, result.output)
        line = one_line(result)
        assert line.startswith(f"{path}: ") and words in line
        assert "a new store is created only where no file exists" in line
    assert path.read_bytes() == before


def test_a_new_store_is_created_where_no_file_exists_and_nothing_else_is_left(
        tmp_path: Path) -> None:
    path = tmp_path / "kho.db"
    with Store.open(str(path)) as store:
        assert store.revision.at_head
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kho.db"]
    with Store.open(str(path)) as store:  # and it is adopted from then on
        assert store.revision.at_head


def test_a_sqlite_path_in_a_missing_folder_fails_before_any_work(runner: CliRunner,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "tdkt.db"
    result = run(runner, "evaluate", "--rules", RULE, "--nominees", SAMPLES, "--record",
                 "--db", str(path), "--lang", "en")
    assert result.exit_code == 2
    assert f"no folder {path.parent}" in one_line(result)
    assert result.stdout == ""


# -- 3. Actors and notes ---------------------------------------------------------------------

@pytest.fixture
def stored(runner: CliRunner, db: str) -> str:
    result = run(runner, "evaluate", "--rules", RULE, "--nominees", SAMPLES, "--record",
                 "--db", db, "--actor", "lan")
    assert result.exit_code == 0, result.output
    return db


BAD_NAMES = {
    "right-to-left override": ("lan\u202enimda", "U+202E"),
    "isolate": ("lan\u2067x", "U+2067"),
    "zero-width space": ("l\u200ban", "U+200B"),
    "zero-width joiner": ("la\u200dn", "U+200D"),
    "word joiner": ("lan\u2060", "U+2060"),
    "byte order mark": ("\ufefflan", "U+FEFF"),
    "newline": ("lan\nadmin", "U+000A"),
    "escape": ("lan\x1b[31m", "U+001B"),
    "tab": ("lan\tx", "U+0009"),
    "line separator": ("lan\u2028x", "U+2028"),
}


@pytest.mark.parametrize("case", sorted(BAD_NAMES))
def test_an_actor_with_a_misleading_character_is_a_usage_error(runner: CliRunner, stored: str,
                                                               raw: Raw, case: str) -> None:
    actor, code = BAD_NAMES[case]
    events = raw.scalar("SELECT count(*) FROM audit_events")
    result = run(runner, "audit", "annotate", "1", "--note", "ok", "--actor", actor,
                 "--db", stored, "--lang", "en")
    assert result.exit_code == 2
    assert f"The actor (--actor) holds the character {code} at position" in one_line(result)
    assert raw.scalar("SELECT count(*) FROM audit_events") == events


def test_a_note_may_hold_line_breaks_but_no_other_control_character(
        runner: CliRunner, stored: str) -> None:
    fine = run(runner, "audit", "annotate", "1", "--note", "Biên bản số 12\nHội đồng",
               "--actor", "lan", "--db", stored)
    assert fine.exit_code == 0, fine.output
    for note_text, code in [("Biên bản\u202e21", "U+202E"), ("số\u200b12", "U+200B"),
                            ("x\x1b[2J", "U+001B"), ("a\rb", "U+000D")]:
        note = run(runner, "audit", "annotate", "1", "--note", note_text, "--actor", "lan",
                   "--db", stored, "--lang", "en")
        assert note.exit_code == 2
        assert f"The note (--note) holds the character {code}" in one_line(note)
        reason = run(runner, "audit", "override", "1", "--outcome", "dat", "--reason", note_text,
                     "--actor", "lan", "--db", stored, "--lang", "en")
        assert reason.exit_code == 2
        assert f"The reason (--reason) holds the character {code}" in one_line(reason)


def test_bytes_that_are_not_utf8_are_a_usage_error(runner: CliRunner, stored: str) -> None:
    not_utf8 = b"l\xe2n".decode("utf-8", "surrogateescape")  # what Python makes of argv
    for args, field in [(["--note", not_utf8, "--actor", "lan"], "The note (--note)"),
                        (["--note", "ok", "--actor", not_utf8], "The actor (--actor)")]:
        result = run(runner, "audit", "annotate", "1", *args, "--db", stored, "--lang", "en")
        assert result.exit_code == 2
        assert one_line(result) == (f"{field} holds bytes that are not UTF-8; type it again "
                                    "(check that the terminal uses UTF-8)")
        vietnamese = run(runner, "audit", "annotate", "1", *args, "--db", stored)
        assert "UTF-8" in vietnamese.stderr and english_sentences(vietnamese.stderr) == []


def test_a_bad_actor_fails_evaluate_record_before_any_work(runner: CliRunner,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "tdkt.db"
    result = run(runner, "evaluate", "--rules", RULE, "--nominees", SAMPLES, "--record",
                 "--db", str(path), "--actor", "lan\u202e", "--lang", "en")
    assert result.exit_code == 2
    assert "U+202E" in one_line(result)
    assert result.stdout == "" and not path.exists()
    with pytest.raises(StoreUsageError):
        check_recording(str(path), actor="a\nb")


def test_the_library_refuses_what_the_command_line_refuses(db: str) -> None:
    with Store.open(db) as store:
        report = report_for(RULE)
        with pytest.raises(StoreUsageError):
            store.record_report(report, actor="lan\u202e", command="t")
        store.record_report(report, actor="lan", command="t")
        with pytest.raises(StoreUsageError):
            store.annotate(1, note="x\u200b", actor="lan")
        with pytest.raises(StoreUsageError):
            store.override(1, outcome="dat", reason="ok", actor="a\x00b")


def test_stored_text_is_shown_escaped_so_history_cannot_mislead(
        runner: CliRunner, stored: str, raw: Raw) -> None:
    run(runner, "audit", "annotate", "1", "--note", "dòng 1\ndòng 2", "--actor", "lan",
        "--db", stored)
    with raw.tampering() as sql:  # as if written by hand, or by an older tdkt
        sql.exec_driver_sql("UPDATE audit_events SET actor = 'lan\u202enimda\x1b[31m' "
                            "WHERE id = 1")
        sql.exec_driver_sql("UPDATE runs SET actor = 'x\u200by', command = 'tdkt\u2066 a' "
                            "WHERE id = 1")
    for args in (["audit", "log"], ["audit", "show", "1"]):
        result = run(runner, *args, "--db", stored, "--lang", "en")
        assert result.exit_code == 0, result.output
        for char in "\u202e\u200b\u2066\x1b":
            assert char not in result.stdout, (args, repr(char))
    log = run(runner, "audit", "log", "--db", stored, "--lang", "en").stdout
    assert "lan\\u202enimda\\x1b[31m" in log
    assert "dòng 1\\ndòng 2" in log
    show = run(runner, "audit", "show", "1", "--db", stored, "--lang", "en").stdout
    assert "x\\u200by" in show and "tdkt\\u2066 a" in show
    exact = json.loads(run(runner, "audit", "log", "--db", stored, "--json").stdout)
    assert exact[0]["actor"] == "lan\u202enimda\x1b[31m"  # --json keeps the exact text


# -- 4. ids beyond 64 bits -------------------------------------------------------------------

@pytest.mark.parametrize("number", ["99999999999999999999", "9223372036854775808", "0"])
def test_an_id_no_row_can_have_is_simply_not_found(runner: CliRunner, stored: str,
                                                   number: str) -> None:
    for args in (["audit", "show", number],
                 ["audit", "annotate", number, "--note", "x", "--actor", "lan"],
                 ["audit", "override", number, "--outcome", "dat", "--reason", "x"]):
        result = run(runner, *args, "--db", stored, "--lang", "en")
        assert result.exit_code == 1
        assert one_line(result) == f"no decision with id {number}; see `tdkt audit log`"


# -- 5. audit export -------------------------------------------------------------------------

def test_export_checks_its_target_before_opening_the_store(runner: CliRunner,
                                                           tmp_path: Path) -> None:
    target = tmp_path / "no" / "folder" / "audit.jsonl"
    result = run(runner, "audit", "export", "--db", str(tmp_path / "missing.db"), "-o",
                 str(target), "--lang", "en")
    assert result.exit_code != 0
    assert one_line(result).startswith(f"{target}: ")
    assert "missing.db" not in result.stderr


def test_export_onto_a_folder_is_one_line_in_the_chosen_language(runner: CliRunner,
                                                                  stored: str,
                                                                  tmp_path: Path) -> None:
    result = run(runner, "audit", "export", "--db", stored, "-o", str(tmp_path))
    assert result.exit_code != 0
    assert one_line(result).startswith(f"{tmp_path}: ")
    assert english_sentences(result.stderr) == []


def test_export_csv_neutralises_formulas(runner: CliRunner, stored: str, tmp_path: Path) -> None:
    run(runner, "audit", "annotate", "1", "--note", '=HYPERLINK("http://x","bấm")',
        "--actor", "@lan", "--db", stored)
    target = tmp_path / "audit.csv"
    result = run(runner, "audit", "export", "--db", stored, "--format", "csv", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "'@lan" in text and '"\'=HYPERLINK(""http://x"",""bấm"")"' in text
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_a_failed_export_leaves_no_file(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "audit.jsonl"
    result = run(runner, "audit", "export", "--db", "postgresql://u@127.0.0.1:1/x", "-o",
                 str(target))
    assert result.exit_code == 1
    assert list(tmp_path.iterdir()) == []


# -- 6. progress -----------------------------------------------------------------------------

def test_verify_reports_progress_through_a_callback(recorded: str) -> None:
    calls: list[tuple[str, int, int]] = []
    report = verify(recorded, progress=lambda stage, done, total: calls.append(
        (stage, done, total)))
    assert report.ok
    assert list(dict.fromkeys(stage for stage, _, _ in calls)) == list(VERIFY_STAGES)
    last = {stage: (done, total) for stage, done, total in calls}
    assert last["chain"] == (report.events, report.events)
    assert last["replay"] == (report.decisions, report.decisions)
    assert all(0 <= done <= total for _, done, total in calls)


def test_verify_prints_no_progress_when_piped(runner: CliRunner, stored: str) -> None:
    result = run(runner, "audit", "verify", "--db", stored, "--lang", "en")
    assert result.exit_code == 0
    assert result.stderr == ""


# -- 7. the independent verifier in docs/ ----------------------------------------------------

VERIFIER = ROOT / "docs" / "verify_export.py"


def check_export(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(VERIFIER), str(path)], capture_output=True,
                          text=True, timeout=60, check=False)


def test_the_documented_verifier_accepts_a_real_export_and_rejects_a_tampered_one(
        runner: CliRunner, recorded: str, tmp_path: Path) -> None:
    export = tmp_path / "audit.jsonl"
    assert run(runner, "audit", "export", "--db", recorded, "-o", str(export)).exit_code == 0
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    good = check_export(export)
    assert good.returncode == 0, good.stderr
    head = verify(recorded)
    assert good.stdout.strip() == f"ok: {len(lines)} events, last hash {head.head_hash}"

    def tampered(name: str, rows: list[str]) -> subprocess.CompletedProcess[str]:
        path = tmp_path / name
        path.write_text("".join(rows), encoding="utf-8")
        return check_export(path)

    first = json.loads(lines[0])
    fact = next(iter(first["facts"]))
    first["facts"][fact] = "edited"
    edited_fact = tampered("fact.jsonl", [json.dumps(first, ensure_ascii=False) + "\n",
                                          *lines[1:]])
    assert edited_fact.returncode == 1
    assert "fact.jsonl:1: event 1: the facts or criteria do not match" in edited_fact.stderr
    second = json.loads(lines[1])
    second["event"]["decision"]["outcome"] = "dat" if second["event"]["decision"][
        "outcome"] != "dat" else "khong_dat"
    edited_outcome = tampered("outcome.jsonl", [lines[0], json.dumps(second) + "\n",
                                                *lines[2:]])
    assert edited_outcome.returncode == 1
    assert "outcome.jsonl:2: event 2: the event does not match its hash" in edited_outcome.stderr
    deleted = tampered("deleted.jsonl", [lines[0], *lines[2:]])
    assert deleted.returncode == 1
    assert "deleted.jsonl:2: event 3: an event before this one was deleted" in deleted.stderr
    assert "Traceback" not in edited_fact.stderr + edited_outcome.stderr + deleted.stderr


def test_the_verifier_uses_only_the_standard_library() -> None:
    text = VERIFIER.read_text(encoding="utf-8")
    imports = {line.split()[1] for line in text.splitlines() if line.startswith("import ")}
    assert imports <= {"hashlib", "json", "sys", "unicodedata"}
    assert "from " not in "".join(line for line in text.splitlines()
                                  if line.startswith("from "))
    code = [line for line in text.split('"""', 2)[2].splitlines() if line.strip()]
    assert len(code) <= 30


# -- 8. the PostgreSQL half when it is not asked for -----------------------------------------

def _pytest(*args: str, url: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != POSTGRES_ENV}
    if url is not None:
        env[POSTGRES_ENV] = url
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                          check=False)


TWO_BACK_ENDS = "tests/store/test_migrations.py::test_new_database_is_created_at_head_on_first_use"


def test_without_the_url_the_postgresql_half_is_one_summary_line() -> None:
    result = _pytest(TWO_BACK_ENDS, url=None)
    assert result.returncode == 0, result.stdout
    assert "SKIPPED" not in result.stdout
    assert result.stdout.count("PostgreSQL store tests not run") == 1
    assert "1 passed, 1 deselected" in result.stdout


def test_with_the_url_and_no_server_the_run_fails() -> None:
    result = _pytest(TWO_BACK_ENDS, url="postgresql+psycopg://postgres@127.0.0.1:1/test")
    assert result.returncode == 1, result.stdout
    assert "is set but PostgreSQL at 127.0.0.1:1 cannot be used" in result.stdout


# -- 9. no driver exception reaches the user -------------------------------------------------

@pytest.mark.parametrize("error", [
    psycopg.DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes"),
    psycopg.errors.InsufficientPrivilege("permission denied for table decisions"),
    psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly"),
    sqlite3.OperationalError("attempt to write a readonly database"),
    sqlite3.DatabaseError("database disk image is malformed"),
])
def test_raw_driver_errors_become_one_line_store_errors(error: Exception) -> None:
    url = database_url("postgresql://u@db.example:5433/x")
    with pytest.raises(StoreError) as caught, store_errors(url):
        raise error
    for lang in ("vi", "en"):
        text = caught.value.render(lang)
        assert "\n" not in text
    assert english_sentences(caught.value.render("vi")) == []


@pytest.fixture
def stranger(stored: str, postgres_admin: Engine) -> Iterator[str]:
    """The store's URL as a PostgreSQL role that may see the schema revision, nothing else."""
    role = f"tdkt_stranger_{uuid.uuid4().hex[:8]}"
    schema = stored.rsplit("search_path%3D", 1)[1]
    with postgres_admin.connect() as connection:
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        connection.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"'))
        connection.execute(text(f'GRANT SELECT ON "{schema}".alembic_version TO "{role}"'))
    try:
        yield stored.replace("postgres@", f"{role}@", 1)
    finally:
        with postgres_admin.connect() as connection:
            connection.execute(text(f'DROP OWNED BY "{role}"'))
            connection.execute(text(f'DROP ROLE "{role}"'))


@pytest.mark.postgres
@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_permission_denied_on_postgresql_is_one_line(runner: CliRunner, stranger: str) -> None:
    for args in (["audit", "log"], ["audit", "annotate", "1", "--note", "x"]):
        english = run(runner, *args, "--db", stranger, "--lang", "en")
        assert english.exit_code == 1
        assert one_line(english).startswith("the database refused: permission denied")
        vietnamese = run(runner, *args, "--db", stranger)
        assert "42501" in one_line(vietnamese)
        assert english_sentences(vietnamese.stderr) == []
