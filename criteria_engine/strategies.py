"""Hypothesis strategies derived from a rule file's declared inputs.

``tdkt check`` and the project's own tests draw nominees from the same place: the
type, range and enum values each input declares, plus the values the rule's
expressions compare against (so thresholds are hit exactly and just missed).
Values are exact: integers and decimals as :class:`~decimal.Decimal`, never float.

Example::

    from hypothesis import find
    rule = load_rule(Path("criteria/lao-dong-tien-tien/2024.1.yaml"))
    find(facts(rule.model.inputs, hints=hints(rule)),
         lambda f: evaluate(rule, f, nominee_id="x", period=2024).outcome == "dat")

Unbounded ranges are explored up to :data:`GENERATED_BOUND`: a council's counts
and scores stay far below it, and it keeps counterexamples readable.
"""

from __future__ import annotations

import decimal
import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from criteria_engine.evaluator import CompiledRule
from criteria_engine.expressions import Arith, Compare, Expr, Literal_, Name, walk
from criteria_engine.rules import InputSpec

__all__ = [
    "DECIMAL_PLACES",
    "GENERATED_BOUND",
    "MISSING_ONE_IN",
    "REDRAW_ONE_IN",
    "SMALL",
    "Hints",
    "Ratio",
    "boundaries",
    "facts",
    "hints",
    "improvements",
    "input_values",
    "nominee_batches",
    "ratios",
    "sweep",
]

#: Largest magnitude generated for an input whose declared range is open on that side.
GENERATED_BOUND = 10**9
#: Whole numbers up to this are drawn more often (see :func:`input_values`).
SMALL = 10
#: Near a known nominee, each fact is redrawn with probability one in this.
REDRAW_ONE_IN = 4
#: With missing facts allowed, each fact is missing with probability one in this.
MISSING_ONE_IN = 4
#: Decimal places of generated decimal inputs (scores and ratios are written this way).
DECIMAL_PLACES = 2

_STEP = Decimal(1).scaleb(-DECIMAL_PLACES)


@dataclass(frozen=True, slots=True)
class Ratio:
    """``numerator / denominator`` compared with ``threshold`` somewhere in the rule."""

    numerator: str
    denominator: str
    threshold: Decimal


@dataclass(frozen=True, slots=True)
class Hints:
    """What a rule's expressions say is worth trying: per-input boundary values, and
    the ratios of two inputs it compares with a threshold (``done / total >= 0.95``)."""

    boundaries: Mapping[str, tuple[Decimal, ...]] = field(default_factory=dict)
    ratios: tuple[Ratio, ...] = ()

    def merge(self, other: Hints) -> Hints:
        names = {*self.boundaries, *other.boundaries}
        return Hints(
            {n: tuple(sorted({*self.boundaries.get(n, ()), *other.boundaries.get(n, ())},
                             key=lambda v: (abs(v), v))) for n in names},
            tuple(dict.fromkeys((*self.ratios, *other.ratios))))


def hints(rule: CompiledRule) -> Hints:
    """The :class:`Hints` of one compiled rule."""
    return Hints(boundaries(rule), ratios(rule))


def ratios(rule: CompiledRule) -> tuple[Ratio, ...]:
    """Every ``input / input`` compared with a literal or param, in either order."""
    found: dict[Ratio, None] = {}
    for compiled in rule.criteria:
        for node in walk(compiled.expr):
            if not isinstance(node, Compare):
                continue
            for left, right in itertools.pairwise(node.operands):
                for quotient, other in ((left, right), (right, left)):
                    threshold = _constant(other, compiled.params)
                    if (isinstance(quotient, Arith) and quotient.op == "/"
                            and isinstance(quotient.left, Name) and quotient.left.role == "input"
                            and isinstance(quotient.right, Name)
                            and quotient.right.role == "input" and threshold is not None):
                        found.setdefault(Ratio(quotient.left.name, quotient.right.name,
                                               threshold))
    return tuple(found)


def _constant(expr: Expr, params: Mapping[str, Decimal | bool | str]) -> Decimal | None:
    if isinstance(expr, Literal_) and isinstance(expr.value, Decimal):
        return expr.value
    if isinstance(expr, Name) and expr.role == "param":
        value = params[expr.name]
        return value if isinstance(value, Decimal) else None
    return None


