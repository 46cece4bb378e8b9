"""The national titles follow the law as it stands (issue 9; law review 2026-12-01).

Each corrected reading is pinned to the words of the statute, quoted in the test's
docstring. Readings that were wrong from the day Luật Thi đua, khen thưởng 2022 took
effect (2024-01-01) are corrected by an erratum version (``2024.2``, ``supersedes:
["2024.1"]``); from 2025-07-01 a successor (``2025.1``) cites Nghị định 152/2025/NĐ-CP,
which replaced Nghị định 98/2023/NĐ-CP (its Điều 59), and names the commune chair as
the issuer where Nghị định 129/2025/NĐ-CP Điều 59 says so. Decisions stored under the
wrong versions still replay unchanged: "the 2024 results must not change" means stored
decisions, not new evaluations repeating a known error (review §0).

Issue 10 replaced three successors with ``2025.2`` (same date, same law): CSTĐCS reads
the Lao động tiên tiến decision of the same person and year (``requires``) instead of
copying its criteria, TTLĐXS counts its members' decisions (or the self-declared counts
when a record names no members), Bằng khen tỉnh reads the CSTĐCS streak from the title
history, and all three defer on an investigation or a complaint too (NĐ 152/2025
Điều 4 khoản 4). Tests of the law for 2025 judge the version in force as a run does
(:func:`judge_in_force`); tests of a 2025.1 reading pin that version.
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli import main
from criteria_engine.batch import BatchReport, evaluate_file
from criteria_engine.demo import run_demo, sample_files
from criteria_engine.evaluator import CompiledRule, Decision
from criteria_engine.history import History, HistoryEntry
from criteria_engine.library import RuleLibrary, choose_rule
from criteria_engine.nominees import Nominee
from criteria_engine.period import judge_period
from criteria_engine.rules import Citation
from criteria_engine.store import Store, verify
from tests.common import CRITERIA, EXAMPLES, judge, results

LDTT = "lao-dong-tien-tien"
CSTDCS = "chien-si-thi-dua-co-so"
TTLDTT = "tap-the-lao-dong-tien-tien"
TTLDXS = "tap-the-lao-dong-xuat-sac"
BKT = "bang-khen-chu-tich-tinh"
NATIONAL = (LDTT, CSTDCS, TTLDTT, TTLDXS, BKT)
#: The titles whose 2024.1 reading was wrong from 2024-01-01 and has an erratum.
CORRECTED = (LDTT, CSTDCS, TTLDXS, BKT)

LAW = "Luật Thi đua, khen thưởng số 06/2022/QH15"
ND98 = "Nghị định số 98/2023/NĐ-CP"
ND152 = "Nghị định số 152/2025/NĐ-CP"
ND129 = "Nghị định số 129/2025/NĐ-CP"


@pytest.fixture(scope="module")
def library() -> RuleLibrary:
    return RuleLibrary.load([CRITERIA])


def cites(decision: Decision, criterion_id: str) -> tuple[Citation, ...]:
    [result] = [c for c in decision.criteria if c.id == criterion_id]
    return result.compiled.cite


def by_period(rule_id: str) -> list[tuple[int, CompiledRule]]:
    """The two rule versions a new evaluation uses: the erratum (or the unchanged 2024.1)
    for 2024, the successor for 2025."""
    lib = RuleLibrary.load([CRITERIA])
    return [(2024, lib.in_force(rule_id, 2024)), (2025, lib.in_force(rule_id, 2025))]


#: No deferral condition holds (NĐ 152/2025 Điều 4 khoản 4): the 2025.2 files also ask
#: about an investigation and a complaint.
NOT_UNDER_REVIEW = {"under_discipline_review": False, "under_investigation": False,
                    "pending_complaint": False}
#: The versions a new evaluation of a 2025 (or later) period uses.
IN_FORCE_2025 = {LDTT: "2025.2", CSTDCS: "2025.2", TTLDTT: "2025.2", TTLDXS: "2025.2",
                 BKT: "2025.2"}


def facts_for(rule: CompiledRule, facts: dict[str, Any]) -> dict[str, Any]:
    """``facts`` plus "no deferral condition holds" where the version asks it."""
    extra = {k: v for k, v in NOT_UNDER_REVIEW.items() if k in rule.model.inputs}
    return {**extra, **facts}


def judge_in_force(library: RuleLibrary, rule_id: str, facts: dict[str, Any], period: int,
                   *, history: History | None = None) -> Decision:
    """One record judged by the version of ``rule_id`` in force for ``period``, as a run
    judges it: the titles it needs in the same period (CSTĐCS needs Lao động tiên tiến)
    judged first on the same record, a collective that names no members read by its
    self-declared counts, history functions reading ``history`` (None: missing)."""
    rule = library.in_force(rule_id, period)
    nominee = Nominee(id="T-1", name="Người thử", subject=rule.model.subject, period=period,
                      facts=facts)
    report = judge_period(library, [nominee], period=period, history=history,
                          rule_ids=[*rule.same_period_titles, rule_id])
    assert report.problems == [], [p.render("en") for p in report.problems]
    [decision] = [d for d in report.decisions if d.rule.id == rule_id]
    assert decision.rule.version == rule.version
    return decision


def cstdcs_years(subject: str, *periods: int) -> History:
    """A title history in which ``subject`` was awarded CSTĐCS in ``periods``."""
    return History(HistoryEntry(subject=subject, period=period, title=CSTDCS,
                                decision_number=f"{period}/QĐ-UBND") for period in periods)


# --- which version a new evaluation uses ------------------------------------------------


@pytest.mark.parametrize("rule_id", CORRECTED)
def test_the_erratum_replaces_the_wrong_2024_reading_for_every_2024_period(
        library: RuleLibrary, rule_id: str) -> None:
    erratum = library.get(rule_id, "2024.2")
    assert erratum.model.supersedes == ["2024.1"]
    assert str(erratum.model.effective.from_) == "2024-01-01"
    assert library.in_force(rule_id, 2024).version == "2024.2"
    # the wrong version stays loadable by id@version, so its stored decisions replay
    assert library.get(rule_id, "2024.1").version == "2024.1"


def test_tap_the_lao_dong_tien_tien_had_no_reading_wrong_from_2024(library: RuleLibrary) -> None:
    assert library.in_force(TTLDTT, 2024).version == "2024.1"


@pytest.mark.parametrize("rule_id", NATIONAL)
@pytest.mark.parametrize("period", [2025, 2026])
def test_from_2025_07_01_the_successor_is_in_force(library: RuleLibrary, rule_id: str,
                                                   period: int) -> None:
    successor = library.in_force(rule_id, period)
    assert successor.version == IN_FORCE_2025[rule_id]
    assert str(successor.model.effective.from_) == "2025-07-01"
    if successor.version == "2025.2":
        # same date and law as 2025.1, which stays loadable so its decisions replay
        assert successor.model.supersedes == ["2025.1"]
        assert library.get(rule_id, "2025.1").version == "2025.1"


# --- the successors cite the law in force ---------------------------------------------------


def _citations(rule: CompiledRule) -> list[Citation]:
    model = rule.model
    found = list(model.legal_basis)
    found += [c.cite for c in model.criteria if c.cite]
    found += [d.cite for d in model.deferral if d.cite]
    return found


@pytest.mark.parametrize("rule_id", NATIONAL)
def test_a_successor_cites_nghi_dinh_152_and_never_98(library: RuleLibrary, rule_id: str) -> None:
    """NĐ 152/2025 Điều 59: "Nghị định số 98/2023/NĐ-CP … hết hiệu lực kể từ ngày Nghị
    định này có hiệu lực thi hành" (01/7/2025)."""
    for version in dict.fromkeys(["2025.1", IN_FORCE_2025[rule_id]]):
        instruments = {c.instrument for c in _citations(library.get(rule_id, version))}
        assert ND152 in instruments
        assert ND98 not in instruments


