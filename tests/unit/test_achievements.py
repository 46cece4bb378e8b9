"""One achievement, one reward (Luật Thi đua, khen thưởng 2022, Điều 5 khoản 2 điểm c)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from criteria_engine import RuleLibrary, evaluate_file
from criteria_engine.achievements import claimed_achievements, resolve_achievements
from criteria_engine.evaluator import AchievementUse
from criteria_engine.library import RuleChooser
from criteria_engine.report import decision_to_dict, outcome_reason
from tests.common import CRITERIA

INITIATIVE = {"id": "SK-2023-015", "kind": "sang_kien", "period": 2023,
              "description": "Phần mềm quản lý hồ sơ một cửa"}


@pytest.fixture(scope="module")
def library() -> RuleLibrary:
    return RuleLibrary.load([CRITERIA])


#: Facts of LĐTT, CSTĐCS and the Giấy khen; tests drop what a rule does not declare.
ALL_FACTS = {"rating": "hoan_thanh_xuat_sac", "disciplined": False,
             "administrative_sanction": False, "initiatives_recognized": 1,
             "research_accepted": False, "achievement_score": 95}
CSTDCS_FACTS = {k: v for k, v in ALL_FACTS.items() if k != "achievement_score"}


def _nominee_file(tmp_path: Path, *, achievements: list[dict[str, object]],
                  facts: dict[str, object] | None = None) -> Path:
    record = {
        "id": "BG-2024-CN-0099", "name": "Nguyễn Văn An", "subject": "ca_nhan",
        "unit": "UBND xã Tân Dĩnh", "period": 2024, "facts": facts or ALL_FACTS,
        "achievements": achievements,
    }
    path = tmp_path / "nominees.json"
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    return path


def _choosers(library: RuleLibrary, *rule_ids: str) -> list[RuleChooser]:
    return [functools.partial(library.in_force, rule_id) for rule_id in rule_ids]


def test_two_titles_in_one_run_keep_the_higher_form(library: RuleLibrary,
                                                     tmp_path: Path) -> None:
    path = _nominee_file(tmp_path, achievements=[INITIATIVE])
    report = evaluate_file(path, *_choosers(library, "giay-khen-chu-tich-ubnd-huyen-bac-giang",
                                            "chien-si-thi-dua-co-so"))
    assert report.clean, [p.render() for p in report.problems]
    by_rule = {d.rule.id: d for d in report.decisions}
    kept = by_rule["chien-si-thi-dua-co-so"]
    set_aside = by_rule["giay-khen-chu-tich-ubnd-huyen-bac-giang"]
    assert kept.outcome == "dat" and kept.achievements == ("SK-2023-015",)
    assert set_aside.outcome == "trung_thanh_tich"
    assert set_aside.conflict is not None and set_aside.conflict.set_aside
    assert set_aside.conflict.holder.rule_id == "chien-si-thi-dua-co-so"
    assert "chien-si-thi-dua-co-so" in outcome_reason(set_aside)
    assert "Điều 5 khoản 2 điểm c" in outcome_reason(set_aside)


def test_an_achievement_rewarded_in_2023_blocks_a_second_form_in_2024(
        library: RuleLibrary, tmp_path: Path) -> None:
    path = _nominee_file(tmp_path, achievements=[INITIATIVE], facts=CSTDCS_FACTS)
    report = evaluate_file(path, *_choosers(library, "chien-si-thi-dua-co-so"))
    earlier = AchievementUse(achievement_id="SK-2023-015", nominee_id="BG-2023-CN-0007",
                             rule_id="giay-khen-chu-tich-ubnd-huyen-bac-giang",
                             rule_version="2024.1", period=2023, rank=10, decision_id=41)
    [decision] = resolve_achievements(report.decisions, report.nominees,
                                      {"SK-2023-015": [earlier]})
    assert decision.outcome == "trung_thanh_tich"
    reason = outcome_reason(decision)
    assert "quyết định số 41" in reason and "2023" in reason
    assert "decision #41" in outcome_reason(decision, "en")
    data = decision_to_dict(decision)
    assert data["conflict"]["holder"]["decision_id"] == 41


def test_judging_the_same_award_again_is_not_a_second_reward(library: RuleLibrary,
                                                            tmp_path: Path) -> None:
    path = _nominee_file(tmp_path, achievements=[INITIATIVE], facts=CSTDCS_FACTS)
    report = evaluate_file(path, *_choosers(library, "chien-si-thi-dua-co-so"))
    same = AchievementUse(achievement_id="SK-2023-015", nominee_id="BG-2024-CN-0099",
                          rule_id="chien-si-thi-dua-co-so", rule_version="2024.1",
                          period=2024, rank=30, decision_id=7)
    [decision] = resolve_achievements(report.decisions, report.nominees,
                                      {"SK-2023-015": [same]})
    assert decision.outcome == "dat"


def test_only_a_title_that_is_met_uses_an_achievement(library: RuleLibrary,
                                                     tmp_path: Path) -> None:
    path = _nominee_file(tmp_path, achievements=[INITIATIVE], facts=CSTDCS_FACTS)
    report = evaluate_file(path, *_choosers(library, "chien-si-thi-dua-co-so"))
    [decision] = report.decisions
    failed = decision._replace(outcome="khong_dat")
    assert claimed_achievements(failed, report.nominees[decision.nominee_id]) == ()


def test_kinds_a_title_does_not_reward_are_not_used(library: RuleLibrary,
                                                   tmp_path: Path) -> None:
    model = {**INITIATIVE, "id": "MH-2024-003", "kind": "mo_hinh"}
    path = _nominee_file(tmp_path, achievements=[model], facts=CSTDCS_FACTS)
    report = evaluate_file(path, *_choosers(library, "chien-si-thi-dua-co-so"))
    [decision] = report.decisions
    assert decision.outcome == "dat" and decision.achievements == ()


def test_ratings_are_facts_and_count_toward_several_titles(library: RuleLibrary,
                                                          tmp_path: Path) -> None:
    path = _nominee_file(tmp_path, achievements=[], facts=CSTDCS_FACTS)
    report = evaluate_file(path, *_choosers(library, "lao-dong-tien-tien",
                                            "chien-si-thi-dua-co-so"))
    assert {d.outcome for d in report.decisions} == {"dat"}


def test_an_achievement_without_an_id_names_the_record_and_field(library: RuleLibrary,
                                                                 tmp_path: Path) -> None:
    path = _nominee_file(tmp_path, achievements=[{"kind": "sang_kien", "period": 2023}],
                         facts=CSTDCS_FACTS)
    report = evaluate_file(path, *_choosers(library, "chien-si-thi-dua-co-so"))
    [problem] = report.problems
    assert problem.where.record == "BG-2024-CN-0099 (#1)"
    assert problem.where.field == "achievements.0.id"
    assert "thiếu trường bắt buộc" in problem.render("vi")


def test_several_rules_accept_each_others_facts_but_not_unknown_ones(
        library: RuleLibrary, tmp_path: Path) -> None:
    path = _nominee_file(tmp_path, achievements=[])
    alone = evaluate_file(path, *_choosers(library, "lao-dong-tien-tien"))
    assert {p.where.field for p in alone.problems} >= {"facts.initiatives_recognized"}
    together = evaluate_file(path, *_choosers(library, "lao-dong-tien-tien",
                                              "chien-si-thi-dua-co-so",
                                              "giay-khen-chu-tich-ubnd-huyen-bac-giang"))
    assert together.clean
