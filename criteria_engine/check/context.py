"""Shared machinery of the properties: seeded searches, and what is known about a rule.

Every hypothesis search goes through :meth:`CheckContext.find`, with a settings object
built from ``--max-examples`` and a :class:`random.Random` seeded from ``--seed`` and
the search's purpose: the same seed gives the same counterexamples whatever else is
checked in the run, and nothing is read from or written to a hypothesis database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from random import Random
from typing import Any, Protocol, TypeVar

from hypothesis import HealthCheck, Phase, Verbosity, find, settings, target
from hypothesis.errors import NoSuchExample, Unsatisfiable
from hypothesis.strategies import SearchStrategy

from criteria_engine import strategies
from criteria_engine.check.exact import EXACT_LIMIT, Regions, regions, representatives
from criteria_engine.errors import RecordError
from criteria_engine.evaluator import CompiledRule, Decision, evaluate, without_deferral
from criteria_engine.expressions import BoolOp, Expr, Name

__all__ = ["CheckContext", "Engine", "RuleAnalysis", "related_derived", "requires_gate"]

T = TypeVar("T")
Facts = dict[str, Any]


class Engine(Protocol):
    """The evaluator's signature; tests substitute faulty engines to see properties fail."""

    def __call__(self, rule: CompiledRule, facts: Mapping[str, Any], *, nominee_id: str,
                 period: int, name: str | None = None, unit: str | None = None) -> Decision: ...


@dataclass(frozen=True)
class CheckContext:
    """Options of one run: seed, examples per search, and the engine under test."""

    seed: int = 0
    max_examples: int = 100
    engine: Engine = evaluate

    def random(self, purpose: str) -> Random:
        digest = hashlib.sha256(f"{self.seed}:{purpose}".encode()).digest()
        return Random(int.from_bytes(digest[:8], "big"))

    def settings(self) -> settings:
        return settings(
            parent=settings.get_profile("default"), max_examples=self.max_examples,
            database=None, deadline=None, derandomize=False, print_blob=False,
            verbosity=Verbosity.quiet, phases=(Phase.generate, Phase.target, Phase.shrink),
            suppress_health_check=list(HealthCheck),
        )

    def find(self, strategy: SearchStrategy[T], condition: Callable[[T], bool], *,
             purpose: str) -> T | None:
        """The simplest value satisfying ``condition`` (shrunk), or None if none was found."""
        try:
            return find(strategy, condition, settings=self.settings(),
                        random=self.random(purpose))
        except (NoSuchExample, Unsatisfiable):
            return None


def related_derived(*rules: CompiledRule, counts_bounded: bool = False) -> frozenset[str]:
    """The derived inputs of ``rules`` (taken together) that are not independent of each
    other: two history calls about one title (``consecutive("t")`` is never more than
    ``count_in("t")``), or two roll-ups of a collective's members.

    ``counts_bounded``: the caller already bounds each member count by ``member_count()``
    (as ``tdkt dedup`` does), so member roll-ups are tied only through a share."""
    calls: dict[str, set[str]] = {}          # what a call reads -> the distinct calls
    names: dict[str, set[str]] = {}          # a call -> the inputs it fills
    for rule in rules:
        for name, derivation in rule.derived.items():
            names.setdefault(derivation.text, set()).add(name)
            reads = (["members"] if derivation.family == "members"
                     else [f"title:{title}" for title in derivation.titles])
            for key in reads:
                calls.setdefault(key, set()).add(derivation.text)
    if counts_bounded and not any(t.startswith("share_of_members(")
                                  for t in calls.get("members", ())):
        calls.pop("members", None)
    return frozenset(name for texts in calls.values() if len(texts) > 1
                     for text in texts for name in names[text])


def _conjuncts(expr: Expr) -> Iterable[Expr]:
    if isinstance(expr, BoolOp) and expr.op == "and":
        for operand in expr.operands:
            yield from _conjuncts(operand)
    else:
        yield expr


def requires_gate(rule: CompiledRule, title: str) -> str | None:
    """The id of a gate of ``rule`` that holds only when the same subject reached ``title``
    in the same period (``requires: [title]``, or a gate ``held("title", period=0) and
    …``), or None. Such a rule implies ``title`` by construction: a run judges ``title``
    first and the gate reads that decision (:mod:`criteria_engine.derived`)."""
    for compiled in rule.criteria:
        if not compiled.criterion.gate:
            continue
        for part in _conjuncts(compiled.expr):
            if not (isinstance(part, Name) and part.role == "input"):
                continue
            derivation = rule.derived.get(part.name)
            if (derivation is not None and derivation.function == "held"
                    and derivation.titles == (title,) and derivation.option("period", -1) == 0):
                return compiled.criterion.id
    return None