@pytest.mark.parametrize("rule_id", CORRECTED)
def test_an_erratum_cites_nghi_dinh_98_and_ends_when_it_lapsed(library: RuleLibrary,
                                                             rule_id: str) -> None:
    erratum = library.get(rule_id, "2024.2")
    assert str(erratum.model.effective.to) == "2025-06-30"
    instruments = {c.instrument for c in _citations(erratum)}
    assert ND98 in instruments and ND152 not in instruments


@pytest.mark.parametrize(("rule_id", "level_2024", "level_2025"), [
    (LDTT, "huyen", "xa"),
    (CSTDCS, "huyen", "xa"),
    (TTLDTT, None, "xa"),
    (TTLDXS, "tinh", "tinh"),
    (BKT, "tinh", "tinh"),
])
def test_the_issuer_follows_the_two_tier_local_government(
        library: RuleLibrary, rule_id: str, level_2024: str | None, level_2025: str) -> None:
    """NĐ 129/2025 Điều 59: "Chủ tịch Ủy ban nhân dân cấp xã quyết định tặng danh hiệu …
    'Tập thể lao động tiên tiến'; 'Chiến sĩ thi đua cơ sở', 'Lao động tiên tiến' và giấy
    khen". Before 2025-07-01 the district chair (or the head of the agency) did."""
    earlier = library.in_force(rule_id, 2024).model
    later = library.in_force(rule_id, 2025).model
    assert (earlier.issuer.level if earlier.issuer else None) == level_2024
    assert later.issuer is not None and later.issuer.level == level_2025
    assert later.jurisdiction is not None and later.jurisdiction.level == "toan_quoc"
    if level_2025 == "xa":
        assert any(c.instrument == ND129 and c.article == 59 for c in later.legal_basis)


@pytest.mark.parametrize(("rule_id", "criterion_id"), [
    (LDTT, "khong_ky_luat"),
    (CSTDCS, "ldtt_khong_ky_luat"),
    (BKT, "khong_ky_luat"),
])
@pytest.mark.parametrize("version", ["2024.2", "2025.1"])
def test_not_disciplined_in_the_year_is_marked_as_an_interpretation(
        library: RuleLibrary, rule_id: str, criterion_id: str, version: str) -> None:
    """Điều 24 khoản 1 reads "a) Hoàn thành tốt nhiệm vụ trở lên; b) Có tinh thần tự lực,
    tự cường, đoàn kết, tương trợ, tích cực tham gia phong trào thi đua": "không bị kỷ
    luật" is not in the text (review §2), so the gate's citation says it is unverified."""
    model = library.get(rule_id, version).model
    [criterion] = [c for c in model.criteria if c.id == criterion_id]
    assert criterion.cite is not None and criterion.cite.verified is False
    assert "không phải câu chữ của luật" in criterion.text


@pytest.mark.parametrize(("rule_id", "article"), [(TTLDTT, 28), (TTLDXS, 27)])
def test_collective_articles_known_only_indirectly_are_unverified(
        library: RuleLibrary, rule_id: str, article: int) -> None:
    """Review §7: "The 2022 law text of Điều 27, 28 … verbatim from the Công báo: article
    numbers are confirmed indirectly"."""
    model = library.get(rule_id, "2025.1").model
    own = [c for c in _citations(library.get(rule_id, "2025.1")) if c.article == article]
    assert own and all(not c.verified for c in own)
    assert all(c.cite is not None and not c.cite.verified for c in model.criteria)


# --- Chiến sĩ thi đua cơ sở: Điều 23 ---------------------------------------------------------

_OUTSTANDING_ONLY = {"rating": "hoan_thanh_xuat_sac", "disciplined": False,
                     "initiatives_recognized": 0, "research_accepted": False}


