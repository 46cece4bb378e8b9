"""Deferral: the outcome ``hoan_xet``, a nominee not refused but not judged for now.

NĐ 152/2025/NĐ-CP Điều 4 khoản 4 (before 2025-07-01: NĐ 98/2023/NĐ-CP Điều 4 khoản 4).
The rule used here is ``tests/fixtures/deferral/hoan-xet-thu/2025.1.yaml``: two deferral
conditions (discipline under consideration; a complaint being verified), one gate
(rated good or better) and one criterion worth the 10 points the title needs.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from criteria_engine.achievements import resolve_achievements
from criteria_engine.errors import Location, RecordError, RuleFileError
from criteria_engine.evaluator import CompiledRule, Decision, evaluate, without_deferral
from criteria_engine.library import load_rule
from criteria_engine.nominees import Nominee, bind_facts
from criteria_engine.report import decision_to_dict, decision_to_json, outcome_reason
from tests.common import FIXTURES

RULE_PATH = FIXTURES / "deferral" / "hoan-xet-thu" / "2025.1.yaml"

#: Meets every criterion, nothing pending.
CLEAN: dict[str, Any] = {"rating": "hoan_thanh_tot", "score": Decimal(90),
                         "under_discipline_review": False, "complaints_pending": 0}


@pytest.fixture(scope="module")
def rule() -> CompiledRule:
    return load_rule(RULE_PATH)


def judge(rule: CompiledRule, facts: dict[str, Any], *, nominee: str = "HX-1") -> Decision:
    record = Nominee(id=nominee, name="Người thử", subject="ca_nhan", period=2025,
                     facts={k: v for k, v in facts.items() if v is not None})
    bound = bind_facts(rule.model, record, Location(record=nominee))
    return evaluate(rule, bound, nominee_id=nominee, period=2025)


def deferral(decision: Decision) -> dict[str, str]:
    return {d.id: d.result for d in decision.deferral}


# --- the law's case ------------------------------------------------------------------


def test_a_pending_complaint_defers_a_nominee_who_meets_every_criterion(rule: CompiledRule) -> None:
    """NĐ 152/2025 Điều 4 k4: "Chưa khen thưởng hoặc đề nghị cấp trên khen thưởng … trong
    thời gian … có đơn thư khiếu nại, tố cáo … đang được xác minh làm rõ".

    "Chưa khen thưởng" is *not yet*: the nominee is deferred (``hoan_xet``), not refused
    (``khong_dat``); the criteria are still judged and shown.
    """
    decision = judge(rule, {**CLEAN, "complaints_pending": 1})
    assert decision.outcome == "hoan_xet"
    assert deferral(decision) == {"dang_xem_xet_ky_luat": "clear", "don_thu_dang_xac_minh": "holds"}
    assert [c.result for c in decision.criteria] == ["pass", "pass"]
    assert decision.points == Decimal(10)
    assert outcome_reason(decision, "vi") == (
        "hoãn xét, chưa khen thưởng trong thời gian: "
        "Có đơn thư khiếu nại, tố cáo đang được xác minh làm rõ")
    assert outcome_reason(decision, "en") == (
        "deferred, not rewarded for now: A complaint or denunciation is being verified")


def test_discipline_under_consideration_defers_too_and_the_reason_names_every_condition(
        rule: CompiledRule) -> None:
    """NĐ 152/2025 Điều 4 k4: "… trong thời gian cơ quan có thẩm quyền đang xem xét thi hành
    kỷ luật …"."""
    decision = judge(rule, {**CLEAN, "under_discipline_review": True, "complaints_pending": 2})
    assert decision.outcome == "hoan_xet"
    assert [d.id for d in decision.deferred_by] == ["dang_xem_xet_ky_luat", "don_thu_dang_xac_minh"]
    assert outcome_reason(decision, "vi") == (
        "hoãn xét, chưa khen thưởng trong thời gian: Đang trong thời gian cơ quan có thẩm quyền "
        "xem xét thi hành kỷ luật; Có đơn thư khiếu nại, tố cáo đang được xác minh làm rõ")


