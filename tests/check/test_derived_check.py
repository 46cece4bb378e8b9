"""``tdkt check`` on rules with derived inputs (history, same-period titles, members).

Derived inputs are bounded integers, booleans and ratios, so the properties run on them as
on any input. Three things are special: a ``requires`` gate makes a title imply the one it
requires *by construction* (its synthesised boolean is the run's decision, not a free
fact); a direction (``better``) the engine gave a synthesised input was never declared by
the rule's author; and two derived inputs about the same title are tied to each other, so
a counterexample built by treating them as free is undecided, not a finding.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from criteria_engine.check import check_paths, render_text, report_to_dict
from criteria_engine.check.context import related_derived, requires_gate
from criteria_engine.evaluator import CompiledRule, compile_rule
from criteria_engine.rules import parse_rule_text
from criteria_engine.sources import SourceText
from tests.check.common import EXAMPLES, SEED
from tests.common import rule_text, write_rule

CRITERIA = Path(__file__).resolve().parents[2] / "criteria"



def text_of(rule_id: str, body: str, subject: str = "ca_nhan") -> str:
    return rule_text(rule_id, body, subject=subject)


#: The smallest title: one boolean gate (a title the rules under test read or require).
ONE_GATE = """\
    inputs:
      good: {type: boolean, label: Tốt}
    criteria:
      - id: tot
        text: Tốt
        expr: good
        gate: true
    """


def write(root: Path, rule_id: str, body: str, subject: str = "ca_nhan") -> Path:
    return write_rule(root, rule_id, body, subject=subject)


def compiled(rule_id: str, body: str, subject: str = "ca_nhan") -> CompiledRule:
    text = text_of(rule_id, body, subject)
    source = SourceText(path=f"<{rule_id}>", raw=text.encode(), text=text, nfd_lines=())
    return compile_rule(parse_rule_text(source))


def copy_titles(root: Path, *titles: str) -> None:
    for title in titles:
        shutil.copytree(CRITERIA / title, root / title)


# --- requires: true by construction --------------------------------------------------------


def test_requires_and_stricter_than_is_proved_by_construction(tmp_path: Path) -> None:
    """CSTĐCS 2025.2 requires LĐTT and declares stricter_than LĐTT: the synthesised boolean
    is LĐTT's own decision, so no refutation may treat it as free."""
    copy_titles(tmp_path, "lao-dong-tien-tien", "chien-si-thi-dua-co-so")
    report = check_paths([tmp_path], seed=SEED, max_examples=EXAMPLES,
                         properties=["hierarchy"])
    assert report.ok, render_text(report, "en")
    [result] = [r for r in report.results
                if r.target == "chien-si-thi-dua-co-so 2025.2 ⊒ lao-dong-tien-tien 2025.2"]
    assert result.status == "pass"
    assert result.method == "construction"
    assert result.note == "check.hierarchy.by_requires"
    assert result.note_params["criterion"] == "requires_lao_dong_tien_tien"
    english = render_text(report, "en")
    assert "true by construction (the requires gate)" in english
    assert "requires_lao_dong_tien_tien" in english
    assert "đúng theo cách dựng (cổng requires)" in render_text(report, "vi")
    data = report_to_dict(report, "en")
    [entry] = [r for r in data["results"] if r["target"] == result.target]
    assert entry["method"] == "construction"
    # the versions without requires are still decided from the typed model
    older = [r for r in report.results if r.target.startswith("chien-si-thi-dua-co-so 2024.2")]
    assert older and all(r.method == "exact" for r in older)


def test_stricter_than_without_the_gate_is_still_searched(tmp_path: Path) -> None:
    """A title that requires something else gets no free pass: its claim is checked."""
    write(tmp_path, "thap", """\
        inputs:
          score: {type: integer, min: 0, max: 100, label: Điểm}
        criteria:
          - id: du_diem
            text: Đủ điểm
            expr: score >= 50
            gate: true
        """)
    write(tmp_path, "khac", """\
        inputs:
          score: {type: integer, min: 0, max: 100, label: Điểm}
        criteria:
          - id: c
            text: c
            expr: score >= 0
            gate: true
        """)
    write(tmp_path, "cao", """\
        requires:
          - title: khac
        stricter_than: [thap]
        inputs:
          score: {type: integer, min: 0, max: 100, label: Điểm}
        criteria:
          - id: du_diem
            text: Đủ điểm
            expr: score >= 40
            gate: true
        """)
    report = check_paths([tmp_path], seed=SEED, max_examples=EXAMPLES,
                         properties=["hierarchy"])
    [result] = [r for r in report.results if r.target == "cao 2025.1 ⊒ thap 2025.1"]
    assert result.status == "fail"
    assert result.method == "exact"
    [finding] = result.findings
    higher = finding.examples[0].facts
    assert higher["requires__khac"] is True and 40 <= higher["score"] < 50


