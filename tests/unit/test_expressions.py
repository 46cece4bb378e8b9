"""The expression language, by example: what an expression means and what it is refused.

Expressions are checked against a scope of declared inputs and params, compiled
once, then run on exact decimals. See the module docstring of
:mod:`criteria_engine.expressions` for the language.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

import pytest

from criteria_engine.errors import ExpressionError
from criteria_engine.expressions import (
    DECIMAL_CONTEXT,
    MAX_DEPTH,
    MAX_EXPRESSION_LENGTH,
    Scope,
    check_expression,
    compile_expression,
    names_used,
)
from criteria_engine.rules import InputSpec

SCOPE = Scope(
    inputs={
        "a": InputSpec(type="decimal", label="a"),
        "b": InputSpec(type="decimal", label="b"),
        "n": InputSpec(type="integer", min=Decimal(0), label="n"),
        "score": InputSpec(type="decimal", min=Decimal(0), max=Decimal(100), label="score"),
        "flag": InputSpec(type="boolean", label="flag"),
        "rating": InputSpec(type="enum", values=["xuat_sac", "tot", "dat"], label="rating"),
    },
    params={"ratio": Decimal("0.95"), "strict": True, "level": "tot"},
)
FACTS: dict[str, Any] = {"a": Decimal("88.6"), "b": Decimal("74.2"), "n": Decimal(20),
                         "score": Decimal(85), "flag": False, "rating": "tot"}


def run(text: str, **facts: Any) -> Any:
    """Check, compile and evaluate ``text`` in the engine's decimal context."""
    function = compile_expression(check_expression(text, SCOPE), SCOPE.params)
    with decimal.localcontext(DECIMAL_CONTEXT):
        return function({**FACTS, **facts})


@pytest.mark.parametrize(("text", "expected"), [
    ("0 <= score <= 100", True),
    ("0 < score < 85", False),
    ("80 <= score < 90 != 3", True),
    ("a > score > b", True),
    ("a > b > score", False),
    ("1 < 2 < 3 < 4", True),
])
def test_chained_comparisons_mean_each_pair(text: str, expected: bool) -> None:
    assert run(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ('rating in ["xuat_sac", "tot"]', True),
    ('rating not in ["xuat_sac", "tot"]', False),
    ('rating in ("dat",)', False),
    ('rating == "tot"', True),
    ('rating != "tot"', False),
    ("rating == level", True),
    ("n in [10, 20, 30]", True),
    ("n not in [10, 20, 30]", False),
    ("score in [85.0]", True),
    ("flag in [False]", True),
])
def test_membership_in_a_literal_list(text: str, expected: bool) -> None:
    assert run(text) is expected


@pytest.mark.parametrize(("flag", "expected"), [(True, Decimal(100)), (False, Decimal(50))])
def test_conditional_expression(flag: bool, expected: Decimal) -> None:
    assert run("100 if flag else 50", flag=flag) == expected
    assert run("(100 if flag else 50) >= 75", flag=flag) is (expected >= 75)


def test_conditional_evaluates_only_the_branch_taken() -> None:
    assert run("(1 / n if n > 0 else 0) == 0", n=Decimal(0)) is True


@pytest.mark.parametrize(("text", "expected"), [
    ("min(a, b, score) == 74.2", True),
    ("max(a, b, score) == 88.6", True),
    ("abs(b - a) == 14.4", True),
    ("abs(-3) == 3", True),
    ("min(n, 5) + max(n, 5) == 25", True),
])
def test_min_max_abs(text: str, expected: bool) -> None:
    assert run(text) is expected


def test_weighted_score_is_exact_where_binary_floats_fall_short() -> None:
    # In binary floating point 88.6 * 0.75 + 74.2 * 0.25 is 84.99999999999999, so a
    # nominee exactly on the threshold would fail; the engine computes in decimals.
    assert (88.6 * 0.75 + 74.2 * 0.25 >= 85) is False
    assert run("a * 0.75 + b * 0.25 >= 85") is True
    assert run("a * 0.75 + b * 0.25 == 85") is True


def test_decimal_literals_are_exact() -> None:
    assert (0.1 + 0.2 == 0.3) is False
    assert run("0.1 + 0.2 == 0.3") is True
    assert run("a == 88.6") is True


