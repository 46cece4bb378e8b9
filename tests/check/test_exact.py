"""The exact machinery: the rational interpreter, and the claim that one representative
per region stands for every value of an input."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from criteria_engine import strategies
from criteria_engine.check.exact import (
    exact_value,
    regions,
    representatives,
    rounding_free,
    thresholds,
)
from criteria_engine.expressions import Scope, check_expression, compile_expression
from criteria_engine.rules import InputSpec
from tests.property.strategies import PARAMS, SCOPE, expressions, fact_sets


def _spec(kind: str, low: int | None = None, high: int | None = None) -> InputSpec:
    return InputSpec(type=kind, label="x", min=None if low is None else Decimal(low),  # type: ignore[arg-type]
                     max=None if high is None else Decimal(high))


@pytest.mark.parametrize(("spec", "cuts", "expected"), [
    (_spec("integer", 0), {Fraction(50)}, ["0", "1", "50", "51"]),
    (_spec("integer", 0, 100), {Fraction(50)}, ["0", "1", "50", "51", "100"]),
    (_spec("integer"), {Fraction(5, 2)}, ["2", "3"]),
    (_spec("decimal", 0, 1), {Fraction(7, 10)}, ["0", "0.1", "0.7", "0.8", "1"]),
    (_spec("decimal", 0, 1), {Fraction(1, 3)}, ["0", "0.1", "0.4", "1"]),
    (_spec("decimal", 0, 100), set(), ["0", "1", "100"]),
    (_spec("integer"), set(), ["0"]),
])
def test_representatives(spec: InputSpec, cuts: set[Fraction], expected: list[str]) -> None:
    assert [str(v) for v in representatives(spec, cuts)] == expected


def _side(value: Fraction, cut: Fraction) -> int:
    return (value > cut) - (value < cut)


def _matching(spec: InputSpec, cuts: set[Fraction], value: Any) -> Any:
    """A representative on the same side of every cut as ``value`` (the declared bounds
    cut too, so there may be more than one)."""
    if spec.type in ("boolean", "enum"):
        return value
    wanted = [_side(Fraction(value), c) for c in sorted(cuts)]
    same = [r for r in representatives(spec, cuts)
            if [_side(Fraction(r), c) for c in sorted(cuts)] == wanted]
    assert same, (value, cuts, representatives(spec, cuts))
    return same[0]


@st.composite
def specs_and_values(draw: st.DrawFn) -> tuple[InputSpec, set[Fraction], Decimal]:
    kind = draw(st.sampled_from(["integer", "decimal"]))
    low = draw(st.none() | st.integers(-20, 20))
    high = draw(st.none() | st.integers(low if low is not None else -20, 40))
    spec = _spec(kind, low, high)
    cuts = {Fraction(d) for d in draw(st.lists(st.decimals(-30, 50, places=1), max_size=4))}
    value = draw(strategies.input_values(spec))
    return spec, cuts, value


@given(specs_and_values())
def test_every_value_has_a_representative_of_its_region(
        case: tuple[InputSpec, set[Fraction], Decimal]) -> None:
    spec, cuts, value = case
    _matching(spec, cuts, value)


_ATOMS = ("a", "b", "n")


@st.composite
def fragment_expressions(draw: st.DrawFn, depth: int = 3) -> str:
    """Boolean expressions whose comparisons each set one input against a constant."""
    if depth == 0 or draw(st.booleans()):
        kind = draw(st.sampled_from(["compare", "flag", "enum", "membership"]))
        if kind == "flag":
            return draw(st.sampled_from(["p", "not q", "bat_buoc", "p == q"]))
        if kind == "enum":
            return draw(st.sampled_from(['rating == "tot"', 'rating != "dat"',
                                         'rating in ["xuat_sac", "tot"]']))
        name = draw(st.sampled_from(_ATOMS))
        if kind == "membership":
            return f"{name} in [{draw(st.integers(-3, 3))}, {draw(st.integers(-3, 3))}]"
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
        constant = draw(st.sampled_from(["nguong", "1 / 3", "2", "-1", "0.5 * 3"]))
        return f"{name} {op} {constant}" if draw(st.booleans()) else f"{constant} {op} {name}"
    op = draw(st.sampled_from(["and", "or"]))
    left = draw(fragment_expressions(depth - 1))
    right = draw(fragment_expressions(depth - 1))
    text = f"({left}) {op} ({right})"
    return f"not ({text})" if draw(st.booleans()) else text


@given(fragment_expressions(), fact_sets())
def test_a_decidable_criterion_is_constant_on_each_region(text: str, facts: dict[str, Any]
                                                         ) -> None:
    expr = check_expression(text, SCOPE)
    cuts = thresholds(expr, SCOPE.inputs, PARAMS)
    assert cuts is not None
    moved = {n: _matching(SCOPE.inputs[n], cuts[n], v) if n in cuts else v
             for n, v in facts.items()}
    function = compile_expression(expr, PARAMS)
    assert function(facts) == function(moved)


def test_outside_the_fragment_is_left_to_generation() -> None:
    for text in ("a / n >= 1", "a + b > 2", "a >= b", "(a if p else b) > 1"):
        assert regions(SCOPE.inputs, [(check_expression(text, SCOPE), PARAMS)]) is None
    inside = regions(SCOPE.inputs, [(check_expression("a >= 2 and not p", SCOPE), PARAMS)])
    assert inside is not None and set(inside.values) == {"a", "p"}


@given(expressions(), fact_sets())
def test_without_arithmetic_the_engine_equals_exact_arithmetic(text: str,
                                                               facts: dict[str, Any]) -> None:
    expr = check_expression(text, SCOPE)
    assume(rounding_free(expr))
    assert bool(compile_expression(expr, PARAMS)(facts)) == exact_value(expr, facts, PARAMS)


def test_exact_value_is_exact_and_short_circuits() -> None:
    scope = Scope(inputs={"n": InputSpec(type="integer", label="n")}, params={})
    assert exact_value(check_expression("1 / 3 * 3 == 1", scope), {}, {}) is True
    guarded = check_expression("n > 0 and 1 / n > 1", scope)
    assert exact_value(guarded, {"n": Decimal(0)}, {}) is False
    assert exact_value(check_expression("0 < n < 1 / n", scope), {"n": Decimal(0)}, {}) is False
    assert not rounding_free(check_expression("n / 3 > 1", scope))
    assert rounding_free(check_expression("n > 1 / 3", scope)) is False
    assert rounding_free(check_expression("n >= 3 and n in [1, 2]", scope))


def test_zero_to_the_power_zero_is_undefined_as_in_the_engine() -> None:
    from criteria_engine.check.exact import Undefined

    spec = InputSpec(type="integer", min=Decimal(0), label="x")
    tree = check_expression("x ** 0 == 1", Scope(inputs={"x": spec}, params={}))
    with pytest.raises(ArithmeticError):
        compile_expression(tree, {})({"x": Decimal(0)})
    with pytest.raises(Undefined):
        exact_value(tree, {"x": Decimal(0)}, {})