def boundaries(rule: CompiledRule) -> dict[str, tuple[Decimal, ...]]:
    """For each numeric input, the values worth trying first: every number the rule's
    expressions mention, one step either side of it, the declared bounds, 0, 1 and 2.

    >>> # a rule with ``score >= 85`` on a 0..100 decimal gives 84.99, 85, 85.01, 0, 100 …
    """
    constants: set[Decimal] = set()
    for compiled in rule.criteria:
        for node in walk(compiled.expr):
            if isinstance(node, Literal_) and isinstance(node.value, Decimal):
                constants.add(node.value)
            elif isinstance(node, Name) and node.role == "param":
                value = compiled.params[node.name]
                if isinstance(value, Decimal):
                    constants.add(value)
    result: dict[str, tuple[Decimal, ...]] = {}
    for name, spec in rule.model.inputs.items():
        if spec.is_numeric:
            result[name] = boundary_values(spec, constants)
    return result


def boundary_values(spec: InputSpec, constants: set[Decimal]) -> tuple[Decimal, ...]:
    """The candidates of :func:`boundaries` that are valid values of one input."""
    step = Decimal(1) if spec.type == "integer" else _STEP
    candidates = {Decimal(0), Decimal(1), Decimal(2)}
    for constant in constants:
        candidates |= {constant - step, constant, constant + step}
    candidates |= {bound for bound in (spec.min, spec.max) if bound is not None}
    low, high = _bounds(spec)
    valid = {
        value for value in candidates
        if low <= value <= high and (spec.type != "integer" or value == value.to_integral_value())
    }
    return tuple(sorted(valid, key=lambda v: (abs(v), v)))


def _bounds(spec: InputSpec) -> tuple[Decimal, Decimal]:
    low = spec.min if spec.min is not None else Decimal(-GENERATED_BOUND)
    high = spec.max if spec.max is not None else Decimal(GENERATED_BOUND)
    return low, high


def input_values(spec: InputSpec, *, boundaries: Sequence[Decimal] = ()) -> SearchStrategy[Any]:
    """Valid values of one declared input: booleans, enum values, or exact numbers in range
    (with ``boundaries`` mixed in so thresholds are met and just missed)."""
    if spec.type == "boolean":
        return st.booleans()
    if spec.type == "enum":
        return st.sampled_from(tuple(spec.values or ()))
    low, high = _bounds(spec)
    numbers: SearchStrategy[Decimal]
    if spec.type == "integer":
        lowest, highest = math.ceil(low), math.floor(high)
        numbers = st.integers(min_value=lowest, max_value=highest).map(Decimal)
        small = (max(lowest, 0), min(highest, SMALL))
        if small[0] <= small[1]:
            # counts of a few people or tasks: where ratios and equalities between inputs meet
            numbers = st.one_of(st.integers(*small).map(Decimal), numbers)
    else:
        numbers = st.decimals(min_value=low, max_value=high, places=DECIMAL_PLACES,
                              allow_nan=False, allow_infinity=False)
    if not boundaries:
        return numbers
    return st.one_of(numbers, st.sampled_from(tuple(boundaries)))


@st.composite
def facts(draw: st.DrawFn, inputs: Mapping[str, InputSpec], *, hints: Hints | None = None,
          near: Mapping[str, Any] | None = None, missing: bool = False) -> dict[str, Any]:
    """A value for every input in ``inputs``.

    ``near`` is a known nominee (say one who meets the title): each fact is then either
    kept or redrawn, so nominees close to the interesting region are common and shrink
    back towards it. ``missing`` lets any fact be absent (``None``). With ``hints``, the
    two inputs of a ratio are sometimes set right at (or next to) its threshold.
    """
    known = hints or Hints()
    drawn: dict[str, Any] = {}
    for name, spec in inputs.items():
        # explicit draws rather than one_of: hypothesis flattens nested one_of branches,
        # which would make keeping the ``near`` value rarer as the input's strategy grows
        if missing and draw(st.integers(0, MISSING_ONE_IN - 1)) == 0:
            drawn[name] = None
        elif near is not None and name in near and draw(st.integers(0, REDRAW_ONE_IN - 1)) != 0:
            drawn[name] = near[name]
        else:
            drawn[name] = draw(input_values(spec, boundaries=known.boundaries.get(name, ())))
    usable = [r for r in known.ratios if r.numerator in inputs and r.denominator in inputs]
    snap: bool = bool(usable) and draw(st.booleans())
    if snap:
        ratio = draw(st.sampled_from(usable))
        pair = draw(_at_threshold(ratio, inputs[ratio.numerator], inputs[ratio.denominator],
                                  drawn[ratio.denominator]))
        if pair is not None:
            drawn[ratio.numerator], drawn[ratio.denominator] = pair
    return drawn


