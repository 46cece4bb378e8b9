"""Evaluation: a compiled rule applied to one nominee's facts, with its full trace.

Pure: no I/O, no clock, no environment. The same rule bytes and the same facts
give the same decision on any machine, which is what lets the store replay a
decision years later and a council defend it.

The three outcomes:

* ``dat`` – every gate passes and the points reach the minimum;
* ``khong_dat`` – a gate fails, or even full marks on the missing criteria could
  not reach the minimum;
* ``thieu_du_lieu`` – the result depends on facts that are missing. A missing
  fact never counts as false: the criterion is ``missing``, and the outcome is
  decided only when it would be the same whatever the missing facts are.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from criteria_engine._version import __version__
from criteria_engine.errors import ExpressionError, Location, RecordError, RuleFileError
from criteria_engine.expressions import (
    SAFE_GLOBALS,
    Constants,
    Expr,
    Scope,
    check_expression,
    names_used,
    to_python,
)
from criteria_engine.rules import Citation, Criterion, RuleFile, RuleSource

__all__ = [
    "CompiledCriterion",
    "CompiledRule",
    "CriterionResult",
    "Decision",
    "Outcome",
    "Result",
    "compile_rule",
    "evaluate",
]

Outcome = Literal["dat", "khong_dat", "thieu_du_lieu"]
Result = Literal["pass", "fail", "missing"]
ENGINE_VERSION = __version__

#: Decimal arithmetic used by every evaluation, whatever the caller's context is.
DECIMAL_CONTEXT = decimal.Context(
    prec=28, rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


@dataclass(frozen=True, slots=True)
class CompiledCriterion:
    criterion: Criterion
    expr: Expr
    inputs: tuple[str, ...]
    params: Mapping[str, Decimal | bool | str]
    cite: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A checked rule file: its model, typed expressions and one generated function."""

    source: RuleSource
    criteria: tuple[CompiledCriterion, ...]
    function: Any

    @property
    def model(self) -> RuleFile:
        return self.source.model

    @property
    def id(self) -> str:
        return self.source.model.id

    @property
    def version(self) -> str:
        return self.source.model.version

    @property
    def sha256(self) -> str:
        return self.source.sha256


class CriterionResult(NamedTuple):
    """One criterion's verdict for one nominee, with the values it read."""

    id: str
    result: Result
    points: Decimal | None
    values: dict[str, Any]
    compiled: CompiledCriterion

    @property
    def gate(self) -> bool:
        return self.compiled.criterion.gate


@dataclass(frozen=True, slots=True)
class Decision:
    """One nominee judged by one rule version: the outcome and everything behind it."""

    nominee_id: str
    period: int
    outcome: Outcome
    points: Decimal
    criteria: tuple[CriterionResult, ...]
    rule: CompiledRule
    facts: Mapping[str, Any]
    name: str | None = None
    unit: str | None = None
    engine_version: str = ENGINE_VERSION

    @property
    def missing_inputs(self) -> tuple[str, ...]:
        return tuple(name for name, value in self.facts.items() if value is None)


class _CriterionArithmeticError(Exception):
    def __init__(self, index: int, cause: ArithmeticError) -> None:
        super().__init__(index, cause)
        self.index = index
        self.cause = cause


def compile_rule(source: RuleSource) -> CompiledRule:
    """Check every expression of a parsed rule file and compile the rule into one function.

    Raises :class:`RuleFileError` (all expression problems of the file at once), each at
    the file, line and column of the offending part of the expression.
    """
    model = source.model
    scope = Scope(inputs=model.inputs, params={n: p.value for n, p in model.params.items()})
    compiled: list[CompiledCriterion] = []
    problems: list[RuleFileError] = []
    for index, criterion in enumerate(model.criteria):
        try:
            expr = check_expression(criterion.expr, scope)
            if expr.type.kind != "boolean":
                raise ExpressionError("expr.not_boolean", Location(line=1, column=1),
                                      got=expr.type.describe())
        except ExpressionError as exc:
            problems.append(ExpressionError(exc.key, _expression_location(source, index, exc.where),
                                            **exc.params))
            continue
        compiled.append(CompiledCriterion(
            criterion=criterion, expr=expr, inputs=names_used(expr, "input"),
            params={name: scope.params[name] for name in names_used(expr, "param")},
            cite=model.cite(criterion)))
    if problems:
        first, *rest = problems
        first.more = [*rest]
        raise first
    return CompiledRule(source=source, criteria=tuple(compiled),
                        function=_generate(compiled, scope))


