"""Caps: a quota of a title per unit and period (issue 10 point 4), ranking and tie-break.

The rules used here are under ``tests/fixtures/caps/``: ``chi-tieu-so-luong`` (at most 3 a
unit), ``chi-tieu-ti-le`` (15 % of the unit's headcount) and ``chi-tieu-theo-danh-hieu``
(30 % of the unit's holders of "Lao động tiên tiến"); each has a gate (score ≥ 50), 10
points for a score ≥ 80 and 5 for an initiative, and ranks by points, then seniority.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from criteria_engine.caps import apply_cap, cap_limit, cap_problems, tie_break_key
from criteria_engine.errors import RecordError, RuleFileError
from criteria_engine.evaluator import CompiledRule, Decision, evaluate
from criteria_engine.library import load_rule
from criteria_engine.nominees import Nominee
from criteria_engine.rules import parse_rule_file
from tests.common import FIXTURES

CAPS = FIXTURES / "caps"
COUNT = CAPS / "chi-tieu-so-luong" / "2025.1.yaml"
HEADCOUNT = CAPS / "chi-tieu-ti-le" / "2025.1.yaml"
TITLE = CAPS / "chi-tieu-theo-danh-hieu" / "2025.1.yaml"

BASE: dict[str, Any] = {"score": Decimal(90), "initiatives": 1, "seniority": 5,
                        "late_days": 0, "mentor": True, "rating": "tot"}


@pytest.fixture(scope="module")
def count_rule() -> CompiledRule:
    return load_rule(COUNT)


@pytest.fixture(scope="module")
def share_rule() -> CompiledRule:
    return load_rule(HEADCOUNT)


@pytest.fixture(scope="module")
def title_rule() -> CompiledRule:
    return load_rule(TITLE)


def judge(rule: CompiledRule, nominee: str, *, unit: str | None = "Phòng A", period: int = 2025,
          **facts: Any) -> Decision:
    return evaluate(rule, {**BASE, **facts}, nominee_id=nominee, period=period, unit=unit)


def outcomes(decisions: Sequence[Decision]) -> dict[str, str]:
    return {d.nominee_id: d.outcome for d in decisions}


def variant(tmp_path: Path, source: Path, *replacements: tuple[str, str]) -> Path:
    """A copy of a fixture with some text replaced, in the ``<id>/<version>.yaml`` layout."""
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    target = tmp_path / source.parent.name / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


# --- examples ---------------------------------------------------------------------------


def test_a_cap_of_three_keeps_the_three_best_by_points(count_rule: CompiledRule) -> None:
    decisions = [
        judge(count_rule, "NV-1", score=Decimal(60), initiatives=0),   # 0 points
        judge(count_rule, "NV-2"),                                     # 15
        judge(count_rule, "NV-3", initiatives=0),                      # 10
        judge(count_rule, "NV-4", score=Decimal(70)),                  # 5
        judge(count_rule, "NV-5", score=Decimal(95)),                  # 15, tie with NV-2
    ]
    assert {d.outcome for d in decisions} == {"dat"}
    result = apply_cap(count_rule, decisions)
    assert result.problems == []
    assert [d.nominee_id for d in result.decisions] == ["NV-1", "NV-2", "NV-3", "NV-4", "NV-5"]
    assert outcomes(result.decisions) == {"NV-1": "loai_do_chi_tieu", "NV-2": "dat",
                                          "NV-3": "dat", "NV-4": "loai_do_chi_tieu",
                                          "NV-5": "dat"}
    placements = {d.nominee_id: d.cap for d in result.decisions}
    assert placements["NV-3"] is not None and placements["NV-3"].rank == 3
    assert placements["NV-4"] is not None and placements["NV-4"].rank == 4
    placement = placements["NV-1"]
    assert placement is not None
    assert (placement.group, placement.period, placement.rank, placement.limit,
            placement.group_size, placement.within) == ("Phòng A", 2025, 5, 3, 5, False)
    assert placement.base is None and placement.ratio is None
    # the values ranked on, then the tie-break hash
    assert placement.keys == ("0", "5", tie_break_key("chi-tieu-so-luong", 2025, "NV-1"))


def test_inside_the_cap_nothing_but_the_placement_changes(count_rule: CompiledRule) -> None:
    decisions = [judge(count_rule, f"NV-{i}") for i in range(3)]
    result = apply_cap(count_rule, decisions)
    for before, after in zip(decisions, result.decisions, strict=True):
        assert after.cap is not None and after.cap.within
        assert after._replace(cap=None) == before


def test_past_the_cap_rewards_no_achievement(count_rule: CompiledRule) -> None:
    decisions = [judge(count_rule, f"NV-{i}", seniority=i)._replace(achievements=(f"SK-{i}",))
                 for i in range(4)]
    result = apply_cap(count_rule, decisions)
    past = [d for d in result.decisions if d.outcome == "loai_do_chi_tieu"]
    assert [d.nominee_id for d in past] == ["NV-0"]   # the least seniority
    assert past[0].achievements == ()


def test_ties_on_points_go_by_the_next_rank_by_key(count_rule: CompiledRule) -> None:
    decisions = [judge(count_rule, f"NV-{i}", seniority=s)
                 for i, s in enumerate([3, 10, 1, 7, None])]
    result = apply_cap(count_rule, decisions)
    ranks = {d.nominee_id: d.cap.rank for d in result.decisions if d.cap is not None}
    # seniority higher first (better not declared: higher), missing last
    assert ranks == {"NV-1": 1, "NV-3": 2, "NV-0": 3, "NV-2": 4, "NV-4": 5}


@pytest.mark.parametrize(("rank_by", "values", "order"), [
    ("late_days", [4, 0, 2, None], ["NV-1", "NV-2", "NV-0", "NV-3"]),   # better: lower
    ("mentor", [False, True, None, True], ["NV-1", "NV-3", "NV-0", "NV-2"]),  # yes before no
])
def test_rank_by_follows_the_inputs_better_direction(tmp_path: Path, rank_by: str,
                                                     values: list[Any], order: list[str]) -> None:
    rule = load_rule(variant(tmp_path, COUNT, ("rank_by: [points, seniority]",
                                               f"rank_by: [{rank_by}]"),
                             ("value: 3\n", "value: 10\n")))
    decisions = [judge(rule, f"NV-{i}", **{rank_by: v}) for i, v in enumerate(values)]
    result = apply_cap(rule, decisions)
    ranked = sorted((d for d in result.decisions), key=lambda d: d.cap.rank if d.cap else 0)
    # equal values fall to the hash: compare only where values differ
    got = [d.nominee_id for d in ranked]
    if rank_by == "mentor":
        yes = sorted(["NV-1", "NV-3"], key=lambda n: tie_break_key(rule.id, 2025, n))
        order = [*yes, "NV-0", "NV-2"]
    assert got == order


def test_non_dat_decisions_are_untouched_and_take_no_place(count_rule: CompiledRule) -> None:
    failed = judge(count_rule, "NV-X", score=Decimal(10))           # fails the gate
    missing = judge(count_rule, "NV-Y", score=None)                 # thieu_du_lieu
    assert (failed.outcome, missing.outcome) == ("khong_dat", "thieu_du_lieu")
    others = [judge(count_rule, f"NV-{i}", seniority=i) for i in range(4)]
    result = apply_cap(count_rule, [failed, *others, missing])
    assert result.decisions[0] == failed and result.decisions[-1] == missing
    assert {d.cap.group_size for d in result.decisions[1:-1] if d.cap} == {4}
    assert outcomes(result.decisions)["NV-0"] == "loai_do_chi_tieu"


def test_groups_are_unit_and_period(count_rule: CompiledRule) -> None:
    decisions = ([judge(count_rule, f"A-{i}", unit="Phòng A") for i in range(4)]
                 + [judge(count_rule, f"B-{i}", unit="Phòng B") for i in range(3)]
                 + [judge(count_rule, f"A-{i}", unit="Phòng A", period=2024) for i in range(2)])
    result = apply_cap(count_rule, decisions)
    past = [(d.nominee_id, d.period) for d in result.decisions if d.outcome == "loai_do_chi_tieu"]
    assert len(past) == 1 and past[0][0].startswith("A-") and past[0][1] == 2025
    groups = {(d.cap.group, d.cap.period, d.cap.group_size) for d in result.decisions if d.cap}
    assert groups == {("Phòng A", 2025, 4), ("Phòng B", 2025, 3), ("Phòng A", 2024, 2)}


def test_a_cap_without_a_unit_is_reported_and_the_rest_still_capped(
        count_rule: CompiledRule) -> None:
    decisions = [judge(count_rule, f"NV-{i}", seniority=i) for i in range(4)]
    lost = judge(count_rule, "NV-9", unit=None)
    blank = judge(count_rule, "NV-8", unit="  ")
    failed = judge(count_rule, "NV-7", unit=None, score=Decimal(1))  # not ranked: no problem
    result = apply_cap(count_rule, [lost, *decisions, blank, failed])
    assert [(p.key, p.where.record, p.where.field) for p in result.problems] == [
        ("cap.no_unit", "NV-9", "unit"), ("cap.no_unit", "NV-8", "unit")]
    assert all(isinstance(p, RecordError) for p in result.problems)
    assert "NV-9" in result.problems[0].render("vi") and "unit" in result.problems[0].render("en")
    assert result.decisions[0] == lost and result.decisions[-2] == blank
    assert outcomes(result.decisions[1:5]) == {"NV-0": "loai_do_chi_tieu", "NV-1": "dat",
                                               "NV-2": "dat", "NV-3": "dat"}


def test_the_record_gives_the_unit_when_the_decision_has_none(count_rule: CompiledRule) -> None:
    decision = judge(count_rule, "NV-1", unit=None)
    record = Nominee(id="NV-1", name="Người thử", subject="ca_nhan", period=2025, unit="Phòng C")
    result = apply_cap(count_rule, [decision], nominees={"NV-1": record})
    assert result.problems == []
    assert result.decisions[0].cap is not None and result.decisions[0].cap.group == "Phòng C"


def test_other_rules_decisions_pass_through(count_rule: CompiledRule,
                                            share_rule: CompiledRule) -> None:
    other = judge(share_rule, "NV-1")
    result = apply_cap(count_rule, [other])
    assert result.decisions == [other]


# --- the law's case: a tie at the last place, in any input order ---------------------------

_IDS = st.lists(st.from_regex(r"[A-Z]{2}-[0-9]{1,5}", fullmatch=True), min_size=5, max_size=5,
                unique=True)


@given(ids=_IDS, data=st.data())
def test_a_tie_at_rank_three_resolves_by_the_hash_in_any_order(ids: list[str],
                                                               data: st.DataObject) -> None:
    """A cap of 3; two nominees clearly ahead, three tied on every ``rank_by`` key for
    the third place. The tie goes to the smallest SHA-256 of "rule|period|id" — the
    same whatever the order of the records."""
    rule = load_rule(COUNT)
    ahead, tied = ids[:2], ids[2:]
    decisions = ([judge(rule, n, seniority=20) for n in ahead]
                 + [judge(rule, n, seniority=3) for n in tied])
    expected = apply_cap(rule, decisions).decisions
    winner = min(tied, key=lambda n: tie_break_key(rule.id, 2025, n))
    assert outcomes(expected) == {n: "dat" if n in ahead or n == winner else "loai_do_chi_tieu"
                                  for n in ids}
    shuffled = data.draw(st.permutations(decisions))
    again = apply_cap(rule, shuffled).decisions
    assert [d.nominee_id for d in again] == [d.nominee_id for d in shuffled]
    assert {d.nominee_id: (d.outcome, d.cap) for d in again} == {
        d.nominee_id: (d.outcome, d.cap) for d in expected}


def test_the_tie_break_is_documented_sha256() -> None:
    import hashlib

    assert tie_break_key("r", 2025, "NV-1") == hashlib.sha256(b"r|2025|NV-1").hexdigest()


# --- limits and rounding ---------------------------------------------------------------


@pytest.mark.parametrize(("mode", "base", "limit"), [
    ("down", 18, 2), ("up", 18, 3), ("half_up", 18, 3),        # 2,7
    ("down", 10, 1), ("up", 10, 2), ("half_up", 10, 2),        # 1,5
    ("half_up", 9, 1),                                          # 1,35
    ("down", 20, 3), ("up", 20, 3), ("half_up", 20, 3),        # 3 exactly
    ("up", 0, 0), ("down", 6, 0), ("up", 6, 1),                # 0,9
])
def test_share_of_headcount_rounds_by_the_param(tmp_path: Path, mode: str, base: int,
                                                limit: int) -> None:
    rule = load_rule(variant(tmp_path, HEADCOUNT, ("value: down", f"value: {mode}")))
    value = cap_limit(rule, base=base)
    assert (value.limit, value.base, value.ratio, value.rounding) == (
        limit, base, Decimal("0.15"), mode)


def test_share_of_headcount_uses_the_groups_headcount(share_rule: CompiledRule) -> None:
    decisions = [judge(share_rule, f"NV-{i}", seniority=i) for i in range(5)]
    # 15 % of 20 people in the unit = 3
    result = apply_cap(share_rule, decisions, headcount={("Phòng A", 2025): 20})
    assert sum(d.outcome == "dat" for d in result.decisions) == 3
    placement = result.decisions[0].cap
    assert placement is not None
    assert (placement.limit, placement.base, placement.ratio) == (3, 20, Decimal("0.15"))
    # without a headcount: the rule's decisions in the group (5 × 0,15 = 0,75 → 0)
    alone = apply_cap(share_rule, decisions)
    assert {d.outcome for d in alone.decisions} == {"loai_do_chi_tieu"}
    assert alone.decisions[0].cap is not None and alone.decisions[0].cap.base == 5


def test_share_of_title_uses_the_holders_of_the_other_title(title_rule: CompiledRule) -> None:
    decisions = [judge(title_rule, f"NV-{i}", seniority=i) for i in range(5)]
    # 30 % of 10 holders of LĐTT = 3; of 7 = 2,1 → 2 (down)
    result = apply_cap(title_rule, decisions, holders={("Phòng A", 2025): 10})
    assert sum(d.outcome == "dat" for d in result.decisions) == 3
    result = apply_cap(title_rule, decisions, holders={("Phòng A", 2025): 7})
    assert sum(d.outcome == "dat" for d in result.decisions) == 2
    placement = result.decisions[4].cap
    assert placement is not None and (placement.base, placement.ratio) == (7, Decimal("0.3"))
    # a unit with no holders of the other title: nobody
    result = apply_cap(title_rule, decisions, holders={})
    assert {d.outcome for d in result.decisions} == {"loai_do_chi_tieu"}
    with pytest.raises(ValueError, match="holders"):
        apply_cap(title_rule, decisions)


# --- load-time checks ------------------------------------------------------------------


def problems_of(path: Path) -> list[tuple[str, str | None]]:
    return [(p.key, p.where.field) for p in cap_problems(parse_rule_file(path))]


def test_the_fixtures_caps_are_sound() -> None:
    for path in (COUNT, HEADCOUNT, TITLE):
        assert cap_problems(parse_rule_file(path)) == []


@pytest.mark.parametrize(("replacements", "expected"), [
    ((("value: down", "value: nearest"),),
     [("cap.rounding_value", "params.cap_rounding")]),
    ((("value: down", "value: 1"),),
     [("cap.rounding_value", "params.cap_rounding")]),
    ((("value: 3\n", "value: 2.5\n"),), [("cap.count_value", "params.cap_count")]),
    ((("value: 3\n", "value: -1\n"),), [("cap.count_value", "params.cap_count")]),
    ((("value: 3\n", "value: yes\n"),), [("cap.count_value", "params.cap_count")]),
    ((("count: cap_count", "count: cap_cuont"),), [("cap.param_unknown", "cap.limit.count")]),
    ((("rounding: cap_rounding", "rounding: lam_tron"),),
     [("cap.param_unknown", "cap.rounding")]),
    ((("rank_by: [points, seniority]", "rank_by: [points, senority]"),),
     [("cap.rank_by_unknown", "cap.rank_by[1]")]),
    ((("rank_by: [points, seniority]", "rank_by: [rating]"),),
     [("cap.rank_by_enum", "cap.rank_by[0]")]),
    ((("rank_by: [points, seniority]", "rank_by: [points, points]"),),
     [("cap.rank_by_twice", "cap.rank_by[1]")]),
    ((("    count: cap_count", "    count: cap_count\n    share_of_headcount: cap_count"),),
     [("cap.limit_choice", "cap.limit"), ("cap.ratio_value", "params.cap_count")]),
    ((("    count: cap_count", "    count: cap_count\n    ratio: cap_count"),),
     [("cap.ratio_without_title", "cap.limit.ratio"), ("cap.ratio_value", "params.cap_count")]),
    ((("    count: cap_count", "    share_of_title: lao-dong-tien-tien"),),
     [("cap.ratio_missing", "cap.limit")]),
    ((("    count: cap_count", "    share_of_title: chi-tieu-so-luong\n    ratio: cap_count"),),
     [("cap.own_title", "cap.limit.share_of_title"), ("cap.ratio_value", "params.cap_count")]),
])
def test_unsound_caps_are_refused_at_their_key(tmp_path: Path, replacements: Any,
                                               expected: list[tuple[str, str]]) -> None:
    assert problems_of(variant(tmp_path, COUNT, *replacements)) == expected


@pytest.mark.parametrize("ratio", ["1.5", "-0.1", "yes", "mot"])
def test_a_ratio_outside_zero_to_one_is_refused(tmp_path: Path, ratio: str) -> None:
    path = variant(tmp_path, HEADCOUNT, ("value: 0.15", f"value: {ratio}"))
    assert problems_of(path) == [("cap.ratio_value", "params.cap_share")]


def test_problems_carry_lines_and_both_languages(tmp_path: Path) -> None:
    path = variant(tmp_path, COUNT, ("value: down", "value: nearest"))
    [problem] = cap_problems(parse_rule_file(path))
    assert problem.where.line is not None and problem.where.path == str(path)
    assert "down, up, half_up" in problem.render("vi")
    assert "nearest" in problem.render("en")


def test_an_unsound_cap_is_refused_when_the_file_loads(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError) as raised:
        load_rule(variant(tmp_path, COUNT, ("value: down", "value: nearest")))
    assert raised.value.key == "cap.rounding_value"


def test_a_rule_without_a_cap_is_a_callers_mistake() -> None:
    rule = load_rule(FIXTURES / "deferral" / "hoan-xet-thu" / "2025.1.yaml")
    with pytest.raises(ValueError, match="no cap"):
        apply_cap(rule, [])
