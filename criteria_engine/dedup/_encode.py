"""The typed expression tree as a z3 formula, with the engine's exact semantics.

Each checked expression (:mod:`criteria_engine.expressions`) becomes two z3 terms:
its *value* and the condition under which the engine computes it without an
arithmetic error (``defined``). "A nominee meets the criterion" is ``defined and
value``: a record on which the engine would raise (division by zero, ``0 ** 0``)
meets nothing, exactly as :func:`criteria_engine.evaluator.evaluate` treats it.

Numbers are rationals. Integer facts are z3 integers seen as reals, so ``/`` is
true division as in :class:`~decimal.Decimal`, never integer division. A division
is kept as a fraction ``num / den`` and a comparison of fractions is multiplied
out with a case split on the sign of the denominators, so the usual guarded ratio
``y > 0 and x / y >= 0.95`` becomes the linear ``y > 0 and x >= 0.95 * y``.
Whatever stays non-linear (a product of two facts, a quotient of two fractions)
is flagged: the analysis then trusts only witnesses, never an "unsat".

Constants (literals and params) are folded in Python as :class:`~fractions.Fraction`,
so ``min_completion_ratio`` reaches the solver as the exact rational 19/20.

Example::

    encoder = Encoder(facts, canon=str, params={"t": Decimal("0.95")})
    meets = encoder.meets(check_expression("x >= t", scope))
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import z3  # type: ignore[import-untyped]

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
)
from criteria_engine.rules import InputSpec

__all__ = ["Encoder", "Fact", "FactTable", "real_value"]

#: What a comparison operator becomes when both sides are multiplied by a negative number.
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact shared by the compared rule files: its z3 variable and its domain.

    ``low``/``high`` are the intersection of every declaration's range, because a
    record must satisfy each file's declaration to be evaluated by it.
    """

    name: str
    kind: str  # integer | decimal | boolean | enum
    var: Any
    values: tuple[str, ...] = ()
    low: Decimal | None = None
    high: Decimal | None = None

    @property
    def numeric(self) -> Any:
        """The fact as a real-valued term (integers are embedded, never divided as ints)."""
        return z3.ToReal(self.var) if self.kind == "integer" else self.var

    def domain(self) -> list[Any]:
        """Constraints every record meets: declared ranges, whole numbers, enum values."""
        if self.kind == "enum":
            return [self.var >= 0, self.var < len(self.values)]
        constraints = []
        if self.low is not None:
            constraints.append(self.numeric >= _real(Fraction(self.low)))
        if self.high is not None:
            constraints.append(self.numeric <= _real(Fraction(self.high)))
        return constraints

    def index(self, value: str) -> int:
        return self.values.index(value)


class FactTable:
    """The z3 variables of one comparison, one per canonical fact name."""

    def __init__(self) -> None:
        self.facts: dict[str, Fact] = {}

    def declare(self, canonical: str, spec: InputSpec) -> Fact:
        """The fact for ``canonical``, created on first use; later declarations narrow it."""
        known = self.facts.get(canonical)
        if known is not None:
            low = _tighter(known.low, spec.min, max)
            high = _tighter(known.high, spec.max, min)
            fact = Fact(known.name, known.kind, known.var, known.values, low, high)
        else:
            match spec.type:
                case "integer":
                    var = z3.Int(canonical)
                case "decimal":
                    var = z3.Real(canonical)
                case "boolean":
                    var = z3.Bool(canonical)
                case _:
                    var = z3.Int(canonical)
            values = tuple(sorted(spec.values or ())) if spec.type == "enum" else ()
            fact = Fact(canonical, spec.type, var, values, spec.min, spec.max)
        self.facts[canonical] = fact
        return fact

    def domain(self) -> list[Any]:
        return [c for fact in self.facts.values() for c in fact.domain()]


