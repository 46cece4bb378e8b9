"""The context functions of :mod:`criteria_engine.derived`, as a specification.

Each function is computed from a hand-made history (and, for same-period and member
functions, decisions of the run), for the law's cases: three consecutive "Chiến sĩ thi đua
cơ sở" qualify for the provincial title while a gap does not (Luật 06/2022 Điều 22), a
streak broken by a discipline counts again from its end (NĐ 152/2025 Điều 4 k4), 70 % of
members holding "Lao động tiên tiến" passes and 69 % fails (Điều 27). Then the load-time
errors, each naming the file, the line and the field.
"""

from __future__ import annotations

import shutil
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from criteria_engine.derived import (
    CONTEXT_FUNCTIONS,
    MAX_LOOKBACK,
    PeriodContext,
    derive_facts,
    parse_derivation,
)
from criteria_engine.errors import ExpressionError, RuleFileError
from criteria_engine.evaluator import compile_rule, evaluate
from criteria_engine.evidence import DerivedValue
from criteria_engine.history import History, HistoryEntry
from criteria_engine.library import RuleLibrary
from criteria_engine.rules import parse_rule_text
from criteria_engine.sources import SourceText
from tests.common import rule_text, write_rule

CRITERIA = Path(__file__).resolve().parents[2] / "criteria"
T = "chien-si-thi-dua-co-so"
LDTT = "lao-dong-tien-tien"
BK = "bang-khen-chu-tich-tinh"


# --- helpers ------------------------------------------------------------------------------


def award(year: int, subject: str = "A", title: str = T, **extra: Any) -> HistoryEntry:
    return HistoryEntry(subject=subject, period=year, title=title, **extra)


def discipline(year: int, level: str = "khien_trach", ends: date | None = None,
               subject: str = "A") -> HistoryEntry:
    return HistoryEntry(subject=subject, period=year, kind="discipline", level=level, ends=ends,
                        decision_number=f"KL-{year}")


def decision(subject: str, title: str, outcome: str = "dat") -> Any:
    """What the period context reads of a decision of the run (id, rule, outcome)."""
    return SimpleNamespace(nominee_id=subject, outcome=outcome,
                           rule=SimpleNamespace(id=title, version="2025.1"))


def context(rows: Iterable[HistoryEntry] | None, *, period: int = 2024,
            decided: Sequence[Any] = (), run_ids: Collection[str] = ()) -> PeriodContext:
    history = None if rows is None else History(rows)
    ctx = PeriodContext(period, history, run_ids=run_ids)
    for item in decided:
        ctx.add(item)
    return ctx


def derive(call: str, rows: Iterable[HistoryEntry] | None = (), *, period: int = 2024,
           subject: str = "A", members: Sequence[str] | None = None,
           facts: dict[str, Any] | None = None, decided: Sequence[Any] = (),
           run_ids: Collection[str] = ()) -> DerivedValue:
    values = derive_facts({"x": parse_derivation(call)}, dict(facts or {}), subject=subject,
                          members=members,
                          context=context(rows, period=period, decided=decided,
                                          run_ids=run_ids))
    assert len(values) == 1
    return values[0]


def value(call: str, rows: Iterable[HistoryEntry] | None = (), **kw: Any) -> Any:
    return derive(call, rows, **kw).value


# --- consecutive -------------------------------------------------------------------------


def test_three_consecutive_years_qualify_the_year_after() -> None:
    """CSTĐCS in 2021, 2022 and 2023 give a streak of 3 when judging 2024."""
    found = derive(f'consecutive("{T}")', [award(2021), award(2022), award(2023)])
    assert found.value == 3
    assert found.source == "lich_su"
    assert found.periods == (2021, 2022, 2023)
    assert [s.period for s in found.seen] == [2021, 2022, 2023]
    assert all(s.held and s.origin == "import" for s in found.seen)