def test_nothing_pending_leaves_the_criteria_to_decide(rule: CompiledRule) -> None:
    decision = judge(rule, CLEAN)
    assert decision.outcome == "dat"
    assert deferral(decision) == {"dang_xem_xet_ky_luat": "clear", "don_thu_dang_xac_minh": "clear"}
    assert decision.deferred_by == ()


# --- precedence (pinned: the shared design's "any condition true → hoan_xet") ------------


@pytest.mark.parametrize(("facts", "without"), [
    ({"rating": "hoan_thanh"}, "khong_dat"),               # a gate fails
    ({"score": Decimal(50)}, "khong_dat"),                 # points short of the minimum
    ({"score": None}, "thieu_du_lieu"),                    # a criterion's fact is missing
    ({}, "dat"),
])
def test_a_condition_that_holds_wins_over_every_outcome_of_the_criteria(
        rule: CompiledRule, facts: dict[str, Any], without: str) -> None:
    """While a condition holds the law says not to judge at all ("chưa khen thưởng"), so
    ``hoan_xet`` wins even over ``khong_dat``: refusing now would be judging the merits
    the law says to leave until the matter is cleared."""
    clear = judge(rule, {**CLEAN, **facts})
    assert clear.outcome == without
    deferred = judge(rule, {**CLEAN, **facts, "under_discipline_review": True})
    assert deferred.outcome == "hoan_xet"
    assert [c.result for c in deferred.criteria] == [c.result for c in clear.criteria]
    assert deferred.points == clear.points


# --- missing deferral facts ----------------------------------------------------------


def test_a_missing_deferral_fact_leaves_a_meeting_nominee_undecided(rule: CompiledRule) -> None:
    decision = judge(rule, {**CLEAN, "under_discipline_review": None})
    assert decision.outcome == "thieu_du_lieu"
    assert deferral(decision)["dang_xem_xet_ky_luat"] == "missing"
    assert decision.missing_inputs == ("under_discipline_review",)
    assert outcome_reason(decision, "vi") == (
        "kết quả phụ thuộc dữ kiện còn thiếu: Đang bị xem xét kỷ luật")


def test_a_missing_deferral_fact_does_not_save_a_nominee_who_fails_anyway(
        rule: CompiledRule) -> None:
    decision = judge(rule, {**CLEAN, "rating": "hoan_thanh", "complaints_pending": None})
    assert decision.outcome == "khong_dat"


def test_a_condition_known_to_hold_decides_even_when_another_is_missing(
        rule: CompiledRule) -> None:
    decision = judge(rule, {**CLEAN, "under_discipline_review": True, "complaints_pending": None})
    assert decision.outcome == "hoan_xet"
    assert deferral(decision) == {"dang_xem_xet_ky_luat": "holds",
                                  "don_thu_dang_xac_minh": "missing"}


# --- achievements ------------------------------------------------------------------------


def test_a_deferred_decision_rewards_no_achievement(rule: CompiledRule) -> None:
    """Luật 2022 Điều 5 k2 c: an achievement is rewarded once; a deferred nominee is not
    rewarded, so the achievement stays free for when the matter is cleared."""
    facts = {**CLEAN, "complaints_pending": 1}
    record = Nominee(id="HX-2", name="Người thử", subject="ca_nhan", period=2025, facts=facts,
                     achievements=[{"id": "SK-01", "kind": "sang_kien", "period": 2025}])
    bound = bind_facts(rule.model, record, Location(record="HX-2"))
    deferred = evaluate(rule, bound, nominee_id="HX-2", period=2025)
    [resolved] = resolve_achievements([deferred], {"HX-2": record})
    assert (resolved.outcome, resolved.achievements) == ("hoan_xet", ())
    cleared = evaluate(rule, {**bound, "complaints_pending": Decimal(0)}, nominee_id="HX-2",
                       period=2025)
    [rewarded] = resolve_achievements([cleared], {"HX-2": record})
    assert (rewarded.outcome, rewarded.achievements) == ("dat", ("SK-01",))