def _expression_location(source: RuleSource, index: int, relative: Location) -> Location:
    """Map a position inside an expression to the file: plain, quoted and block scalars.

    A ``|`` block keeps its lines, less the block's indentation; plain, quoted and ``>``
    scalars fold their lines into one, joined by single spaces.
    """
    where = source.where("criteria", index, "expr")
    lines = source.source.text.splitlines()
    if where.line is None or where.column is None or where.line > len(lines):
        return where
    row = relative.line or 1
    column = relative.column or 1
    first = lines[where.line - 1]
    opening = first[where.column - 1:where.column]
    raw = source.model.criteria[index].expr
    if opening == "|":
        number = where.line + len(raw) - len(raw.lstrip("\n")) + row
        if number > len(lines):
            return where
        block = [line for line in lines[where.line:number] if line.strip()]
        indent = len(block[0]) - len(block[0].lstrip(" ")) if block else 0
        return Location(source.path, number, indent + column, where.field)
    if row > 1:
        return Location(source.path, where.line + row - 1, column, where.field)
    if opening == ">":
        segments = [(number, line) for number, line in enumerate(lines[where.line:],
                                                                  start=where.line + 1)]
    else:
        start = where.column if opening in ("'", '"') else where.column - 1
        segments = [(where.line, " " * start + first[start:]),
                    *enumerate(lines[where.line:], start=where.line + 1)]
    offset = column - 1
    for number, line in segments:
        content = line.strip()
        if not content:
            continue
        if offset <= len(content):
            return Location(source.path, number, len(line) - len(line.lstrip()) + 1 + offset,
                            where.field)
        offset -= len(content) + 1
    return where


def _generate(criteria: list[CompiledCriterion], scope: Scope) -> Any:
    """One Python function for the whole rule: facts -> the full trace.

    It returns ``(results, points, pending, gate_failed, gate_missing)`` where
    ``results`` holds a :class:`CriterionResult` per criterion. Generating the
    bookkeeping as straight-line code (constants inlined, no loop, no dispatch)
    keeps the explanation nearly free; see ``benchmarks/bench_evaluate.py``.
    """
    constants = Constants()
    used = sorted({name for c in criteria for name in c.inputs})
    variable = {name: f"v_{name}" for name in used}
    lines = ["def _rule(facts):"]
    lines += [f"    {variable[name]} = facts[{name!r}]" for name in used]
    lines += ["    points = _ZERO", "    pending = _ZERO",
              "    gate_failed = False", "    gate_missing = False"]
    results = []
    for index, compiled in enumerate(criteria):
        criterion = compiled.criterion
        body = to_python(compiled.expr, variable.__getitem__, scope.params, constants)
        missing = " or ".join(f"{variable[n]} is None" for n in compiled.inputs)
        values = "{" + ", ".join(f"{n!r}: {variable[n]}" for n in compiled.inputs) + "}"
        me = constants.add(compiled)
        weight = "None" if criterion.gate else constants.add(criterion.points or Decimal(0))
        earned_fail = "None" if criterion.gate else "_ZERO"

        def new(result: str, earned: str, cid: str = criterion.id, values: str = values,
                me: str = me) -> str:
            return f"_Result({cid!r}, {result!r}, {earned}, {values}, {me})"

        lines.append("    try:")
        lines.append(f"        r = None if ({missing}) else {body}" if missing
                     else f"        r = {body}")
        lines.append("    except ArithmeticError as exc:")
        lines.append(f"        raise _CriterionArithmeticError({index}, exc) from None")
        lines.append("    if r is None:")
        lines.append("        gate_missing = True" if criterion.gate
                     else f"        pending += {weight}")
        lines.append(f"        c{index} = " + new("missing", earned_fail))
        lines.append("    elif r:")
        if not criterion.gate:
            lines.append(f"        points += {weight}")
        lines.append(f"        c{index} = " + new("pass", weight))
        lines.append("    else:")
        if criterion.gate:
            lines.append("        gate_failed = True")
        lines.append(f"        c{index} = " + new("fail", earned_fail))
        results.append(f"c{index}")
    lines.append(f"    return ({', '.join(results)},), points, pending, gate_failed, gate_missing")
    namespace: dict[str, object] = {
        **SAFE_GLOBALS, **constants.values, "_ZERO": _ZERO, "_Result": CriterionResult,
        "_CriterionArithmeticError": _CriterionArithmeticError, "ArithmeticError": ArithmeticError,
    }
    exec("\n".join(lines), namespace)  # generated from the checked tree only
    return namespace["_rule"]


_ZERO = Decimal(0)


def evaluate(rule: CompiledRule, facts: Mapping[str, Any], *, nominee_id: str,
             period: int, name: str | None = None, unit: str | None = None) -> Decision:
    """Judge one nominee. ``facts`` holds every declared input, ``None`` when missing.

    Raises :class:`RecordError` when a criterion cannot be computed from these facts
    (for example a division by zero that the rule did not guard).
    """
    with decimal.localcontext(DECIMAL_CONTEXT):
        return _judge(rule, facts, nominee_id=nominee_id, period=period, name=name, unit=unit)


def _judge(rule: CompiledRule, facts: Mapping[str, Any], *, nominee_id: str, period: int,
           name: str | None, unit: str | None) -> Decision:
    """:func:`evaluate` inside the engine's decimal context (points are summed there too)."""
    try:
        results, points, pending, gate_failed, gate_missing = rule.function(facts)
    except _CriterionArithmeticError as exc:
        failing = rule.criteria[exc.index].criterion.id
        raise RecordError("record.arithmetic", Location(record=nominee_id, field=failing),
                          criterion=failing, problem=type(exc.cause).__name__) from None
    minimum = rule.model.decision.min_points
    outcome: Outcome
    if gate_failed or points + pending < minimum:
        outcome = "khong_dat"
    elif gate_missing or points < minimum:
        outcome = "thieu_du_lieu"
    else:
        outcome = "dat"
    return Decision(nominee_id=nominee_id, period=period, outcome=outcome, points=points,
                    criteria=results, rule=rule, facts=facts, name=name, unit=unit)
