"""One decision stands (issue 11, items 2 to 4).

A record is keyed by what it says, not by how it is spelled: ``88.5`` and ``88.50`` are
one score, an explicit null is an absent fact. A new content for the same nominee, title
and period is an explicit correction that names the decision it supersedes and what
changed; exactly one decision is current and the earlier ones stay. The achievements a
decision rewards are named in its event, so ``verify`` rebuilds ``achievement_uses`` from
the chain and names a missing or a forged row; a corrected decision releases what it no
longer rewards.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria_engine import evaluate_file
from criteria_engine.library import choose_rule
from criteria_engine.store import Store, show_decision, verify
from tests.common import CRITERIA
from tests.store.conftest import Raw

GIAY_KHEN = "giay-khen-chu-tich-ubnd-huyen-bac-giang"
INITIATIVE = {"id": "SK-2024-015", "kind": "sang_kien", "period": 2024,
              "description": "Phần mềm quản lý hồ sơ một cửa"}


def _record_text(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "BG-2024-CN-0042", "name": "Lê Thị Mai", "subject": "ca_nhan",
        "unit": "UBND xã Tân Dĩnh", "period": 2024,
        "facts": {"rating": "hoan_thanh_xuat_sac", "disciplined": False,
                  "initiatives_recognized": 1, "achievement_score": 88.5},
        "achievements": [INITIATIVE]}
    record.update(changes)
    return record


def _record(db: str, tmp_path: Path, *records: dict[str, Any] | str) -> Any:
    """Judge a nominee file (records as dicts, or raw JSON text to control spelling) by
    the Giấy khen and record it."""
    path = tmp_path / "nominees.json"
    if len(records) == 1 and isinstance(records[0], str):
        path.write_text(records[0], encoding="utf-8")
    else:
        path.write_text(json.dumps(list(records), ensure_ascii=False), encoding="utf-8")
    choose, _ = choose_rule(GIAY_KHEN, CRITERIA)
    report = evaluate_file(path, choose)
    assert report.clean, [e.render("en") for e in report.problems]
    with Store.open(db) as store:
        return store.record_report(report, actor="thư ký", command="test")


def _ok(db: str) -> None:
    report = verify(db)
    assert report.ok, [f.render("en") for f in report.findings]


def test_the_spelling_of_a_number_or_a_null_is_not_a_second_decision(db: str,
                                                                    tmp_path: Path) -> None:
    first = _record(db, tmp_path, _record_text())
    assert first.recorded == 1
    spelled = json.dumps([_record_text()], ensure_ascii=False).replace("88.5", "88.50")
    assert '"achievement_score": 88.50' in spelled
    again = _record(db, tmp_path, spelled)
    assert (again.recorded, again.already_recorded) == (0, 1)
    # an explicit null is the same as leaving the fact out
    absent = _record_text(id="BG-2024-CN-0043")
    del absent["facts"]["achievement_score"]
    assert _record(db, tmp_path, absent).recorded == 1
    with_null = _record_text(id="BG-2024-CN-0043")
    with_null["facts"]["achievement_score"] = None
    assert _record(db, tmp_path, with_null).recorded == 0
    _ok(db)


def test_a_changed_fact_supersedes_and_exactly_one_decision_stands(db: str,
                                                                  tmp_path: Path) -> None:
    _record(db, tmp_path, _record_text())
    corrected = _record_text()
    corrected["facts"] = {**corrected["facts"], "rating": "hoan_thanh"}
    summary = _record(db, tmp_path, corrected)
    assert summary.recorded == 1
    earlier, later = show_decision(db, 1), show_decision(db, 2)
    assert [entry.id for entry in later.line] == [1, 2]
    assert later.line[-1].supersedes == 1 and later.line[-1].correction == ("facts",)
    assert later.current and not earlier.current
    assert (earlier.outcome, later.outcome) == ("dat", "khong_dat")
    _ok(db)


@pytest.mark.parametrize(("change", "field"), [
    ({"name": "Lê Thị Mai Anh"}, "name"),
    ({"unit": "UBND xã Song Khê"}, "unit"),
    ({"achievements": []}, "achievements"),
])
def test_name_unit_and_achievement_corrections_are_recorded_not_dropped(
        db: str, tmp_path: Path, change: dict[str, Any], field: str) -> None:
    _record(db, tmp_path, _record_text())
    summary = _record(db, tmp_path, _record_text(**change))
    assert summary.recorded == 1
    assert show_decision(db, 2).line[-1].correction == (field,)
    _ok(db)


def test_going_back_to_the_first_facts_is_a_correction_again(db: str, tmp_path: Path) -> None:
    _record(db, tmp_path, _record_text())
    _record(db, tmp_path, _record_text(name="Lê Thị Mai Anh"))
    back = _record(db, tmp_path, _record_text())
    assert back.recorded == 1
    line = show_decision(db, 3).line
    assert [(entry.id, entry.supersedes) for entry in line] == [(1, None), (2, 1), (3, 2)]
    assert _record(db, tmp_path, _record_text()).recorded == 0  # now it is the current one
    _ok(db)


def test_a_correction_releases_the_achievement_it_no_longer_rewards(db: str,
                                                                   tmp_path: Path) -> None:
    """Mai's initiative was rewarded by her Giấy khen; the council corrects her record
    (the initiative was not hers). Lan, whose initiative it was, may now be rewarded."""
    _record(db, tmp_path, _record_text())
    lan = _record_text(id="BG-2024-CN-0043", name="Nguyễn Thị Lan")
    blocked = _record(db, tmp_path, lan)
    assert blocked.decisions_recorded[0].outcome == "trung_thanh_tich"
    corrected = _record(db, tmp_path, _record_text(achievements=[]))
    assert corrected.recorded == 1
    again = _record(db, tmp_path, _record_text(id="BG-2024-CN-0043", name="Nguyễn Thị Lan",
                                               unit="UBND xã Song Khê"))
    assert again.decisions_recorded[0].outcome == "dat"
    _ok(db)


def test_a_deleted_use_row_is_named_from_the_chain(db: str, tmp_path: Path, raw: Raw) -> None:
    _record(db, tmp_path, _record_text())
    with raw.tampering() as connection:
        connection.exec_driver_sql("DELETE FROM achievement_uses")
    findings = verify(db).findings
    assert [(f.table, f.row, f.key) for f in findings] == [
        ("decisions", 1, "audit.use_row_missing")]


def test_a_forged_use_row_is_named(db: str, tmp_path: Path, raw: Raw) -> None:
    """A row making an innocent claimant look already rewarded is not in the chain."""
    _record(db, tmp_path, _record_text(), _record_text(id="BG-2024-CN-0043", achievements=[
        {**INITIATIVE, "id": "SK-2024-016"}]))
    raw.run("INSERT INTO achievement_uses (id, achievement_id, decision_id, nominee_id, "
            "rule_id, rule_version, period, rank) VALUES (99, 'SK-2024-016', 1, "
            "'BG-2024-CN-0042', :rule, '2024.2', 2024, 10)", rule=GIAY_KHEN)
    findings = verify(db).findings
    assert ("achievement_uses", 99, "audit.use_not_in_chain") in [
        (f.table, f.row, f.key) for f in findings]


@pytest.mark.parametrize(("statement", "key"), [
    ("UPDATE decisions SET supersedes = NULL WHERE id = 2", "audit.event_hash"),
    ("UPDATE runs SET command = 'tdkt evaluate --rules khac' WHERE id = 1", "audit.event_hash"),
    ("UPDATE runs SET actor = 'người khác' WHERE id = 2", "audit.event_hash"),
    ("UPDATE submissions SET submitted_at = '2020-01-01 00:00:00' WHERE id = 1",
     "audit.event_hash"),
    ("UPDATE rule_files SET title = 'Giấy khen khác'", "audit.rule_metadata"),
    ("UPDATE rule_files SET version = '2099.1'", "audit.rule_metadata"),
    ("UPDATE rule_files SET effective_from = '2020-01-01'", "audit.rule_metadata"),
])
def test_every_field_audit_show_prints_is_vouched_for(db: str, tmp_path: Path, raw: Raw,
                                                      statement: str, key: str) -> None:
    _record(db, tmp_path, _record_text())
    _record(db, tmp_path, _record_text(name="Lê Thị Mai Anh"))
    _ok(db)
    if raw.postgres:
        statement = statement.replace("'2020-01-01 00:00:00'", "'2020-01-01 00:00:00+00'")
    with raw.tampering() as connection:
        connection.exec_driver_sql(statement)
    assert key in {f.key for f in verify(db).findings}


names = st.sampled_from(["Lê Thị Mai", "Lê Thị Mai Anh"])
scores = st.sampled_from(["88.5", "88.50", "1", "1.0"])
claims = st.sampled_from([[INITIATIVE], []])
steps = st.lists(st.tuples(st.sampled_from(["A", "B"]), names, scores, claims),
                 min_size=1, max_size=6)


_examples = itertools.count(1)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=steps)
def test_any_sequence_of_records_and_corrections_leaves_one_current_decision_per_line(
        db: str, tmp_path: Path, steps: list[tuple[str, str, str, list[Any]]]) -> None:
    """Whatever is recorded and corrected, in any order and spelling: verify accepts the
    store, every nominee has one current decision, each correction names the one before,
    and a decision is added exactly when the content (as typed) changed. Each example uses
    new nominee ids in the same store, so earlier examples are checked again too."""
    example = next(_examples)
    Store.open(db).close()
    before = verify(db).decisions
    last: dict[str, tuple[str, str, bool]] = {}
    expected = before
    for nominee, name, score, achievements in steps:
        ident = f"P{example}-{nominee}"
        text = json.dumps([_record_text(id=ident, name=name, achievements=achievements)],
                          ensure_ascii=False).replace("88.5", score)
        content = (name, str(float(score)), bool(achievements))
        expected += last.get(ident) != content
        last[ident] = content
        _record(db, tmp_path, text)
    report = verify(db)
    assert report.ok, [f.render("en") for f in report.findings]
    assert report.decisions == expected
    for ident in {f"P{example}-{n}" for n, *_ in steps}:
        with Store.open(db) as store:
            events = store.log(nominee=ident)
        ids = sorted({e.decision_id for e in events if e.decision_id is not None})
        line = show_decision(db, ids[-1]).line
        assert [entry.id for entry in line] == ids
        assert [entry.supersedes for entry in line] == [None, *ids[:-1]]


def test_the_command_line_says_what_was_corrected_and_shows_the_line(
        db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A secretary re-submits a corrected file: tdkt says how many decisions are
    corrections, and `audit show` (at 80 columns) prints the line with the one that stands."""
    from click.testing import CliRunner

    from cli import main

    monkeypatch.setenv("TDKT_CRITERIA_DIR", str(CRITERIA))
    monkeypatch.setenv("COLUMNS", "80")
    for name in ("TDKT_LANG", "TDKT_DATABASE_URL", "TDKT_ACTOR"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()

    def evaluate(record: dict[str, Any]) -> str:
        path = tmp_path / "nominees.json"
        path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
        result = runner.invoke(main, ["evaluate", "--rules", GIAY_KHEN, "--nominees",
                                      str(path), "--record", "--db", db, "--actor", "lan"],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    evaluate(_record_text())
    said = evaluate(_record_text(unit="UBND xã Song Khê"))
    assert "1 quyết định là đính chính" in said
    shown = runner.invoke(main, ["audit", "show", "1", "--db", db], catch_exceptions=False)
    assert shown.exit_code == 0, shown.output
    assert "đã được thay bằng quyết định 2" in shown.output
    assert "đơn vị" in shown.output and "có hiệu lực" in shown.output
    assert max(len(line) for line in shown.output.splitlines()) <= 80
    english = runner.invoke(main, ["audit", "show", "2", "--db", db, "--lang", "en", "--json"],
                            catch_exceptions=False)
    data = json.loads(english.output)
    assert data["current"] is True and data["form"] == 2
    assert [entry["correction"] for entry in data["line"]] == [[], ["unit"]]


def test_verify_s_fast_chain_path_takes_every_honest_event_and_changes_no_finding(
        db: str, tmp_path: Path, raw: Raw, monkeypatch: pytest.MonkeyPatch) -> None:
    """verify rebuilds a recorded event with the recorder's template first: on an honest
    store it accepts every one; on an edited store the findings are exactly those of the
    generic path (which it falls back to)."""
    from criteria_engine.store import _audit

    _record(db, tmp_path, _record_text(), _record_text(id="BG-2024-CN-0043", unit=None))
    _record(db, tmp_path, _record_text(name="Lê Thị Mai Anh"))
    taken: list[bool] = []
    original = _audit._RecordedTexts.intact

    def spy(self: Any, row: Any) -> bool:
        result = original(self, row)
        if row.kind == "recorded":
            taken.append(result)
        return result

    monkeypatch.setattr(_audit._RecordedTexts, "intact", spy)
    _ok(db)
    assert taken == [True, True, True]
    edits = ["UPDATE decisions SET claims = '[ ]' WHERE id = 2",
             "UPDATE decisions SET name = 'Lê Thị Mai Ánh' WHERE id = 3",
             "UPDATE submissions SET unit = 'khác' WHERE id = 1"]
    with raw.tampering() as connection:
        for edit in edits:
            connection.exec_driver_sql(edit)
    fast = [f.render("en") for f in verify(db).findings]
    monkeypatch.setattr(_audit._RecordedTexts, "intact", lambda self, row: False)
    assert [f.render("en") for f in verify(db).findings] == fast
    assert fast