def test_a_gap_breaks_the_streak() -> None:
    """A gap in 2022 leaves only 2023."""
    assert value(f'consecutive("{T}")', [award(2021), award(2023)]) == 1


def test_the_streak_ends_with_the_previous_period() -> None:
    assert value(f'consecutive("{T}")', [award(2020), award(2021), award(2022)]) == 0
    assert value(f'consecutive("{T}")', []) == 0
    # a row for the judged period itself is not counted without include_current
    assert value(f'consecutive("{T}")', [award(2023), award(2024)]) == 1


def test_other_subjects_and_titles_do_not_count() -> None:
    rows = [award(2022, subject="B"), award(2023, subject="B"), award(2023, title=LDTT)]
    assert value(f'consecutive("{T}")', rows) == 0


def test_include_current_reads_the_run_decision() -> None:
    rows = [award(2022), award(2023)]
    reached = derive(f'consecutive("{T}", include_current=True)', rows,
                     decided=[decision("A", T)])
    assert reached.value == 3
    assert reached.periods == (2022, 2023, 2024)
    current = reached.seen[-1]
    assert (current.period, current.origin, current.reference) == (2024, "run", f"{T}@2025.1")
    assert value(f'consecutive("{T}", include_current=True)', rows,
                 decided=[decision("A", T, "khong_dat")]) == 0


def test_include_current_without_a_decision_is_missing() -> None:
    """Nothing says whether the current period was reached: missing, never a silent 0."""
    assert value(f'consecutive("{T}", include_current=True)', [award(2023)]) is None
    assert value(f'consecutive("{T}", include_current=True)', [award(2023)],
                 decided=[decision("A", T, "thieu_du_lieu")]) is None
    # a history row for the current period says it
    assert value(f'consecutive("{T}", include_current=True)', [award(2023), award(2024)]) == 2


def test_a_streak_broken_by_a_discipline_counts_again_from_its_end() -> None:
    """NĐ 152/2025 Điều 4 k4: achievements count from the end of the discipline; the year
    in which the discipline ends is not counted."""
    rows = [award(year) for year in range(2018, 2025)]
    rows.append(discipline(2020, ends=date(2021, 3, 31)))
    found = derive(f'consecutive("{T}")', rows, period=2025)
    assert found.value == 3
    assert found.counted_from == 2022
    assert found.periods == (2022, 2023, 2024)
    assert any(s.discipline == "khien_trach" and s.period == 2020 for s in found.seen)
    # without an end date the discipline's own year is the last one cut
    rows[-1] = discipline(2021)
    assert value(f'consecutive("{T}")', rows, period=2025) == 3
    # after_discipline=False ignores it
    assert value(f'consecutive("{T}", after_discipline=False)', rows, period=2025) == 7


def test_a_discipline_still_running_cuts_everything() -> None:
    rows = [award(year) for year in range(2018, 2025)]
    rows.append(discipline(2023, level="canh_cao", ends=date(2025, 6, 30)))
    assert value(f'consecutive("{T}")', rows, period=2025) == 0


def test_a_discipline_decided_in_the_judged_period_does_not_cut_past_periods() -> None:
    rows = [award(2022), award(2023), discipline(2024)]
    assert value(f'consecutive("{T}")', rows, period=2024) == 2


def test_the_streak_looks_back_at_most_max_lookback_periods() -> None:
    rows = [award(year) for year in range(2024 - 80, 2024)]
    assert value(f'consecutive("{T}")', rows) == MAX_LOOKBACK


# --- count_in ------------------------------------------------------------------------------


def test_count_in_a_window() -> None:
    rows = [award(2018), award(2020), award(2022), award(2023)]
    found = derive(f'count_in("{T}", periods=5)', rows, period=2025)
    assert found.value == 3
    assert found.periods == (2020, 2021, 2022, 2023, 2024)
    assert [s.period for s in found.seen] == [2020, 2022, 2023]
    assert value(f'count_in("{T}", periods=1)', rows, period=2025) == 0
    assert value(f'count_in("{T}", periods=3)', rows, period=2025) == 2


