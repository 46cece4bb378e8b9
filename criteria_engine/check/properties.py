"""The properties ``tdkt check`` runs, as a registry of small objects.

Each :class:`Property` has a name (``--property``), its message keys (title and the
statement in plain words) and what it applies to: one rule version (``"rule"``), or
the titles in force together in a period (``"titles"``; hierarchy now, quotas and
multi-year prerequisites later). A property answers exactly from the typed model
when it can (see :mod:`criteria_engine.check.exact`) and searches with hypothesis
otherwise, and says which it did.

Adding a property: write ``run`` returning :class:`PropertyResult` objects, add its
messages ``check.<name>.title`` and ``check.<name>.statement``, append it to
:data:`PROPERTIES`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from hypothesis import strategies as st

from criteria_engine import strategies
from criteria_engine.check.context import Facts, RuleAnalysis, related_derived, requires_gate
from criteria_engine.check.exact import (
    EXACT_LIMIT,
    Regions,
    Undefined,
    exact_value,
    regions,
    rounding_free,
)
from criteria_engine.check.model import Example, Finding, Method, PropertyResult
from criteria_engine.errors import Location, RecordError
from criteria_engine.evaluator import (
    CompiledRule,
    Decision,
    compile_rule,
    evaluate,
    without_deferral,
)
from criteria_engine.messages import Bilingual, message
from criteria_engine.nominees import Nominee, bind_facts
from criteria_engine.report import plain
from criteria_engine.rules import InputSpec

__all__ = ["PROPERTIES", "Property", "TitleGroup", "property_names"]

_RANK = {"khong_dat": 0, "thieu_du_lieu": 1, "dat": 2}


@dataclass(frozen=True, slots=True)
class TitleGroup:
    """The rule versions in force together in one period (one version per title)."""

    period: int
    analyses: tuple[RuleAnalysis, ...]


@dataclass(frozen=True, slots=True)
class Property:
    """One property: its name, its words, what it applies to, and how to run it.

    ``run`` takes a :class:`RuleAnalysis` when ``applies_to == "rule"``, and every
    :class:`TitleGroup` at once when ``"titles"`` (so it can skip pairs already seen).
    """

    name: str
    title_key: str
    statement_key: str
    applies_to: Literal["rule", "titles"]
    run: Callable[[Any], list[PropertyResult]]

    def run_rule(self, analysis: RuleAnalysis) -> list[PropertyResult]:
        return self.run(analysis)

    def run_titles(self, groups: Sequence[TitleGroup]) -> list[PropertyResult]:
        return self.run(groups)


def both(key: str, suffix: str = "", **params: Any) -> Bilingual:
    """A catalogue sentence in both languages (plus ``suffix``), to be placed inside
    another sentence; the renderer picks the user's language."""
    return Bilingual({lang: message(key, lang, **params) + suffix for lang in ("vi", "en")})


def title_of(rule: CompiledRule) -> Bilingual:
    model = rule.model
    return Bilingual({"vi": model.title, "en": model.title_en or model.title})


def show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "∅"
    return str(plain(value))


def _method(exact: Iterable[bool]) -> Method:
    flags = set(exact)
    if flags <= {True}:
        return "exact"
    return "generated" if flags == {False} else "mixed"


def _result(name: str, analysis: RuleAnalysis, findings: Sequence[Finding],
            exact: Iterable[bool], *, note: str | None = None,
            note_params: Mapping[str, Any] | None = None,
            inconclusive: bool = False) -> PropertyResult:
    status: Literal["pass", "fail", "inconclusive"] = (
        "fail" if findings else "inconclusive" if inconclusive else "pass")
    return PropertyResult(property=name, target=analysis.label, path=analysis.rule.source.path,
                          status=status, method=_method(exact), findings=tuple(findings),
                          note=note, note_params=note_params or {})


def _example(role: str, analysis: RuleAnalysis, facts: Mapping[str, Any], number: int = 1,
             period: int | None = None) -> Example:
    return Example(role=role, rule=analysis.rule, facts=dict(facts),
                   period=period or analysis.period, number=number)


# --- satisfiable ----------------------------------------------------------------------

