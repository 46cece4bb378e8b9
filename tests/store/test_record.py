"""Recording: one transaction per batch, idempotent, exact, and safe when killed or raced."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from criteria_engine.store import Store, _store, verify
from criteria_engine.store._canonical import parse_json
from tests.common import ROOT
from tests.store.conftest import Raw, report_for
from tests.store.writer import batch


def counts(raw: Raw) -> dict[str, int]:
    return {table: int(raw.scalar(f"SELECT count(*) FROM {table}"))
            for table in ("decisions", "audit_events", "submissions", "runs", "nominees")}


def one_decision_per_nominee(raw: Raw) -> None:
    duplicates = raw.scalar(
        "SELECT count(*) FROM (SELECT s.nominee_id, s.period, d.rule_sha256 FROM decisions d "
        "JOIN submissions s ON s.id = d.submission_id "
        "GROUP BY s.nominee_id, s.period, d.rule_sha256 HAVING count(*) > 1) AS twice")
    assert duplicates == 0


def test_recording_stores_every_decision_once(db: str, raw: Raw) -> None:
    report = report_for("dien-hinh-tien-tien-ca-nhan")
    with Store.open(db) as store:
        first = store.record_report(report, actor="lan", command="tdkt evaluate")
        again = store.record_report(report, actor="lan", command="tdkt evaluate")
    assert (first.recorded, first.already_recorded) == (len(report.decisions), 0)
    assert (first.first_event_id, first.last_event_id) == (1, len(report.decisions))
    assert (again.recorded, again.already_recorded) == (0, len(report.decisions))
    assert again.head_hash == first.head_hash
    count = len(report.decisions)
    assert counts(raw) == {"decisions": count, "audit_events": count, "submissions": count,
                           "runs": 2, "nominees": count}
    assert raw.scalar("SELECT actor FROM runs WHERE id = 2") == "lan"
    assert raw.scalar("SELECT already_recorded FROM runs WHERE id = 2") == count


def test_new_facts_are_a_new_submission_beside_the_old(db: str, raw: Raw) -> None:
    decisions, nominees = batch("N", 3)
    with Store.open(db) as store:
        store.record(decisions, nominees=nominees, actor="a", command="first")
    changed = {**nominees["N-0001"].facts, "rating": "khong_hoan_thanh"}
    nominees["N-0001"] = nominees["N-0001"].model_copy(update={"facts": changed})
    rule = decisions[0].rule
    from criteria_engine.errors import Location
    from criteria_engine.evaluator import evaluate
    from criteria_engine.nominees import bind_facts

    redone = evaluate(rule, bind_facts(rule.model, nominees["N-0001"], Location()),
                      nominee_id="N-0001", period=2024)
    with Store.open(db) as store:
        summary = store.record([redone, decisions[0]], nominees=nominees, actor="a",
                               command="second")
        assert (summary.recorded, summary.already_recorded) == (1, 1)
        assert store.verify().ok
    facts = [parse_json(f) for f in raw.run(
        "SELECT facts FROM submissions WHERE nominee_id = 'N-0001' ORDER BY id").scalars()]
    assert [f["rating"] for f in facts] == ["hoan_thanh_tot", "khong_hoan_thanh"]


def test_decimals_are_stored_exactly(db: str, raw: Raw) -> None:
    report = report_for("dien-hinh-tien-tien-ca-nhan")
    with Store.open(db) as store:
        store.record_report(report, actor="a", command="t")
        shown = store.show(2)
    assert shown.facts["score_council"] == Decimal("84.9")
    assert isinstance(shown.facts["score_council"], Decimal)
    assert shown.points == Decimal("60")
    stored = raw.scalar("SELECT facts FROM submissions WHERE nominee_id = 'BG-2024-CN-0002'")
    assert '"score_council":"84.9"' in stored
    assert raw.scalar("SELECT points FROM decisions WHERE id = 2") == "60"


def test_a_failure_half_way_records_nothing_and_a_rerun_records_everything(
        db: str, raw: Raw, monkeypatch: pytest.MonkeyPatch) -> None:
    decisions, nominees = batch("F", 50)
    calls = 0
    original = _store.chain_hash

    def failing(previous: str, text: str) -> str:
        nonlocal calls
        calls += 1
        if calls == 30:
            raise RuntimeError("power cut")
        return original(previous, text)

    monkeypatch.setattr(_store, "chain_hash", failing)
    with Store.open(db) as store, pytest.raises(RuntimeError):
        store.record(decisions, nominees=nominees, actor="a", command="t")
    assert counts(raw)["decisions"] == 0 and counts(raw)["runs"] == 0
    monkeypatch.setattr(_store, "chain_hash", original)
    with Store.open(db) as store:
        assert store.record(decisions, nominees=nominees, actor="a", command="t").recorded == 50
    assert counts(raw)["decisions"] == 50
    one_decision_per_nominee(raw)
    assert verify(db).ok


def _writer(db: str, *args: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tests.store.writer", db,
                             *map(str, args)], cwd=ROOT, stderr=subprocess.PIPE)


def test_a_killed_batch_reruns_to_exactly_one_decision_per_nominee(db: str, raw: Raw) -> None:
    earlier, earlier_nominees = batch("E", 20)
    with Store.open(db) as store:
        store.record(earlier, nominees=earlier_nominees, actor="a", command="earlier")
    process = _writer(db, "kill", "K", 120)
    _out, err = process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL, err.decode()
    assert counts(raw)["decisions"] == 20
    decisions, nominees = batch("K", 120)
    with Store.open(db) as store:
        summary = store.record(decisions, nominees=nominees, actor="a", command="re-run")
        assert (summary.recorded, summary.already_recorded) == (120, 0)
        again = store.record(decisions, nominees=nominees, actor="a", command="re-run")
        assert again.recorded == 0
    assert counts(raw)["decisions"] == 140
    one_decision_per_nominee(raw)
    report = verify(db)
    assert report.ok, [f.render("en") for f in report.findings]
    assert report.events == 140


@pytest.fixture
def go_file(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "go"


def test_two_concurrent_writers_keep_one_valid_chain(db: str, raw: Raw, go_file: Path) -> None:
    rounds, count = 4, 150
    writers = [_writer(db, "record", prefix, count, rounds, go_file) for prefix in ("A", "B")]
    go_file.touch()
    for process in writers:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
    expected = 2 * rounds * count + count
    assert counts(raw)["decisions"] == expected
    assert counts(raw)["runs"] == 4 * rounds
    one_decision_per_nominee(raw)
    ids = list(raw.run("SELECT id FROM audit_events ORDER BY id").scalars())
    assert ids == list(range(1, expected + 1))
    actors = set(raw.run("SELECT DISTINCT actor FROM runs WHERE recorded > 0").scalars())
    assert actors == {"A", "B"}
    report = verify(db)
    assert report.ok, [f.render("en") for f in report.findings[:5]]
    assert report.events == expected