def _tighter(old: Decimal | None, new: Decimal | None,
             pick: Callable[[Decimal, Decimal], Decimal]) -> Decimal | None:
    if old is None:
        return new
    if new is None:
        return old
    return pick(old, new)


def real_value(value: Fraction) -> Any:
    """An exact z3 rational (never through float)."""
    return z3.RealVal(f"{value.numerator}/{value.denominator}")


_real = real_value


_TRUE = z3.BoolVal(True)
_FALSE = z3.BoolVal(False)


@dataclass(frozen=True, slots=True)
class _Num:
    """A number as ``num / den`` (``den`` None means 1), or a folded constant.

    ``degree`` is the polynomial degree of ``num`` in the facts, ``den_degree`` that
    of ``den``: a comparison whose multiplied-out sides exceed degree 1 is non-linear.
    """

    num: Any
    den: Any | None
    degree: int
    den_degree: int
    defined: Any
    const: Fraction | None = None

    @staticmethod
    def constant(value: Fraction) -> _Num:
        return _Num(_real(value), None, 0, 0, _TRUE, value)


@dataclass(frozen=True, slots=True)
class _Bool:
    value: Any
    defined: Any
    const: bool | None = None


@dataclass(frozen=True, slots=True)
class _Enum:
    """An enum value as its index in the sorted value list of its fact."""

    index: Any
    values: tuple[str, ...]
    defined: Any
    const: str | None = None


@dataclass(frozen=True, slots=True)
class _Str:
    """A string: a literal or param (``const``), or a choice between them (``term``)."""

    term: Any
    defined: Any
    const: str | None = None

    @staticmethod
    def constant(value: str) -> _Str:
        return _Str(z3.StringVal(value), _TRUE, value)


_Value = _Num | _Bool | _Enum | _Str


def _and(*terms: Any) -> Any:
    kept = [t for t in terms if not z3.is_true(t)]
    if any(z3.is_false(t) for t in kept):
        return _FALSE
    if not kept:
        return _TRUE
    return kept[0] if len(kept) == 1 else z3.And(*kept)


def _implies(condition: Any, then: Any) -> Any:
    if z3.is_true(then) or z3.is_false(condition):
        return _TRUE
    if z3.is_true(condition):
        return then
    return z3.Implies(condition, then)