def satisfiable(analysis: RuleAnalysis) -> list[PropertyResult]:
    """Some nominee meets the title; each criterion can pass and can fail."""
    name = "satisfiable"
    rule, model = analysis.rule, analysis.model
    examples = analysis.context.max_examples
    findings: list[Finding] = []
    exact: list[bool] = []
    unreachable = model.max_points < model.decision.min_points
    if unreachable:
        best = analysis.merged_witness()
        decision = analysis.judge(best)
        shown = (_example("best", analysis, best),) if (
            isinstance(decision, Decision) and decision.points == model.max_points) else ()
        findings.append(Finding(name, "check.satisfiable.points_unreachable",
                                {"max_points": plain(model.max_points),
                                 "min_points": plain(model.decision.min_points)},
                                "exact", rule, None, shown))
        exact.append(True)
    gate_impossible = False
    for index, compiled in enumerate(rule.criteria):
        criterion = compiled.criterion
        passing, passing_exact = analysis.criterion_witness(index, True)
        failing, failing_exact = analysis.criterion_witness(index, False)
        exact += [passing_exact, failing_exact]
        if passing is None:
            gate_impossible = gate_impossible or criterion.gate
            key = "never_passes" if passing_exact else "never_passes_generated"
            shown = (_example("fails", analysis, failing),) if failing is not None else ()
            findings.append(Finding(name, f"check.satisfiable.{key}", {"examples": examples},
                                    "exact" if passing_exact else "generated", rule,
                                    criterion.id, shown))
        if failing is None:
            key = "always_passes" if failing_exact else "always_passes_generated"
            shown = (_example("passes", analysis, passing),) if passing is not None else ()
            findings.append(Finding(name, f"check.satisfiable.{key}", {"examples": examples},
                                    "exact" if failing_exact else "generated", rule,
                                    criterion.id, shown))
    if not unreachable and not gate_impossible:
        witness, witness_exact = analysis.dat_witness()
        exact.append(witness_exact)
        if witness is None:
            key = "title_impossible" if witness_exact else "title_not_found"
            findings.append(Finding(name, f"check.satisfiable.{key}", {"examples": examples},
                                    "exact" if witness_exact else "generated", rule))
    return [_result(name, analysis, findings, exact)]


# --- monotone -------------------------------------------------------------------------

def _worse(before: Decision | RecordError, after: Decision | RecordError) -> bool:
    if not isinstance(before, Decision) or not isinstance(after, Decision):
        return False
    return _RANK[after.outcome] < _RANK[before.outcome] or after.points < before.points


def _better_order(spec: InputSpec, values: Sequence[Any]) -> list[Any]:
    ordered = sorted(values)
    return ordered if spec.better == "higher" else ordered[::-1]


def _monotone_finding(analysis: RuleAnalysis, name: str, before: Facts, after: Facts,
                      exact: bool) -> Finding:
    first, second = analysis.judge(before), analysis.judge(after, 2)
    assert isinstance(first, Decision) and isinstance(second, Decision)
    lost = next((a.id for a, b in zip(first.criteria, second.criteria, strict=True)
                 if a.result == "pass" and b.result != "pass"), None)
    params: dict[str, Any] = {
        "input": name, "before": show(before[name]), "after": show(after[name]),
        "direction": both(f"check.direction.{analysis.inputs[name].better}"),
    }
    if _RANK[second.outcome] < _RANK[first.outcome]:
        key = "check.monotone.outcome"
        params |= {"was": both(f"outcome.{first.outcome}"), "now": both(f"outcome.{second.outcome}")}
    else:
        key = "check.monotone.points"
        params |= {"was": show(first.points), "now": show(second.points)}
    shown = (_example("before", analysis, before, 1), _example("after", analysis, after, 2))
    return Finding("monotone", key, params, "exact" if exact else "generated", analysis.rule,
                   lost, shown)


def _criterion_monotone(analysis: RuleAnalysis, index: int, name: str) -> bool:
    """Criterion ``index`` never goes from pass to fail as ``name`` improves (exactly)."""
    found = analysis.regions(index)
    if found is None:
        return False
    spec = analysis.inputs[name]
    others = Regions({n: v for n, v in found.values.items() if n != name})
    for fixed in others.assignments():
        previous: bool | None = None
        for value in _better_order(spec, found.values[name]):
            result = analysis.criterion(index, analysis.complete({**fixed, name: value}))
            if previous is True and result is not True:
                return False
            previous = result
    return True


