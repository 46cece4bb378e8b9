"""Properties of the engine as a whole: agreement with simpleeval, robustness against any
input file, determinism, and the checker's refusals.

simpleeval is the reference the language is drawn from (see the module docstring of
:mod:`criteria_engine.expressions`): on the shared subset with whole-number literals
and Decimal inputs, the compiled tree must compute exactly what simpleeval computes.
``EvalWithCompoundTypes`` is simpleeval's evaluator that also reads list literals,
needed for ``in [..]``; it is ``SimpleEval`` otherwise.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import simpleeval
from hypothesis import example, given

from criteria_engine.errors import CriteriaError, ExpressionError, Location
from criteria_engine.evaluator import CompiledRule, compile_rule, evaluate
from criteria_engine.expressions import DECIMAL_CONTEXT, check_expression, compile_expression
from criteria_engine.library import RuleLibrary, load_rule
from criteria_engine.nominees import Nominee, bind_facts
from criteria_engine.report import decision_to_dict
from criteria_engine.rules import parse_rule_text
from criteria_engine.sources import SourceText
from tests.common import CRITERIA
from tests.property.strategies import (
    PARAMS,
    SCOPE,
    expressions,
    fact_sets,
    forbidden_expressions,
    nominees,
    rule_bytes,
    rule_texts,
)

LIBRARY = RuleLibrary.load([CRITERIA])
SHIPPED = LIBRARY.all()
#: The same files compiled a second time, as a replay years later would compile them.
RECOMPILED = {rule.source.path: load_rule(Path(rule.source.path)) for rule in SHIPPED}


def _outcome(compute: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "value", compute()
    except ArithmeticError:
        return "arithmetic error", None


# --- (a) the compiled tree agrees with simpleeval -----------------------------------------


@given(text=expressions(kind="boolean") | expressions(kind="number"), facts=fact_sets())
def test_compiled_expression_agrees_with_simpleeval(text: str, facts: dict[str, Any]) -> None:
    function = compile_expression(check_expression(text, SCOPE), PARAMS)
    reference = simpleeval.EvalWithCompoundTypes(
        names={**facts, **PARAMS}, functions={"min": min, "max": max, "abs": abs}
    )
    with decimal.localcontext(DECIMAL_CONTEXT):
        ours = _outcome(lambda: function(facts))
        theirs = _outcome(lambda: reference.eval(text))
    assert ours == theirs


# --- (b) no input file makes the loader raise anything but a CriteriaError ---------------


def _load_text(text: str) -> None:
    source = SourceText(path="rule.yaml", raw=text.encode(), text=text, nfd_lines=())
    try:
        compile_rule(parse_rule_text(source))
    except CriteriaError as exc:
        exc.render("vi")
        exc.render("en")


_SHIPPED_TEXT = (CRITERIA / "lao-dong-tien-tien" / "2024.1.yaml").read_text(encoding="utf-8")


@given(text=rule_texts())
@example(text="? {a: {b: 1}}\n: 2\n")  # a mapping as a key: ruamel's bare TypeError
@example(text="effective:\n  from: 2024-13-45\n")  # a date that does not exist
@example(text="x: " + "1" * 5000 + "\n")  # past Python's int-string limit
@example(text="Title: x\n")  # an unknown key in capitals
@example(text="a: b\x1a\n")  # a control character
@example(text="a: &x 1\nb: &x 2\n")  # a reused anchor: ruamel warns instead of raising
@example(text=_SHIPPED_TEXT.replace("expr: not disciplined", "expr: disciplined == 0x1"))
def test_any_rule_text_loads_or_raises_a_criteria_error(text: str) -> None:
    _load_text(text)


@given(data=rule_bytes())
def test_any_rule_file_bytes_load_or_raise_a_criteria_error(
        data: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    tmp_path = tmp_path_factory.getbasetemp() / "random-rule-files"
    path = tmp_path / "criteria" / "mau" / "2024.1.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    try:
        load_rule(path)
    except CriteriaError as exc:
        assert exc.where.path == str(path)
        exc.render("vi")
    library = RuleLibrary.load([tmp_path / "criteria"])
    assert len(library.problems) + len(library.all()) >= 1


# --- (c) evaluation is deterministic and ignores the caller's decimal context ------------


def _decide(rule: CompiledRule, facts: dict[str, Any]) -> tuple[str, Any]:
    try:
        decision = evaluate(rule, facts, nominee_id="P-1", period=2024)
    except CriteriaError as exc:
        return "error", exc.render("en")
    return "decision", decision_to_dict(decision)


@given(judged=nominees(SHIPPED))
def test_evaluation_is_deterministic_and_ignores_the_decimal_context(
        judged: tuple[CompiledRule, Nominee]) -> None:
    rule, nominee = judged
    facts = bind_facts(rule.model, nominee, Location(record=nominee.id))
    first = _decide(rule, facts)
    assert _decide(rule, facts) == first
    assert _decide(RECOMPILED[rule.source.path], facts) == first
    saved = decimal.getcontext().copy()
    try:
        context = decimal.getcontext()
        context.prec = 5
        context.rounding = decimal.ROUND_FLOOR
        context.traps[decimal.Inexact] = True
        assert _decide(rule, facts) == first
    finally:
        decimal.setcontext(saved)


# --- (d) the checker refuses every construct outside the language ------------------------

REFUSALS = {"expr.construct", "expr.unknown_function", "expr.private_name", "expr.power",
            "expr.keywords", "expr.arity", "expr.none", "expr.syntax", "expr.membership"}


@given(text=forbidden_expressions())
def test_checker_refuses_constructs_outside_the_language(text: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        check_expression(text, SCOPE)
    assert caught.value.key in REFUSALS, caught.value.render("en")


@given(text=expressions(kind="boolean"))
def test_checker_accepts_the_generated_language(text: str) -> None:
    assert check_expression(text, SCOPE).type.kind == "boolean"