class Encoder:
    """Turns the checked expressions of one rule file into z3 formulas over a fact table.

    ``canon`` maps the file's input names to the shared fact names; ``params`` are
    the file's constants. After encoding, ``nonlinear`` says whether any comparison
    was non-linear (then an "unsat" from the solver is not trusted).
    """

    def __init__(self, facts: FactTable, *, canon: Callable[[str], str],
                 inputs: Mapping[str, InputSpec],
                 params: Mapping[str, Decimal | bool | str]) -> None:
        self.facts = facts
        self.canon = canon
        self.inputs = inputs
        self.params = params
        self.nonlinear = False

    def meets(self, expr: Expr) -> Any:
        """The condition under which the engine evaluates ``expr`` to True."""
        encoded = self.boolean(expr)
        return _and(encoded.defined, encoded.value)

    def defined_and_value(self, expr: Expr) -> tuple[Any, Any]:
        encoded = self.boolean(expr)
        return encoded.defined, encoded.value

    # --- dispatch ---------------------------------------------------------------------

    def value(self, expr: Expr) -> _Value:
        match expr:
            case Literal_(value=value):
                return self.constant(value)
            case Name(name=name, role="param"):
                return self.constant(self.params[name])
            case Name(name=name):
                return self.fact(name)
            case Unary(op=op, operand=operand):
                number = self.number(operand)
                return number if op == "+" else self.negate(number)
            case Not(operand=operand):
                truth = self.boolean(operand)
                if truth.const is not None:
                    return _Bool(z3.BoolVal(not truth.const), _TRUE, not truth.const)
                return _Bool(z3.Not(truth.value), truth.defined)
            case Arith(op=op, left=left, right=right):
                return self.arithmetic(op, left, right)
            case Compare(operands=operands, ops=ops):
                return self.compare_chain(operands, ops)
            case Membership(operand=operand, values=values, negated=negated):
                return self.membership(operand, values, negated)
            case BoolOp(op=op, operands=operands):
                return self.bool_op(op, operands)
            case IfElse(test=test, body=body, orelse=orelse):
                return self.if_else(test, body, orelse)
            case Call(func=func, args=args):
                return self.call(func, args)
        raise AssertionError(f"unchecked node {expr!r}")

    def boolean(self, expr: Expr) -> _Bool:
        encoded = self.value(expr)
        assert isinstance(encoded, _Bool), expr
        return encoded

    def number(self, expr: Expr) -> _Num:
        encoded = self.value(expr)
        assert isinstance(encoded, _Num), expr
        return encoded

    # --- leaves -----------------------------------------------------------------------

    def constant(self, value: Decimal | bool | str) -> _Value:
        if isinstance(value, bool):
            return _Bool(z3.BoolVal(value), _TRUE, value)
        if isinstance(value, Decimal):
            return _Num.constant(Fraction(value))
        return _Str.constant(value)

    def fact(self, name: str) -> _Value:
        fact = self.facts.declare(self.canon(name), self.inputs[name])
        match fact.kind:
            case "boolean":
                return _Bool(fact.var, _TRUE)
            case "enum":
                return _Enum(fact.var, fact.values, _TRUE)
        return _Num(fact.numeric, None, 1, 0, _TRUE)

    # --- numbers ----------------------------------------------------------------------

    def negate(self, value: _Num) -> _Num:
        if value.const is not None:
            return _Num.constant(-value.const)
        return _Num(-value.num, value.den, value.degree, value.den_degree, value.defined)

    def arithmetic(self, op: str, left: Expr, right: Expr) -> _Num:
        a = self.number(left)
        if op == "**":
            assert isinstance(right, Literal_) and isinstance(right.value, Decimal)
            return self.power(a, int(right.value))
        b = self.number(right)
        defined = _and(a.defined, b.defined)
        if a.const is not None and b.const is not None:
            if op == "/" and b.const == 0:
                return _Num(_real(Fraction(0)), None, 0, 0, _FALSE)
            folded = {"+": a.const + b.const, "-": a.const - b.const, "*": a.const * b.const}
            return _Num.constant(folded[op] if op != "/" else a.const / b.const)
        if op in ("+", "-"):
            sign = 1 if op == "+" else -1
            if a.den is None and b.den is None:
                num = a.num + b.num if sign == 1 else a.num - b.num
                return _Num(num, None, max(a.degree, b.degree), 0, defined)
            a_num = a.num * _den(b)
            b_num = b.num * _den(a)
            return _Num(a_num + b_num if sign == 1 else a_num - b_num, _den(a) * _den(b),
                        max(a.degree + b.den_degree, b.degree + a.den_degree),
                        a.den_degree + b.den_degree, defined)
        if op == "*":
            return _Num(a.num * b.num, _times(a.den, b.den), a.degree + b.degree,
                        a.den_degree + b.den_degree, defined)
        # "/": a constant divisor scales; anything else becomes a fraction guarded by num(b) != 0
        if b.const is not None:
            if b.const == 0:
                return _Num(a.num, a.den, a.degree, a.den_degree, _FALSE)
            return _Num(a.num * _real(1 / b.const), a.den, a.degree, a.den_degree, defined)
        return _Num(a.num * _den(b), _times(a.den, b.num), a.degree + b.den_degree,
                    a.den_degree + b.degree, _and(defined, b.num != 0))

    def power(self, base: _Num, exponent: int) -> _Num:
        if base.const is not None:
            if exponent == 0 and base.const == 0:
                return _Num(_real(Fraction(1)), None, 0, 0, _FALSE)
            return _Num.constant(base.const ** exponent)
        if exponent == 0:
            # Decimal(0) ** 0 is InvalidOperation, trapped by the engine's context.
            return _Num(_real(Fraction(1)), None, 0, 0, _and(base.defined, base.num != 0))
        num, den = base.num, base.den
        for _ in range(exponent - 1):
            num = num * base.num
            den = None if den is None else den * base.den
        return _Num(num, den, base.degree * exponent, base.den_degree * exponent, base.defined)

    def call(self, func: str, args: tuple[Expr, ...]) -> _Num:
        values = [self.number(a) for a in args]
        if func == "abs":
            (value,) = values
            if value.const is not None:
                return _Num.constant(abs(value.const))
            positive = self.compare_pair(value, ">=", _Num.constant(Fraction(0)))
            return self.choose(positive.value, value, self.negate(value),
                               defined=_and(value.defined, positive.defined))
        result = values[0]
        defined = _and(*(v.defined for v in values))
        for other in values[1:]:
            if result.const is not None and other.const is not None:
                result = _Num.constant(min(result.const, other.const) if func == "min"
                                       else max(result.const, other.const))
                continue
            keep = self.compare_pair(result, "<=" if func == "min" else ">=", other)
            result = self.choose(keep.value, result, other, defined=defined)
        return result

    def choose(self, condition: Any, then: _Num, other: _Num, *, defined: Any) -> _Num:
        both_whole = then.den is None and other.den is None
        den = None if both_whole else z3.If(condition, _den(then), _den(other))
        return _Num(z3.If(condition, then.num, other.num), den, max(then.degree, other.degree),
                    max(then.den_degree, other.den_degree), defined)

    # --- comparisons ------------------------------------------------------------------

    def compare_chain(self, operands: tuple[Expr, ...], ops: tuple[str, ...]) -> _Bool:
        """Python's chained comparison: each operand once, stopping at the first False."""
        values = [self.value(operands[0]), self.value(operands[1])]
        defined = _and(values[0].defined, values[1].defined)
        results: list[_Bool] = []
        for position, op in enumerate(ops):
            if position > 0:
                values.append(self.value(operands[position + 1]))
                so_far = _and(*(r.value for r in results))
                defined = _and(defined, _implies(so_far, values[-1].defined))
            result = self.compare_values(values[position], op, values[position + 1])
            defined = _and(defined, _implies(_and(*(r.value for r in results)), result.defined))
            results.append(result)
        return _Bool(_and(*(r.value for r in results)), defined)

    def compare_values(self, left: _Value, op: str, right: _Value) -> _Bool:
        if isinstance(left, _Num) and isinstance(right, _Num):
            return self.compare_pair(left, op, right)
        if isinstance(left, _Enum | _Str) and isinstance(right, _Enum | _Str):
            return self.compare_enum(left, op, right)
        if isinstance(left, _Bool) and isinstance(right, _Bool):
            equal = left.value == right.value
            return _Bool(equal if op == "==" else z3.Not(equal), _and(left.defined, right.defined))
        raise AssertionError(f"uncomparable {left!r} {op} {right!r}")

    def compare_enum(self, left: _Enum | _Str, op: str, right: _Enum | _Str) -> _Bool:
        defined = _and(left.defined, right.defined)
        if isinstance(left, _Str) and isinstance(right, _Str):
            if left.const is not None and right.const is not None:
                same = left.const == right.const
                return _Bool(z3.BoolVal(same if op == "==" else not same), defined)
            equal = left.term == right.term
            return _Bool(equal if op == "==" else z3.Not(equal), defined)
        enum = left if isinstance(left, _Enum) else right
        assert isinstance(enum, _Enum)
        other = right if enum is left else left
        equal = enum.index == _index(other, enum.values)
        return _Bool(equal if op == "==" else z3.Not(equal), defined)

    def compare_pair(self, left: _Num, op: str, right: _Num) -> _Bool:
        defined = _and(left.defined, right.defined)
        if left.const is not None and right.const is not None:
            return _Bool(z3.BoolVal(_apply(op, left.const, right.const)), defined)
        if left.den is None and right.den is None:
            self.nonlinear |= max(left.degree, right.degree) > 1
            return _Bool(_relation(op, left.num, right.num), defined)
        lhs = left.num * _den(right)
        rhs = right.num * _den(left)
        self.nonlinear |= max(left.degree + right.den_degree, right.degree + left.den_degree) > 1
        if op in ("==", "!="):
            return _Bool(_relation(op, lhs, rhs), defined)
        sign = _den(left) * _den(right)
        self.nonlinear |= left.den_degree + right.den_degree > 1
        value = z3.Or(z3.And(sign > 0, _relation(op, lhs, rhs)),
                      z3.And(sign < 0, _relation(_FLIPPED[op], lhs, rhs)))
        return _Bool(value, defined)

    def membership(self, operand: Expr, values: tuple[Decimal | bool | str, ...],
                   negated: bool) -> _Bool:
        subject = self.value(operand)
        options = [self.compare_values(subject, "==", self.constant(v)) for v in values]
        found = z3.Or(*(o.value for o in options)) if len(options) > 1 else options[0].value
        return _Bool(z3.Not(found) if negated else found, subject.defined)

    # --- boolean structure ------------------------------------------------------------

    def bool_op(self, op: str, operands: tuple[Expr, ...]) -> _Bool:
        """``and``/``or`` short-circuit: later operands are computed only when needed."""
        parts = [self.boolean(o) for o in operands]
        defined = parts[0].defined
        reached: list[Any] = []
        for previous, part in itertools.pairwise(parts):
            reached.append(previous.value if op == "and" else z3.Not(previous.value))
            defined = _and(defined, _implies(_and(*reached), part.defined))
        values = [p.value for p in parts]
        return _Bool(z3.And(*values) if op == "and" else z3.Or(*values), defined)

    def if_else(self, test: Expr, body: Expr, orelse: Expr) -> _Value:
        condition = self.boolean(test)
        then = self.value(body)
        other = self.value(orelse)
        defined = _and(condition.defined,
                       z3.If(condition.value, then.defined, other.defined))
        if isinstance(then, _Num) and isinstance(other, _Num):
            return self.choose(condition.value, then, other, defined=defined)
        if isinstance(then, _Bool) and isinstance(other, _Bool):
            return _Bool(z3.If(condition.value, then.value, other.value), defined)
        if isinstance(then, _Str) and isinstance(other, _Str):
            return _Str(z3.If(condition.value, then.term, other.term), defined)
        if isinstance(then, _Enum | _Str) and isinstance(other, _Enum | _Str):
            enum = then if isinstance(then, _Enum) else other
            assert isinstance(enum, _Enum)
            return _Enum(z3.If(condition.value, _index(then, enum.values),
                               _index(other, enum.values)), enum.values, defined)
        raise AssertionError(f"unchecked if-else {then!r} / {other!r}")


def _index(value: _Enum | _Str, values: tuple[str, ...]) -> Any:
    """An enum's index term; a string compared with an enum is always a known constant
    (the expression checker refuses anything else)."""
    if isinstance(value, _Enum):
        return value.index
    assert value.const is not None
    return z3.IntVal(values.index(value.const))


def _den(value: _Num) -> Any:
    return _real(Fraction(1)) if value.den is None else value.den


def _times(a: Any | None, b: Any | None) -> Any | None:
    if a is None:
        return b
    if b is None:
        return a
    return a * b


def _relation(op: str, left: Any, right: Any) -> Any:
    match op:
        case "<":
            return left < right
        case "<=":
            return left <= right
        case ">":
            return left > right
        case ">=":
            return left >= right
        case "==":
            return left == right
    return left != right


def _apply(op: str, left: Fraction, right: Fraction) -> bool:
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right,
            "==": left == right, "!=": left != right}[op]