def test_count_in_without_periods_counts_all_history() -> None:
    rows = [award(1990), award(2018), award(2020), award(2022), award(2023)]
    found = derive(f'count_in("{T}")', rows, period=2025)
    assert found.value == 5
    assert found.periods[0] == 1990 and found.periods[-1] == 2024
    assert value(f'count_in("{T}")', [], period=2025) == 0


def test_count_in_include_current() -> None:
    rows = [award(2023)]
    assert value(f'count_in("{T}", periods=2, include_current=True)', rows,
                 decided=[decision("A", T)]) == 2
    assert value(f'count_in("{T}", periods=2, include_current=True)', rows) is None


def test_count_in_after_discipline() -> None:
    rows = [award(2019), award(2020), award(2022), award(2023), discipline(2021)]
    assert value(f'count_in("{T}", periods=5)', rows) == 4
    assert value(f'count_in("{T}", periods=5, after_discipline=True)', rows) == 2


# --- held ------------------------------------------------------------------------------------


def test_held_in_past_periods() -> None:
    rows = [award(2022)]
    assert value(f'held("{T}")', rows) is False          # period=-1 by default: 2023
    assert value(f'held("{T}", period=-1)', rows) is False
    assert value(f'held("{T}", period=-2)', rows) is True
    found = derive(f'held("{T}", period=-2)', rows)
    assert found.periods == (2022,)
    assert found.seen[0].period == 2022


def test_held_this_period_reads_the_run_then_the_history() -> None:
    call = f'held("{LDTT}", period=0)'
    found = derive(call, [], decided=[decision("A", LDTT)])
    assert found.value is True
    assert found.source == "cung_ky"
    assert found.seen[0].origin == "run"
    assert value(call, [], decided=[decision("A", LDTT, "khong_dat")]) is False
    assert value(call, [], decided=[decision("A", LDTT, "hoan_xet")]) is False
    assert value(call, [], decided=[decision("A", LDTT, "thieu_du_lieu")]) is None
    assert value(call, [award(2024, title=LDTT)]) is True
    # neither the run nor the history says: missing
    assert value(call, []) is None
    # the run's decision needs no history at all
    assert value(call, None, decided=[decision("A", LDTT)]) is True


# --- periods_since and count_since -----------------------------------------------------------


def test_periods_since() -> None:
    """Whole periods after the latest holding, up to the previous period."""
    assert value(f'periods_since("{BK}")', [award(2019, title=BK)], period=2025) == 5
    assert value(f'periods_since("{BK}")', [award(2016, title=BK), award(2019, title=BK)],
                 period=2025) == 5
    assert value(f'periods_since("{BK}")', [award(2024, title=BK)], period=2025) == 0
    assert value(f'periods_since("{BK}")', [], period=2025) == 0
    # a holding in the judged period is not "since"
    assert value(f'periods_since("{BK}")', [award(2019, title=BK), award(2025, title=BK)],
                 period=2025) == 5


def test_count_since() -> None:
    rows = [award(2018), award(2020, title=BK), award(2020), award(2021), award(2023),
            award(2025)]
    found = derive(f'count_since("{T}", "{BK}")', rows, period=2025)
    assert found.value == 2                      # 2021 and 2023; 2020 is the anchor year
    assert found.periods == (2021, 2022, 2023, 2024)
    assert found.seen[0].title == BK
    assert value(f'count_since("{T}", "{BK}")', [award(2021), award(2022)], period=2025) == 0


# --- no history ------------------------------------------------------------------------------


@pytest.mark.parametrize("call", [
    f'consecutive("{T}")', f'count_in("{T}", periods=5)', f'held("{T}", period=-1)',
    f'periods_since("{T}")', f'count_since("{T}", "{BK}")', f'held("{T}", period=0)',
])
def test_no_history_is_missing_never_zero(call: str) -> None:
    found = derive(call, None)
    assert found.value is None