@st.composite
def _at_threshold(draw: st.DrawFn, ratio: Ratio, numerator: InputSpec, denominator: InputSpec,
                  current: Any) -> tuple[Decimal, Decimal] | None:
    """A numerator that puts the ratio at its threshold, or one step either side of it,
    over the denominator drawn (or, half the time, a new small one)."""
    below: Decimal
    if isinstance(current, Decimal) and current > 0 and not draw(st.booleans()):
        below = current
    else:
        choices = small_denominators(denominator)
        if not choices:
            return None
        below = draw(st.sampled_from(choices))
    valid = numerators_at(ratio, numerator, below)
    if not valid or not _inside(denominator, below):
        return None
    return draw(st.sampled_from(valid)), below


def small_denominators(spec: InputSpec) -> tuple[Decimal, ...]:
    """Whole denominators 1..:data:`SMALL` within the declared range."""
    low, high = _bounds(spec)
    return tuple(Decimal(d) for d in range(max(1, math.ceil(low)), min(SMALL, math.floor(high)) + 1))


def numerators_at(ratio: Ratio, spec: InputSpec, denominator: Decimal) -> tuple[Decimal, ...]:
    """Numerators putting ``numerator / denominator`` at the ratio's threshold or one step
    either side (valid values of the numerator input only)."""
    step = Decimal(1) if spec.type == "integer" else _STEP
    exact = ratio.threshold * denominator
    candidates = sorted({
        (exact / step).to_integral_value(rounding=rounding) * step + shift
        for rounding in (decimal.ROUND_FLOOR, decimal.ROUND_CEILING) for shift in (-step, 0, step)
    })
    return tuple(c for c in candidates if _inside(spec, c))


def _inside(spec: InputSpec, value: Decimal) -> bool:
    low, high = _bounds(spec)
    return low <= value <= high


def sweep(inputs: Mapping[str, InputSpec], hints: Hints, base: Mapping[str, Any]
          ) -> Iterator[dict[str, Any]]:
    """Deterministic neighbours of ``base`` worth trying before a random search: each input
    at each of its boundary values, and each ratio put at its threshold over every small
    denominator. Cheap, and finds the narrow gaps between two thresholds that random
    draws miss."""
    for name in inputs:
        for value in hints.boundaries.get(name, ()):
            yield {**base, name: value}
    for ratio in hints.ratios:
        if ratio.numerator not in inputs or ratio.denominator not in inputs:
            continue
        for below in small_denominators(inputs[ratio.denominator]):
            for above in numerators_at(ratio, inputs[ratio.numerator], below):
                yield {**base, ratio.numerator: above, ratio.denominator: below}


def is_better(spec: InputSpec, candidate: Any, than: Any) -> bool:
    """``candidate`` is strictly better than ``than`` in the input's declared direction
    (never for enums, whose values are not ordered)."""
    if spec.better is None or spec.type == "enum" or candidate == than:
        return False
    return bool(candidate > than) if spec.better == "higher" else bool(candidate < than)


@st.composite
def improvements(draw: st.DrawFn, inputs: Mapping[str, InputSpec], name: str, *,
                 hints: Hints | None = None, near: Mapping[str, Any] | None = None,
                 ) -> tuple[dict[str, Any], dict[str, Any]]:
    """A nominee and the same nominee with input ``name`` improved in its declared
    ``better`` direction (the two may be equal when the draw gives the same value)."""
    known = hints or Hints()
    before = draw(facts(inputs, hints=known, near=near))
    spec = inputs[name]
    other = draw(input_values(spec, boundaries=known.boundaries.get(name, ())))
    worse, better = before[name], other
    if is_better(spec, worse, better):
        worse, better = better, worse
    return {**before, name: worse}, {**before, name: better}


@st.composite
def nominee_batches(draw: st.DrawFn, inputs: Mapping[str, InputSpec], *,
                    hints: Hints | None = None, near: Mapping[str, Any] | None = None,
                    max_size: int = 5,
                    ) -> tuple[list[dict[str, Any]], list[int]]:
    """A few nominees' facts (some missing) and a shuffled order to judge them in again."""
    one = facts(inputs, hints=hints, near=near, missing=True)
    batch = draw(st.lists(one, min_size=2, max_size=max_size))
    order = draw(st.permutations(range(len(batch))))
    return batch, list(order)