def test_requires_gate_recognises_only_a_same_period_gate() -> None:
    body = """\
        inputs:
          good: {{type: boolean, label: Tốt}}
        criteria:
          - id: c
            text: c
            expr: '{expr}'
            gate: {gate}
        decision:
          min_points: 0
        """
    gate = compiled("a", body.format(expr='good and held("ldtt", period=0)', gate="true"))
    assert requires_gate(gate, "ldtt") == "c"
    assert requires_gate(gate, "khac") is None
    past = compiled("a", body.format(expr='good and held("ldtt", period=-1)', gate="true"))
    assert requires_gate(past, "ldtt") is None
    either = compiled("a", body.format(expr='good or held("ldtt", period=0)', gate="true"))
    assert requires_gate(either, "ldtt") is None
    scored = compiled("a", body.format(expr='held("ldtt", period=0)', gate="false")
                      .replace("gate: false", "points: 1"))
    assert requires_gate(scored, "ldtt") is None


# --- the other properties on derived inputs ------------------------------------------------

EVERY_FUNCTION = """\
    requires:
      - title: ldtt
    inputs:
      initiatives: {type: integer, min: 0, better: higher, label: Sáng kiến}
      share:
        type: decimal
        min: 0
        max: 1
        label: Tỷ lệ
        derive: share_of_members("ldtt")
    criteria:
      - id: streak
        text: Chuỗi
        expr: consecutive("ldtt") >= 3 and count_in("ldtt", periods=5) >= 3
        gate: true
      - id: past
        text: Trước đây
        expr: held("ldtt", period=-2) or periods_since("ldtt") >= 4 or count_since("ldtt", "ldtt") >= 1
        points: 1
      - id: members
        text: Thành viên
        expr: >-
          share >= 0.7 and members_with("ldtt") >= 1 and member_count() > 0
          and members_disciplined("canh_cao") == 0
        points: 1
      - id: sk
        text: Sáng kiến
        expr: initiatives >= 1
        points: 1
    decision:
      min_points: 1
    """


def test_every_property_runs_on_every_context_function(tmp_path: Path) -> None:
    write(tmp_path, "ldtt", ONE_GATE)
    write(tmp_path, "moi-ham", EVERY_FUNCTION, subject="tap_the")
    report = check_paths([tmp_path], seed=SEED, max_examples=20)
    assert not report.problems, [p.render("en") for p in report.problems]
    mine = [r for r in report.results if r.target == "moi-ham 2025.1"]
    assert {r.property for r in mine} == {"satisfiable", "monotone", "consistent",
                                           "exact-arithmetic", "deterministic"}
    assert all(r.status in ("pass", "inconclusive") for r in mine), render_text(report, "en")
    render_text(report, "vi")
    report_to_dict(report, "en")


def test_a_synthesised_input_has_no_declared_direction(tmp_path: Path) -> None:
    """"No member disciplined" is not a monotone violation: nobody declared that more
    disciplined members is better; the engine's typed model merely bounds the count."""
    write(tmp_path, "ldtt", ONE_GATE)
    write(tmp_path, "tap-the", """\
        inputs:
          rating: {type: enum, values: [xuat_sac, tot], label: Xếp loại}
        criteria:
          - id: xs
            text: Xuất sắc
            expr: rating == "xuat_sac"
            gate: true
          - id: ky_luat
            text: Không thành viên nào bị cảnh cáo trở lên
            expr: members_disciplined("canh_cao") == 0
            gate: true
          - id: lan_dau
            text: Chưa từng đạt
            expr: count_in("ldtt") == 0
            gate: true
        """, subject="tap_the")
    report = check_paths([tmp_path], seed=SEED, max_examples=EXAMPLES, properties=["monotone"])
    [result] = [r for r in report.results if r.target == "tap-the 2025.1"]
    assert result.status == "pass"
    assert result.findings == ()