def test_a_missing_history_value_gives_thieu_du_lieu() -> None:
    rule = _rule(f'consecutive("{T}") >= 3')
    facts: dict[str, Any] = {}
    derive_facts(rule.derived, facts, subject="A", members=None, context=context(None))
    assert evaluate(rule, facts, nominee_id="A", period=2024).outcome == "thieu_du_lieu"


# --- members ---------------------------------------------------------------------------------


def _members(count: int, holders: int, title: str = LDTT) -> tuple[list[str], list[Any]]:
    ids = [f"M{i:03d}" for i in range(count)]
    return ids, [decision(m, title, "dat" if i < holders else "khong_dat")
                 for i, m in enumerate(ids)]


def test_share_of_members_is_an_exact_decimal() -> None:
    ids, decided = _members(10, 7)
    found = derive(f'share_of_members("{LDTT}")', members=ids, decided=decided, run_ids=ids)
    assert found.value == Decimal("0.7")
    assert found.source == "thanh_vien"
    assert [s.subject for s in found.seen] == ids
    assert sum(s.held for s in found.seen) == 7
    ids, decided = _members(3, 1)
    third = value(f'share_of_members("{LDTT}")', members=ids, decided=decided, run_ids=ids)
    assert third == Decimal(1) / Decimal(3)


@pytest.mark.parametrize(("count", "holders", "outcome"), [
    (10, 7, "dat"), (100, 70, "dat"), (100, 69, "khong_dat"), (3, 2, "khong_dat"),
    (10, 10, "dat"),
])
def test_seventy_percent_passes_and_sixty_nine_fails(count: int, holders: int,
                                                     outcome: str) -> None:
    """Điều 27: ≥ 70 % of members holding Lao động tiên tiến; 7/10 is exactly 0.7."""
    rule = _rule(f'share_of_members("{LDTT}") >= 0.7', subject="tap_the")
    ids, decided = _members(count, holders)
    facts: dict[str, Any] = {}
    derive_facts(rule.derived, facts, subject="TT", members=ids,
                 context=context([], decided=decided, run_ids=ids))
    assert evaluate(rule, facts, nominee_id="TT", period=2024).outcome == outcome


def test_members_with_and_member_count() -> None:
    ids, decided = _members(12, 5, title=T)
    assert value(f'members_with("{T}")', members=ids, decided=decided, run_ids=ids) == 5
    assert value("member_count()", members=ids, run_ids=ids) == 12
    assert value("member_count()", members=[]) == 0
    assert value(f'members_with("{T}")', members=[]) == 0
    # no member at all: no share
    assert value(f'share_of_members("{T}")', members=[]) is None


def test_a_member_without_a_decision_does_not_hold_the_title() -> None:
    ids = ["M1", "M2"]
    assert value(f'members_with("{LDTT}")', members=ids, decided=[decision("M1", LDTT)],
                 run_ids=ids) == 1
    # a history row for this period counts
    assert value(f'members_with("{LDTT}")', [award(2024, subject="M2", title=LDTT)],
                 members=ids, decided=[decision("M1", LDTT)], run_ids=ids) == 2


def test_a_member_missing_data_or_unknown_leaves_the_roll_up_missing() -> None:
    ids = ["M1", "M2"]
    decided = [decision("M1", LDTT), decision("M2", LDTT, "thieu_du_lieu")]
    assert value(f'share_of_members("{LDTT}")', members=ids, decided=decided,
                 run_ids=ids) is None
    found = derive(f'members_with("{LDTT}")', members=["M1", "NOWHERE"],
                   decided=[decision("M1", LDTT)], run_ids=["M1"])
    assert found.value is None
    assert found.unknown_members == ("NOWHERE",)


