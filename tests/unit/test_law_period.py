"""The law's multi-year and whole-unit cases, judged as a council judges them: a whole
period at once, with the title history (issue 10, "Done means").

* Chiến sĩ thi đua tỉnh needs "03 lần liên tục được tặng danh hiệu 'Chiến sĩ thi đua cơ
  sở'" (Luật Thi đua, khen thưởng 2022, Điều 22 khoản 1): 2021, 2022, 2023 qualify for
  2024; a gap in 2022 does not;
* Tập thể lao động xuất sắc needs "ít nhất là 70% cá nhân trong tập thể đạt danh hiệu 'Lao
  động tiên tiến'" and "cá nhân đạt danh hiệu 'Chiến sĩ thi đua cơ sở'" (Điều 27, ⚠): 69 %
  fails, 70 % passes, counted from the members' own decisions;
* "Chưa khen thưởng … có đơn thư khiếu nại, tố cáo … đang được xác minh làm rõ" (Nghị định
  152/2025 Điều 4 khoản 4): a pending complaint defers (``hoan_xet``), it does not refuse;
* "thành tích … được tính từ thời điểm chấp hành xong thời gian thi hành kỷ luật" (same
  clause): a streak broken by a discipline counts again from its end;
* Bằng khen Thủ tướng (Điều 73 k1 b, ⚠) and Huân chương Lao động hạng Ba (Điều 44 k1 e, ⚠)
  read the prior award and the Chiến sĩ thi đua cơ sở since then from the history;
* the shipped example period (``examples/period-2025/``) gets the outcomes its generator
  documents, and the generator reproduces the committed files.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from criteria_engine.evaluator import Decision
from criteria_engine.history import History, HistoryEntry, check_history, iter_history
from criteria_engine.library import RuleLibrary
from criteria_engine.nominees import Nominee
from criteria_engine.period import PeriodReport, judge_period, judge_period_file
from tests.common import CRITERIA, EXAMPLES, results

LDTT = "lao-dong-tien-tien"
CSTDCS = "chien-si-thi-dua-co-so"
CSTD_TINH = "chien-si-thi-dua-tinh"
BKT = "bang-khen-chu-tich-tinh"
BKTTG = "bang-khen-thu-tuong"
HCLD3 = "huan-chuong-lao-dong-hang-ba"
TTLDXS = "tap-the-lao-dong-xuat-sac"
UNIT = "UBND xã Thử, tỉnh Bắc Ninh"
PERIOD_DIR = EXAMPLES / "period-2025"

#: Nobody is deferred unless a test says so.
CLEAR = {"disciplined": False, "under_discipline_review": False, "under_investigation": False,
         "pending_complaint": False}


@pytest.fixture(scope="module")
def library() -> RuleLibrary:
    return RuleLibrary.load([CRITERIA])


def awards(subject: str, title: str, years: Iterable[int]) -> list[HistoryEntry]:
    return [HistoryEntry(subject=subject, title=title, period=year,
                         decision_number=f"{year % 100}/QĐ-UBND") for year in years]


def person(ident: str, period: int, titles: Sequence[str], **facts: Any) -> Nominee:
    return Nominee(id=ident, name=f"Người {ident}", subject="ca_nhan", unit=UNIT,
                   period=period, titles=list(titles),
                   facts={**CLEAR, **facts})


def run(library: RuleLibrary, nominees: Iterable[Nominee], period: int,
        rule_ids: Sequence[str], history: Iterable[HistoryEntry] = ()) -> PeriodReport:
    report = judge_period(library, nominees, period=period, rule_ids=rule_ids,
                          history=History(history))
    assert [p.render("en") for p in report.problems] == []
    return report


def decision(report: PeriodReport, nominee_id: str, rule_id: str) -> Decision:
    [found] = [d for d in report.decisions
               if d.nominee_id == nominee_id and d.rule.id == rule_id]
    return found


def derived(found: Decision, name: str) -> Any:
    [value] = [v for v in found.context if v.input == name]
    return value


STREAK = "consecutive__chien_si_thi_dua_co_so"


# --- Chiến sĩ thi đua tỉnh: three in a row -------------------------------------------------------


def cstd_tinh(library: RuleLibrary, years: Iterable[int], period: int,
              extra: Iterable[HistoryEntry] = ()) -> Decision:
    nominee = person("NV-1", period, [CSTD_TINH], province_initiatives=1, province_research=0)
    report = run(library, [nominee], period, [CSTD_TINH],
                 [*awards("NV-1", CSTDCS, years), *extra])
    return decision(report, "NV-1", CSTD_TINH)


def test_three_consecutive_cstdcs_2021_to_2023_qualify_for_cstd_tinh_in_2024(
        library: RuleLibrary) -> None:
    found = cstd_tinh(library, [2021, 2022, 2023], 2024)
    assert (found.outcome, found.rule.version) == ("dat", "2024.1")
    streak = derived(found, STREAK)
    assert streak.value == 3
    assert streak.periods == (2021, 2022, 2023)
    assert [seen.period for seen in streak.seen] == [2021, 2022, 2023]


def test_a_gap_in_2022_does_not_qualify(library: RuleLibrary) -> None:
    found = cstd_tinh(library, [2021, 2023], 2024)
    assert found.outcome == "khong_dat"
    assert results(found)["ba_lan_chien_si_thi_dua_co_so"] == "fail"
    assert derived(found, STREAK).value == 1


def test_the_current_year_is_not_one_of_the_three(library: RuleLibrary) -> None:
    """"Có 03 lần … được tặng": awarded already, so the streak ends the year before."""
    assert cstd_tinh(library, [2022, 2023, 2024], 2024).outcome == "khong_dat"
    assert cstd_tinh(library, [2022, 2023, 2024], 2025).outcome == "dat"


def test_no_initiative_of_provincial_scope_fails_even_with_the_streak(
        library: RuleLibrary) -> None:
    nominee = person("NV-1", 2025, [CSTD_TINH], province_initiatives=0, province_research=0)
    report = run(library, [nominee], 2025, [CSTD_TINH], awards("NV-1", CSTDCS, [2022, 2023, 2024]))
    found = decision(report, "NV-1", CSTD_TINH)
    assert found.outcome == "khong_dat"
    assert results(found)["ba_lan_chien_si_thi_dua_co_so"] == "pass"


# --- a discipline: the streak counts again from its end --------------------------------------------


def discipline(subject: str, period: int, ends: date) -> HistoryEntry:
    return HistoryEntry(subject=subject, period=period, kind="discipline", level="khien_trach",
                        ends=ends, decision_number="45/QĐ-UBND")


def test_a_streak_broken_by_a_discipline_counts_again_from_its_end(library: RuleLibrary) -> None:
    """CSTĐCS 2021–2024, a khiển trách decided in 2020 that ended on 2021-06-30: 2021 is
    not counted (the discipline ended during it), so in 2024 the streak is 2 (2022, 2023)
    and in 2025 it is 3 (2022–2024)."""
    cut = [discipline("NV-1", 2020, date(2021, 6, 30))]
    in_2024 = cstd_tinh(library, [2021, 2022, 2023, 2024], 2024, cut)
    assert in_2024.outcome == "khong_dat"
    streak = derived(in_2024, STREAK)
    assert (streak.value, streak.counted_from) == (2, 2022)
    in_2025 = cstd_tinh(library, [2021, 2022, 2023, 2024], 2025, cut)
    assert in_2025.outcome == "dat"
    assert derived(in_2025, STREAK).periods == (2022, 2023, 2024)


def test_without_the_discipline_the_same_years_qualify(library: RuleLibrary) -> None:
    assert cstd_tinh(library, [2021, 2022, 2023], 2024).outcome == "dat"


def test_bang_khen_tinh_reads_two_consecutive_cstdcs_from_the_history(
        library: RuleLibrary) -> None:
    nominee = person("NV-1", 2025, [BKT], consecutive_years_outstanding=0,
                     base_initiatives_in_window=0, base_research_in_window=0)
    report = run(library, [nominee], 2025, [BKT], awards("NV-1", CSTDCS, [2023, 2024]))
    found = decision(report, "NV-1", BKT)
    assert (found.outcome, found.rule.version) == ("dat", "2025.2")
    assert results(found)["hai_lan_chien_si_thi_dua_co_so"] == "pass"
    gap = run(library, [nominee], 2025, [BKT], awards("NV-1", CSTDCS, [2022, 2024]))
    assert decision(gap, "NV-1", BKT).outcome == "khong_dat"


# --- a collective from its members: 69 % fails, 70 % passes ---------------------------------------


def collective_run(library: RuleLibrary, holders: int, total: int = 100) -> Decision:
    members = [person(f"NV-{n:03d}", 2025, [LDTT, CSTDCS] if n == 0 else [LDTT],
                      rating="hoan_thanh_xuat_sac" if n == 0 else
                      "hoan_thanh_tot" if n < holders else "hoan_thanh",
                      initiatives_recognized=0, research_accepted=False)
               for n in range(total)]
    team = Nominee(id="TT-1", name="Phòng thử", subject="tap_the", unit=UNIT, period=2025,
                   level="phong", members=[m.id for m in members], titles=[TTLDXS],
                   facts={"unit_rating": "hoan_thanh_xuat_sac", "members_completed_tasks": total,
                          **{k: v for k, v in CLEAR.items() if k != "disciplined"}})
    report = run(library, [*members, team], 2025, [LDTT, CSTDCS, TTLDXS])
    return decision(report, "TT-1", TTLDXS)


def test_a_collective_with_69_percent_ldtt_members_fails(library: RuleLibrary) -> None:
    found = collective_run(library, 69)
    assert found.outcome == "khong_dat"
    assert results(found) == {"hoan_thanh_xuat_sac_nhiem_vu": "pass",
                              "tat_ca_hoan_thanh_nhiem_vu": "pass",
                              "ty_le_lao_dong_tien_tien": "fail",
                              "co_chien_si_thi_dua_co_so": "pass"}
    assert derived(found, "members_ldtt").value == 69
    assert derived(found, "members_total").value == 100


def test_a_collective_with_70_percent_ldtt_members_passes(library: RuleLibrary) -> None:
    found = collective_run(library, 70)
    assert (found.outcome, found.rule.version) == ("dat", "2025.2")
    assert derived(found, "members_ldtt").value == 70
    assert derived(found, "members_cstdcs").value == 1


def test_seven_of_ten_is_exactly_seventy_percent(library: RuleLibrary) -> None:
    assert collective_run(library, 7, total=10).outcome == "dat"
    assert collective_run(library, 9, total=13).outcome == "khong_dat"  # 69.2 %


@pytest.mark.parametrize(("ldtt", "outcome"), [(69, "khong_dat"), (70, "dat")])
def test_a_collective_naming_no_members_uses_its_own_counts(library: RuleLibrary, ldtt: int,
                                                            outcome: str) -> None:
    team = Nominee(id="TT-1", name="Phòng thử", subject="tap_the", unit=UNIT, period=2025,
                   titles=[TTLDXS],
                   facts={"unit_rating": "hoan_thanh_xuat_sac", "members_total": 100,
                          "members_completed_tasks": 100, "members_ldtt": ldtt,
                          "members_cstdcs": 1,
                          **{k: v for k, v in CLEAR.items() if k != "disciplined"}})
    found = decision(run(library, [team], 2025, [TTLDXS]), "TT-1", TTLDXS)
    assert found.outcome == outcome
    assert derived(found, "members_ldtt").source == "tu_khai"


# --- deferral -------------------------------------------------------------------------------------


def test_a_pending_complaint_defers(library: RuleLibrary) -> None:
    nominee = person("NV-1", 2025, [LDTT, CSTDCS], rating="hoan_thanh_xuat_sac",
                     initiatives_recognized=0, research_accepted=False, pending_complaint=True)
    report = run(library, [nominee], 2025, [LDTT, CSTDCS])
    found = decision(report, "NV-1", CSTDCS)
    assert found.outcome == "hoan_xet"
    assert [d.id for d in found.deferred_by] == ["dang_xac_minh_don_thu"]
    cleared = person("NV-1", 2025, [LDTT, CSTDCS], rating="hoan_thanh_xuat_sac",
                     initiatives_recognized=0, research_accepted=False)
    assert decision(run(library, [cleared], 2025, [LDTT, CSTDCS]), "NV-1", CSTDCS).outcome == "dat"


@pytest.mark.parametrize("rule_id", [CSTD_TINH, BKTTG, HCLD3])
def test_the_new_titles_defer_on_a_complaint_too(library: RuleLibrary, rule_id: str) -> None:
    nominee = person("NV-1", 2025, [rule_id], pending_complaint=True)
    found = decision(run(library, [nominee], 2025, [rule_id]), "NV-1", rule_id)
    assert found.outcome == "hoan_xet"


def test_cstdcs_requires_ldtt_of_the_same_year(library: RuleLibrary) -> None:
    """Điều 23 khoản 1: "Đạt tiêu chuẩn danh hiệu 'Lao động tiên tiến'", read from the
    Lao động tiên tiến decision of the same run, not copied criteria."""
    disciplined = person("NV-1", 2025, [LDTT, CSTDCS], rating="hoan_thanh_xuat_sac",
                         initiatives_recognized=1, research_accepted=False, disciplined=True)
    report = run(library, [disciplined], 2025, [LDTT, CSTDCS])
    assert decision(report, "NV-1", LDTT).outcome == "khong_dat"
    found = decision(report, "NV-1", CSTDCS)
    assert found.outcome == "khong_dat"
    assert results(found)["requires_lao_dong_tien_tien"] == "fail"
    [seen] = derived(found, "requires__lao_dong_tien_tien").seen
    assert (seen.title, seen.origin, seen.outcome) == (LDTT, "run", "khong_dat")


# --- Bằng khen Thủ tướng, Huân chương Lao động hạng Ba ---------------------------------------------


@pytest.mark.parametrize(("merit_year", "cstdcs", "outcome"), [
    (2019, [2020, 2022, 2024], "dat"),
    (2020, [2021, 2022, 2024], "khong_dat"),   # only 4 whole years since
    (2019, [2020, 2024], "khong_dat"),         # two CSTĐCS since
    (2019, [2017, 2018, 2024], "khong_dat"),   # CSTĐCS before the Bằng khen do not count
])
def test_bang_khen_thu_tuong_reads_the_prior_merit_and_the_cstdcs_since(
        library: RuleLibrary, merit_year: int, cstdcs: list[int], outcome: str) -> None:
    nominee = person("NV-1", 2025, [BKTTG], years_good_since_provincial_merit=5)
    history = [*awards("NV-1", BKT, [merit_year]), *awards("NV-1", CSTDCS, cstdcs)]
    assert decision(run(library, [nominee], 2025, [BKTTG], history),
                    "NV-1", BKTTG).outcome == outcome


def test_bang_khen_thu_tuong_needs_a_prior_provincial_merit(library: RuleLibrary) -> None:
    nominee = person("NV-1", 2025, [BKTTG], years_good_since_provincial_merit=5)
    found = decision(run(library, [nominee], 2025, [BKTTG],
                         awards("NV-1", CSTDCS, [2020, 2022, 2024])), "NV-1", BKTTG)
    assert found.outcome == "khong_dat"
    assert results(found)["da_co_bang_khen_tinh"] == "fail"


@pytest.mark.parametrize(("outstanding", "outcome"), [(1, "dat"), (0, "khong_dat")])
def test_huan_chuong_lao_dong_hang_ba_after_a_bang_khen_thu_tuong(
        library: RuleLibrary, outstanding: int, outcome: str) -> None:
    nominee = person("NV-1", 2025, [HCLD3], years_good_since_pm_merit=5,
                     years_outstanding_since_pm_merit=outstanding)
    history = [*awards("NV-1", BKTTG, [2019]), *awards("NV-1", CSTDCS, [2020, 2021, 2023])]
    assert decision(run(library, [nominee], 2025, [HCLD3], history),
                    "NV-1", HCLD3).outcome == outcome


# --- the shipped example period --------------------------------------------------------------------


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_period", PERIOD_DIR / "make_period.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _example_history() -> list[HistoryEntry]:
    entries = list(iter_history(PERIOD_DIR / "history.json"))
    assert all(isinstance(entry, HistoryEntry) for entry in entries)
    return [entry for entry in entries if isinstance(entry, HistoryEntry)]


def test_the_example_files_are_what_the_generator_writes() -> None:
    generator = _generator()
    for path, text in generator.outputs().items():
        assert Path(path).read_text(encoding="utf-8") == text, path


def test_the_example_history_imports_cleanly(library: RuleLibrary) -> None:
    entries = _example_history()
    assert check_history(entries, library, today=date(2026, 1, 31)) == []
    assert sum(entry.kind == "discipline" for entry in entries) == 1
    assert {entry.period for entry in entries if entry.kind == "award"} >= set(range(2020, 2025))


def test_the_example_period_gets_the_documented_outcomes(library: RuleLibrary) -> None:
    report = judge_period_file(library, PERIOD_DIR / "nominees.json", period=2025,
                               history=History(_example_history()))
    assert [p.render("en") for p in report.problems] == []
    got = {(d.nominee_id, d.rule.id): d.outcome for d in report.decisions}
    assert got == _generator().EXPECTED
    assert report.records == 43


def test_the_example_discipline_cuts_the_streak(library: RuleLibrary) -> None:
    report = judge_period_file(library, PERIOD_DIR / "nominees.json", period=2025,
                               history=History(_example_history()))
    cut = derived(decision(report, "TD-CN-024", CSTD_TINH), STREAK)
    assert (cut.value, cut.counted_from) == (Decimal(2), 2023)
    gap = derived(decision(report, "TD-CN-011", CSTD_TINH), STREAK)
    assert gap.periods == (2023, 2024)
    ratio = decision(report, "TD-TT-01", TTLDXS)
    assert (derived(ratio, "members_ldtt").value, derived(ratio, "members_total").value) == (7, 10)