@pytest.mark.parametrize(("period", "version"), [(2024, "2024.2"), (2025, "2025.2")])
def test_cstdcs_outstanding_rating_alone_suffices(library: RuleLibrary, period: int,
                                                  version: str) -> None:
    """Luật 2022 Điều 23 khoản 2: "Hoàn thành xuất sắc nhiệm vụ hoặc có sáng kiến được cơ sở
    công nhận hoặc có đề tài khoa học, đề án khoa học, công trình khoa học và công nghệ đã
    được nghiệm thu hoặc mưu trí, sáng tạo trong chiến đấu, phục vụ chiến đấu" — each
    alternative suffices on its own; an initiative is no longer required."""
    rule = library.in_force(CSTDCS, period)
    assert rule.version == version
    decision = judge_in_force(library, CSTDCS, facts_for(rule, _OUTSTANDING_ONLY), period)
    assert decision.outcome == "dat"
    assert results(decision)["hoan_thanh_xuat_sac"] == "pass"
    [cite] = cites(decision, "hoan_thanh_xuat_sac")
    assert (cite.instrument, cite.article, cite.clause) == (LAW, 23, 2)


def test_cstdcs_2025_1_reading_is_the_same(library: RuleLibrary) -> None:
    """2025.1 (kept for replay) copied Lao động tiên tiến's criteria; the same nominee
    qualifies under it on the record alone."""
    rule = library.get(CSTDCS, "2025.1")
    decision = judge(rule, facts_for(rule, _OUTSTANDING_ONLY), 2025)
    assert decision.outcome == "dat"
    assert results(decision)["hoan_thanh_xuat_sac"] == "pass"


def test_cstdcs_2024_1_refused_the_same_nominee(library: RuleLibrary) -> None:
    """The wrong reading the erratum corrects (kept for replay)."""
    assert judge(library.get(CSTDCS, "2024.1"), {**_OUTSTANDING_ONLY,
                                                 "administrative_sanction": False},
                 2024).outcome == "khong_dat"


@pytest.mark.parametrize("period", [2024, 2025])
def test_cstdcs_research_needs_only_nghiem_thu(library: RuleLibrary, period: int) -> None:
    """Điều 23 khoản 2: "có đề tài khoa học, đề án khoa học, công trình khoa học và công nghệ
    đã được nghiệm thu" — accepted, not also applied ("nghiệm thu và áp dụng hiệu quả" is
    the Bằng khen level, Điều 74)."""
    rule = library.in_force(CSTDCS, period)
    decision = judge_in_force(library, CSTDCS, facts_for(rule, {
        **_OUTSTANDING_ONLY, "rating": "hoan_thanh_tot", "research_accepted": True}), period)
    assert decision.outcome == "dat"
    label = rule.model.inputs["research_accepted"].label
    assert "nghiệm thu" in label and "áp dụng" not in label
    assert "đề án khoa học" in label and "công trình khoa học và công nghệ" in label


@pytest.mark.parametrize("period", [2024, 2025])
def test_cstdcs_one_alternative_met_is_enough_even_with_another_unknown(
        library: RuleLibrary, period: int) -> None:
    """"hoặc": a fact missing for an alternative not needed never leaves the nominee
    undecided (SL-2024-CSTDCS-0003: rated xuất sắc, research unknown)."""
    rule = library.in_force(CSTDCS, period)
    decision = judge_in_force(library, CSTDCS, facts_for(rule, {
        **_OUTSTANDING_ONLY, "research_accepted": None}), period)
    assert decision.outcome == "dat"
    tot = judge_in_force(library, CSTDCS, facts_for(rule, {
        **_OUTSTANDING_ONLY, "rating": "hoan_thanh_tot", "research_accepted": None}), period)
    assert tot.outcome == "thieu_du_lieu"


@pytest.mark.parametrize(("period", "gate"), [(2024, "ldtt_xep_loai"),
                                             (2025, "requires_lao_dong_tien_tien")])
def test_cstdcs_still_needs_the_lao_dong_tien_tien_standard(library: RuleLibrary,
                                                            period: int, gate: str) -> None:
    """Điều 23 khoản 1: "Đạt tiêu chuẩn danh hiệu 'Lao động tiên tiến' hoặc 'Chiến sĩ tiên
    tiến'". The 2024 erratum copies Lao động tiên tiến's criteria; 2025.2 reads the Lao
    động tiên tiến decision on the same record and says which one it relied on."""
    rule = library.in_force(CSTDCS, period)
    decision = judge_in_force(library, CSTDCS, facts_for(rule, {
        **_OUTSTANDING_ONLY, "rating": "hoan_thanh", "initiatives_recognized": 3}), period)
    assert decision.outcome == "khong_dat"
    assert results(decision)[gate] == "fail"
    assert rule.model.stricter_than == [LDTT]
    if period == 2025:
        [cite] = cites(decision, gate)
        assert (cite.instrument, cite.article, cite.clause) == (LAW, 23, 1)
        [derived] = decision.context
        [seen] = derived.seen
        assert (seen.title, seen.period, seen.held, seen.outcome, seen.reference) == (
            LDTT, 2025, False, "khong_dat", f"{LDTT}@{IN_FORCE_2025[LDTT]}")


@pytest.mark.parametrize("version", ["2024.2", "2025.1"])
def test_cstdcs_has_no_national_15_percent_cap(library: RuleLibrary, version: str) -> None:
    """The 15 % cap was NĐ 91/2017 Điều 9 khoản 3 ("không quá 15% tổng số cá nhân đạt danh
    hiệu 'Lao động tiên tiến'"), which lapsed on 2024-01-01; Luật 2022 Điều 23, NĐ 98/2023
    and NĐ 152/2025 set none."""
    model = library.get(CSTDCS, version).model
    notes = [c.note or "" for c in model.legal_basis] + [p.note or "" for p in model.params.values()]
    assert not any("15%" in note or "15 %" in note for note in notes)
    assert any("không đặt tỷ lệ khống chế toàn quốc" in note for note in notes)
    assert not any("ratio" in name or "quota" in name for name in model.params)