def test_members_disciplined_counts_the_level_and_heavier_this_period() -> None:
    ids = ["M1", "M2", "M3", "M4", "M5"]
    rows = [discipline(2024, "khien_trach", subject="M1"),
            discipline(2024, "canh_cao", subject="M2"),
            discipline(2024, "cach_chuc", subject="M3"),
            discipline(2023, "cach_chuc", subject="M4"),      # another period
            discipline(2024, "canh_cao", subject="M3")]       # M3 counted once
    found = derive('members_disciplined("canh_cao")', rows, members=ids, run_ids=ids)
    assert found.value == 2
    assert sorted(s.subject for s in found.seen) == ["M2", "M3"]
    assert value('members_disciplined("khien_trach")', rows, members=ids, run_ids=ids) == 3


def test_without_members_the_record_s_own_value_is_used() -> None:
    """A collective that names no members keeps its self-declared count, and says so."""
    found = derive(f'members_with("{LDTT}")', members=None, facts={"x": Decimal(8)})
    assert found.source == "tu_khai"
    assert found.value == 8
    facts: dict[str, Any] = {"x": Decimal(8)}
    derive_facts({"x": parse_derivation(f'members_with("{LDTT}")')}, facts, subject="TT",
                 members=None, context=context([]))
    assert facts["x"] == 8
    assert derive(f'share_of_members("{LDTT}")', members=None).value is None


def test_values_are_in_name_order_and_written_into_the_facts() -> None:
    derived = {"b": parse_derivation(f'consecutive("{T}")'),
               "a": parse_derivation(f'held("{T}", period=-1)')}
    facts: dict[str, Any] = {}
    values = derive_facts(derived, facts, subject="A", members=None,
                          context=context([award(2023)]))
    assert [v.input for v in values] == ["a", "b"]
    assert facts == {"a": True, "b": Decimal(1)}


# --- parsing ---------------------------------------------------------------------------------


def test_every_function_is_documented_and_has_a_kind() -> None:
    import criteria_engine.derived as module

    assert module.__doc__ is not None
    for name, signature in CONTEXT_FUNCTIONS.items():
        assert f"{name}(" in module.__doc__
        assert signature.kind in ("boolean", "integer", "ratio")


def test_canonical_text_and_input_name() -> None:
    derivation = parse_derivation(f'count_in("{T}", include_current=True, periods=5)')
    assert derivation.text == f'count_in("{T}", periods=5, include_current=True)'
    assert derivation.input_name == "count_in__chien_si_thi_dua_co_so__periods_5__include_current_true"
    assert parse_derivation(f'held("{T}", period=-2)').input_name == \
        "held__chien_si_thi_dua_co_so__period_m2"
    assert parse_derivation(f'held("{T}", period=0)').same_period_titles() == (T,)
    assert parse_derivation(f'held("{T}")').same_period_titles() == ()
    assert parse_derivation(f'share_of_members("{T}")').same_period_titles() == (T,)