def monotone(analysis: RuleAnalysis) -> list[PropertyResult]:
    """Improving an input in its declared better direction never hurts."""
    rule = analysis.rule
    used = {n for c in rule.criteria for n in c.inputs}
    # enum values have no order the engine knows of, so 'better' on an enum says nothing;
    # a derived input the engine synthesised has no direction its author declared
    better = [n for n, spec in analysis.inputs.items()
              if spec.better and spec.type != "enum" and n in used
              and n not in analysis.synthesised]
    if not better:
        return [_result("monotone", analysis, [], [True], note="check.monotone.no_better")]
    whole = analysis.regions()
    if whole is not None:
        return _monotone_result(analysis, _monotone_exact(analysis, whole, better), [True], [])
    findings: list[Finding] = []
    exact: list[bool] = []
    unsure: list[str] = []
    for name in better:
        using = [i for i, c in enumerate(rule.criteria) if name in c.inputs]
        if all(_criterion_monotone(analysis, i, name) for i in using):
            exact.append(True)
            continue
        exact.append(False)
        informative = [0]

        def violates(pair: tuple[Facts, Facts], informative: list[int] = informative) -> bool:
            first, second = analysis.judge(pair[0]), analysis.judge(pair[1])
            if isinstance(first, Decision) and (first.outcome == "dat" or first.points > 0):
                informative[0] += 1
            return _worse(first, second)

        strategy = strategies.improvements(analysis.inputs, name,
                                           hints=analysis.hints, near=analysis.near())
        found = analysis.context.find(strategy, violates,
                                      purpose=analysis.purpose("monotone", name))
        if found is not None:
            findings.append(_monotone_finding(analysis, name, found[0], found[1], False))
        elif not informative[0]:
            unsure.append(name)
    return _monotone_result(analysis, findings, exact, unsure)


def _monotone_result(analysis: RuleAnalysis, findings: list[Finding], exact: list[bool],
                     unsure: Sequence[str]) -> list[PropertyResult]:
    """A counterexample that moves a derived input tied to another one (see
    :func:`criteria_engine.check.context.related_derived`) may be one no history gives:
    undecided, not a finding."""
    doubtful = sorted({f.params["input"] for f in findings if f.params["input"] in analysis.related})
    findings = [f for f in findings if f.params["input"] not in analysis.related]
    if doubtful and not findings:
        return [_result("monotone", analysis, [], exact, inconclusive=True,
                        note="check.derived.related", note_params={"inputs": ", ".join(doubtful)})]
    return [_result("monotone", analysis, findings, exact, inconclusive=bool(unsure),
                    note="check.monotone.inconclusive" if unsure else None,
                    note_params={"inputs": ", ".join(unsure)})]


def _monotone_exact(analysis: RuleAnalysis, whole: Regions, better: Sequence[str]
                    ) -> list[Finding]:
    cache: dict[tuple[Any, ...], Decision | RecordError] = {}

    def judged(facts: Facts) -> Decision | RecordError:
        key = tuple(facts.values())
        if key not in cache:
            cache[key] = analysis.judge(facts)
        return cache[key]

    findings = []
    for name in better:
        others = Regions({n: v for n, v in whole.values.items() if n != name})
        found = None
        for fixed in others.assignments():
            steps = [analysis.complete({**fixed, name: value})
                     for value in _better_order(analysis.inputs[name], whole.values[name])]
            found = next(((a, b) for a, b in itertools.pairwise(steps)
                          if _worse(judged(a), judged(b))), None)
            if found:
                break
        if found:
            findings.append(_monotone_finding(analysis, name, found[0], found[1], True))
    return findings


# --- consistent decisions -------------------------------------------------------------

@st.composite
def _partial_and_complete(draw: st.DrawFn, analysis: RuleAnalysis) -> tuple[Facts, Facts]:
    near = analysis.near()
    partial = draw(strategies.facts(analysis.inputs, hints=analysis.hints,
                                    near=near, missing=True))
    filler = draw(strategies.facts(analysis.inputs, hints=analysis.hints, near=near))
    return partial, {n: filler[n] if v is None else v for n, v in partial.items()}


