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
  decided only when it would be the same whatever the missing facts are;
* ``hoan_xet`` – deferred, not refused: one of the rule's ``deferral`` conditions
  holds (discipline under consideration, an investigation, a complaint being
  verified: NĐ 152/2025 Điều 4 k4). It wins over every other outcome, because the
  law says not to judge the nominee at all for now; the criteria are still evaluated
  and shown. When no condition is known to hold but one cannot be decided for a
  missing fact, the outcome is ``thieu_du_lieu`` unless the criteria alone already
  give ``khong_dat`` (deferring someone who fails anyway changes nothing).

(``trung_thanh_tich`` is set afterwards by :mod:`criteria_engine.achievements`, and
``loai_do_chi_tieu`` — reached the title but past its unit's cap — by
:mod:`criteria_engine.caps`.)
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from criteria_engine._version import __version__
from criteria_engine.derived import (
    CONTEXT_FUNCTIONS,
    MAX_LOOKBACK,
    Derivation,
    parse_call,
    parse_derivation,
)
from criteria_engine.errors import ExpressionError, Location, RecordError, RuleFileError
from criteria_engine.evidence import CapPlacement, DerivedValue
from criteria_engine.expressions import (
    SAFE_GLOBALS,
    Constants,
    Expr,
    Scope,
    Type,
    arithmetic_problem,
    check_expression,
    compile_expression,
    input_type,
    names_used,
    to_python,
)
from criteria_engine.messages import message
from criteria_engine.nominees import Binder, compile_binder
from criteria_engine.rules import Citation, Criterion, Deferral, InputSpec, RuleFile, RuleSource

__all__ = [
    "AchievementConflict",
    "AchievementUse",
    "CompiledCriterion",
    "CompiledDeferral",
    "CompiledRule",
    "CriterionResult",
    "Decision",
    "DeferralResult",
    "DeferralState",
    "Outcome",
    "Result",
    "compile_rule",
    "evaluate",
    "without_deferral",
]

Outcome = Literal["dat", "khong_dat", "thieu_du_lieu", "trung_thanh_tich", "hoan_xet",
                  "loai_do_chi_tieu"]
Result = Literal["pass", "fail", "missing"]
#: A deferral condition's verdict: it ``holds`` (the nominee is deferred), it is
#: ``clear``, or it is ``missing`` a fact.
DeferralState = Literal["holds", "clear", "missing"]
ENGINE_VERSION = __version__



