"""``verify`` recomputes the chain and replays every decision; whatever is changed by hand
in the database (with the triggers out of the way) is named by table and id."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest

from criteria_engine.store import Finding, Store, canonical_json, verify
from criteria_engine.store._canonical import chain_hash
from tests.store.conftest import EXAMPLE_RULES, Raw, report_for
from tests.store.writer import batch


def found(db: str) -> set[tuple[str, int | str, str]]:
    report = verify(db)
    return {(f.table, f.row, f.key) for f in report.findings}


def test_an_untouched_store_verifies(recorded: str) -> None:
    report = verify(recorded)
    assert report.ok, [f.render("en") for f in report.findings]
    assert report.events == report.decisions + 2
    assert report.replayed == report.decisions
    rules = {d.rule.sha256 for name in EXAMPLE_RULES for d in report_for(name).decisions}
    assert report.rule_files == len(rules)
    assert report.head_event_id == report.events


def _decision_with(raw: Raw, outcome: str) -> int:
    return int(raw.scalar("SELECT min(id) FROM decisions WHERE outcome = :o", o=outcome))


def test_an_edited_outcome_is_named(recorded: str, raw: Raw) -> None:
    decision = _decision_with(raw, "khong_dat")
    with raw.tampering() as sql:
        sql.exec_driver_sql(f"UPDATE decisions SET outcome = 'dat' WHERE id = {decision}")
    report = verify(recorded)
    findings = {(f.table, f.row, f.key) for f in report.findings}
    assert ("decisions", decision, "audit.replay_outcome") in findings
    assert ("audit_events", decision, "audit.event_hash") in findings
    text = next(f for f in report.findings if f.key == "audit.replay_outcome").render("en")
    assert f"decisions {decision}: outcome stored 'dat', replay" in text
    assert "'khong_dat'" in text


def test_edited_points_are_named(recorded: str, raw: Raw) -> None:
    with raw.tampering() as sql:
        sql.exec_driver_sql("UPDATE decisions SET points = '99' WHERE id = 1")
    assert {("decisions", 1, "audit.replay_points"),
            ("audit_events", 1, "audit.event_hash")} <= found(recorded)


def test_an_edited_fact_is_named(recorded: str, raw: Raw) -> None:
    submission = raw.scalar("SELECT submission_id FROM decisions WHERE id = 2")
    facts = raw.scalar("SELECT facts FROM submissions WHERE id = :s", s=submission)
    assert '"hoan_thanh_xuat_sac"' in facts
    edited = facts.replace('"hoan_thanh_xuat_sac"', '"hoan_thanh"')
    with raw.tampering() as sql:
        sql.exec_driver_sql("UPDATE submissions SET facts = ? WHERE id = ?"
                            if not raw.postgres else
                            "UPDATE submissions SET facts = %s WHERE id = %s", (edited, submission))
    findings = found(recorded)
    assert ("submissions", submission, "audit.facts_hash") in findings
    assert ("audit_events", 2, "audit.event_hash") in findings
    assert ("decisions", 2, "audit.replay_outcome") in findings


def test_an_edited_rule_text_is_named(recorded: str, raw: Raw) -> None:
    sha256 = raw.scalar("SELECT rule_sha256 FROM decisions WHERE id = 1")
    text = raw.scalar("SELECT text FROM rule_files WHERE sha256 = :s", s=sha256)
    edited, changes = re.subn(r"min_points: \d+", "min_points: 0", text)
    assert changes == 1 and edited != text
    with raw.tampering() as sql:
        sql.exec_driver_sql(
            "UPDATE rule_files SET text = ? WHERE sha256 = ?" if not raw.postgres else
            "UPDATE rule_files SET text = %s WHERE sha256 = %s", (edited, sha256))
    report = verify(recorded)
    keys = {(f.table, f.row, f.key) for f in report.findings}
    assert ("rule_files", sha256[:12], "audit.rule_text") in keys
    assert any(f.key == "audit.replay_outcome" for f in report.findings)
    assert not any(f.table == "audit_events" for f in report.findings)


def test_a_deleted_decision_is_named(recorded: str, raw: Raw) -> None:
    with raw.tampering() as sql:
        sql.exec_driver_sql("DELETE FROM decisions WHERE id = 4")
    assert ("audit_events", 4, "audit.decision_missing") in found(recorded)


def test_a_deleted_event_is_named(recorded: str, raw: Raw) -> None:
    with raw.tampering() as sql:
        sql.exec_driver_sql("DELETE FROM audit_events WHERE id = 5")
    findings = found(recorded)
    assert ("audit_events", 6, "audit.event_missing") in findings
    assert ("audit_events", 6, "audit.chain_broken") in findings
    assert ("decisions", 5, "audit.no_event") in findings


def test_a_deleted_last_event_is_named(recorded: str, raw: Raw) -> None:
    last = raw.scalar("SELECT max(id) FROM audit_events")
    with raw.tampering() as sql:
        sql.exec_driver_sql(f"DELETE FROM audit_events WHERE id = {last}")
    assert ("audit_chain_head", 1, "audit.chain_truncated") in found(recorded)


def test_a_reordered_chain_is_named(recorded: str, raw: Raw) -> None:
    with raw.tampering() as sql:
        sql.exec_driver_sql("UPDATE audit_events SET id = -3 WHERE id = 3")
        sql.exec_driver_sql("UPDATE audit_events SET id = 3 WHERE id = 4")
        sql.exec_driver_sql("UPDATE audit_events SET id = 4 WHERE id = -3")
    findings = found(recorded)
    assert {("audit_events", 3, "audit.chain_broken"), ("audit_events", 3, "audit.event_hash"),
            ("audit_events", 4, "audit.chain_broken"),
            ("audit_events", 4, "audit.event_hash")} <= findings
    assert ("audit_events", 5, "audit.chain_broken") in findings


def test_an_edited_override_reason_is_named(recorded: str, raw: Raw) -> None:
    event = raw.scalar("SELECT id FROM audit_events WHERE kind = 'overridden'")
    with raw.tampering() as sql:
        sql.exec_driver_sql(f"UPDATE audit_events SET outcome = 'khong_dat' WHERE id = {event}")
    assert found(recorded) == {("audit_events", event, "audit.event_hash")}


def test_a_decision_inserted_by_hand_is_named(recorded: str, raw: Raw) -> None:
    with raw.tampering() as sql:
        sql.exec_driver_sql(
            "INSERT INTO decisions (id, key, submission_id, rule_sha256, run_id, outcome, "
            "points, criteria, engine_version, recorded_at) SELECT 1000, 'forged', "
            "submission_id, rule_sha256, run_id, 'dat', points, criteria, engine_version, "
            "recorded_at FROM decisions WHERE id = 1")
    findings = found(recorded)
    assert ("decisions", 1000, "audit.no_event") in findings
    assert ("decisions", 1000, "audit.key") in findings


def test_a_rewritten_last_event_is_caught_by_the_chain_head(recorded: str, raw: Raw) -> None:
    """Editing the last event *and* recomputing its hash still shows: the head kept the old one."""
    lines = io.StringIO()
    with Store.open(recorded) as store:
        store.export(lines)
    row = json.loads(lines.getvalue().splitlines()[-1])
    event = {**row["event"], "reason": "nothing to see"}
    forged = chain_hash(row["prev_hash"], canonical_json(event))
    with raw.tampering() as sql:
        sql.exec_driver_sql(f"UPDATE audit_events SET reason = 'nothing to see', "
                            f"hash = '{forged}' WHERE id = {event['id']}")
    assert found(recorded) == {("audit_chain_head", 1, "audit.head_hash")}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_findings_are_told_in_both_languages(lang: str) -> None:
    finding = Finding("decisions", 7, "audit.replay_outcome",
                      {"stored": "dat", "replayed": "khong_dat", "engine": "0.1.0"})
    assert finding.render(lang).startswith("decisions 7: ")  # type: ignore[arg-type]


def test_replay_uses_the_stored_rule_not_the_files_on_disk(recorded: str, tmp_path: object,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.chdir(str(tmp_path))
    monkeypatch.setenv("TDKT_CRITERIA_DIR", str(tmp_path))
    with Store.open(recorded) as store:
        assert store.verify().ok


def test_garbage_in_a_row_is_reported_not_a_crash(recorded: str, raw: Raw) -> None:
    with raw.tampering() as sql:
        sql.exec_driver_sql("UPDATE decisions SET points = 'lots' WHERE id = 1")
        sql.exec_driver_sql("UPDATE submissions SET facts = '[1, 2' WHERE id = 2")
    findings = found(recorded)
    assert ("decisions", 1, "audit.replay_points") in findings
    assert ("submissions", 2, "audit.facts_hash") in findings
    assert ("decisions", 2, "audit.unreadable") in findings
    assert ("decisions", 2, "audit.replay_failed") in findings


def test_a_submission_judged_by_several_titles_replays(db: str) -> None:
    """Facts meant for another title judged in the same run are kept, and ignored on replay."""
    decisions, nominees = batch("M", 5)
    for nominee_id, nominee in list(nominees.items()):
        nominees[nominee_id] = nominee.model_copy(
            update={"facts": {**nominee.facts, "initiatives_recognized": 2,
                              "score_council": Decimal("88.5")}})
    with Store.open(db) as store:
        store.record(decisions, nominees=nominees, actor="a", command="two titles")
        report = store.verify()
        shown = store.show(1)
    assert report.ok, [f.render("en") for f in report.findings]
    assert shown.facts["score_council"] == "88.5"  # not this rule's input: kept as stored
    assert set(shown.criteria[0].values) <= set(decisions[0].rule.model.inputs)