def _inconsistency(analysis: RuleAnalysis, partial: Facts, complete: Facts
                   ) -> tuple[str, dict[str, Any], str | None, list[tuple[str, Facts]]] | None:
    """(message key, params, criterion, the nominees that show it) or None."""
    model = analysis.model
    for facts in (partial, complete):
        decision = analysis.judge(facts)
        if isinstance(decision, RecordError):
            return ("check.consistent.arithmetic", {"problem": decision.params.get("problem")},
                    decision.where.field, [("record", facts)])
    first = analysis.judge(partial)
    second = analysis.judge(complete)
    assert isinstance(first, Decision) and isinstance(second, Decision)
    shown = [("record", partial)]
    earned = sum((r.points or Decimal(0) for r in first.criteria if r.result == "pass"),
                 Decimal(0))
    failed_gate = next((r.id for r in first.criteria if r.gate and r.result == "fail"), None)
    missing_gate = any(r.gate and r.result == "missing" for r in first.criteria)
    if not Decimal(0) <= first.points <= model.max_points:
        return ("check.consistent.points_range",
                {"points": show(first.points), "max_points": show(model.max_points)}, None, shown)
    if first.points != earned:
        return ("check.consistent.points_sum",
                {"points": show(first.points), "expected": show(earned)}, None, shown)
    if failed_gate and first.outcome == "dat":
        return "check.consistent.gate_dat", {}, failed_gate, shown
    if first.outcome == "dat" and (missing_gate or first.points < model.decision.min_points):
        return ("check.consistent.dat_unearned",
                {"points": show(first.points), "min_points": show(model.decision.min_points)},
                None, shown)
    if all(v is not None for v in partial.values()) and first.outcome == "thieu_du_lieu":
        return "check.consistent.complete_undecided", {}, None, shown
    if first.outcome != "thieu_du_lieu" and second.outcome != first.outcome:
        return ("check.consistent.missing_decided",
                {"was": both(f"outcome.{first.outcome}"), "now": both(f"outcome.{second.outcome}")},
                None, [*shown, ("completed", complete)])
    return None


def consistent(analysis: RuleAnalysis) -> list[PropertyResult]:
    """Points within bounds and equal to what was earned; gates respected; every valid
    nominee judged; a missing fact never decides the outcome."""
    found = analysis.context.find(
        _partial_and_complete(analysis),
        lambda pair: _inconsistency(analysis, *pair) is not None,
        purpose=analysis.purpose("consistent"))
    findings = []
    if found is not None:
        problem = _inconsistency(analysis, *found)
        assert problem is not None
        key, params, criterion, shown = problem
        examples = tuple(_example(role, analysis, facts, number)
                         for number, (role, facts) in enumerate(shown, start=1))
        findings.append(Finding("consistent", key, params, "generated", analysis.rule, criterion,
                                examples))
    return [_result("consistent", analysis, findings, [False])]


# --- exact arithmetic -----------------------------------------------------------------

def _exact_results(analysis: RuleAnalysis, facts: Facts) -> list[bool | None]:
    results: list[bool | None] = []
    for compiled in analysis.rule.criteria:
        try:
            results.append(bool(exact_value(compiled.expr, facts, compiled.params)))
        except Undefined:
            results.append(None)
    return results


def _verdict(truth: bool | None) -> Bilingual:
    if truth is None:
        return both("check.value.error")
    return both(f"result.{'pass' if truth else 'fail'}")


