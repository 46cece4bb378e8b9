"""Exact reasoning over the typed expression tree, independent of the evaluator.

Two tools:

* :func:`exact_value` interprets a checked expression with :class:`~fractions.Fraction`
  arithmetic: no precision, no rounding, Python's own short-circuit order. It is the
  oracle the "no hidden float" property compares the engine with.
* :func:`regions` decides questions exactly when every comparison in the criteria
  sets a numeric input against a constant (``score >= 85``, ``rating == "x"``,
  ``not disciplined``…). Such a criterion is constant between consecutive
  thresholds, so one representative value per interval (and each threshold itself)
  stands for every value in the declared range, and enumerating the combinations of
  representatives answers "can it pass?", "is it monotone?" or "does the higher title
  imply the lower?" for *all* nominees. Expressions outside that fragment (a ratio of
  two inputs, arithmetic on inputs) return ``None`` and are left to generation.
"""

from __future__ import annotations

import decimal
import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from criteria_engine.expressions import (
    Arith,
    BoolOp,
    Call,
    Compare,
    Expr,
    IfElse,
    Literal_,
    Membership,
    Name,
    Not,
    Unary,
    names_used,
    walk,
)
from criteria_engine.rules import InputSpec

__all__ = [
    "EXACT_LIMIT",
    "Regions",
    "Undefined",
    "exact_value",
    "regions",
    "representatives",
    "rounding_free",
    "thresholds",
    "to_fraction",
]

#: Most combinations of representative values enumerated for an exact answer.
EXACT_LIMIT = 50_000
#: Significant digits the evaluator keeps (its decimal context); longer constants round.
ENGINE_DIGITS = 28

Exact = Fraction | bool | str
Params = Mapping[str, Decimal | bool | str]


class Undefined(ArithmeticError):
    """The expression has no value for these facts (a division by zero)."""


def to_fraction(value: Decimal | bool | str) -> Exact:
    if isinstance(value, Decimal):
        return Fraction(value)
    return value


def exact_value(expr: Expr, facts: Mapping[str, Any], params: Params) -> Exact:
    """The value of ``expr`` in exact rational arithmetic (facts complete, never None).

    >>> from criteria_engine.expressions import Scope, check_expression
    >>> tree = check_expression("1 / 3 * 3 == 1", Scope(inputs={}, params={}))
    >>> exact_value(tree, {}, {})
    True
    """
    match expr:
        case Literal_(value=value):
            return to_fraction(value)
        case Name(name=name, role="input"):
            return to_fraction(facts[name])
        case Name(name=name):
            return to_fraction(params[name])
        case Unary(op=op, operand=operand):
            number = _number(exact_value(operand, facts, params))
            return -number if op == "-" else number
        case Not(operand=operand):
            return not exact_value(operand, facts, params)
        case Arith(op=op, left=left, right=right):
            return _arith(op, _number(exact_value(left, facts, params)),
                          _number(exact_value(right, facts, params)))
        case Compare(operands=operands, ops=ops):
            current = exact_value(operands[0], facts, params)
            for symbol, operand in zip(ops, operands[1:], strict=True):
                following = exact_value(operand, facts, params)
                if not _compare(symbol, current, following):
                    return False
                current = following
            return True
        case Membership(operand=operand, values=values, negated=negated):
            found = exact_value(operand, facts, params) in {to_fraction(v) for v in values}
            return not found if negated else found
        case BoolOp(op=op, operands=operands):
            for operand in operands:
                truth = exact_value(operand, facts, params)
                if (op == "and") != bool(truth):
                    return truth
            return truth
        case IfElse(test=test, body=body, orelse=orelse):
            chosen = body if exact_value(test, facts, params) else orelse
            return exact_value(chosen, facts, params)
        case Call(func=func, args=args):
            numbers = [_number(exact_value(a, facts, params)) for a in args]
            if func == "abs":
                return abs(numbers[0])
            return min(numbers) if func == "min" else max(numbers)
    raise AssertionError(f"unchecked node {expr!r}")


def _number(value: Exact) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, Fraction):
        raise AssertionError(f"not a number: {value!r}")
    return value


def _arith(op: str, left: Fraction, right: Fraction) -> Fraction:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "/":
        if right == 0:
            raise Undefined("division by zero")
        return left / right
    if left == 0 and right == 0:
        raise Undefined("0 ** 0")  # the engine's decimal context traps it too
    return left ** int(right)


def _compare(op: str, left: Exact, right: Exact) -> bool:
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    a, b = _number(left), _number(right)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def rounding_free(expr: Expr) -> bool:
    """True when the engine cannot round anything in ``expr``: no arithmetic, and only
    constants short enough for its 28 digits. Comparisons of decimals are exact."""
    for node in walk(expr):
        if isinstance(node, Arith | Unary) or (isinstance(node, Call) and node.func == "abs"):
            return False
        if isinstance(node, Literal_) and isinstance(node.value, Decimal) and _too_long(node.value):
            return False
    return True


def _too_long(value: Decimal) -> bool:
    return len(value.as_tuple().digits) > ENGINE_DIGITS


# --- regions --------------------------------------------------------------------------

_FINITE = ("boolean", "enum")