def test_a_direction_the_author_declared_on_a_derived_input_is_checked(tmp_path: Path) -> None:
    write(tmp_path, "ldtt", ONE_GATE)
    write(tmp_path, "tap-the", """\
        inputs:
          disciplined_members:
            type: integer
            min: 0
            better: higher
            label: Số thành viên bị kỷ luật
            derive: members_disciplined("canh_cao")
        criteria:
          - id: ky_luat
            text: Không thành viên nào bị cảnh cáo trở lên
            expr: disciplined_members == 0
            gate: true
        """, subject="tap_the")
    report = check_paths([tmp_path], seed=SEED, max_examples=EXAMPLES, properties=["monotone"])
    [result] = [r for r in report.results if r.target == "tap-the 2025.1"]
    assert result.status == "fail"
    assert result.findings[0].params["input"] == "disciplined_members"


def test_tied_derived_inputs_make_a_refutation_undecided(tmp_path: Path) -> None:
    """Three consecutive years up to last year are three of the last five: the higher
    title does imply the lower, but only a history says so; treating the two counts as
    free would refute it. Undecided, never a wrong finding."""
    write(tmp_path, "cstdcs", ONE_GATE)
    write(tmp_path, "thap", """\
        inputs:
          good: {type: boolean, label: Tốt}
        criteria:
          - id: ba_trong_nam
            text: Ba lần trong năm năm
            expr: count_in("cstdcs", periods=5) >= 3
            gate: true
        """)
    write(tmp_path, "cao", """\
        stricter_than: [thap]
        inputs:
          good: {type: boolean, label: Tốt}
        criteria:
          - id: ba_lien_tuc
            text: Ba năm liên tục
            expr: consecutive("cstdcs") >= 3
            gate: true
        """)
    report = check_paths([tmp_path], seed=SEED, max_examples=EXAMPLES,
                         properties=["hierarchy"])
    [result] = [r for r in report.results if r.target == "cao 2025.1 ⊒ thap 2025.1"]
    assert result.status == "inconclusive"
    assert result.note == "check.derived.related"
    assert "consecutive__cstdcs" in result.note_params["inputs"]
    assert report.ok
    assert "undecided" in render_text(report, "en")


def test_related_derived() -> None:
    rule = compiled("moi-ham", EVERY_FUNCTION, subject="tap_the")
    related = related_derived(rule)
    assert {"consecutive__ldtt", "count_in__ldtt__periods_5", "share",
            "members_with__ldtt", "member_count"} <= related
    alone = compiled("mot", """\
        inputs:
          good: {type: boolean, label: Tốt}
        criteria:
          - id: c
            text: c
            expr: consecutive("a") >= 3 and count_in("b") >= 1 and members_with("a") >= 1
            gate: true
        """)
    assert related_derived(alone) == frozenset()
    # the same call in two rules is one fact, not two tied ones
    assert related_derived(alone, alone) == frozenset()
    bounded = compiled("hai", """\
        inputs:
          good: {type: boolean, label: Tốt}
        criteria:
          - id: c
            text: c
            expr: members_with("a") >= 1 and member_count() >= 2
            gate: true
        """)
    assert related_derived(bounded) == {"members_with__a", "member_count"}
    assert related_derived(bounded, counts_bounded=True) == frozenset()


@pytest.mark.parametrize("title", ["chien-si-thi-dua-tinh", "bang-khen-thu-tuong",
                                   "huan-chuong-lao-dong-hang-ba"])
def test_shipped_history_titles_check_without_findings(tmp_path: Path, title: str) -> None:
    copy_titles(tmp_path, "lao-dong-tien-tien", "chien-si-thi-dua-co-so",
                "bang-khen-chu-tich-tinh", "bang-khen-thu-tuong", "chien-si-thi-dua-tinh",
                "huan-chuong-lao-dong-hang-ba")
    report = check_paths([tmp_path / title], seed=SEED, max_examples=20,
                         properties=["satisfiable", "monotone", "exact-arithmetic"])
    assert any(r.target.startswith(title) for r in report.results)
    assert report.ok, render_text(report, "en")