def _arithmetic_mismatch(analysis: RuleAnalysis, facts: Facts
                         ) -> tuple[str | None, dict[str, Any]] | None:
    """Where the engine and exact arithmetic disagree on these facts, if anywhere."""
    exact = _exact_results(analysis, facts)
    decision = analysis.judge(facts)
    criteria = analysis.rule.criteria
    if isinstance(decision, RecordError):
        index = next((i for i, c in enumerate(criteria)
                      if c.criterion.id == decision.where.field), None)
        if index is not None and exact[index] is None:
            return None
        truth = exact[index] if index is not None else None
        return decision.where.field, {"engine": both("check.value.error"),
                                      "exact": _verdict(truth)}
    for index, (result, truth) in enumerate(zip(decision.criteria, exact, strict=True)):
        if truth is None or (result.result == "pass") != truth:
            return criteria[index].criterion.id, {"engine": both(f"result.{result.result}"),
                                                  "exact": _verdict(truth)}
    model = analysis.model
    earned = sum((c.criterion.points or Decimal(0) for c, ok in zip(criteria, exact, strict=True)
                  if ok and not c.criterion.gate), Decimal(0))
    gates = all(ok for c, ok in zip(criteria, exact, strict=True) if c.criterion.gate)
    outcome = "dat" if gates and earned >= model.decision.min_points else "khong_dat"
    if decision.outcome != outcome or decision.points != earned:
        return None, {"engine": both(f"outcome.{decision.outcome}", f" ({show(decision.points)})"),
                      "exact": both(f"outcome.{outcome}", f" ({show(earned)})")}
    return None


def _boundary_mismatch(analysis: RuleAnalysis) -> Facts | None:
    """First try each decidable criterion's representatives: every threshold itself and
    a value either side, where rounding or binary fractions would show first."""
    for index in range(len(analysis.rule.criteria)):
        found = analysis.regions(index)
        for assignment in found.assignments() if found is not None else ():
            facts = analysis.complete(assignment)
            if _arithmetic_mismatch(analysis, facts) is not None:
                return facts
    return None


def exact_arithmetic(analysis: RuleAnalysis) -> list[PropertyResult]:
    """The engine's results equal exact rational arithmetic on the same facts."""
    # "by construction" is a fact about the built-in evaluator, not about a substitute
    if analysis.context.engine is evaluate and all(rounding_free(c.expr)
                                                   for c in analysis.rule.criteria):
        return [_result("exact-arithmetic", analysis, [], [True],
                        note="check.exact-arithmetic.by_construction")]
    found = _boundary_mismatch(analysis)
    if found is None:
        strategy = strategies.facts(analysis.inputs, hints=analysis.hints,
                                    near=analysis.near())
        found = analysis.context.find(strategy,
                                      lambda f: _arithmetic_mismatch(analysis, f) is not None,
                                      purpose=analysis.purpose("exact-arithmetic"))
    findings = []
    if found is not None:
        problem = _arithmetic_mismatch(analysis, found)
        assert problem is not None
        criterion, params = problem
        findings.append(Finding("exact-arithmetic", "check.exact-arithmetic.mismatch", params,
                                "generated", analysis.rule, criterion,
                                (_example("record", analysis, found),)))
    return [_result("exact-arithmetic", analysis, findings, [False])]


# --- determinism and order independence -----------------------------------------------

Signature = tuple[Any, ...]


def _judge_record(analysis: RuleAnalysis, rule: CompiledRule, record: dict[str, Any]
                  ) -> Signature:
    nominee = Nominee.model_validate(record)
    try:
        facts = bind_facts(rule.model, nominee, Location(record=nominee.id))
        decision = analysis.context.engine(rule, facts, nominee_id=nominee.id,
                                           period=nominee.period, name=nominee.name,
                                           unit=nominee.unit)
    except RecordError as exc:
        return ("error", exc.key)
    return (decision.outcome, decision.points,
            tuple((r.id, r.result, r.points) for r in decision.criteria))


def _order_difference(analysis: RuleAnalysis, fresh: CompiledRule,
                      batch: tuple[list[Facts], list[int]]) -> tuple[str, Signature, Signature] | None:
    facts, order = batch
    records = [_example("record", analysis, f, i + 1).record() for i, f in enumerate(facts)]
    first = {r["id"]: _judge_record(analysis, analysis.rule, r) for r in records}
    again = {records[i]["id"]: _judge_record(analysis, analysis.rule, records[i]) for i in order}
    rebuilt = {r["id"]: _judge_record(analysis, fresh, r) for r in records}
    for record in records:
        for other in (again, rebuilt):
            if other[record["id"]] != first[record["id"]]:
                return record["id"], first[record["id"]], other[record["id"]]
    return None