@dataclass(frozen=True, slots=True)
class Regions:
    """For each input an expression reads, one value per region of its range."""

    values: Mapping[str, tuple[Any, ...]]

    @property
    def size(self) -> int:
        return math.prod(len(v) for v in self.values.values())

    def assignments(self, fixed: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every combination of representatives, smallest values first."""
        names = [n for n in self.values if not fixed or n not in fixed]
        for combination in itertools.product(*(self.values[n] for n in names)):
            yield {**(fixed or {}), **dict(zip(names, combination, strict=True))}


def regions(inputs: Mapping[str, InputSpec], exprs: Sequence[tuple[Expr, Params]]
            ) -> Regions | None:
    """Representatives for the inputs read by ``exprs`` (each with its rule's params),
    or None when one of them is outside the decidable fragment."""
    cuts: dict[str, set[Fraction]] = {}
    for expr, params in exprs:
        found = thresholds(expr, inputs, params)
        if found is None:
            return None
        for name, values in found.items():
            cuts.setdefault(name, set()).update(values)
    ordered = [n for n in inputs if n in cuts]
    return Regions({n: representatives(inputs[n], cuts[n]) for n in ordered})


def thresholds(expr: Expr, inputs: Mapping[str, InputSpec], params: Params
               ) -> dict[str, set[Fraction]] | None:
    """For each input ``expr`` reads, the constants it is compared with (empty for booleans
    and enums); None when ``expr`` is outside the decidable fragment."""
    match expr:
        case Literal_():
            return {}
        case Name(name=name, role="input"):
            return {name: set()}
        case Name():
            return {}
        case Not(operand=operand):
            return thresholds(operand, inputs, params)
        case BoolOp(operands=operands):
            return _merge([thresholds(part, inputs, params) for part in operands])
        case IfElse(test=test, body=body, orelse=orelse) if body.type.kind == "boolean":
            return _merge([thresholds(part, inputs, params) for part in (test, body, orelse)])
        case Compare(operands=operands):
            return _merge([_atom(left, right, inputs, params)
                           for left, right in itertools.pairwise(operands)])
        case Membership(operand=operand, values=values):
            return _membership(operand, values, inputs)
    return None


def _merge(found: Sequence[dict[str, set[Fraction]] | None]) -> dict[str, set[Fraction]] | None:
    merged: dict[str, set[Fraction]] = {}
    for part in found:
        if part is None:
            return None
        for name, values in part.items():
            merged.setdefault(name, set()).update(values)
    return merged


def _atom(left: Expr, right: Expr, inputs: Mapping[str, InputSpec], params: Params
          ) -> dict[str, set[Fraction]] | None:
    """One comparison: decidable if it reads only finite inputs, or one numeric input
    on its own against a constant."""
    read = set(names_used(left, "input")) | set(names_used(right, "input"))
    if all(inputs[n].type in _FINITE for n in read):
        return {n: set() for n in read}
    for named, other in ((left, right), (right, left)):
        if isinstance(named, Name) and named.role == "input" and not names_used(other, "input"):
            try:
                constant = exact_value(other, {}, params)
            except ArithmeticError:
                return None
            if isinstance(constant, Fraction):
                return {named.name: {constant}}
    return None


def _membership(operand: Expr, values: Sequence[Decimal | bool | str],
                inputs: Mapping[str, InputSpec]) -> dict[str, set[Fraction]] | None:
    read = names_used(operand, "input")
    if all(inputs[n].type in _FINITE for n in read):
        return {n: set() for n in read}
    if isinstance(operand, Name):
        return {operand.name: {Fraction(v) for v in values if isinstance(v, Decimal)}}
    return None


def representatives(spec: InputSpec, thresholds: set[Fraction] | None = None) -> tuple[Any, ...]:
    """One value per region of the declared range cut at ``thresholds``, ascending.

    >>> spec = InputSpec(type="integer", min=Decimal(0), label="x")
    >>> [int(v) for v in representatives(spec, {Fraction(50)})]
    [0, 1, 50, 51]
    """
    if spec.type == "boolean":
        return (False, True)
    if spec.type == "enum":
        return tuple(spec.values or ())
    integer = spec.type == "integer"
    low = Fraction(spec.min) if spec.min is not None else None
    high = Fraction(spec.max) if spec.max is not None else None

    def inside(value: Fraction) -> bool:
        return (low is None or value >= low) and (high is None or value <= high)

    def usable(value: Fraction) -> bool:
        return inside(value) and (value.denominator == 1 if integer else _terminates(value))

    points = sorted({t for t in (thresholds or set()) if inside(t)}
                    | {b for b in (low, high) if b is not None})
    if not points:
        return (Decimal(0),)
    chosen: list[Fraction] = []
    if low is None:
        chosen.append(Fraction(math.ceil(points[0]) - 1))
    for index, point in enumerate(points):
        if usable(point):
            chosen.append(point)
        if index + 1 < len(points):
            between = _between(point, points[index + 1], integer)
            if between is not None:
                chosen.append(between)
    if high is None:
        chosen.append(Fraction(math.floor(points[-1]) + 1))
    return tuple(_decimal(value) for value in chosen)


def _between(low: Fraction, high: Fraction, integer: bool) -> Fraction | None:
    """The simplest value strictly between two points (a whole number, or a short decimal)."""
    if integer:
        whole = Fraction(math.floor(low) + 1)
        return whole if whole < high else None
    for places in range(40):
        scale = 10**places
        candidate = Fraction(math.floor(low * scale) + 1, scale)
        if candidate < high:
            return candidate
    return None


def _terminates(value: Fraction) -> bool:
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


def _decimal(value: Fraction) -> Decimal:
    with decimal.localcontext(decimal.Context(prec=100)):
        result = Decimal(value.numerator) / Decimal(value.denominator)
    return result.normalize() if value.denominator != 1 else Decimal(value.numerator)
