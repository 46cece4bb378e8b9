"""The encoding agrees with the engine on the corners: whole numbers, division by zero,
short-circuits, chained comparisons, if/min/max/abs, powers, params; and what is not
decided exactly is reported as undecided, never guessed."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

import pytest

import criteria_engine.dedup._analysis as analysis
from criteria_engine import RuleFileError
from criteria_engine.dedup import DedupReport, Finding, find_overlaps, wording_similarity
from criteria_engine.evaluator import CompiledRule
from tests.dedup.common import make_rule

INT = {"type": "integer", "min": 0, "max": 100}
DEC = {"type": "decimal", "min": 0, "max": 100}
BOOL = {"type": "boolean"}
ENUM = {"type": "enum", "values": ["a", "b", "c"]}


def compare(left: str, right: str, inputs: dict[str, dict[str, Any]], *,
            right_inputs: dict[str, dict[str, Any]] | None = None,
            params: dict[str, Any] | None = None, timeout_ms: int = 10_000) -> Finding:
    """The single finding between a one-criterion rule and another."""
    a = make_rule("left", inputs, [left], params=params)
    b = make_rule("right", right_inputs or inputs, [right], params=params)
    report = find_overlaps([a, b], timeout_ms=timeout_ms)
    (finding,) = report.findings
    return finding


@pytest.mark.parametrize(("left", "right", "inputs", "relation"), [
    ("x >= 2", "x > 1", {"x": INT}, "equivalent"),
    ("x >= 2", "x > 1", {"x": DEC}, "implies"),
    ("x >= 2", "x > 1", {"x": {"type": "integer"}}, "equivalent"),
    ("0 < x < 5", "x > 0 and x < 5", {"x": DEC}, "equivalent"),
    ("x == 3", "x >= 3 and x <= 3", {"x": DEC}, "equivalent"),
    ("x != 3", "x < 3 or x > 3", {"x": DEC}, "equivalent"),
    ("x < 10", "x >= 10", {"x": INT}, "disjoint"),
    ("x - 1 >= 4", "2 * x >= 10", {"x": DEC}, "equivalent"),
    ("-x <= -5", "x >= 5", {"x": DEC}, "equivalent"),
    ("x / 4 >= 1", "x >= 4", {"x": DEC}, "equivalent"),
    ("min(x, 10) >= 3", "x >= 3", {"x": DEC}, "equivalent"),
    ("max(x, 2) <= 7", "x <= 7", {"x": DEC}, "equivalent"),
    ("abs(x - 5) <= 2", "x >= 3 and x <= 7", {"x": DEC}, "equivalent"),
    ("(x if f else 0) >= 3", "f and x >= 3", {"x": INT, "f": BOOL}, "equivalent"),
    ("(x * 2 if f else x) >= 10", "x >= 5", {"x": INT, "f": BOOL}, "implies"),
    ("e not in [\"a\"]", "e in [\"b\", \"c\"]", {"e": ENUM}, "equivalent"),
    ("e == \"a\"", "e != \"a\"", {"e": ENUM}, "disjoint"),
    ("f == False", "not f", {"f": BOOL}, "equivalent"),
    ("(\"a\" if f else \"b\") == \"a\"", "f", {"f": BOOL}, "equivalent"),
    ("x ** 2 >= 0", "x >= 0", {"x": DEC}, "undecided"),  # non-linear: only witnesses trusted
])
def test_relation(left: str, right: str, inputs: dict[str, dict[str, Any]], relation: str) -> None:
    assert compare(left, right, inputs).relation == relation


def test_an_unguarded_division_by_zero_meets_nothing() -> None:
    """The engine raises on c / r with r = 0, so the record does not meet the criterion."""
    inputs = {"c": INT, "r": INT}
    finding = compare("c / r >= 0.5", "r > 0 and c / r >= 0.5", inputs)
    assert finding.relation == "equivalent"


def test_short_circuit_guards_a_division() -> None:
    finding = compare("r == 0 or c / r >= 0.5", "r == 0", {"c": INT, "r": INT})
    assert finding.relation == "implied_by"
    witness = finding.witness("both")
    assert witness is not None and witness.record["facts"]["r"] == 0


def test_zero_to_the_power_zero_is_an_error_in_the_engine() -> None:
    finding = compare("x ** 0 == 1", "x != 0", {"x": INT})
    assert finding.relation == "equivalent"


def test_ratio_of_two_ratios_is_non_linear_and_undecided() -> None:
    inputs = {"a": INT, "b": INT, "c": INT, "d": INT}
    finding = compare("b > 0 and d > 0 and a / b >= c / d", "b > 0 and d > 0 and a * d >= c * b",
                      inputs)
    assert finding.relation == "undecided"
    assert finding.theory == "nonlinear"
    assert any(n.key == "dedup.note.nonlinear" for n in finding.notes)
    assert finding.witness("both") is not None


def test_non_linear_overlap_is_established_by_witnesses_alone() -> None:
    finding = compare("x * y >= 4", "y >= 3", {"x": INT, "y": INT})
    assert finding.relation == "overlaps"
    assert finding.theory == "nonlinear"
    assert {w.role for w in finding.witnesses} == {"both", "only_left", "only_right"}


def test_a_value_without_finite_decimals_is_undecided() -> None:
    """Only x = 1/3 satisfies 3x = 1; no nominee record can hold it, so no verdict."""
    finding = compare("x * 3 == 1", "x >= 0", {"x": DEC})
    assert finding.relation == "undecided"
    assert any(n.key == "dedup.note.no_decimal" for n in finding.notes)


def test_decimal_witnesses_get_short_decimals() -> None:
    finding = compare("x * 3 >= 1", "x < 1", {"x": DEC})
    assert finding.relation == "overlaps"
    for witness in finding.witnesses:
        exponent = Decimal(str(witness.record["facts"]["x"])).as_tuple().exponent
        assert isinstance(exponent, int) and exponent >= -8


def test_a_criterion_that_can_never_be_met_is_noted() -> None:
    finding = compare("x > 5 and x < 5", "x >= 0", {"x": DEC})
    assert finding.relation == "disjoint"
    assert [n.key for n in finding.notes] == ["dedup.note.never_met"]


def test_params_are_constants() -> None:
    inputs = {"s": BOOL}
    finding = compare("not require or not s", "not s", inputs, params={"require": True})
    assert finding.relation == "equivalent"
    finding = compare("not require or not s", "not s", inputs, params={"require": False})
    assert finding.relation == "implied_by"


def test_declared_ranges_are_intersected() -> None:
    finding = compare("x >= 30", "x <= 80", {"x": {"type": "integer", "min": 0, "max": 100}},
                      right_inputs={"x": {"type": "integer", "min": 50, "max": 100}})
    assert finding.relation == "implied_by"  # below 50 the right file accepts no record


def test_engine_disagreement_is_undecided(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis._Comparison, "_engine", lambda self, side, values: "error")
    finding = compare("x >= 2", "x >= 1", {"x": INT})
    assert finding.relation == "undecided"
    assert {n.key for n in finding.notes} == {"dedup.note.engine_disagrees"}


def test_solver_timeout_is_undecided() -> None:
    inputs = {"x": INT, "y": INT, "z": INT}
    finding = compare("x >= 1 and y >= 1 and x * x * x + y * y * y == z * z * z", "z >= 1",
                      inputs, timeout_ms=50)
    assert finding.relation == "undecided"


# --- which files are compared, and the vocabulary of facts --------------------------------


def test_only_titles_in_force_together_for_the_same_subject_are_compared() -> None:
    base = make_rule("base", {"x": INT}, ["x >= 1"])
    others = [
        make_rule("collective", {"x": INT}, ["x >= 1"], subject="tap_the"),
        make_rule("earlier", {"x": INT}, ["x >= 1"], effective_from="2020-01-01",
                  effective_to="2023-12-31"),
    ]
    assert find_overlaps([base, *others]).findings == []
    later = make_rule("later", {"x": INT}, ["x >= 1"], effective_from="2023-01-01",
                      effective_to="2024-01-01")
    (finding,) = find_overlaps([base, later]).findings
    assert finding.period[0].isoformat() == "2024-01-01"


def test_versions_of_one_title_are_not_compared() -> None:
    v1 = make_rule("same", {"x": INT}, ["x >= 1"])
    v2 = make_rule("same", {"x": INT}, ["x >= 2"])
    assert find_overlaps([v1, v2]).findings == []


def test_same_as_joins_two_names_for_one_fact() -> None:
    a = make_rule("a", {"score": DEC}, ["score >= 90"])
    b = make_rule("b", {"diem": {**DEC, "same_as": "score"}}, ["diem >= 80"])
    report = find_overlaps([a, b])
    (finding,) = report.findings
    assert finding.relation == "implies"
    assert finding.shared == ("diem",) or finding.shared == ("score",)
    unrelated = find_overlaps([a, make_rule("c", {"diem": DEC}, ["diem >= 80"])])
    assert unrelated.findings == [] and unrelated.unrelated == 1


def test_a_fact_declared_two_ways_names_both_files_and_lines() -> None:
    a = make_rule("a", {"pad": BOOL, "score": DEC}, ["score >= 90"])
    b = make_rule("b", {"score": INT}, ["score >= 9"])
    with pytest.raises(RuleFileError) as caught:
        find_overlaps([a, b])
    error = caught.value
    assert error.key == "dedup.fact_conflict"
    assert (error.where.path, error.where.line) == ("<a>", 16)
    text = error.render("en")
    assert "<b>:13" in text and "decimal [0, 100]" in text and "integer [0, 100]" in text


@pytest.mark.parametrize(("left", "right"), [
    (ENUM, {"type": "enum", "values": ["a", "b"]}),
    (INT, {"type": "integer", "min": 200}),
    (BOOL, INT),
])
def test_incompatible_declarations_are_errors(left: dict[str, Any], right: dict[str, Any]) -> None:
    a = make_rule("a", {"v": left}, ["v == v"])
    b = make_rule("b", {"v": right}, ["v == v"])
    with pytest.raises(RuleFileError, match="one name must mean one fact"):
        find_overlaps([a, b])


def test_enum_values_in_another_order_are_the_same_fact() -> None:
    finding = compare("e == \"a\"", "e in [\"a\"]", {"e": ENUM},
                      right_inputs={"e": {"type": "enum", "values": ["c", "b", "a"]}})
    assert finding.relation == "equivalent"


def test_two_inputs_of_one_file_for_one_fact_are_an_error() -> None:
    a = make_rule("a", {"x": INT, "y": {**INT, "same_as": "x"}}, ["x >= y"])
    with pytest.raises(RuleFileError) as caught:
        find_overlaps([a, make_rule("b", {"x": INT}, ["x >= 1"])])
    assert caught.value.key == "dedup.same_fact_twice"


# --- whole titles ------------------------------------------------------------------------


def titles(*rules: CompiledRule) -> DedupReport:
    return find_overlaps(list(rules))


def test_points_count_in_the_whole_title_view() -> None:
    gates = make_rule("gates", {"x": INT, "y": INT}, ["x >= 5"])
    scored = make_rule("scored", {"x": INT, "y": INT}, [("x >= 3", 10), ("y >= 1", 10)],
                       min_points=10)
    (title,) = titles(gates, scored).titles
    assert title.relation == "implies"
    stricter = make_rule("stricter", {"x": INT, "y": INT}, [("x >= 3", 10), ("y >= 1", 10)],
                         min_points=20)
    (title,) = titles(gates, stricter).titles
    assert title.relation == "overlaps"


def test_an_error_anywhere_in_a_title_fails_the_title() -> None:
    guarded = make_rule("guarded", {"c": INT, "r": INT}, ["r >= 0"])
    unguarded = make_rule("unguarded", {"c": INT, "r": INT}, ["r >= 0", ("c / r >= 1", 1)])
    (title,) = titles(guarded, unguarded).titles
    assert title.relation == "implied_by"  # r = 0 meets the left but errors on the right


# --- wording -----------------------------------------------------------------------------


def test_wording_similarity_is_nfc_and_accent_aware() -> None:
    text = "Không bị kỷ luật trong năm"
    assert wording_similarity(text, unicodedata.normalize("NFD", text)) == 1.0
    assert wording_similarity(text, text.upper()) == 1.0
    assert wording_similarity(text, "Khong bi ky luat trong nam") < 0.5