def _describe(signature: Signature) -> Bilingual:
    if signature[0] == "error":
        return both("check.value.error")
    return both(f"outcome.{signature[0]}", f" ({show(signature[1])})")


def deterministic(analysis: RuleAnalysis) -> list[PropertyResult]:
    """Judging the same nominees again, in another order or with the rule compiled
    again, changes no outcome."""
    fresh = without_deferral(compile_rule(analysis.rule.source))
    strategy = strategies.nominee_batches(analysis.inputs, hints=analysis.hints,
                                          near=analysis.near())
    found = analysis.context.find(strategy,
                                  lambda b: _order_difference(analysis, fresh, b) is not None,
                                  purpose=analysis.purpose("deterministic"))
    findings = []
    if found is not None:
        difference = _order_difference(analysis, fresh, found)
        assert difference is not None
        record, first, second = difference
        shown = tuple(_example("record", analysis, f, i + 1) for i, f in enumerate(found[0]))
        findings.append(Finding("deterministic", "check.deterministic.mismatch",
                                {"record": record, "first": _describe(first),
                                 "second": _describe(second)},
                                "generated", analysis.rule, None, shown))
    return [_result("deterministic", analysis, findings, [False])]


# --- hierarchy ------------------------------------------------------------------------

def _declaration(spec: InputSpec) -> str:
    if spec.type == "enum":
        return "enum {" + ", ".join(spec.values or ()) + "}"
    if spec.is_numeric:
        low = "-∞" if spec.min is None else show(spec.min)
        high = "+∞" if spec.max is None else show(spec.max)
        return f"{spec.type} {low}…{high}"
    return spec.type


def hierarchy(groups: Sequence[TitleGroup]) -> list[PropertyResult]:
    """Where a rule declares ``stricter_than``, whoever meets it meets each title named."""
    results: dict[str, PropertyResult] = {}
    checked: set[tuple[str, str]] = set()
    unmatched: dict[tuple[str, str], PropertyResult] = {}
    for group in groups:
        by_id = {a.rule.id: a for a in group.analyses}
        for higher in group.analyses:
            for lower_id in higher.model.stricter_than:
                lower = by_id.get(lower_id)
                if lower is None:
                    unmatched.setdefault((higher.label, lower_id), PropertyResult(
                        property="hierarchy", target=f"{higher.label} ⊒ {lower_id}",
                        path=higher.rule.source.path, status="skipped", method="exact",
                        note="check.hierarchy.not_loaded",
                        note_params={"lower": lower_id},
                        statement_params={"higher": title_of(higher.rule), "lower": lower_id}))
                    continue
                checked.add((higher.label, lower_id))
                target = f"{higher.label} ⊒ {lower.label}"
                if target not in results:
                    results[target] = _implies(higher, lower, group.period, target)
    extra = [r for key, r in unmatched.items() if key not in checked]
    return [*results.values(), *extra]