class RuleAnalysis:
    """One compiled rule as the properties see it, with searches cached between them."""

    def __init__(self, rule: CompiledRule, context: CheckContext) -> None:
        # the properties are about what the title requires: deferral conditions (when to
        # judge, NĐ 152/2025 Điều 4 k4) are left out, so hoan_xet never reaches them
        self.rule = without_deferral(rule)
        self.context = context
        self.model = rule.model
        self.inputs = rule.model.inputs
        self.params = {name: param.value for name, param in rule.model.params.items()}
        self.period = rule.model.effective.from_.year
        self.hints = strategies.hints(rule)
        self.defaults: Facts = {n: representatives(spec)[0] for n, spec in self.inputs.items()}
        self._functions = [c.function for c in rule.criteria]
        self._witnesses: dict[tuple[int, bool], tuple[Facts | None, bool]] = {}
        self._dat: tuple[Facts | None, bool] | None = None
        declared = getattr(rule.source.tree, "get", lambda _key: None)("inputs") or {}
        #: Derived inputs the engine made from context calls and ``requires`` (not
        #: declared in the file): their typed model is the engine's, so nothing about them
        #: (a ``better`` direction, for one) was said by the rule's author.
        self.synthesised = frozenset(name for name in rule.derived if name not in declared)
        #: Derived inputs whose values are tied to another derived input of the rule (two
        #: calls about the same title, or two roll-ups of the same members): the typed model
        #: treats them as free, so a combination it finds may be one no history gives.
        self.related = related_derived(rule)

    @property
    def label(self) -> str:
        return f"{self.rule.id} {self.rule.version}"

    def purpose(self, *what: object) -> str:
        return ":".join([self.rule.id, self.rule.version, *map(str, what)])

    def complete(self, partial: Mapping[str, Any]) -> Facts:
        """``partial`` with every other declared input at its default value."""
        return {name: partial.get(name, self.defaults[name]) for name in self.inputs}

    def judge(self, facts: Mapping[str, Any], number: int = 1) -> Decision | RecordError:
        try:
            return self.context.engine(self.rule, facts, nominee_id=f"VD-{number:04d}",
                                       period=self.period)
        except RecordError as exc:
            return exc

    def meets(self, facts: Mapping[str, Any]) -> bool:
        decision = self.judge(facts)
        return isinstance(decision, Decision) and decision.outcome == "dat"

    def criterion(self, index: int, facts: Mapping[str, Any]) -> bool | None:
        """One criterion on complete facts through the engine's compiler (None: undefined)."""
        try:
            return bool(self._functions[index](facts))
        except ArithmeticError:
            return None

    def regions(self, index: int | None = None) -> Regions | None:
        """Exact representatives for one criterion (or the whole rule), if decidable."""
        criteria = self.rule.criteria if index is None else (self.rule.criteria[index],)
        found = regions(self.inputs, [(c.expr, self.params) for c in criteria])
        return found if found is not None and found.size <= EXACT_LIMIT else None

    def criterion_witness(self, index: int, want: bool) -> tuple[Facts | None, bool]:
        """Facts on which criterion ``index`` gives ``want``, and whether the answer is exact
        (when exact and None, no nominee in the declared ranges does)."""
        key = (index, want)
        if key not in self._witnesses:
            self._witnesses[key] = self._search_criterion(index, want)
        return self._witnesses[key]

    def _search_criterion(self, index: int, want: bool) -> tuple[Facts | None, bool]:
        exact = self.regions(index)
        if exact is not None:
            for assignment in exact.assignments():
                facts = self.complete(assignment)
                if self.criterion(index, facts) is want:
                    return facts, True
            return None, True
        used = {n: self.inputs[n] for n in self.rule.criteria[index].inputs}
        swept = next((f for f in map(self.complete, strategies.sweep(used, self.hints, {}))
                      if self.criterion(index, f) is want), None)
        if swept is not None:
            return swept, False
        strategy = strategies.facts(used, hints=self.hints).map(self.complete)
        found = self.context.find(strategy, lambda f: self.criterion(index, f) is want,
                                  purpose=self.purpose("criterion", index, want))
        return found, False

    def dat_witness(self) -> tuple[Facts | None, bool]:
        """A nominee meeting the title, and whether the answer is exact."""
        if self._dat is None:
            self._dat = self._search_dat()
        return self._dat

    def _search_dat(self) -> tuple[Facts | None, bool]:
        if self.model.max_points < self.model.decision.min_points:
            return None, True
        exact = self.regions()
        if exact is not None:
            for assignment in exact.assignments():
                facts = self.complete(assignment)
                if self.meets(facts):
                    return facts, True
            return None, True
        candidate = self.merged_witness()
        swept = next((f for f in (candidate, *strategies.sweep(self.inputs, self.hints, candidate))
                      if self.meets(f)), None)
        if swept is not None:
            return swept, False
        strategy = strategies.facts(self.inputs, hints=self.hints, near=candidate)
        return self.context.find(strategy, self._towards_dat, purpose=self.purpose("dat")), False

    def merged_witness(self) -> Facts:
        """Each criterion's passing nominee, merged (gates first, then the heaviest points):
        usually a nominee who passes everything, found without a blind search."""
        order = sorted(range(len(self.rule.criteria)), key=lambda i: (
            not self.rule.criteria[i].criterion.gate,
            -(self.rule.criteria[i].criterion.points or 0), i))
        merged: Facts = {}
        for index in order:
            facts, _ = self.criterion_witness(index, True)
            if facts is None:
                continue
            for name in self.rule.criteria[index].inputs:
                merged.setdefault(name, facts[name])
        return self.complete(merged)

    def _towards_dat(self, facts: Facts) -> bool:
        decision = self.judge(facts)
        if not isinstance(decision, Decision):
            return False
        passed = sum(1 for r in decision.criteria if r.gate and r.result == "pass")
        maximum = self.model.max_points or 1
        target(passed + float(decision.points / maximum), label="progress towards dat")
        return decision.outcome == "dat"

    def near(self) -> Facts:
        """A nominee to generate around: one meeting the title, else the merged witness."""
        facts, _ = self.dat_witness()
        return facts if facts is not None else self.merged_witness()