# --- Lao động tiên tiến and the province-added gate -----------------------------------------


@pytest.mark.parametrize(("rule_id", "extra"), [
    (LDTT, {}),
    (CSTDCS, {"initiatives_recognized": 1, "research_accepted": False}),
])
@pytest.mark.parametrize("period", [2024, 2025])
def test_an_administrative_sanction_alone_refuses_nobody(
        library: RuleLibrary, rule_id: str, extra: dict[str, Any], period: int) -> None:
    """Not in Luật 2022 Điều 23–24 nor in Bắc Ninh QĐ 86/2025/QĐ-UBND Điều 4 khoản 1
    (review §3.9: "no national or Bắc Ninh text requires it"). A province that requires
    it says so in its own rule file, citing its text; records that still carry the fact
    are read."""
    rule = library.in_force(rule_id, period)
    decision = judge_in_force(library, rule_id, facts_for(rule, {
        "rating": "hoan_thanh_tot", "disciplined": False, "administrative_sanction": True,
        **extra}), period)
    assert decision.outcome == "dat"
    assert not any("administrative_sanction" in c.expr for c in rule.model.criteria)
    assert "administrative_sanction" in rule.model.inputs


@pytest.mark.parametrize("period", [2024, 2025])
def test_ldtt_needs_hoan_thanh_tot_nhiem_vu_tro_len(library: RuleLibrary, period: int) -> None:
    """Luật 2022 Điều 24 khoản 1: "a) Hoàn thành tốt nhiệm vụ trở lên"."""
    rule = library.in_force(LDTT, period)
    for rating, outcome in [("hoan_thanh_xuat_sac", "dat"), ("hoan_thanh_tot", "dat"),
                            ("hoan_thanh", "khong_dat")]:
        decision = judge(rule, facts_for(rule, {"rating": rating, "disciplined": False}), period)
        assert decision.outcome == outcome
    [cite] = cites(decision, "xep_loai")
    assert (cite.article, cite.clause, cite.point) == (24, 1, "a")


# --- deferral: NĐ 152/2025 Điều 4 khoản 4 --------------------------------------------------

_DEFER_CASES = [
    (LDTT, {"rating": "hoan_thanh_tot", "disciplined": False}),
    (CSTDCS, _OUTSTANDING_ONLY),
    (TTLDTT, {"unit_rating": "hoan_thanh_tot", "members_total": 10, "members_ldtt": 8,
              "members_disciplined_warning_or_above": 0}),
    (TTLDXS, {"unit_rating": "hoan_thanh_xuat_sac", "members_total": 10,
              "members_completed_tasks": 10, "members_ldtt": 7, "members_cstdcs": 1}),
    # the initiatives way of point d: self-declared in every version (the CSTĐCS streak
    # comes from the title history in 2025.2)
    (BKT, {"consecutive_years_cstdcs": 1, "consecutive_years_outstanding": 2,
           "base_initiatives_in_window": 2, "base_research_in_window": 0,
           "disciplined": False}),
]
#: The conditions of NĐ 152/2025 Điều 4 khoản 4 and the fact each one reads.
_DEFERRALS = {"dang_xem_xet_ky_luat": "under_discipline_review",
              "dang_dieu_tra_thanh_tra": "under_investigation",
              "dang_xac_minh_don_thu": "pending_complaint"}


@pytest.mark.parametrize(("rule_id", "facts"), _DEFER_CASES)
def test_disciplinary_consideration_defers_rather_than_refuses(
        library: RuleLibrary, rule_id: str, facts: dict[str, Any]) -> None:
    """NĐ 152/2025 Điều 4 khoản 4: "Chưa khen thưởng hoặc đề nghị cấp trên khen thưởng cho
    cá nhân, tập thể trong thời gian cơ quan có thẩm quyền đang xem xét thi hành kỷ luật
    …" — not yet, rather than no: the nominee who meets every criterion is ``hoan_xet``,
    and ``dat`` once the consideration is over."""
    rule = library.in_force(rule_id, 2025)
    clear = facts_for(rule, facts)
    deferred = judge_in_force(library, rule_id, {**clear, "under_discipline_review": True},
                              2025)
    assert deferred.outcome == "hoan_xet"
    assert [d.id for d in deferred.deferred_by] == ["dang_xem_xet_ky_luat"]
    [condition] = [d for d in rule.model.deferral if d.id == "dang_xem_xet_ky_luat"]
    assert condition.cite is not None
    assert (condition.cite.instrument, condition.cite.article, condition.cite.clause) == (
        ND152, 4, 4)
    assert judge_in_force(library, rule_id, clear, 2025).outcome == "dat"


@pytest.mark.parametrize(("rule_id", "facts"), [case for case in _DEFER_CASES
                                                if IN_FORCE_2025[case[0]] == "2025.2"])
@pytest.mark.parametrize("condition_id", sorted(_DEFERRALS))
def test_an_investigation_or_a_complaint_defers_too(
        library: RuleLibrary, rule_id: str, facts: dict[str, Any], condition_id: str) -> None:
    """NĐ 152/2025 Điều 4 khoản 4: "… đang xem xét thi hành kỷ luật hoặc điều tra, thanh
    tra, kiểm tra khi có dấu hiệu vi phạm hoặc có đơn thư khiếu nại, tố cáo, có vấn đề
    tham nhũng, tiêu cực được báo chí nêu đang được xác minh làm rõ" — the 2025.2 versions
    encode all three cases; each one alone defers, and an unknown one leaves the nominee
    who meets every criterion undecided."""
    rule = library.in_force(rule_id, 2025)
    clear = facts_for(rule, facts)
    fact = _DEFERRALS[condition_id]
    deferred = judge_in_force(library, rule_id, {**clear, fact: True}, 2025)
    assert deferred.outcome == "hoan_xet"
    assert [d.id for d in deferred.deferred_by] == [condition_id]
    [condition] = [d for d in rule.model.deferral if d.id == condition_id]
    assert condition.expr == fact and condition.cite is not None
    assert (condition.cite.instrument, condition.cite.article, condition.cite.clause) == (
        ND152, 4, 4)
    unknown = judge_in_force(library, rule_id, {**clear, fact: None}, 2025)
    assert unknown.outcome == "thieu_du_lieu"


