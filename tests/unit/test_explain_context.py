"""The explanation of a cap placement and of derived facts (issue 10 point 6): a streak, a
member roll-up, a same-period dependency and a cap decision in words, in the JSON, in the
exports and in ``tdkt explain``.

Decisions are built by hand: ``evaluate`` of a fixture rule, then ``_replace`` with the
context, cap and outcome a period run would give.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import simplejson
from openpyxl import load_workbook

from criteria_engine.evaluator import CompiledRule, Decision, evaluate
from criteria_engine.evidence import CapPlacement, DerivedValue, Seen
from criteria_engine.exports import export_decisions
from criteria_engine.library import load_rule
from criteria_engine.messages import message
from criteria_engine.report import (
    cap_lines,
    cap_ranked_by,
    cap_text,
    context_lines,
    context_text,
    decision_to_dict,
    decision_to_json,
    outcome_reason,
)
from tests.common import FIXTURES, english_sentences

CAPS = FIXTURES / "caps"
FACTS: dict[str, Any] = {"score": Decimal(90), "initiatives": 1, "seniority": 5,
                         "late_days": 0, "mentor": True, "rating": "tot"}
CSTDCS = "chien-si-thi-dua-co-so"
LDTT = "lao-dong-tien-tien"


@pytest.fixture(scope="module")
def count_rule() -> CompiledRule:
    return load_rule(CAPS / "chi-tieu-so-luong" / "2025.1.yaml")


@pytest.fixture(scope="module")
def title_rule() -> CompiledRule:
    return load_rule(CAPS / "chi-tieu-theo-danh-hieu" / "2025.1.yaml")


def judged(rule: CompiledRule, nominee: str = "NV-7", **changes: Any) -> Decision:
    decision = evaluate(rule, FACTS, nominee_id=nominee, period=2025, name="Nguyễn Văn A",
                        unit="Phòng A")
    return decision._replace(**changes)


def past_cap(rule: CompiledRule, **placement: Any) -> Decision:
    fields: dict[str, Any] = {"group": "Phòng A", "period": 2025, "rank": 4, "limit": 3,
                              "group_size": 5, "within": False, "keys": ("15", "5", "ab12")}
    fields.update(placement)
    return judged(rule, outcome="loai_do_chi_tieu", cap=CapPlacement(**fields))


def streak(value: int = 3, counted_from: int | None = None) -> DerivedValue:
    years = tuple(range(2025 - value, 2025))
    seen = tuple(Seen("NV-7", CSTDCS, y, True, "import", f"{y}/QĐ-UBND") for y in years)
    return DerivedValue("consecutive__chien_si_thi_dua_co_so", f'consecutive("{CSTDCS}")',
                        Decimal(value), "lich_su", years, seen, counted_from)


def roll_up(holders: int = 12, total: int = 15) -> DerivedValue:
    seen = tuple(Seen(f"NV-{i:02d}", LDTT, 2025, i < holders, "run", f"{LDTT}@2025.1",
                      outcome="dat" if i < holders else "khong_dat") for i in range(total))
    return DerivedValue("members_ldtt_share", f'share_of_members("{LDTT}")',
                        Decimal(holders) / Decimal(total), "thanh_vien", (2025,), seen)


def requirement(held: bool = True) -> DerivedValue:
    seen = Seen("NV-7", LDTT, 2025, held, "run", f"{LDTT}@2025.1",
                outcome="dat" if held else "khong_dat")
    return DerivedValue("requires__lao_dong_tien_tien", f'held("{LDTT}", period=0)', held,
                        "cung_ky", (2025,), (seen,))


# --- the cap -----------------------------------------------------------------------------


def test_past_the_quota_has_its_label_and_reason(count_rule: CompiledRule) -> None:
    decision = past_cap(count_rule)
    assert message("outcome.loai_do_chi_tieu", "vi") == "Loại do chỉ tiêu"
    assert message("outcome.loai_do_chi_tieu", "en") == "Past the quota"
    vi, en = outcome_reason(decision, "vi"), outcome_reason(decision, "en")
    assert vi == ("đạt tiêu chuẩn nhưng vượt chỉ tiêu: xếp thứ 4/5 trong đơn vị 'Phòng A', "
                  "kỳ 2025, chỉ tiêu 3 (số cố định); căn cứ: Điều 9, Quyết định thử số "
                  "1/QĐ-UBND " + message("cite.unverified", "vi"))
    assert en.startswith("meets the criteria but is past the quota: ranked 4 of 5 in unit "
                         "'Phòng A', period 2025, quota 3 (a fixed number)")
    assert not english_sentences(vi), vi


def test_a_share_says_its_base_ratio_and_rounding(title_rule: CompiledRule) -> None:
    decision = past_cap(title_rule, rank=3, limit=2, base=7, ratio=Decimal("0.3"))
    vi = outcome_reason(decision, "vi")
    assert "xếp thứ 3/5" in vi and "chỉ tiêu 2" in vi
    assert "30% × 7 người đạt 'lao-dong-tien-tien' cùng kỳ = 2,1, làm tròn xuống" in vi
    en = outcome_reason(decision, "en")
    assert "30% × 7 holders of 'lao-dong-tien-tien' in the period = 2.1, rounded down" in en
    assert not english_sentences(vi), vi


def test_inside_the_quota_the_reason_is_unchanged_and_the_place_is_told(
        count_rule: CompiledRule) -> None:
    plain = judged(count_rule)
    placed = plain._replace(cap=CapPlacement("Phòng A", 2025, 2, 3, 5, True,
                                             keys=("15", "5", "0123456789abcdef0123")))
    assert outcome_reason(placed, "vi") == outcome_reason(plain, "vi")
    assert cap_text(plain, "vi") is None
    assert (cap_text(placed, "vi") or "").startswith("trong chỉ tiêu: xếp thứ 2/5")
    assert cap_lines(placed, "vi")[0] == cap_text(placed, "vi")
    assert cap_lines(placed, "vi")[-1] == (
        "giá trị dùng để xếp của hồ sơ này: tổng điểm 15; Số năm công tác 5; mã băm "
        f"{placed.cap.keys[-1][:16] if placed.cap else ''}…")
    past = past_cap(count_rule)
    assert cap_lines(past, "en") == [
        cap_ranked_by(past, "en"),
        "this nominee's values ranked on: total points 15; Years of service 5; hash ab12…"]
    assert cap_lines(plain, "vi") == []
    assert cap_ranked_by(placed, "vi").startswith("xếp hạng theo: tổng điểm, Số năm công tác;")
    assert "SHA-256" in cap_ranked_by(placed, "en")


def test_the_json_holds_the_cap(count_rule: CompiledRule) -> None:
    decision = past_cap(count_rule)
    data = decision_to_dict(decision, "en")
    assert data["outcome"] == "loai_do_chi_tieu"
    cap = data["cap"]
    assert {k: cap[k] for k in ("group", "period", "rank", "limit", "group_size", "within",
                                "base", "ratio", "rounding", "rank_by", "keys")} == {
        "group": "Phòng A", "period": 2025, "rank": 4, "limit": 3, "group_size": 5,
        "within": False, "base": None, "ratio": None, "rounding": None,
        "rank_by": ["points", "seniority"], "keys": ["15", "5", "ab12"]}
    assert cap["text"] == data["reason"]
    assert cap["cite"]["article"] == 9
    assert decision_to_dict(judged(count_rule))["cap"] is None


# --- derived facts in words -------------------------------------------------------------


def test_a_streak_in_words(count_rule: CompiledRule) -> None:
    decision = judged(count_rule, context=(streak(),))
    assert context_text(decision, decision.context[0], "vi") == (
        "3 năm liên tục đạt 'chien-si-thi-dua-co-so' (2022, 2023, 2024)")
    assert context_text(decision, decision.context[0], "en") == (
        "3 consecutive years of 'chien-si-thi-dua-co-so' (2022, 2023, 2024)")
    named = context_text(decision, decision.context[0], "vi",
                         {CSTDCS: "Chiến sĩ thi đua cơ sở"})
    assert named == "3 năm liên tục đạt 'Chiến sĩ thi đua cơ sở' (2022, 2023, 2024)"
    [line] = context_lines(decision, "vi")
    assert line.endswith("[nguồn: lịch sử danh hiệu]")


def test_a_streak_cut_by_a_discipline_says_where_it_counts_from(
        count_rule: CompiledRule) -> None:
    value = streak(2, counted_from=2023)
    value = DerivedValue(value.input, value.call, value.value, value.source, value.periods,
                         (*value.seen, Seen("NV-7", "", 2022, False, "import", "9/QĐ",
                                            "khien_trach")), value.counted_from)
    decision = judged(count_rule, context=(value,))
    text = context_text(decision, value, "vi")
    assert text == ("2 năm liên tục đạt 'chien-si-thi-dua-co-so' (2023, 2024); "
                    "tính từ kỳ 2023, sau thời hạn kỷ luật")
    zero = streak(0)
    assert context_text(decision, zero, "en") == "0 consecutive years of 'chien-si-thi-dua-co-so'"


def test_a_member_roll_up_names_members_and_share(count_rule: CompiledRule) -> None:
    decision = judged(count_rule, context=(roll_up(),))
    text = context_text(decision, decision.context[0], "vi")
    assert text.startswith("12/15 thành viên đạt 'lao-dong-tien-tien' (80%); gồm: NV-00, NV-01")
    assert text.endswith("NV-09, …")
    assert "NV-10" not in text
    [line] = context_lines(decision, "en")
    assert "12/15 members hold 'lao-dong-tien-tien' (80%)" in line
    assert line.endswith("[source: the members' decisions]")


def test_a_share_just_below_a_threshold_never_reads_as_reaching_it(
        count_rule: CompiledRule) -> None:
    value = roll_up(699, 700 + 299)      # 69,96… %
    decision = judged(count_rule, context=(value,))
    assert "(69,9%)" in context_text(decision, value, "vi")
    nine = roll_up(9, 13)                # 69,23… %
    assert "9/13 thành viên đạt 'lao-dong-tien-tien' (69,2%)" in context_text(decision, nine)


def test_a_self_declared_roll_up_says_so(count_rule: CompiledRule) -> None:
    value = DerivedValue("members_ldtt_share", f'share_of_members("{LDTT}")', Decimal("0.8"),
                         "tu_khai")
    decision = judged(count_rule, context=(value,))
    assert context_text(decision, value, "vi") == (
        "80% (tự khai: hồ sơ không ghi danh sách thành viên)")
    [line] = context_lines(decision, "vi")
    assert line.endswith("[nguồn: tự khai]")


def test_unknown_members_leave_the_value_undetermined(count_rule: CompiledRule) -> None:
    value = DerivedValue("members_ldtt_share", f'share_of_members("{LDTT}")', None,
                         "thanh_vien", (2025,), (), unknown_members=("NV-404", "NV-405"))
    decision = judged(count_rule, context=(value,))
    assert context_text(decision, value, "en") == (
        "could not be determined; members found nowhere: NV-404, NV-405")


def test_a_requirement_names_the_decision_it_relied_on(count_rule: CompiledRule) -> None:
    decision = judged(count_rule, context=(requirement(),))
    assert context_text(decision, decision.context[0], "vi") == (
        "'lao-dong-tien-tien' cùng kỳ 2025: Đạt, theo quyết định lao-dong-tien-tien@2025.1 "
        "trong lượt xét này")
    refused = requirement(False)
    assert context_text(decision, refused, "en") == (
        "'lao-dong-tien-tien' in the same period 2025: Does not meet, per decision "
        "lao-dong-tien-tien@2025.1 of this run")
    stored = DerivedValue("requires__lao_dong_tien_tien", f'held("{LDTT}", period=0)', True,
                          "cung_ky", (2025,), (Seen("NV-7", LDTT, 2025, True, "store", "42"),))
    assert context_text(decision, stored, "en").endswith("Meets, per stored decision #42")


@pytest.mark.parametrize(("value", "vi"), [
    (DerivedValue("held_prev", f'held("{CSTDCS}", period=-1)', True, "lich_su", (2024,),
                  (Seen("NV-7", CSTDCS, 2024, True, "import"),)),
     "đạt 'chien-si-thi-dua-co-so' kỳ 2024"),
    (DerivedValue("held_prev", f'held("{CSTDCS}")', False, "lich_su", (2024,)),
     "không đạt 'chien-si-thi-dua-co-so' kỳ 2024"),
    (DerivedValue("n", f'count_in("{CSTDCS}", periods=5)', Decimal(2), "lich_su",
                  tuple(range(2020, 2025)),
                  (Seen("NV-7", CSTDCS, 2021, True), Seen("NV-7", CSTDCS, 2023, True))),
     "2 lần đạt 'chien-si-thi-dua-co-so' trong 5 kỳ gần nhất (2021, 2023); "
     "đã xét các kỳ 2020–2024"),
    (DerivedValue("n", f'count_in("{CSTDCS}")', Decimal(1), "lich_su", (2023, 2024),
                  (Seen("NV-7", CSTDCS, 2023, True),)),
     "1 lần đạt 'chien-si-thi-dua-co-so' trong toàn bộ lịch sử (2023); "
     "đã xét các kỳ 2023, 2024"),
    (DerivedValue("n", f'periods_since("{CSTDCS}")', Decimal(5), "lich_su",
                  tuple(range(2019, 2025)), (Seen("NV-7", CSTDCS, 2019, True),)),
     "5 kỳ kể từ lần gần nhất đạt 'chien-si-thi-dua-co-so' (2019)"),
    (DerivedValue("n", f'periods_since("{CSTDCS}")', Decimal(0), "lich_su"),
     "chưa từng đạt 'chien-si-thi-dua-co-so'"),
    (DerivedValue("n", f'count_since("{CSTDCS}", "bang-khen")', Decimal(2), "lich_su",
                  (2022, 2023, 2024),
                  (Seen("NV-7", "bang-khen", 2021, True), Seen("NV-7", CSTDCS, 2022, True),
                   Seen("NV-7", CSTDCS, 2024, True))),
     "2 lần đạt 'chien-si-thi-dua-co-so' kể từ lần gần nhất đạt 'bang-khen' (2021) "
     "(2022, 2024)"),
    (DerivedValue("n", f'count_since("{CSTDCS}", "bang-khen")', Decimal(0), "lich_su"),
     "chưa từng đạt 'bang-khen' nên không tính 'chien-si-thi-dua-co-so'"),
    (DerivedValue("n", "member_count()", Decimal(15), "thanh_vien", (2025,)),
     "15 thành viên"),
    (DerivedValue("n", f'members_with("{LDTT}")', Decimal(1), "thanh_vien", (2025,),
                  (Seen("T-1", LDTT, 2025, True), Seen("T-2", LDTT, 2025, False))),
     "1/2 thành viên đạt 'lao-dong-tien-tien'; gồm: T-1"),
    (DerivedValue("n", 'members_disciplined("canh_cao")', Decimal(1), "thanh_vien", (2025,),
                  (Seen("T-2", "", 2025, False, "import", "5/QĐ", "canh_cao"),)),
     "1 thành viên bị kỷ luật từ mức 'canh_cao' trở lên trong kỳ; gồm: T-2"),
    (DerivedValue("n", "something_new(1)", Decimal(3), "lich_su"),
     "something_new(1) = 3"),
])
def test_each_context_function_in_words(count_rule: CompiledRule, value: DerivedValue,
                                        vi: str) -> None:
    decision = judged(count_rule, context=(value,))
    assert context_text(decision, value, "vi") == vi
    assert not english_sentences(context_text(decision, value, "vi"))
    assert context_text(decision, value, "en")


def test_the_json_holds_the_context(count_rule: CompiledRule) -> None:
    decision = judged(count_rule, context=(streak(), roll_up(), requirement()))
    data = decision_to_dict(decision, "vi")
    first = data["context"][0]
    assert {k: first[k] for k in ("input", "call", "value", "source", "periods",
                                  "counted_from")} == {
        "input": "consecutive__chien_si_thi_dua_co_so", "call": f'consecutive("{CSTDCS}")',
        "value": 3, "source": "lich_su", "periods": [2022, 2023, 2024], "counted_from": None}
    assert first["seen"][0] == {"subject": "NV-7", "title": CSTDCS, "period": 2022,
                                "held": True, "origin": "import", "reference": "2022/QĐ-UBND",
                                "discipline": None, "outcome": None}
    assert first["text"].startswith("3 năm liên tục")
    assert data["context"][1]["value"] == Decimal("0.8")
    assert len(data["context"][1]["seen"]) == 15
    assert data["context"][2]["value"] is True


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_json_text_and_dict_agree(count_rule: CompiledRule, title_rule: CompiledRule,
                                  lang: Any) -> None:
    for decision in (past_cap(count_rule),
                     past_cap(title_rule, base=7, ratio=Decimal("0.3"))._replace(
                         context=(streak(), roll_up(), requirement())),
                     judged(count_rule)):
        fast = json.loads(decision_to_json(decision, lang))
        slow = json.loads(simplejson.dumps(decision_to_dict(decision, lang), use_decimal=True))
        assert fast == slow


# --- exports and tdkt explain -----------------------------------------------------------


def test_the_export_has_the_outcome_label_the_cap_and_the_context(
        tmp_path: Path, count_rule: CompiledRule) -> None:
    target = tmp_path / "ket-qua.xlsx"
    decisions = [past_cap(count_rule)._replace(context=(streak(),)),
                 judged(count_rule, "NV-8")]
    export_decisions(target, decisions, [], lang="vi")
    book = load_workbook(target)
    summary = list(book["Kết quả"].iter_rows(values_only=True))
    assert summary[0][-1] == "Chỉ tiêu"
    assert summary[1][6] == "Loại do chỉ tiêu"
    assert summary[1][9] == outcome_reason(decisions[0], "vi")
    assert summary[1][-1] == cap_text(decisions[0], "vi")
    assert summary[2][-1] is None
    criteria = [row for row in book["Chi tiết tiêu chí"].iter_rows(values_only=True)
                if row[0] == "NV-7"]
    assert criteria[0][1:5] == ("consecutive__chien_si_thi_dua_co_so",
                                "3 năm liên tục đạt 'chien-si-thi-dua-co-so' (2022, 2023, 2024)",
                                "Dữ kiện suy ra", "3")
    assert criteria[0][6] == f'consecutive("{CSTDCS}")'
    assert criteria[0][8] == "lịch sử danh hiệu"
    csv_target = tmp_path / "ket-qua.csv"
    export_decisions(csv_target, decisions, [], lang="en")
    header = csv_target.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.endswith(",Quota")
    assert "Past the quota" in csv_target.read_text(encoding="utf-8-sig")


def test_tdkt_explain_prints_the_cap_and_the_context(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        title_rule: CompiledRule) -> None:
    import cli

    monkeypatch.setenv("COLUMNS", "400")

    decision = past_cap(title_rule, base=7, ratio=Decimal("0.3"))._replace(
        context=(streak(), roll_up(), requirement()))
    cli._print_explanation(decision, "vi")
    out = capsys.readouterr().out
    for part in ("Loại do chỉ tiêu", "Chỉ tiêu", "xếp thứ 4/5", "Dữ kiện suy ra",
                 "giá trị dùng để xếp của hồ sơ này: tổng điểm 15; Số năm công tác 5",
                 "3 năm liên tục đạt 'chien-si-thi-dua-co-so' (2022, 2023, 2024)",
                 "[nguồn: lịch sử danh hiệu]",
                 "12/15 thành viên"):
        assert part in out, part
