"""`tdkt evaluate --record`, `tdkt audit …` and `tdkt db …` through click's CliRunner."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli import main
from criteria_engine.store import head_revision
from tests.common import EXAMPLES
from tests.store.conftest import Raw, report_for, run

RULE = "dien-hinh-tien-tien-ca-nhan"
SAMPLES = str(EXAMPLES / f"{RULE}.json")
COUNT = len(report_for(RULE).decisions)




def record(runner: CliRunner, db: str, *extra: str) -> Result:
    return run(runner, "evaluate", "--rules", RULE, "--nominees", SAMPLES, "--record",
               "--db", db, "--actor", "lan", "--lang", "en", *extra)


@pytest.fixture
def stored(runner: CliRunner, db: str) -> str:
    result = record(runner, db)
    assert result.exit_code == 0, result.output
    return db


def test_evaluate_record_stores_the_run_once(runner: CliRunner, db: str, raw: Raw) -> None:
    first = record(runner, db)
    assert first.exit_code == 0, first.output
    assert f"Recorded {COUNT} decision(s)" in first.stderr
    assert "0 already recorded" in first.stderr
    again = record(runner, db, "--json")
    assert again.exit_code == 0
    assert "Recorded 0 decision(s)" in again.stderr
    assert f"{COUNT} already recorded" in again.stderr
    assert len(json.loads(again.stdout)) == COUNT
    assert raw.scalar("SELECT count(*) FROM decisions") == COUNT
    command = raw.scalar("SELECT command FROM runs WHERE id = 1")
    assert command.startswith("tdkt evaluate --rules dien-hinh-tien-tien-ca-nhan --nominees ")
    assert "--db" not in command
    assert raw.scalar("SELECT actor FROM runs WHERE id = 1") == "lan"


def test_evaluate_without_record_touches_no_database(runner: CliRunner, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(runner, "evaluate", "--rules", RULE, "--nominees", SAMPLES).exit_code == 0
    assert not (tmp_path / "tdkt.db").exists()


def test_the_default_store_is_tdkt_db_in_the_working_directory(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(runner, "evaluate", "--rules", RULE, "--nominees", SAMPLES, "--record")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tdkt.db").is_file()
    assert f"Đã ghi {COUNT} quyết định" in result.stderr
    monkeypatch.setenv("TDKT_DATABASE_URL", str(tmp_path / "other.db"))
    assert run(runner, "evaluate", "--rules", RULE, "--nominees", SAMPLES,
               "--record").exit_code == 0
    assert (tmp_path / "other.db").is_file()


def test_audit_verify_says_intact_then_names_an_edit(runner: CliRunner, stored: str,
                                                     raw: Raw) -> None:
    result = run(runner, "audit", "verify", "--db", stored, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Intact: {COUNT} events, {COUNT} decisions")
    edited = raw.scalar("SELECT max(id) FROM decisions WHERE outcome = 'khong_dat'")
    with raw.tampering() as sql:
        sql.exec_driver_sql(f"UPDATE decisions SET outcome = 'dat' WHERE id = {edited}")
    result = run(runner, "audit", "verify", "--db", stored, "--lang", "en")
    assert result.exit_code == 1
    assert f"decisions {edited}: outcome stored 'dat', replay (engine" in result.stderr
    assert f"audit_events {edited}: content does not match its recorded hash" in result.stderr
    assert "2 problem(s) found" in result.stdout
    data = json.loads(run(runner, "audit", "verify", "--db", stored, "--json").stdout)
    assert data["ok"] is False
    assert {(f["table"], f["row"]) for f in data["findings"]} == {("decisions", edited),
                                                                   ("audit_events", edited)}


def test_audit_show_gives_facts_criteria_citations_and_events(runner: CliRunner,
                                                              stored: str) -> None:
    result = run(runner, "audit", "show", "2", "--db", stored, "--lang", "en")
    assert result.exit_code == 0, result.output
    for text in ("Decision 2", "BG-2024-CN-0002", "Trần Văn Dũng", "score_council", "84.9",
                 "sha256", "hoan_thanh_viec_lam_theo", "Luật Thi đua, khen thưởng",
                 "(line 141)", "recorded"):  # sang_kien's citation in 2024.2, the 2024 erratum
        assert text in result.stdout, text
    data = json.loads(run(runner, "audit", "show", "2", "--db", stored, "--json").stdout)
    assert data["outcome"] == "dat" and data["points"] == 60
    assert data["facts"]["score_council"] == 84.9
    assert data["criteria"][0]["cite"][0]["line"] > 0
    assert [e["kind"] for e in data["events"]] == ["recorded"]


def test_audit_show_of_an_unknown_decision(runner: CliRunner, stored: str) -> None:
    result = run(runner, "audit", "show", "999", "--db", stored, "--lang", "en")
    assert result.exit_code == 1
    assert "no decision with id 999; see `tdkt audit log`" in result.stderr


def test_audit_log_filters_by_nominee_and_day(runner: CliRunner, stored: str) -> None:
    everything = json.loads(run(runner, "audit", "log", "--db", stored, "--json").stdout)
    assert [e["id"] for e in everything] == list(range(1, COUNT + 1))
    one = json.loads(run(runner, "audit", "log", "--db", stored, "--json",
                         "--nominee", "BG-2024-CN-0003").stdout)
    assert [e["nominee_id"] for e in one] == ["BG-2024-CN-0003"]
    later = run(runner, "audit", "log", "--db", stored, "--since", "2999-01-01", "--lang", "en")
    assert "No events match" in later.stdout
    table = run(runner, "audit", "log", "--db", stored, "--lang", "en")
    assert "SL-2024-CN-0003" in table.stdout


def test_audit_export_jsonl_can_be_checked_without_tdkt(runner: CliRunner, stored: str) -> None:
    result = run(runner, "audit", "export", "--db", stored)
    assert result.exit_code == 0
    previous = "0" * 64
    lines = result.stdout.splitlines()
    assert len(lines) == COUNT
    for line in lines:
        row = json.loads(line)
        event = json.dumps(row["event"], sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
        assert row["prev_hash"] == previous
        previous = hashlib.sha256(f"{previous}\n{event}".encode()).hexdigest()
        assert row["hash"] == previous
        decision = row["event"]["decision"]
        for part in ("facts", "criteria"):
            text = json.dumps(row[part], sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False)
            assert hashlib.sha256(text.encode()).hexdigest() == decision[f"{part}_sha256"]


def test_audit_export_csv_to_a_file(runner: CliRunner, stored: str, tmp_path: Path) -> None:
    target = tmp_path / "audit.csv"
    result = run(runner, "audit", "export", "--db", stored, "--format", "csv", "-o",
                 str(target), "--lang", "en")
    assert result.exit_code == 0
    assert f"Wrote {COUNT} events" in result.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == COUNT
    assert rows[1]["nominee_id"] == "BG-2024-CN-0002"
    assert json.loads(rows[1]["facts"])["score_council"] == "84.9"


@pytest.mark.empty_database
def test_db_current_upgrade_downgrade(runner: CliRunner, db: str) -> None:
    """A new SQLite path is empty; an existing PostgreSQL database without the schema is
    told to run `tdkt db upgrade` (exit 1). Then up to head and back down to base."""
    empty = run(runner, "db", "current", "--db", db, "--lang", "en")
    if db.startswith("postgresql"):
        assert empty.exit_code == 1
        assert "tdkt db upgrade" in empty.stderr
    else:
        assert empty.exit_code == 0
        assert "empty" in empty.stdout
    up = run(runner, "db", "upgrade", "--db", db, "--lang", "en")
    assert up.exit_code == 0, up.output
    assert f"(empty) → {head_revision()}" in up.stdout
    current = run(runner, "db", "current", "--db", db, "--lang", "en")
    assert f"schema revision {head_revision()} (head)" in current.stdout
    down = run(runner, "db", "downgrade", "base", "--db", db, "--lang", "en")
    assert down.exit_code == 0
    assert f"{head_revision()} → (empty)" in down.stdout


def test_a_newer_database_tells_the_user(runner: CliRunner, stored: str, raw: Raw) -> None:
    raw.run("UPDATE alembic_version SET version_num = 'ffff'")
    for args in (["audit", "verify"], ["db", "current"]):
        result = run(runner, *args, "--db", stored, "--lang", "en")
        assert result.exit_code == 1
        assert "newer than this tool" in result.stderr
    result = record(runner, stored)
    assert result.exit_code == 1
    assert "schema revision ffff" in result.stderr


def test_unreachable_postgresql_is_one_line_without_traceback(runner: CliRunner) -> None:
    result = runner.invoke(main, ["audit", "verify", "--db",
                                  "postgresql+psycopg://postgres@127.0.0.1:1/test", "--lang",
                                  "en"])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("cannot reach PostgreSQL at 127.0.0.1:1 (")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_audit_on_a_missing_sqlite_file_does_not_create_it(runner: CliRunner,
                                                           tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    result = run(runner, "audit", "log", "--db", str(missing), "--lang", "en")
    assert result.exit_code == 1
    assert "no database" in result.stderr
    assert not missing.exists()


@pytest.mark.parametrize("path", [("db", "upgrade"), ("db", "downgrade"), ("db", "current"),
                                  ("audit", "verify"), ("audit", "show"), ("audit", "log"),
                                  ("audit", "export")], ids=" ".join)
def test_store_commands_have_help(runner: CliRunner, path: tuple[str, ...]) -> None:
    result = run(runner, *path, "--help")
    assert result.exit_code == 0
    assert "--db" in result.stdout


def test_a_correction_is_a_new_event_with_a_reason(runner: CliRunner, stored: str,
                                                   raw: Raw) -> None:
    before = raw.scalar("SELECT outcome FROM decisions WHERE id = 2")
    result = run(runner, "audit", "override", "2", "--outcome", "khong_dat", "--reason",
                 "Biên bản họp Hội đồng số 12/BB-HĐ", "--actor", "lan", "--db", stored)
    assert result.exit_code == 0, result.output
    assert "không bị sửa" in result.output
    assert raw.scalar("SELECT outcome FROM decisions WHERE id = 2") == before
    assert raw.scalar("SELECT kind FROM audit_events WHERE outcome = 'khong_dat'") == "overridden"
    noted = run(runner, "audit", "annotate", "2", "--note", "QĐ số 345/QĐ-UBND", "--db", stored,
                "--lang", "en")
    assert noted.exit_code == 0 and "unchanged" in noted.output
    assert run(runner, "audit", "verify", "--db", stored).exit_code == 0


def test_a_correction_without_a_reason_is_refused(runner: CliRunner, stored: str) -> None:
    result = run(runner, "audit", "override", "2", "--outcome", "dat", "--reason", " ",
                 "--db", stored)
    assert result.exit_code == 1
    assert "lý do" in result.stderr
    missing = run(runner, "audit", "annotate", "999", "--note", "x", "--db", stored)
    assert missing.exit_code == 1 and "999" in missing.stderr


def test_explain_with_the_store_names_the_decision_that_holds_the_achievement(
        runner: CliRunner, db: str) -> None:
    cstdcs = str(EXAMPLES / "chien-si-thi-dua-co-so.json")
    recorded = run(runner, "evaluate", "--rules", "chien-si-thi-dua-co-so", "--nominees", cstdcs,
                   "--record", "--db", db)
    assert recorded.exit_code == 0, recorded.output
    alone = run(runner, "explain", "--rules", RULE, "--nominees", SAMPLES, "--id",
                "BG-2025-CN-0001", "--json")
    assert json.loads(alone.stdout)["outcome"] == "dat"
    with_store = run(runner, "explain", "--rules", RULE, "--nominees", SAMPLES, "--id",
                     "BG-2025-CN-0001", "--json", "--db", db)
    data = json.loads(with_store.stdout)
    assert data["outcome"] == "trung_thanh_tich"
    assert data["conflict"]["achievement_id"] == "SK-BG-2024-0107"
    assert data["conflict"]["holder"]["rule_id"] == "chien-si-thi-dua-co-so"
    assert data["conflict"]["holder"]["decision_id"] is not None