# --- the rule file ----------------------------------------------------------------------


def test_a_deferral_condition_is_checked_at_load_with_its_file_and_line(tmp_path: Path) -> None:
    text = RULE_PATH.read_text(encoding="utf-8").replace(
        "expr: complaints_pending > 0", "expr: complaints_pendin > 0")
    path = tmp_path / "hoan-xet-thu" / "2025.1.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rule(path)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "complaints_pendin >" in row)
    assert (caught.value.where.line, caught.value.where.field) == (line, "deferral[1].expr")
    assert "complaints_pending" in caught.value.render("vi")


@pytest.mark.parametrize(("old", "new", "key"), [
    ("expr: under_discipline_review\n", "expr: complaints_pending\n", "expr.not_boolean"),
    ("  - id: don_thu_dang_xac_minh", "  - id: xep_loai", "rule.duplicate_criterion"),
    ("    expr: under_discipline_review\n", "    expr: under_discipline_review\n    gate: true\n",
     "rule.unknown_key"),
])
def test_a_malformed_deferral_is_a_load_error(tmp_path: Path, old: str, new: str,
                                              key: str) -> None:
    text = RULE_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "hoan-xet-thu" / "2025.1.yaml"
    path.parent.mkdir()
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rule(path)
    keys = [caught.value.key, *(p.key for p in caught.value.more)]
    assert key in keys


def test_a_deferral_condition_that_cannot_be_computed_is_named(tmp_path: Path) -> None:
    text = RULE_PATH.read_text(encoding="utf-8").replace(
        "expr: complaints_pending > 0", "expr: score / complaints_pending > 0")
    path = tmp_path / "hoan-xet-thu" / "2025.1.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        judge(load_rule(path), CLEAN)
    assert caught.value.where.field == "don_thu_dang_xac_minh"


def test_without_deferral_judges_the_criteria_alone(rule: CompiledRule) -> None:
    alone = without_deferral(rule)
    decision = evaluate(alone, {**CLEAN, "under_discipline_review": True}, nominee_id="x",
                        period=2025)
    assert (decision.outcome, decision.deferral) == ("dat", ())
    assert without_deferral(alone) is alone


# --- what a council reads ------------------------------------------------------------------


def test_the_json_lists_each_condition_with_its_result_values_and_citation(
        rule: CompiledRule) -> None:
    decision = judge(rule, {**CLEAN, "complaints_pending": 3})
    data = decision_to_dict(decision, "vi")
    assert data["outcome"] == "hoan_xet"
    first, second = data["deferral"]
    assert first == {
        "id": "dang_xem_xet_ky_luat",
        "text": "Đang trong thời gian cơ quan có thẩm quyền xem xét thi hành kỷ luật",
        "expr": "under_discipline_review", "result": "clear",
        "values": {"under_discipline_review": False}, "params": {},
        "cite": [{"instrument": "Nghị định số 152/2025/NĐ-CP", "article": 4, "clause": 4,
                  "verified": True, "text": "Điều 4, khoản 4, Nghị định số 152/2025/NĐ-CP"}],
    }
    assert (second["result"], second["values"]) == ("holds", {"complaints_pending": 3})
    assert second["cite"][0]["verified"] is False
    assert json.loads(decision_to_json(decision, "en")) == json.loads(
        json.dumps(decision_to_dict(decision, "en"), default=str))


def test_a_rule_without_deferral_has_an_empty_deferral_list(rule: CompiledRule) -> None:
    from criteria_engine.library import RuleLibrary
    from tests.common import CRITERIA

    ldtt = RuleLibrary.load([CRITERIA]).get("lao-dong-tien-tien", "2024.1")
    assert ldtt.deferral == ()
    facts = dict.fromkeys(ldtt.model.inputs)
    assert decision_to_dict(evaluate(ldtt, facts, nominee_id="x", period=2024))["deferral"] == []
