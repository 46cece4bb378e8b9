"""One achievement, one reward, across runs: the store remembers what it rewarded."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from criteria_engine import RuleLibrary, evaluate_file, load_rule
from criteria_engine.report import outcome_reason
from criteria_engine.store import Store
from tests.common import CRITERIA
from tests.store.conftest import Raw, report_for

INITIATIVE = {"id": "SK-2023-015", "kind": "sang_kien", "period": 2023,
              "description": "Phần mềm quản lý hồ sơ một cửa"}
FACTS = {"rating": "hoan_thanh_xuat_sac", "disciplined": False, "initiatives_recognized": 1}


def _giay_khen_2023(tmp_path: Path) -> Path:
    """The example Giấy khen as a province had it in force in 2023 (a separate rule file)."""
    text = (CRITERIA / "giay-khen-chu-tich-ubnd-huyen-bac-giang" / "2024.1.yaml").read_text(
        encoding="utf-8")
    path = tmp_path / "giay-khen-2023.yaml"
    path.write_text(text.replace('version: "2024.1"', 'version: "2023.1"')
                    .replace("from: 2024-01-01", "from: 2023-01-01"), encoding="utf-8")
    return path


def _records(tmp_path: Path, name: str, period: int, facts: dict[str, object]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps([{
        "id": f"BG-{period}-CN-0042", "name": "Lê Thị Mai", "subject": "ca_nhan",
        "unit": "UBND xã Tân Dĩnh", "period": period, "facts": facts,
        "achievements": [INITIATIVE]}], ensure_ascii=False), encoding="utf-8")
    return path


def test_an_achievement_rewarded_in_2023_blocks_a_second_form_in_2024(db: str,
                                                                    tmp_path: Path) -> None:
    giay_khen = load_rule(_giay_khen_2023(tmp_path))
    first = evaluate_file(_records(tmp_path, "2023.json", 2023,
                                   {**FACTS, "achievement_score": 95}), lambda _: giay_khen)
    library = RuleLibrary.load([CRITERIA])
    second = evaluate_file(_records(tmp_path, "2024.json", 2024,
                                    {**FACTS, "administrative_sanction": False,
                                     "research_accepted": False}),
                           functools.partial(library.in_force, "chien-si-thi-dua-co-so"))
    with Store.open(db) as store:
        earlier = store.record_report(first, actor="thu-ky", command="test")
        assert earlier.decisions_recorded[0].outcome == "dat"
        later = store.record_report(second, actor="thu-ky", command="test")
        [decision] = later.decisions_recorded
        assert decision.outcome == "trung_thanh_tich"
        assert decision.conflict is not None
        holder = decision.conflict.holder
        assert (holder.rule_id, holder.period) == ("giay-khen-chu-tich-ubnd-huyen-bac-giang", 2023)
        assert holder.decision_id == 1
        reason = outcome_reason(decision)
        assert "SK-2023-015" in reason and "kỳ 2023" in reason and "quyết định số 1" in reason
        # the reason is in the audit chain, and the chain still verifies
        events = store.log(nominee="BG-2024-CN-0042")
        assert any(e.kind == "annotated" and "quyết định số 1" in (e.reason or "")
                   for e in events)
        assert store.verify().ok
        # re-running records nothing twice, and the outcome stays the same
        again = store.record_report(second, actor="thu-ky", command="test")
        assert again.recorded == 0
        assert again.decisions_recorded[0].outcome == "trung_thanh_tich"


def test_the_first_award_is_not_blocked_by_its_own_record(db: str, tmp_path: Path) -> None:
    giay_khen = load_rule(_giay_khen_2023(tmp_path))
    report = evaluate_file(_records(tmp_path, "2023.json", 2023,
                                    {**FACTS, "achievement_score": 95}), lambda _: giay_khen)
    with Store.open(db) as store:
        store.record_report(report, actor="thu-ky", command="test")
        again = store.record_report(report, actor="thu-ky", command="test")
        assert again.decisions_recorded[0].outcome == "dat"


def test_verify_names_an_achievement_use_added_by_hand(db: str, raw: Raw) -> None:
    report = report_for("chien-si-thi-dua-co-so")
    with Store.open(db) as store:
        store.record_report(report, actor="thu-ky", command="test")
        assert store.verify().ok
    failed = raw.scalar("SELECT min(id) FROM decisions WHERE outcome = 'khong_dat'")
    raw.run("INSERT INTO achievement_uses (id, achievement_id, decision_id, nominee_id, rule_id,"
            " rule_version, period, rank) VALUES (99, 'SK-GIA', :d, 'X', 'chien-si-thi-dua-co-so',"
            " '2024.1', 2024, 30)", d=failed)
    with Store.open(db) as store:
        findings = store.verify().findings
    assert [(f.table, f.row, f.key) for f in findings] == [
        ("achievement_uses", 99, "audit.use_not_in_chain")]