@pytest.mark.parametrize(("text", "expected"), [
    ("19 / 20", Decimal("0.95")),
    ("10 / 4", Decimal("2.5")),
    ("1 / 3", Decimal("0.3333333333333333333333333333")),
    ("2 / 3", Decimal("0.6666666666666666666666666667")),
    ("n / 8", Decimal("2.5")),
    ("(1 / 3) * 3", Decimal("0.9999999999999999999999999999")),
    ("2 ** 8", Decimal(256)),
    ("-a + 0", Decimal("-88.6")),
])
def test_arithmetic_results(text: str, expected: Decimal) -> None:
    value = run(text)
    assert isinstance(value, Decimal)
    assert value == expected


def test_ratio_on_the_threshold_passes() -> None:
    assert run("19 / n >= ratio") is True
    assert run("18 / n >= ratio") is False


def test_boolean_operators_and_params() -> None:
    assert run("not flag and strict") is True
    assert run("flag or not strict") is False
    assert run("not strict or score > 90") is False


def test_and_short_circuits_a_guarded_division() -> None:
    assert run("n > 0 and 19 / n >= ratio", n=Decimal(0)) is False


def test_unguarded_division_by_zero_is_an_arithmetic_error() -> None:
    with pytest.raises(ArithmeticError):
        run("19 / n >= ratio", n=Decimal(0))


@pytest.mark.parametrize(("text", "kind", "integer"), [
    ("n + 1", "number", True),
    ("n / 2", "number", False),
    ("a * 2", "number", False),
    ("min(n, 3)", "number", True),
    ("score >= 85", "boolean", False),
    ("rating", "enum", False),
    ('"tot"', "string", False),
    ("n if flag else a", "number", False),
])
def test_static_types(text: str, kind: str, integer: bool) -> None:
    expression_type = check_expression(text, SCOPE).type
    assert (expression_type.kind, expression_type.integer) == (kind, integer)


def test_names_used_lists_inputs_and_params_in_first_use_order() -> None:
    tree = check_expression("b > a and ratio < 1 and a > 0 and flag == strict", SCOPE)
    assert names_used(tree, "input") == ("b", "a", "flag")
    assert names_used(tree, "param") == ("ratio", "strict")


@pytest.mark.parametrize(("text", "key", "column"), [
    ("abs(a, b) > 0", "expr.arity", 1),
    ("min(a) > 0", "expr.arity", 1),
    ("max(a, b, key=abs) > 0", "expr.keywords", 1),
    ("a in b", "expr.membership", 6),
    ("a in []", "expr.membership", 6),
    ("a in [b]", "expr.membership", 7),
    ("a == None", "expr.none", 6),
    ("a and flag", "expr.type", 1),
    ("flag + 1 > 0", "expr.type", 1),
    ('rating == 1', "expr.type", 11),
    ('rating in ["tot", "gioi"]', "expr.enum_value", 19),
    ('a == "x"', "expr.type", 6),
    ('a < "x"', "expr.type", 5),
    ("(1 if flag else rating) == 1", "expr.type", 17),
    ("a ** b > 0", "expr.power", 6),
    ("a ** 9 > 0", "expr.power", 6),
    ("a ** 2.0 > 0", "expr.power", 6),
    ("n is 1", "expr.construct", 6),
    ("a & 1 > 0", "expr.construct", 1),
    ("~n > 0", "expr.construct", 1),
    ("(n := 1) > 0", "expr.construct", 2),
    ("score > 100.5", "expr.out_of_range", 9),
    ("-1 < n", "expr.out_of_range", 6),
    ("n == -1", "expr.out_of_range", 6),
    ("a > > 1", "expr.syntax", 5),
    ("a > 1)", "expr.syntax", 6),
    ("a\0 > 1", "expr.syntax", 1),
])
def test_refusals(text: str, key: str, column: int) -> None:
    with pytest.raises(ExpressionError) as caught:
        check_expression(text, SCOPE)
    assert caught.value.key == key
    assert caught.value.where.column == column


def test_error_column_counts_characters_not_bytes() -> None:
    with pytest.raises(ExpressionError) as caught:
        check_expression('"Điểm thưởng" != "" and a.b > 0', SCOPE)
    assert caught.value.where.column == 25


def test_integer_literals_may_be_written_in_any_python_base() -> None:
    assert run("n == 0x14 and n == 0o24 and n == 0b10100 and n == 2_0") is True