@pytest.mark.parametrize(("text", "key"), [
    ("consecutive(", "derive.syntax"),
    ("1 + 2", "derive.not_call"),
    ('streak("x")', "derive.unknown_function"),
    ("consecutive(x)", "derive.literal_title"),
    ('consecutive("Lao Dong")', "derive.title_form"),
    ('consecutive("x", years=3)', "derive.option"),
    ('consecutive("x", include_current=1)', "derive.option_type"),
    ('count_in("x", periods=True)', "derive.option_type"),
    ('held("x", period=1)', "derive.period"),
    ('held("x", period=-51)', "derive.period"),
    ('count_in("x", periods=0)', "derive.periods"),
    ('count_in("x", periods=51)', "derive.periods"),
    ('members_disciplined("nhe")', "derive.level"),
    ('count_since("x")', "expr.arity"),
    ('member_count("x")', "expr.arity"),
])
def test_bad_calls(text: str, key: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_derivation(text)
    assert caught.value.key == key


# --- load-time errors through a library --------------------------------------------------------



def _library(tmp_path: Path, body: str, rule_id: str = "thu-nghiem") -> tuple[RuleLibrary, Path]:
    shutil.copytree(CRITERIA / LDTT, tmp_path / LDTT)
    path = write_rule(tmp_path, rule_id, body, start="2025-01-01")
    return RuleLibrary.load([tmp_path]), path


def _problem(library: RuleLibrary, path: Path) -> RuleFileError:
    found = [p for p in library.problems if p.where.path and Path(p.where.path) == path]
    assert len(found) == 1, [(p.key, p.where) for p in library.problems]
    assert isinstance(found[0], RuleFileError)
    return found[0]


def _criterion(expr: str) -> str:
    return f"""\
inputs:
  a: {{type: integer, min: 0, label: a}}
criteria:
  - id: c
    text: c
    expr: '{expr}'
    gate: true
"""


@pytest.mark.parametrize(("expr", "key", "column"), [
    ('streak("lao-dong-tien-tien") >= 3', "expr.unknown_function", 1),
    ("consecutive(a) >= 3", "derive.literal_title", 13),
    ('consecutive("lao-dong-tien-tien", years=3) >= 3', "derive.option", 41),
    ('held("lao-dong-tien-tien", period=1)', "derive.period", 35),
    ('count_in("lao-dong-tien-tien", periods=0) >= 1', "derive.periods", 40),
])
def test_load_errors_name_file_line_column_and_field(tmp_path: Path, expr: str, key: str,
                                                    column: int) -> None:
    library, path = _library(tmp_path, _criterion(expr))
    problem = _problem(library, path)
    assert problem.key == key
    assert problem.where.line == 15
    assert problem.where.field == "criteria[0].expr"
    assert problem.where.column == 11 + column       # "    expr: '" is 11 characters wide
    assert "thu-nghiem" not in library.rules
    assert LDTT in library.rules


def test_unknown_title_is_a_load_error_with_did_you_mean(tmp_path: Path) -> None:
    library, path = _library(tmp_path, _criterion('consecutive("lao-dong-tien-tienn") >= 1'))
    problem = _problem(library, path)
    assert problem.key == "derive.unknown_title"
    assert problem.where.line == 15 and problem.where.field == "criteria[0].expr"
    assert "lao-dong-tien-tien'" in problem.render("en")
    assert "did you mean" in problem.render("en")
    assert "thu-nghiem" not in library.rules


def test_unknown_title_in_derive_and_requires(tmp_path: Path) -> None:
    library, path = _library(tmp_path, """\
        inputs:
          share:
            type: decimal
            label: s
            derive: share_of_members("lao-dong-tien-tienx")
        criteria:
          - id: c
            text: c
            expr: share >= 0.7
            gate: true
        """)
    problem = _problem(library, path)
    assert problem.key == "derive.unknown_title"
    assert (problem.where.line, problem.where.field) == (14, "inputs.share.derive")

    library, path = _library(tmp_path / "b", """\
        requires:
          - title: lao-dong-tien-tienz
        inputs:
          a: {type: integer, min: 0, label: a}
        criteria:
          - id: c
            text: c
            expr: a >= 0
            gate: true
        """)
    problem = _problem(library, path)
    assert problem.key == "derive.unknown_title"
    assert (problem.where.line, problem.where.field) == (11, "requires[0].title")


def test_derive_type_mismatch(tmp_path: Path) -> None:
    library, path = _library(tmp_path, """\
        inputs:
          share:
            type: boolean
            label: s
            derive: share_of_members("lao-dong-tien-tien")
        criteria:
          - id: c
            text: c
            expr: share
            gate: true
        """)
    problem = _problem(library, path)
    assert problem.key == "derive.type"
    assert (problem.where.line, problem.where.field) == (14, "inputs.share.derive")
    assert problem.params["expected"] == "decimal"


def test_name_clash_with_a_declared_input(tmp_path: Path) -> None:
    library, path = _library(tmp_path, """\
        inputs:
          consecutive__lao_dong_tien_tien: {type: integer, min: 0, label: x}
        criteria:
          - id: c
            text: c
            expr: consecutive("lao-dong-tien-tien") >= 3
            gate: true
        """)
    problem = _problem(library, path)
    assert problem.key == "derive.name_clash"
    assert (problem.where.line, problem.where.field) == (15, "criteria[0].expr")


def test_a_good_file_loads_with_its_derived_inputs(tmp_path: Path) -> None:
    library, path = _library(tmp_path, """\
        requires:
          - title: lao-dong-tien-tien
        inputs:
          share:
            type: decimal
            min: 0
            max: 1
            label: s
            derive: share_of_members("lao-dong-tien-tien")
        criteria:
          - id: c
            text: c
            expr: consecutive("lao-dong-tien-tien") >= 3 and share >= 0.5
            gate: true
        """)
    assert [p for p in library.problems if p.where.path == str(path)] == []
    rule = library.in_force("thu-nghiem", 2025)
    assert set(rule.derived) == {"share", "consecutive__lao_dong_tien_tien",
                                 "requires__lao_dong_tien_tien"}
    assert rule.derived_at["share"].field == "inputs.share.derive"
    assert rule.derived_at["requires__lao_dong_tien_tien"].field == "requires[0].title"
    assert rule.same_period_titles == (LDTT,)
    assert rule.titles_read == (LDTT,)
    spec = rule.model.inputs["consecutive__lao_dong_tien_tien"]
    assert spec.type == "integer"
    assert (spec.min, spec.max) == (Decimal(0), Decimal(MAX_LOOKBACK + 1))
    assert rule.criteria[-1].criterion.id == "requires_lao_dong_tien_tien"
    assert rule.criteria[-1].criterion.gate


# --- invariants --------------------------------------------------------------------------------

PERIOD = 2030
years = st.sets(st.integers(PERIOD - 20, PERIOD - 1), max_size=20)


def _streak(held: set[int], period: int) -> int:
    count = 0
    while period - 1 - count in held:
        count += 1
    return count


@given(years, st.one_of(st.none(), st.integers(PERIOD - 20, PERIOD - 1)),
       st.integers(1, 20))
def test_consecutive_never_exceeds_count_in(held: set[int], cut: int | None,
                                            window: int) -> None:
    """Over the same window, a streak is never longer than the count; with no discipline
    it is the plain definition."""
    rows = [award(y) for y in held] + ([discipline(cut)] if cut is not None else [])
    for flag in ("True", "False"):
        streak = value(f'consecutive("{T}", after_discipline={flag})', rows, period=PERIOD)
        everything = value(f'count_in("{T}", after_discipline={flag})', rows, period=PERIOD)
        windowed = value(f'count_in("{T}", periods={window}, after_discipline={flag})', rows,
                         period=PERIOD)
        assert streak <= everything
        assert min(streak, window) <= windowed <= window
    assert value(f'consecutive("{T}", after_discipline=False)', rows,
                 period=PERIOD) == _streak(held, PERIOD)


@given(years, st.integers(PERIOD - 20, PERIOD - 1), years)
def test_rows_older_than_a_gap_do_not_change_the_streak(held: set[int], gap: int,
                                                       older: set[int]) -> None:
    held = held - {gap}
    before = value(f'consecutive("{T}")', [award(y) for y in held], period=PERIOD)
    more = held | {y for y in older if y < gap}
    after = value(f'consecutive("{T}")', [award(y) for y in more], period=PERIOD)
    assert after == before


# --- shared helper -----------------------------------------------------------------------------


def _rule(expr: str, subject: str = "ca_nhan") -> Any:
    text = rule_text("thu", start="2025-01-01", subject=subject, body=f"""\
        inputs:
          a: {{type: integer, min: 0, label: a}}
        criteria:
          - id: c
            text: c
            expr: '{expr}'
            gate: true
        """)
    source = SourceText(path="<thu>", raw=text.encode(), text=text, nfd_lines=())
    return compile_rule(parse_rule_text(source))