# --- tập thể lao động tiên tiến / xuất sắc -------------------------------------------------


@pytest.mark.parametrize(("members", "ldtt", "outcome"), [
    (20, 10, "khong_dat"), (20, 11, "dat"), (10, 6, "dat"),
])
def test_ttldtt_national_ratio_stays_more_than_half_as_an_unverified_param(
        library: RuleLibrary, members: int, ldtt: int, outcome: str) -> None:
    """Review §2: "Trên 50%" is the 2003 Điều 28; whether the 2022 text says so or "ít nhất
    là 70%" (Bắc Ninh QĐ 86/2025 Điều 4 khoản 2 điểm b) is unverified. The national file
    keeps "> 50 %", as a param marked uncertain; the Bắc Ninh file has its own 70 %."""
    rule = library.in_force(TTLDTT, 2025)
    param = rule.model.params["min_ldtt_ratio"]
    assert (param.value, param.uncertain) == (Decimal("0.5"), True)
    decision = judge(rule, facts_for(rule, {
        "unit_rating": "hoan_thanh_tot", "members_total": members, "members_ldtt": ldtt,
        "members_disciplined_warning_or_above": 0}), 2025)
    assert decision.outcome == outcome


@pytest.mark.parametrize("period", [2024, 2025])
def test_ttldxs_has_no_canh_cao_gate(library: RuleLibrary, period: int) -> None:
    """Điều 27 (as reproduced by Thừa Thiên Huế's procedure and Bắc Ninh QĐ 86/2025 Điều 3
    khoản 2): "a) Hoàn thành xuất sắc nhiệm vụ được giao; … c) Có 100% cá nhân trong tập
    thể hoàn thành nhiệm vụ được giao, trong đó có ít nhất là 70% cá nhân đạt danh hiệu
    'Lao động tiên tiến'; d) Có cá nhân đạt danh hiệu 'Chiến sĩ thi đua cơ sở'" — no
    condition on members disciplined at cảnh cáo (that was the 2003 text)."""
    rule = library.in_force(TTLDXS, period)
    decision = judge_in_force(library, TTLDXS, facts_for(rule, {
        "unit_rating": "hoan_thanh_xuat_sac", "members_total": 10, "members_completed_tasks": 10,
        "members_ldtt": 7, "members_cstdcs": 1, "members_disciplined_warning_or_above": 1}),
        period)
    assert decision.outcome == "dat"
    assert "khong_ky_luat_canh_cao" not in results(decision)
    # whoever meets it may still have a member at cảnh cáo, so it no longer implies TTLĐTT
    assert rule.model.stricter_than == []


def test_ttldxs_2024_1_refused_the_same_collective(library: RuleLibrary) -> None:
    decision = judge(library.get(TTLDXS, "2024.1"), {
        "unit_rating": "hoan_thanh_xuat_sac", "members_total": 10, "members_completed_tasks": 10,
        "members_ldtt": 7, "members_cstdcs": 1, "members_disciplined_warning_or_above": 1}, 2024)
    assert decision.outcome == "khong_dat"


# --- Bằng khen của Chủ tịch UBND cấp tỉnh: Điều 74 khoản 1 điểm d ----------------------------

_BKT_NONE = {"consecutive_years_cstdcs": 1, "consecutive_years_outstanding": 2,
             "base_initiatives_in_window": 0, "base_research_in_window": 0, "disciplined": False}


@pytest.mark.parametrize("period", [2024, 2025])
def test_bang_khen_cites_dieu_74_khoan_1_diem_d(library: RuleLibrary, period: int) -> None:
    rule = library.in_force(BKT, period)
    assert any((c.instrument, c.article, c.clause, c.point) == (LAW, 74, 1, "d")
               for c in rule.model.legal_basis)
    for criterion in rule.model.criteria:
        if criterion.id != "khong_ky_luat":
            assert criterion.cite is not None
            assert (criterion.cite.article, criterion.cite.clause, criterion.cite.point) == (
                74, 1, "d")


@pytest.mark.parametrize("period", [2024, 2025])
def test_bang_khen_two_accepted_research_projects_are_an_alternative(
        library: RuleLibrary, period: int) -> None:
    """Điều 74 khoản 1 điểm d: "… có liên tục từ 02 năm trở lên được công nhận hoàn thành
    xuất sắc nhiệm vụ, trong thời gian đó có 02 sáng kiến được công nhận và áp dụng có hiệu
    quả trong phạm vi cơ sở hoặc có 02 đề tài khoa học, đề án khoa học, công trình khoa học
    và công nghệ đã được nghiệm thu và áp dụng hiệu quả trong phạm vi cơ sở"."""
    rule = library.in_force(BKT, period)
    once = cstdcs_years("T-1", period - 1)  # the streak 2025.2 reads: 1, as _BKT_NONE says

    def judged(facts: dict[str, Any]) -> Decision:
        return judge_in_force(library, BKT, facts_for(rule, facts), period, history=once)

    assert judged(_BKT_NONE).outcome == "khong_dat"
    decision = judged({**_BKT_NONE, "base_research_in_window": 2})
    assert decision.outcome == "dat"
    assert results(decision)["xuat_sac_va_de_tai"] == "pass"
    one_year = judged({**_BKT_NONE, "consecutive_years_outstanding": 1,
                       "base_research_in_window": 2})
    assert one_year.outcome == "khong_dat"