def _implies(higher: RuleAnalysis, lower: RuleAnalysis, period: int, target: str
             ) -> PropertyResult:
    statement = {"higher": title_of(higher.rule), "lower": title_of(lower.rule)}

    def result(findings: Sequence[Finding], exact: bool, note: str | None = None,
               inconclusive: bool = False) -> PropertyResult:
        status: Literal["pass", "fail", "inconclusive"] = (
            "fail" if findings else "inconclusive" if inconclusive else "pass")
        return PropertyResult(property="hierarchy", target=target, path=higher.rule.source.path,
                              status=status, method="exact" if exact else "generated",
                              findings=tuple(findings), note=note, note_params=statement,
                              statement_params=statement)

    if higher.model.subject != lower.model.subject:
        return result([Finding("hierarchy", "check.hierarchy.subject",
                               {"higher_subject": higher.model.subject,
                                "lower_subject": lower.model.subject},
                               "exact", higher.rule)], True)
    gate = requires_gate(higher.rule, lower.rule.id)
    if gate is not None:
        # the synthesised boolean is not free: it is the run's decision on the lower title
        return PropertyResult(property="hierarchy", target=target, path=higher.rule.source.path,
                              status="pass", method="construction",
                              note="check.hierarchy.by_requires",
                              note_params={**statement, "criterion": gate},
                              statement_params=statement)
    mismatched = [
        Finding("hierarchy", "check.hierarchy.input_mismatch",
                {"input": name, "higher_decl": _declaration(spec),
                 "lower_decl": _declaration(lower.inputs[name])}, "exact", higher.rule)
        for name, spec in higher.inputs.items()
        if name in lower.inputs and _declaration(spec) != _declaration(lower.inputs[name])]
    if mismatched:
        return result(mismatched, True)
    union = {**higher.inputs, **{n: s for n, s in lower.inputs.items() if n not in higher.inputs}}
    defaults = {**lower.defaults, **higher.defaults}

    def split(facts: Mapping[str, Any]) -> tuple[Facts, Facts]:
        full = {n: facts.get(n, defaults[n]) for n in union}
        return ({n: full[n] for n in higher.inputs}, {n: full[n] for n in lower.inputs})

    def violation(facts: Mapping[str, Any]) -> bool:
        upper, below = split(facts)
        return higher.meets(upper) and not lower.meets(below)

    exprs = [(c.expr, higher.params) for c in higher.rule.criteria]
    exprs += [(c.expr, lower.params) for c in lower.rule.criteria]
    found_regions = regions(union, exprs)
    counterexample: Mapping[str, Any] | None
    if found_regions is not None and found_regions.size <= EXACT_LIMIT:
        exact = True
        counterexample = next((a for a in found_regions.assignments() if violation(a)), None)
        inconclusive = False
    else:
        exact = False
        met = [0]

        def condition(facts: Facts) -> bool:
            upper, _ = split(facts)
            if higher.meets(upper):
                met[0] += 1
            return violation(facts)

        hints = higher.hints.merge(lower.hints)
        near = {**defaults, **higher.near()}
        counterexample = next((c for c in strategies.sweep(union, hints, near) if condition(c)),
                              None)
        if counterexample is None:
            counterexample = higher.context.find(
                strategies.facts(union, hints=hints, near=near), condition,
                purpose=f"{higher.purpose('hierarchy')}:{lower.label}")
        inconclusive = counterexample is None and not met[0]
    if counterexample is None:
        return result([], exact, "check.hierarchy.inconclusive" if inconclusive else None,
                      inconclusive)
    used = {n for a in (higher, lower) for c in a.rule.criteria for n in c.inputs}
    tied = sorted(related_derived(higher.rule, lower.rule) & used)
    if tied:
        # no nominee of the typed model is a counterexample only if the derived inputs
        # could take any values together, which they cannot
        return PropertyResult(property="hierarchy", target=target, path=higher.rule.source.path,
                              status="inconclusive", method="exact" if exact else "generated",
                              note="check.derived.related", note_params={"inputs": ", ".join(tied)},
                              statement_params=statement)
    upper, below = split(counterexample)
    decision = lower.judge(below)
    criterion = None
    if isinstance(decision, Decision):
        criterion = next((r.id for r in decision.criteria if r.result != "pass"), None)
    shown = (_example("higher", higher, upper, 1, period), _example("lower", lower, below, 1, period))
    finding = Finding("hierarchy", "check.hierarchy.violated", statement,
                      "exact" if exact else "generated", lower.rule, criterion, shown)
    return result([finding], exact)


# --- the registry ---------------------------------------------------------------------

def _property(name: str, applies_to: Literal["rule", "titles"],
              run: Callable[[Any], list[PropertyResult]]) -> Property:
    return Property(name=name, title_key=f"check.{name}.title",
                    statement_key=f"check.{name}.statement", applies_to=applies_to, run=run)


#: Every property, in the order they run and are reported.
PROPERTIES: tuple[Property, ...] = (
    _property("satisfiable", "rule", satisfiable),
    _property("monotone", "rule", monotone),
    _property("consistent", "rule", consistent),
    _property("exact-arithmetic", "rule", exact_arithmetic),
    _property("deterministic", "rule", deterministic),
    _property("hierarchy", "titles", hierarchy),
)


def property_names() -> tuple[str, ...]:
    return tuple(p.name for p in PROPERTIES)