@dataclass(frozen=True, slots=True)
class CompiledCriterion:
    criterion: Criterion
    expr: Expr
    inputs: tuple[str, ...]
    params: Mapping[str, Decimal | bool | str]
    cite: tuple[Citation, ...]
    #: This criterion alone, ``facts -> bool`` (every input present), for analyses that
    #: look at one criterion at a time (check, dedup); evaluation uses the rule's function.
    function: Callable[[Mapping[str, Any]], Any] = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class CompiledDeferral:
    """A checked deferral condition (see :class:`criteria_engine.rules.Deferral`)."""

    condition: Deferral
    expr: Expr
    inputs: tuple[str, ...]
    params: Mapping[str, Decimal | bool | str]
    cite: tuple[Citation, ...]
    #: This condition alone, ``facts -> bool`` (every input present).
    function: Callable[[Mapping[str, Any]], Any] = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A checked rule file: its model, typed expressions and one generated function.

    ``binder`` is the rule's generated fact binder (record facts -> bound facts; see
    :func:`criteria_engine.nominees.compile_binder`), compiled once like the function.
    """

    source: RuleSource
    criteria: tuple[CompiledCriterion, ...]
    function: Any
    binder: Binder = field(compare=False, repr=False)
    deferral: tuple[CompiledDeferral, ...] = ()
    #: The derived inputs (:mod:`criteria_engine.derived`): input name -> the call that
    #: computes it, and where in the file it is written.
    derived: Mapping[str, Derivation] = field(default_factory=dict, compare=False)
    derived_at: Mapping[str, Location] = field(default_factory=dict, compare=False, repr=False)

    @property
    def same_period_titles(self) -> tuple[str, ...]:
        """The titles whose decisions in the same period this rule reads (through
        ``requires``, ``held(…, period=0)``, member roll-ups or its cap): a run of several
        titles judges them first."""
        titles = [title for d in self.derived.values() for title in d.same_period_titles()]
        cap = self.source.model.cap
        if cap is not None and cap.limit.share_of_title is not None:
            titles.append(cap.limit.share_of_title)
        return tuple(dict.fromkeys(titles))

    @property
    def titles_read(self) -> tuple[str, ...]:
        """Every title id the rule's context functions and cap name (checked against the
        library at load)."""
        titles = [title for d in self.derived.values() for title in d.titles]
        cap = self.source.model.cap
        if cap is not None and cap.limit.share_of_title is not None:
            titles.append(cap.limit.share_of_title)
        return tuple(dict.fromkeys(titles))

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
    """One criterion's verdict: ``pass``, ``fail`` or ``missing``, and the points earned.

    A criterion has only three possible results, so each rule builds them once when it
    is compiled and every decision shares them; the values a criterion read are the
    decision's facts for ``compiled.inputs`` (:meth:`Decision.values_used`).
    """

    id: str
    result: Result
    points: Decimal | None
    compiled: CompiledCriterion

    @property
    def gate(self) -> bool:
        return self.compiled.criterion.gate


class DeferralResult(NamedTuple):
    """One deferral condition's verdict for one nominee (prebuilt per rule, like
    :class:`CriterionResult`)."""

    id: str
    result: DeferralState
    compiled: CompiledDeferral


@dataclass(frozen=True, slots=True)
class AchievementUse:
    """A decision that rewarded (or would reward) one achievement."""

    achievement_id: str
    nominee_id: str
    rule_id: str
    rule_version: str
    period: int
    rank: int
    decision_id: int | None = None  # the stored decision, when it is in the store


@dataclass(frozen=True, slots=True)
class AchievementConflict:
    """Why a decision is ``trung_thanh_tich``: the achievement and who has it.

    ``set_aside`` is true when both claims are in the same run and the other title
    ranks higher; otherwise the achievement was already rewarded by a stored decision.
    """

    achievement_id: str
    holder: AchievementUse
    set_aside: bool


class Decision(NamedTuple):
    """One nominee judged by one rule version: the outcome and everything behind it.

    Immutable; with the rule file's bytes (``rule.sha256``) and ``facts`` it can be
    replayed exactly.
    """

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
    #: Set (and ``outcome`` is ``trung_thanh_tich``) when the title met its criteria but
    #: an achievement it would reward is already rewarded (Điều 5 khoản 2 điểm c).
    conflict: AchievementConflict | None = None
    #: The ids of the achievements this decision rewards (only when ``dat``).
    achievements: tuple[str, ...] = ()
    #: The rule's deferral conditions, each with its verdict (empty when it has none).
    deferral: tuple[DeferralResult, ...] = ()
    #: The derived inputs' values with what they saw (history, members, same-period
    #: decisions); their values are also in ``facts``, so replay needs nothing else.
    context: tuple[DerivedValue, ...] = ()
    #: Set when the rule has a cap and the nominee reached the title: rank, limit, group
    #: (``outcome`` is ``loai_do_chi_tieu`` when past the limit).
    cap: CapPlacement | None = None

    @property
    def missing_inputs(self) -> tuple[str, ...]:
        return tuple(name for name, value in self.facts.items() if value is None)

    @property
    def deferred_by(self) -> tuple[DeferralResult, ...]:
        """The deferral conditions that hold (non-empty exactly when ``hoan_xet``)."""
        return tuple(d for d in self.deferral if d.result == "holds")

    def values_used(self, result: CriterionResult | DeferralResult) -> dict[str, Any]:
        """The facts one criterion or deferral condition read (``None`` where missing)."""
        return {name: self.facts[name] for name in result.compiled.inputs}


class _CriterionArithmeticError(Exception):
    def __init__(self, index: int, cause: ArithmeticError, deferral: bool = False) -> None:
        super().__init__(index, cause, deferral)
        self.index = index
        self.cause = cause
        self.deferral = deferral


def compile_rule(source: RuleSource) -> CompiledRule:
    """Check every expression of a parsed rule file and compile the rule into one function.

    Context-function calls (in expressions, ``derive:`` texts and ``requires``) become
    derived inputs of the compiled rule (:mod:`criteria_engine.derived`): the compiled
    rule's model lists them with the declared inputs, and ``requires`` adds one gate per
    required title after the file's own criteria. The file's bytes, and so its sha256,
    are unchanged.

    Raises :class:`RuleFileError` (all expression problems of the file at once), each at
    the file, line and column of the offending part of the expression.
    """
    model = source.model
    inputs: dict[str, InputSpec] = dict(model.inputs)
    derived: dict[str, Derivation] = {}
    derived_at: dict[str, Location] = {}
    problems: list[RuleFileError] = []
    for name, spec in model.inputs.items():
        if spec.derive is None:
            continue
        where = source.where("inputs", name, "derive")
        try:
            derivation = parse_derivation(spec.derive)
        except ExpressionError as exc:
            problems.append(ExpressionError(exc.key, where, **exc.params))
            continue
        if spec.type not in _DECLARED_TYPES[derivation.kind]:
            problems.append(RuleFileError("derive.type", where, name=name, call=derivation.text,
                                          got=spec.type,
                                          expected=" / ".join(_DECLARED_TYPES[derivation.kind])))
            continue
        derived[name] = derivation
        derived_at[name] = where
    extra: list[Criterion] = []
    for index, requirement in enumerate(model.requires):
        derivation = Derivation("held", (requirement.title,), (("period", 0),))
        name = "requires__" + requirement.title.replace("-", "_")
        gate_id = "requires_" + requirement.title.replace("-", "_")
        if name in inputs and inputs[name].derive == derivation.text and any(
                criterion.id == gate_id for criterion in model.criteria):
            continue  # a compiled rule's model compiled again (check, dedup): already there
        if name in inputs:
            problems.append(RuleFileError("derive.name_clash", source.where("requires", index),
                                          name=name, call=derivation.text))
            continue
        inputs[name] = _synthesised_spec(derivation)
        derived[name] = derivation
        derived_at[name] = source.where("requires", index, "title")
        extra.append(Criterion(
            id=gate_id,
            text=requirement.text or message("requires.text", "vi", title=requirement.title),
            text_en=requirement.text_en or message("requires.text", "en", title=requirement.title),
            expr=name, gate=True, cite=requirement.cite))
    current: list[tuple[str, int]] = []

    def derive_call(node: ast.Call) -> tuple[str, Type]:
        derivation = parse_call(node)
        name = derivation.input_name
        declared = model.inputs.get(name)
        if (name in derived and derived[name] != derivation) or (
                declared is not None and declared.derive is None):
            raise ExpressionError("derive.name_clash", Location(line=node.lineno,
                                                                column=node.col_offset + 1),
                                  name=name, call=derivation.text)
        if name not in derived:
            derived[name] = derivation
            inputs[name] = _synthesised_spec(derivation)
            section, index = current[-1]
            derived_at[name] = source.where(section, index, "expr")
        return name, input_type(inputs[name])

    scope = Scope(inputs=inputs, params={n: p.value for n, p in model.params.items()},
                  derive=derive_call, context_functions=tuple(CONTEXT_FUNCTIONS))
    compiled: list[CompiledCriterion] = []
    deferral: list[CompiledDeferral] = []

    def checked(section: str, index: int, text: str, owner: str) -> Expr | None:
        current.append((section, index))
        try:
            expr = check_expression(text, scope, criterion=owner)
            if expr.type.kind != "boolean":
                raise ExpressionError("expr.not_boolean", Location(line=1, column=1),
                                      got=expr.type.describe())
        except ExpressionError as exc:
            if section == "requires":
                problems.append(ExpressionError(exc.key, source.where("requires", index),
                                                **exc.params))
            else:
                problems.append(ExpressionError(
                    exc.key, _expression_location(source, index, exc.where, section=section),
                    **exc.params))
            return None
        return expr

    for index, condition in enumerate(model.deferral):
        expr = checked("deferral", index, condition.expr, condition.id)
        if expr is not None:
            deferral.append(CompiledDeferral(
                condition=condition, expr=expr, inputs=names_used(expr, "input"),
                params={name: scope.params[name] for name in names_used(expr, "param")},
                cite=model.cite(condition), function=compile_expression(expr, scope.params)))
    sections = [("criteria", index, criterion) for index, criterion in enumerate(model.criteria)]
    sections += [("requires", index, criterion) for index, criterion in enumerate(extra)]
    for section, index, criterion in sections:
        expr = checked(section, index, criterion.expr, criterion.id)
        if expr is not None:
            compiled.append(CompiledCriterion(
                criterion=criterion, expr=expr, inputs=names_used(expr, "input"),
                params={name: scope.params[name] for name in names_used(expr, "param")},
                cite=model.cite(criterion), function=compile_expression(expr, scope.params)))
    if model.cap is not None:
        from criteria_engine.caps import cap_problems  # caps builds on compiled rules

        problems.extend(cap_problems(source))
    if problems:
        problems.sort(key=lambda p: (p.where.line or 0, p.where.column or 0))
        first, *rest = problems
        first.more = [*rest]
        raise first
    if derived or extra:
        model = model.model_copy(update={"inputs": inputs,
                                         "criteria": [*model.criteria, *extra]})
        source = replace(source, model=model)
    return CompiledRule(source=source, criteria=tuple(compiled),
                        function=_generate(compiled, scope, model.decision.min_points, deferral),
                        binder=compile_binder(model), deferral=tuple(deferral),
                        derived=derived, derived_at=derived_at)


#: The declared input types a ``derive:`` of each result kind may fill.
_DECLARED_TYPES: dict[str, tuple[str, ...]] = {
    "boolean": ("boolean",), "integer": ("integer", "decimal"), "ratio": ("decimal",)}


def _synthesised_spec(derivation: Derivation) -> InputSpec:
    """The input a context call written in an expression stands for: typed and bounded
    like a declared input, labelled from the message catalogue."""
    label = message(f"derived.{derivation.function}", "vi", title=", ".join(derivation.titles),
                    level=derivation.level or "")
    label_en = message(f"derived.{derivation.function}", "en",
                       title=", ".join(derivation.titles), level=derivation.level or "")
    if derivation.kind == "boolean":
        return InputSpec(type="boolean", label=label, label_en=label_en, derive=derivation.text)
    if derivation.kind == "ratio":
        return InputSpec(type="decimal", min=Decimal(0), max=Decimal(1), label=label,
                         label_en=label_en, derive=derivation.text, better="higher")
    bound = Decimal(MAX_LOOKBACK + 1) if derivation.family == "history" else None
    # more disciplined members is worse; a count of periods or members has no better side
    better: Any = {"members_disciplined": "lower", "periods_since": None,
                   "member_count": None}.get(derivation.function, "higher")
    return InputSpec(type="integer", min=Decimal(0), max=bound, label=label, label_en=label_en,
                     derive=derivation.text, better=better)


def without_deferral(rule: CompiledRule) -> CompiledRule:
    """The same rule judged on its criteria alone: no deferral condition, so never
    ``hoan_xet`` and never waiting on a deferral fact.

    For analyses of what a title *requires* (``tdkt check``'s properties, ``tdkt dedup``):
    deferral says when to judge, not what is required. A rule without deferral is
    returned as it is.
    """
    if not rule.deferral:
        return rule
    model = rule.model
    scope = Scope(inputs=model.inputs, params={n: p.value for n, p in model.params.items()})
    return replace(rule, deferral=(), function=_generate(list(rule.criteria), scope,
                                                         model.decision.min_points, []))


def _expression_location(source: RuleSource, index: int, relative: Location, *,
                         section: str = "criteria") -> Location:
    """Map a position inside an expression to the file: plain, quoted and block scalars.

    A ``|`` block keeps its lines, less the block's indentation; plain, quoted and ``>``
    scalars fold their lines into one, joined by single spaces.
    """
    where = source.where(section, index, "expr")
    lines = source.source.text.splitlines()
    if where.line is None or where.column is None or where.line > len(lines):
        return where
    row = relative.line or 1
    column = relative.column or 1
    first = lines[where.line - 1]
    opening = first[where.column - 1:where.column]
    raw = (source.model.deferral if section == "deferral" else source.model.criteria)[index].expr
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


def _generate(criteria: list[CompiledCriterion], scope: Scope, minimum: Decimal,
              deferral: list[CompiledDeferral]) -> Any:
    """One Python function for the whole rule: facts -> ``(results, points, outcome,
    deferral results)``.

    The bookkeeping is straight-line code with every constant inlined and each
    criterion's three possible results prebuilt, so the full explanation costs
    almost nothing beyond the comparisons; see ``benchmarks/bench_evaluate.py``.
    """
    constants = Constants()
    used = sorted({name for c in criteria for name in c.inputs}
                  | {name for d in deferral for name in d.inputs})
    variable = {name: f"v_{name}" for name in used}
    lines = ["def _rule(facts):"]
    lines += [f"    {variable[name]} = facts[{name!r}]" for name in used]
    # Whole-number weights (the usual case) are summed as ints, exactly and fast.
    whole = all(c.criterion.points is None
                or c.criterion.points == c.criterion.points.to_integral_value() for c in criteria)

    def weight_of(points: Decimal) -> str:
        return str(int(points)) if whole else constants.add(points)

    def add(total: str, points: Decimal) -> str:
        return (f"{total} += {weight_of(points)}" if whole
                else f"{total} = _ctx.add({total}, {weight_of(points)})")

    zero = "0" if whole else "_ZERO"
    lines += [f"    points = {zero}", f"    pending = {zero}",
              "    gate_failed = False", "    gate_missing = False"]
    results = []
    for index, compiled in enumerate(criteria):
        criterion = compiled.criterion
        body = to_python(compiled.expr, variable.__getitem__, scope.params, constants)
        missing = " or ".join(f"{variable[n]} is None" for n in compiled.inputs)
        weight = None if criterion.gate else (criterion.points or _ZERO)
        earned: dict[Result, Decimal | None] = {
            "pass": weight, "fail": None if criterion.gate else _ZERO,
            "missing": None if criterion.gate else _ZERO}
        prebuilt = {result: constants.add(CriterionResult(criterion.id, result, points, compiled))
                    for result, points in earned.items()}
        lines.append("    try:")
        lines.append(f"        r = None if ({missing}) else {body}" if missing
                     else f"        r = {body}")
        lines.append("    except ArithmeticError as exc:")
        lines.append(f"        raise _CriterionArithmeticError({index}, exc) from None")
        lines.append("    if r is None:")
        lines.append("        gate_missing = True" if weight is None else f"        {add('pending', weight)}")
        lines.append(f"        c{index} = {prebuilt['missing']}")
        lines.append("    elif r:")
        if weight is not None:
            lines.append(f"        {add('points', weight)}")
        lines.append(f"        c{index} = {prebuilt['pass']}")
        lines.append("    else:")
        if weight is None:
            lines.append("        gate_failed = True")
        lines.append(f"        c{index} = {prebuilt['fail']}")
        results.append(f"c{index}")
    minimum_name = constants.add(minimum)
    reachable = "points + pending" if whole else "_ctx.add(points, pending)"
    lines += [
        f"    if gate_failed or {reachable} < {minimum_name}:",
        "        outcome = 'khong_dat'",
        f"    elif gate_missing or points < {minimum_name}:",
        "        outcome = 'thieu_du_lieu'",
        "    else:",
        "        outcome = 'dat'",
    ]
    deferred = []
    if deferral:
        lines += ["    deferred = False", "    deferral_missing = False"]
    for index, condition in enumerate(deferral):
        body = to_python(condition.expr, variable.__getitem__, scope.params, constants)
        missing = " or ".join(f"{variable[n]} is None" for n in condition.inputs)
        states: tuple[DeferralState, ...] = ("holds", "clear", "missing")
        built = {state: constants.add(DeferralResult(condition.condition.id, state, condition))
                 for state in states}
        lines += [
            "    try:",
            f"        r = None if ({missing}) else {body}" if missing else f"        r = {body}",
            "    except ArithmeticError as exc:",
            f"        raise _CriterionArithmeticError({index}, exc, True) from None",
            "    if r is None:",
            "        deferral_missing = True",
            f"        d{index} = {built['missing']}",
            "    elif r:",
            "        deferred = True",
            f"        d{index} = {built['holds']}",
            "    else:",
            f"        d{index} = {built['clear']}",
        ]
        deferred.append(f"d{index}")
    if deferral:
        lines += [
            "    if deferred:",
            "        outcome = 'hoan_xet'",
            "    elif deferral_missing and outcome != 'khong_dat':",
            "        outcome = 'thieu_du_lieu'",
        ]
    lines.append(f"    return ({', '.join(results)},), {'_Decimal(points)' if whole else 'points'}, "
                 f"outcome, ({''.join(d + ', ' for d in deferred)})")
    namespace: dict[str, object] = {
        **SAFE_GLOBALS, **constants.values, "_ZERO": _ZERO, "_Decimal": Decimal,
        "_CriterionArithmeticError": _CriterionArithmeticError, "ArithmeticError": ArithmeticError,
    }
    exec("\n".join(lines), namespace)  # generated from the checked tree only
    return namespace["_rule"]


_ZERO = Decimal(0)


def evaluate(rule: CompiledRule, facts: Mapping[str, Any], *, nominee_id: str,
             period: int, name: str | None = None, unit: str | None = None) -> Decision:
    """Judge one nominee. ``facts`` holds every declared input, ``None`` when missing.

    Arithmetic runs in the engine's own decimal context (28 digits, traps on), never
    the caller's. Raises :class:`RecordError` when a criterion cannot be computed from
    these facts (for example a division by zero that the rule did not guard).
    """
    try:
        results, points, outcome, deferral = rule.function(facts)
    except _CriterionArithmeticError as exc:
        failing = (rule.deferral[exc.index].condition.id if exc.deferral
                   else rule.criteria[exc.index].criterion.id)
        raise RecordError("record.arithmetic", Location(record=nominee_id, field=failing),
                          criterion=failing, problem=arithmetic_problem(exc.cause)) from None
    return Decision(nominee_id, period, outcome, points, results, rule, facts, name, unit,
                    deferral=deferral)