@pytest.mark.parametrize("period", [2024, 2025])
def test_bang_khen_twice_cstdcs_suffices_with_the_rest_unknown(library: RuleLibrary,
                                                               period: int) -> None:
    """"Có 02 lần liên tục được tặng danh hiệu 'Chiến sĩ thi đua cơ sở' hoặc …"."""
    rule = library.in_force(BKT, period)
    twice = cstdcs_years("T-1", period - 2, period - 1)
    decision = judge_in_force(library, BKT, facts_for(rule, {"consecutive_years_cstdcs": 2,
                                                             "disciplined": False}),
                              period, history=twice)
    assert decision.outcome == "dat"


def test_bang_khen_2025_reads_the_cstdcs_streak_from_the_history(library: RuleLibrary) -> None:
    """2025.2: "Có 02 lần liên tục được tặng danh hiệu 'Chiến sĩ thi đua cơ sở'" is read
    from the title history (the run ending with the year before, Điều 74 khoản 1 điểm d),
    never from a number the record declares; with no history it is missing, so the
    nominee meeting no other way of point d is undecided, not refused or admitted."""
    rule = library.in_force(BKT, 2025)
    assert rule.version == "2025.2"
    claims_two = facts_for(rule, {"consecutive_years_cstdcs": 2, "disciplined": False,
                                  "consecutive_years_outstanding": 1,
                                  "base_initiatives_in_window": 0,
                                  "base_research_in_window": 0})
    no_history = judge_in_force(library, BKT, claims_two, 2025)
    assert no_history.outcome == "thieu_du_lieu"
    assert results(no_history)["hai_lan_chien_si_thi_dua_co_so"] == "missing"
    for years, outcome in [((2023, 2024), "dat"), ((2022, 2024), "khong_dat"),
                           ((2023,), "khong_dat"), ((2022, 2023), "khong_dat")]:
        decision = judge_in_force(library, BKT, claims_two, 2025,
                                  history=cstdcs_years("T-1", *years))
        assert decision.outcome == outcome, years
    # the run counts two years: the explanation names them
    decision = judge_in_force(library, BKT, claims_two, 2025,
                              history=cstdcs_years("T-1", 2023, 2024))
    [streak] = [d for d in decision.context if d.input == "consecutive_years_cstdcs"]
    assert streak.value == 2
    assert {seen.period for seen in streak.seen if seen.held} == {2023, 2024}


@pytest.mark.parametrize("version", ["2024.2", "2025.1"])
def test_bang_khen_chuyen_de_rule_is_cited_to_the_decree_not_dieu_5(
        library: RuleLibrary, version: str) -> None:
    """Luật Điều 5 khoản 2 điểm c says only "không khen thưởng nhiều lần, nhiều hình thức
    cho một thành tích"; "Kết quả khen thưởng thành tích đột xuất, thi đua theo chuyên đề
    không dùng làm căn cứ để đề nghị cấp trên khen thưởng công trạng" is NĐ 98/2023 Điều 4
    khoản 3, from 2025-07-01 NĐ 152/2025 Điều 4 khoản 3."""
    basis = library.get(BKT, version).model.legal_basis
    [dieu5] = [c for c in basis if c.article == 5]
    assert "chuyên đề" not in (dieu5.note or "") and "đột xuất" not in (dieu5.note or "")
    decree = ND98 if version == "2024.2" else ND152
    [k3] = [c for c in basis if c.instrument == decree and c.clause == 3]
    assert k3.article == 4 and "chuyên đề" in (k3.note or "")