def test_length_and_depth_limits() -> None:
    with pytest.raises(ExpressionError) as caught:
        check_expression("a > 0 or " * (MAX_EXPRESSION_LENGTH // 9) + "flag", SCOPE)
    assert caught.value.key == "expr.too_long"
    with pytest.raises(ExpressionError) as caught:
        check_expression("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1) + " + " + "1 + " * 45 + "1 > 0",
                         SCOPE)
    assert caught.value.key == "expr.too_deep"


def test_compiled_code_has_no_builtins() -> None:
    function = compile_expression(check_expression("a > 0", SCOPE), SCOPE.params)
    assert function.__globals__["__builtins__"] == {}


# --- syntax errors say what to write instead, never Python's "invalid syntax" ------------

def _problem(text: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        check_expression(text, SCOPE)
    return caught.value


@pytest.mark.parametrize(("text", "column", "vi", "en"), [
    ("a > 1 && flag", 7, "dùng and", "use and"),
    ("a > 1 || flag", 7, "dùng or", "use or"),
    ('rating = "tot"', 8, "dùng ==", "to compare for equality, use =="),
    ("score >= 80%", 10, "viết 0.8, hoặc 80", "write 0.8, or 80 if the input is declared in percent"),
    ("score >= 12.5 %", 10, "viết 0.125", "write 0.125"),
    ("a > 1 and (b > 2", 11, "dấu '(' chưa được đóng", "'(' is never closed"),
    ("a > 1)", 6, "dấu ')' không có dấu mở", "')' has no matching opening bracket"),
    ('rating == "tot', 11, "chuỗi chưa có dấu nháy đóng", "missing its closing quote"),
    ("a > 1 – 1", 7, "ký tự – không dùng được", "cannot be used in an expression"),
    ("n == 08", 6, "viết 8", "write 8"),
    ("a > > 1", 5, "có chỗ sai cú pháp", "the syntax is wrong at this point"),
])
def test_syntax_errors_get_a_hint_in_both_languages(
        text: str, column: int, vi: str, en: str) -> None:
    error = _problem(text)
    assert error.key == "expr.syntax"
    assert error.where.column == column
    assert vi in error.render("vi")
    assert en in error.render("en")
    assert "invalid syntax" not in error.render("vi")


def test_operators_inside_strings_are_not_mistaken_for_habits() -> None:
    error = _problem('rating == "a && b" and')
    assert "&&" not in error.render("en")


def test_a_comparison_chained_in_opposite_directions_is_refused() -> None:
    error = _problem("a > 5 < 10")
    assert error.key == "expr.chain_mixed"
    assert "'a > 5 < 10' compares in opposite directions, which means 'a > 5 and 5 < 10'" \
        in error.render("en")
    assert "viết dạng 5 < x < 10 hoặc nối bằng and" in error.render("vi")
    assert run("5 < a < 100") is True, "a range in one direction is what was meant"
    assert run("100 > a >= 5") is True


# --- constants are computed at load: a fault of the rule is never blamed on the data ------

@pytest.mark.parametrize(("text", "construct", "vi", "en"), [
    ("a / 0 > 1", "a / 0", "chia cho 0", "division by zero"),
    ("a > 1 / (2 - 2)", "1 / (2 - 2)", "chia cho 0", "division by zero"),
    ("a > 0 / 0", "0 / 0", "phép tính không xác định, ví dụ 0/0",
     "an undefined operation, such as 0/0"),
    ("a > 0 ** 0", "0 ** 0", "phép tính không xác định, ví dụ 0/0",
     "an undefined operation, such as 0/0"),
    ("a < 10 ** 8 * 1e999999", "10 ** 8 * 1e999999", "kết quả quá lớn", "the result is too large"),
    ("a > abs(1 / 0)", "1 / 0", "chia cho 0", "division by zero"),
    ("(a if flag else 1 / 0) > 1", "1 / 0", "chia cho 0", "division by zero"),
    ("a > ratio / (ratio - 0.95)", "ratio / (ratio - 0.95)", "chia cho 0", "division by zero"),
])
def test_constant_arithmetic_that_cannot_be_computed_is_a_load_error(
        text: str, construct: str, vi: str, en: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        check_expression(text, SCOPE, criterion="diem")
    error = caught.value
    assert error.key == "expr.constant_arithmetic"
    assert error.params["construct"] == construct
    assert f"tiêu chí 'diem': phép tính '{construct}' luôn lỗi ({vi})" in error.render("vi")
    assert f"criterion 'diem': '{construct}' can never be computed ({en})" in error.render("en")


def test_a_literal_too_large_for_the_decimal_context_is_refused() -> None:
    error = _problem("a * 1e999999999 > 1")
    assert error.key == "expr.number_range"
    assert "the number 1e999999999 is too large to compute with" in error.render("en")


def test_constant_arithmetic_that_computes_is_kept_as_written() -> None:
    tree = check_expression("a >= 80 / 100 * 100", SCOPE)
    assert run("a >= 80 / 100 * 100") is True
    assert names_used(tree, "input") == ("a",)