def _one_nominee(tmp_path: Path, name: str, record: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    return path


def test_bang_khen_cannot_count_an_initiative_that_earned_cstdcs(library: RuleLibrary,
                                                                 tmp_path: Path) -> None:
    """Bộ Nội vụ on Điều 74: besides the initiatives used for "Chiến sĩ thi đua cơ sở"
    "there must be 2 more initiatives"; CV 5007/BNV-TĐKT III.5.c: "sáng kiến đã sử dụng
    khi xét danh hiệu thi đua thì không được dùng trong xét hình thức khen thưởng". The
    rule declares the achievements it rewards, so the store refuses the second use."""
    for version in ("2024.2", "2025.1", "2025.2"):
        rewards = library.get(BKT, version).model.achievements
        assert rewards is not None and set(rewards.kinds) == {"sang_kien", "de_tai_khoa_hoc"}
    used = {"id": "SK-BG-2024-0107", "kind": "sang_kien", "period": 2024,
            "description": "Sáng kiến đã dùng để xét Chiến sĩ thi đua cơ sở năm 2024"}
    fresh = {"id": "SK-BG-2025-0201", "kind": "sang_kien", "period": 2025,
             "description": "Sáng kiến mới năm 2025"}
    person = {"id": "BG-CN-0107", "name": "Ngô Thị Thanh Huyền", "subject": "ca_nhan",
              "unit": "Trường Tiểu học Tân Dĩnh"}
    cstdcs = evaluate_file(_one_nominee(tmp_path, "cstdcs.json", {
        **person, "period": 2024, "achievements": [used],
        "facts": {"rating": "hoan_thanh_tot", "disciplined": False,
                  "initiatives_recognized": 1, "research_accepted": False}}),
        functools.partial(library.in_force, CSTDCS))
    bang_khen = evaluate_file(_one_nominee(tmp_path, "bkt.json", {
        **person, "period": 2025, "achievements": [used, fresh],
        "facts": {"consecutive_years_cstdcs": 1, "consecutive_years_outstanding": 2,
                  "base_initiatives_in_window": 2, "base_research_in_window": 0,
                  "disciplined": False, **NOT_UNDER_REVIEW}}),
        functools.partial(library.in_force, BKT), library=library)
    assert bang_khen.decisions[0].outcome == "dat"  # on its own facts it qualifies
    with Store.open(str(tmp_path / "tdkt.db")) as store:
        assert store.record_report(cstdcs, actor="thu-ky", command="test"
                                   ).decisions_recorded[0].outcome == "dat"
        [decision] = store.record_report(bang_khen, actor="thu-ky",
                                         command="test").decisions_recorded
        assert decision.outcome == "trung_thanh_tich"
        assert decision.conflict is not None
        assert (decision.conflict.holder.rule_id, decision.conflict.holder.period) == (CSTDCS,
                                                                                       2024)


# --- stored 2024 decisions replay unchanged; new evaluations use the errata ----------------

#: Outcomes of the shipped 2024 samples under the published 2024.1 versions, as stored
#: before the errata. These must never change.
OLD_2024 = {
    LDTT: {"BG-2024-LDTT-0001": "dat", "BG-2024-LDTT-0002": "dat",
           "SL-2024-LDTT-0001": "khong_dat", "SL-2024-LDTT-0002": "khong_dat",
           "BG-2024-LDTT-0003": "thieu_du_lieu"},
    CSTDCS: {"BG-2024-CSTDCS-0001": "dat", "BG-2024-CSTDCS-0002": "dat",
             "SL-2024-CSTDCS-0001": "khong_dat", "SL-2024-CSTDCS-0002": "khong_dat",
             "BG-2024-CSTDCS-0003": "khong_dat", "SL-2024-CSTDCS-0003": "thieu_du_lieu"},
    TTLDXS: {"BG-2024-TTLDXS-0001": "dat", "SL-2024-TTLDXS-0001": "dat",
             "SL-2024-TTLDXS-0002": "khong_dat", "BG-2024-TTLDXS-0002": "khong_dat",
             "BG-2024-TTLDXS-0003": "khong_dat", "SL-2024-TTLDXS-0003": "thieu_du_lieu"},
    BKT: {"BG-2024-BKT-0001": "dat", "SL-2024-BKT-0001": "dat", "SL-2024-BKT-0002": "khong_dat",
          "BG-2024-BKT-0002": "khong_dat", "BG-2024-BKT-0003": "thieu_du_lieu"},
}
#: Who the errata affect among the samples (what-if of 2024.1 against 2024.2).
AFFECTED = {
    "SL-2024-LDTT-0002": ("khong_dat", "dat"),        # administrative sanction only
    "SL-2024-CSTDCS-0001": ("khong_dat", "dat"),      # rated xuất sắc, no initiative
    "SL-2024-CSTDCS-0003": ("thieu_du_lieu", "dat"),  # the same, research unknown
    "BG-2024-BKT-0003": ("thieu_du_lieu", "dat"),     # 2 xuất sắc years + 2 initiatives
    "SL-2024-BKT-0002": ("khong_dat", "thieu_du_lieu"),  # the đề tài alternative is unknown
}


def _report(reference: str, rule_id: str) -> BatchReport:
    choose, _ = choose_rule(reference, CRITERIA)
    report = evaluate_file(EXAMPLES / f"{rule_id}.json", choose)
    assert report.problems == []
    return report


def test_stored_2024_decisions_replay_unchanged_after_the_errata(tmp_path: Path) -> None:
    db = str(tmp_path / "tdkt.db")
    with Store.open(db) as store:
        for rule_id in OLD_2024:
            old = store.record_report(_report(f"{rule_id}@2024.1", rule_id), actor="thu-ky",
                                      command=f"tdkt evaluate --rules {rule_id}@2024.1")
            assert {d.nominee_id: d.outcome for d in old.decisions_recorded} == OLD_2024[rule_id]
            assert {d.rule.version for d in old.decisions_recorded} == {"2024.1"}
    before = verify(db)
    assert before.ok and before.replayed == before.decisions

    changed: dict[str, tuple[str, str]] = {}
    with Store.open(db) as store:
        for rule_id in OLD_2024:
            new = store.record_report(_report(rule_id, rule_id), actor="thu-ky",
                                      command=f"tdkt evaluate --rules {rule_id}")
            assert {d.rule.version for d in new.decisions_recorded} == {"2024.2"}
            assert new.recorded == len(OLD_2024[rule_id])  # another rule file: new decisions
            changed |= {d.nominee_id: (OLD_2024[rule_id][d.nominee_id], d.outcome)
                        for d in new.decisions_recorded
                        if d.outcome != OLD_2024[rule_id][d.nominee_id]}
    assert changed == AFFECTED
    after = verify(db)
    assert after.ok, [f.render("en") for f in after.findings]
    assert after.replayed == after.decisions == before.decisions * 2


# --- the shipped 2025 samples and the demo ---------------------------------------------------

#: Outcomes of the shipped 2025 samples under the first successors (2025.1).
EXPECTED_2025 = {
    LDTT: {"BN-2025-LDTT-0001": "dat", "BN-2025-LDTT-0002": "hoan_xet",
           "SL-2025-LDTT-0001": "dat", "SL-2025-LDTT-0002": "khong_dat",
           "BN-2025-LDTT-0003": "thieu_du_lieu"},
    CSTDCS: {"SL-2025-CSTDCS-0001": "dat", "BN-2025-CSTDCS-0001": "dat",
             "BN-2025-CSTDCS-0002": "dat", "SL-2025-CSTDCS-0002": "khong_dat",
             "BN-2025-CSTDCS-0003": "hoan_xet", "SL-2025-CSTDCS-0003": "thieu_du_lieu"},
    TTLDTT: {"BN-2025-TTLDTT-0001": "dat", "SL-2025-TTLDTT-0001": "khong_dat",
             "BN-2025-TTLDTT-0002": "khong_dat", "SL-2025-TTLDTT-0002": "hoan_xet"},
    TTLDXS: {"BN-2025-TTLDXS-0001": "dat", "SL-2025-TTLDXS-0001": "dat",
             "SL-2025-TTLDXS-0002": "khong_dat", "BN-2025-TTLDXS-0002": "thieu_du_lieu"},
    BKT: {"BN-2025-BKT-0001": "dat", "SL-2025-BKT-0001": "dat", "SL-2025-BKT-0002": "khong_dat",
          "BN-2025-BKT-0002": "hoan_xet", "BN-2025-BKT-0003": "dat"},
}


#: What the versions in force (2025.2) change among them in a single-title run, where no
#: history is loaded: Bằng khen tỉnh's CSTĐCS streak comes from the title history, so it
#: is missing, and only a nominee another way of point d decides is decided.
CHANGED_2025_2 = {
    "BN-2025-BKT-0001": "thieu_du_lieu",  # qualified by her 2 CSTĐCS years alone
    "SL-2025-BKT-0002": "thieu_du_lieu",  # fails the other ways; the streak is unknown
}


@pytest.mark.parametrize("rule_id", NATIONAL)
def test_the_2025_samples_are_judged_by_the_successors(library: RuleLibrary,
                                                       rule_id: str) -> None:
    """As ``tdkt evaluate --rules <id>`` judges them: CSTĐCS after the same record's Lao
    động tiên tiến decision; TTLĐXS records name no members, so the self-declared counts."""
    report = evaluate_file(EXAMPLES / f"{rule_id}-2025.json",
                           functools.partial(library.in_force, rule_id), library=library)
    assert report.problems == []
    assert {d.rule.version for d in report.decisions} == {IN_FORCE_2025[rule_id]}
    expected = {nominee: CHANGED_2025_2.get(nominee, outcome)
                for nominee, outcome in EXPECTED_2025[rule_id].items()}
    assert {d.nominee_id: d.outcome for d in report.decisions} == expected
    if rule_id == TTLDXS:
        assert {v.source for d in report.decisions for v in d.context} == {"tu_khai"}


@pytest.mark.parametrize("rule_id", NATIONAL)
def test_the_2025_samples_under_the_2025_1_versions(library: RuleLibrary, rule_id: str,
                                                    tmp_path: Path) -> None:
    """The samples, without the facts only 2025.2 asks (investigation, complaint), under
    2025.1 (kept so its stored decisions replay)."""
    rule = library.get(rule_id, "2025.1")
    records = json.loads((EXAMPLES / f"{rule_id}-2025.json").read_text(encoding="utf-8"))
    for record in records:
        record["facts"] = {k: v for k, v in record["facts"].items() if k in rule.model.inputs}
    path = tmp_path / "samples.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    report = evaluate_file(path, lambda _period: rule)
    assert report.problems == []
    assert {d.rule.version for d in report.decisions} == {"2025.1"}
    assert {d.nominee_id: d.outcome for d in report.decisions} == EXPECTED_2025[rule_id]


def test_the_bang_khen_samples_with_the_history_their_streaks_declare(
        library: RuleLibrary) -> None:
    """Given a title history with the CSTĐCS years each sample declares (ending 2024),
    2025.2 gives the outcomes 2025.1 gave on the declared numbers."""
    samples = EXAMPLES / f"{BKT}-2025.json"
    history = History(
        HistoryEntry(subject=record["id"], period=2024 - back, title=CSTDCS)
        for record in json.loads(samples.read_text(encoding="utf-8"))
        for back in range(record["facts"]["consecutive_years_cstdcs"] or 0))
    report = evaluate_file(samples, functools.partial(library.in_force, BKT), library=library,
                           history=history)
    assert report.problems == []
    assert {d.rule.version for d in report.decisions} == {"2025.2"}
    assert {d.nominee_id: d.outcome for d in report.decisions} == EXPECTED_2025[BKT]


def test_the_demo_runs_the_2025_samples_too(library: RuleLibrary) -> None:
    assert [p.name for p in sample_files(EXAMPLES, TTLDTT)] == [
        f"{TTLDTT}.json", f"{TTLDTT}-2025.json"]
    runs = run_demo(library, EXAMPLES)
    periods = {(run.rule.id, d.period) for run in runs for d in run.report.decisions}
    assert {(rule_id, 2025) for rule_id in NATIONAL} <= periods
    assert {(rule_id, 2024) for rule_id in NATIONAL} <= periods


def test_a_year_suffix_is_never_mistaken_for_another_rule_id(tmp_path: Path) -> None:
    for name in ("a-b.json", "a-b-2025.json", "a-b-bac-ninh.json", "a-b-20251.json"):
        (tmp_path / name).write_text("[]", encoding="utf-8")
    assert [p.name for p in sample_files(tmp_path, "a-b")] == ["a-b.json", "a-b-2025.json"]


# --- the "Done means" ---------------------------------------------------------------


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TDKT_CRITERIA_DIR", str(CRITERIA))
    monkeypatch.delenv("TDKT_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    return CliRunner()


@pytest.mark.parametrize(("samples", "nominee", "version"), [
    (f"{CSTDCS}.json", "SL-2024-CSTDCS-0001", "2024.2"),
    (f"{CSTDCS}-2025.json", "SL-2025-CSTDCS-0001", "2025.2"),
])
def test_explain_says_dat_and_cites_dieu_23_khoan_2(runner: CliRunner, samples: str,
                                                    nominee: str, version: str) -> None:
    """Issue 9, "Done means": ``tdkt explain`` for the nominee rated xuất sắc with no
    initiative says ``dat`` and cites Điều 23 khoản 2."""
    args = ["explain", "--rules", CSTDCS, "--nominees", str(EXAMPLES / samples), "--id", nominee]
    shown = runner.invoke(main, [*args, "--json"])
    assert shown.exit_code == 0, shown.output
    decision = json.loads(shown.output)
    assert (decision["outcome"], decision["rule"]["version"]) == ("dat", version)
    [criterion] = [c for c in decision["criteria"] if c["id"] == "hoan_thanh_xuat_sac"]
    assert criterion["result"] == "pass"
    assert [(c["article"], c["clause"]) for c in criterion["cite"]] == [(23, 2)]
    table = runner.invoke(main, args)
    assert table.exit_code == 0, table.output
    assert "Đạt" in table.output and "Điều 23, khoản 2, " + LAW in table.output
