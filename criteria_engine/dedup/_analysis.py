"""Which criteria of different titles pick out the same nominees, decided exactly.

For every two rule files of *different* titles that are for the same subject and in
force at the same time, each criterion of one is compared with each criterion of
the other that reads a shared fact. Three questions go to the solver over the
facts' declared domains (types, ranges, enum values):

* is there a record meeting both?          (``both``)
* one meeting the left but not the right?  (``only_left``)
* one meeting the right but not the left?  (``only_right``)

A "yes" is never taken on the solver's word: its model becomes a nominee record
that the engine itself evaluates, and only a record the engine agrees with counts.
A "no" is a proof by z3; it is trusted for booleans, enums and linear integer/real
arithmetic (decision procedures that are complete there) and *not* for non-linear
arithmetic, where the pair is reported ``undecided`` instead. A timeout, or a model
that cannot be written as a finite decimal, is ``undecided`` too: never a guess.

From the three answers::

    both  only_left  only_right   relation
    no        ·          ·        disjoint
    yes      no         no        equivalent
    yes      no         yes       implies      (left ⇒ right)
    yes      yes        no        implied_by   (right ⇒ left)
    yes      yes        yes       overlaps

The same questions about the whole titles' pass conditions (every gate, and the
points reaching ``min_points``) say when one title adds nothing to another.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from difflib import SequenceMatcher
from fractions import Fraction
from typing import Any, Literal

import z3  # type: ignore[import-untyped]

from criteria_engine.check.context import related_derived, requires_gate
from criteria_engine.dedup._encode import Encoder, FactTable, real_value
from criteria_engine.errors import Location, RecordError, RuleFileError
from criteria_engine.evaluator import CompiledCriterion, CompiledRule, evaluate, without_deferral
from criteria_engine.library import effective_ranges, published_versions
from criteria_engine.messages import Bilingual, Language, message
from criteria_engine.nominees import coerce_fact
from criteria_engine.rules import InputSpec

__all__ = [
    "RELATIONS",
    "SOLVER_TIMEOUT_MS",
    "DedupReport",
    "Finding",
    "Note",
    "Relation",
    "Role",
    "Side",
    "Theory",
    "Witness",
    "find_overlaps",
    "wording_similarity",
]

#: Longest a single solver question may take before the pair is called undecided.
SOLVER_TIMEOUT_MS = 10_000
#: Decimal places tried when the solver's first model has a value such as 1/3.
WITNESS_DECIMAL_PLACES = (2, 4, 8)

Relation = Literal["equivalent", "implies", "implied_by", "overlaps", "undecided", "disjoint"]
#: Most serious first: the order of the report.
RELATIONS: tuple[Relation, ...] = (
    "equivalent", "implies", "implied_by", "overlaps", "undecided", "disjoint",
)
Role = Literal["both", "only_left", "only_right"]
ROLES: tuple[Role, ...] = ("both", "only_left", "only_right")
#: How a "no" was established: finite domains (booleans, enums), linear arithmetic, or
#: non-linear arithmetic (where a "no" is not trusted).
Theory = Literal["finite", "linear", "nonlinear"]


@dataclass(frozen=True, slots=True)
class Note:
    """A sentence from the message catalogue, rendered in the reader's language."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: Language = "vi") -> str:
        return message(self.key, lang, **self.params)


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a comparison: a criterion of a rule, or (criterion None) the whole title."""

    rule: CompiledRule
    criterion: CompiledCriterion | None = None
    index: int | None = None

    @property
    def label(self) -> str:
        return self.rule.id if self.criterion is None else f"{self.rule.id}.{self.criterion.criterion.id}"

    @property
    def where(self) -> Location:
        if self.index is None:
            return self.rule.source.where("id")
        return self.rule.source.where("criteria", self.index, "expr")

    def text(self, lang: Language = "vi") -> str:
        if self.criterion is None:
            model = self.rule.model
            return model.title_en if lang == "en" and model.title_en else model.title
        criterion = self.criterion.criterion
        return criterion.text_en if lang == "en" and criterion.text_en else criterion.text

    @property
    def input_names(self) -> tuple[str, ...]:
        if self.criterion is None:
            return tuple(self.rule.model.inputs)
        return self.criterion.inputs


@dataclass(frozen=True, slots=True)
class Witness:
    """A nominee record (the input format) showing one role, and what the engine said.

    ``left``/``right`` are the engine's results: ``pass``/``fail``/``error`` for a
    criterion, the outcome (``dat``/``khong_dat``) or ``error`` for a whole title.
    """

    role: Role
    record: dict[str, Any]
    left: str
    right: str


@dataclass(frozen=True, slots=True)
class Finding:
    """The relation between two sides, with its evidence.

    ``witnesses`` are records the engine confirmed; ``proved_absent`` the roles the
    solver proved impossible (in ``theory``); ``notes`` explain anything undecided.
    """

    left: Side
    right: Side
    relation: Relation
    witnesses: tuple[Witness, ...]
    proved_absent: tuple[Role, ...]
    theory: Theory
    notes: tuple[Note, ...]
    shared: tuple[str, ...]
    period: tuple[date, date | None]
    wording: float | None = None

    @property
    def severity(self) -> int:
        return RELATIONS.index(self.relation)

    def witness(self, role: Role) -> Witness | None:
        return next((w for w in self.witnesses if w.role == role), None)


@dataclass
class DedupReport:
    """Every comparison made, most serious first, and what was not compared."""

    rules: list[CompiledRule]
    findings: list[Finding]
    titles: list[Finding]
    unrelated: int
    solver: str

    def count(self, relation: Relation) -> int:
        return sum(1 for f in self.findings if f.relation == relation)


def wording_similarity(a: str, b: str) -> float:
    """How alike two criterion texts read (0–1): words compared after NFC and case folding,
    accents kept (``kỷ luật`` and ``ky luat`` differ). A hint only; the relation is the fact.

    >>> wording_similarity("Không bị kỷ luật trong năm", "không bị kỷ luật trong năm xét")
    0.92
    """
    return round(SequenceMatcher(None, _words(a), _words(b), autojunk=False).ratio(), 2)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold())


# --- the vocabulary of facts ------------------------------------------------------------


class _Vocabulary:
    """Input names that denote one fact: equal names, joined by ``same_as`` declarations."""

    def __init__(self, rules: Sequence[CompiledRule]) -> None:
        self.parent: dict[str, str] = {}
        calls: dict[str, str] = {}
        for rule in rules:
            for name, spec in rule.model.inputs.items():
                self.find(name)
                if spec.same_as:
                    self.union(name, spec.same_as)
            # inputs derived by the same context call are one fact, whatever their names
            for name, derivation in sorted(rule.derived.items()):
                self.union(name, calls.setdefault(derivation.text, name))

    def find(self, name: str) -> str:
        self.parent.setdefault(name, name)
        root = name
        while self.parent[root] != root:
            root = self.parent[root]
        self.parent[name] = root
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = sorted((ra, rb))
            self.parent[high] = low


def _describe(spec: InputSpec) -> str:
    if spec.type == "enum":
        return "enum {" + ", ".join(sorted(spec.values or ())) + "}"
    if spec.min is None and spec.max is None:
        return spec.type
    low = "-∞" if spec.min is None else spec.min
    high = "+∞" if spec.max is None else spec.max
    return f"{spec.type} [{low}, {high}]"


def _compatible(a: InputSpec, b: InputSpec) -> bool:
    if a.type != b.type or set(a.values or ()) != set(b.values or ()):
        return False
    low = max((v for v in (a.min, b.min) if v is not None), default=None)
    high = min((v for v in (a.max, b.max) if v is not None), default=None)
    return low is None or high is None or low <= high


def _vocabulary_problems(rules: Sequence[CompiledRule], pairs: Sequence[tuple[CompiledRule, CompiledRule]],
                         vocabulary: _Vocabulary) -> list[RuleFileError]:
    problems: list[RuleFileError] = []
    for rule in rules:
        seen: dict[str, str] = {}
        for name in rule.model.inputs:
            fact = vocabulary.find(name)
            if fact in seen:
                problems.append(RuleFileError("dedup.same_fact_twice", rule.source.where("inputs", name),
                                              name=name, other=seen[fact]))
            seen.setdefault(fact, name)
    for left, right in pairs:
        theirs = {vocabulary.find(n): (n, s) for n, s in right.model.inputs.items()}
        for name, spec in left.model.inputs.items():
            match = theirs.get(vocabulary.find(name))
            if match is None or _compatible(spec, match[1]):
                continue
            other_name, other_spec = match
            other = right.source.where("inputs", other_name)
            problems.append(RuleFileError(
                "dedup.fact_conflict", left.source.where("inputs", name), name=name,
                declared=_describe(spec), other_name=other_name, other_declared=_describe(other_spec),
                other=f"{other.path}:{other.line}" if other.line else str(other.path)))
    return problems


# --- which pairs are compared -----------------------------------------------------------


Span = tuple[date, date | None]


def _overlap(a: Span, b: Span) -> Span | None:
    """The dates both spans share, or None if they never meet."""
    start = max(a[0], b[0])
    ends = [d for d in (a[1], b[1]) if d is not None]
    end = min(ends) if ends else None
    if end is not None and end < start:
        return None
    return start, end


def _spans(rules: Sequence[CompiledRule]) -> dict[tuple[str, str], Span]:
    """Each version that can be chosen by period, with its dates in force (a later
    version's start ends it; drafts and superseded versions are never in force), as
    :meth:`RuleLibrary.in_force` chooses them."""
    by_id: dict[str, list[CompiledRule]] = {}
    for rule in rules:
        by_id.setdefault(rule.id, []).append(rule)
    spans: dict[tuple[str, str], Span] = {}
    for versions in by_id.values():
        ranges = effective_ranges(versions)
        for rule in published_versions(versions):
            spans[(rule.id, rule.version)] = ranges[rule.version]
    return spans


def _pairs(rules: Sequence[CompiledRule]) -> list[tuple[CompiledRule, CompiledRule]]:
    spans = _spans(rules)
    ordered = sorted((r for r in rules if (r.id, r.version) in spans),
                     key=lambda r: (r.id, r.model.effective.from_, r.version))
    return [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]
            if a.id != b.id and a.model.subject == b.model.subject
            and _overlap(spans[(a.id, a.version)], spans[(b.id, b.version)])]


# --- the solver questions ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Answer:
    status: Literal["yes", "no", "unknown"]
    witness: Witness | None = None
    note: Note | None = None
    #: A "no" that holds by how the rules are built (a requires gate), not a solver proof.
    constructed: bool = False


class _Comparison:
    """One comparison of two sides: encodes both, asks the three questions, checks witnesses."""

    def __init__(self, left: Side, right: Side, vocabulary: _Vocabulary,
                 period: tuple[date, date | None], timeout_ms: int) -> None:
        self.left = left
        self.right = right
        self.vocabulary = vocabulary
        self.period = period
        self.facts = FactTable()
        encoders = [self._encoder(side) for side in (left, right)]
        self.left_meets = self._meets(left, encoders[0])
        self.right_meets = self._meets(right, encoders[1])
        self.nonlinear = any(e.nonlinear for e in encoders)
        self.solver = z3.Solver()
        self.solver.set("timeout", timeout_ms)
        self.solver.add(*self.facts.domain())
        self.solver.add(*self._member_bounds())
        key = f"{left.label}@{left.rule.version}~{right.label}@{right.rule.version}"
        self.record_id = "dedup-" + hashlib.sha256(key.encode()).hexdigest()[:10]

    def _encoder(self, side: Side) -> Encoder:
        model = side.rule.model
        for name in side.input_names:
            self.facts.declare(self.vocabulary.find(name), model.inputs[name])
        return Encoder(self.facts, canon=self.vocabulary.find, inputs=model.inputs,
                       params={n: p.value for n, p in model.params.items()})

    @staticmethod
    def _meets(side: Side, encoder: Encoder) -> Any:
        if side.criterion is not None:
            return encoder.meets(side.criterion.expr)
        rule = side.rule
        defined: list[Any] = []
        gates: list[Any] = []
        points: list[Any] = []
        for compiled in rule.criteria:
            is_defined, value = encoder.defined_and_value(compiled.expr)
            defined.append(is_defined)
            criterion = compiled.criterion
            if criterion.gate:
                gates.append(value)
            elif criterion.points:
                points.append(z3.If(value, real_value(Fraction(criterion.points)), real_value(Fraction(0))))
        minimum = rule.model.decision.min_points
        if minimum > 0:
            gates.append(z3.Sum(*points) >= real_value(Fraction(minimum)) if points else z3.BoolVal(False))
        return z3.And(*defined, *gates)

    @property
    def theory(self) -> Theory:
        if self.nonlinear:
            return "nonlinear"
        numeric = any(f.kind in ("integer", "decimal") for f in self.facts.facts.values())
        return "linear" if numeric else "finite"

    def _member_bounds(self) -> list[Any]:
        """A collective's roll-ups are not free of each other: no more members hold a
        title, or are disciplined, than it has members (linear, so proofs stay exact)."""
        by_call: dict[str, Any] = {}
        for side in (self.left, self.right):
            for name in side.input_names:
                derivation = side.rule.derived.get(name)
                fact = self.facts.facts.get(self.vocabulary.find(name))
                if derivation is not None and derivation.family == "members" and fact is not None:
                    by_call[derivation.text] = fact
        count = by_call.pop("member_count()", None)
        if count is None:
            return []
        return [fact.numeric <= count.numeric for text, fact in sorted(by_call.items())
                if text.startswith(("members_with(", "members_disciplined("))]

    def _by_construction(self, role: Role) -> _Answer | None:
        """For whole titles: a title whose gate reads the other's same-period decision
        (``requires``) can never be met without it; the solver, which sees that gate as a
        free boolean, would say otherwise."""
        if role == "both" or self.left.criterion is not None or self.right.criterion is not None:
            return None
        side, other = (self.left, self.right) if role == "only_left" else (self.right, self.left)
        gate = requires_gate(side.rule, other.rule.id)
        if gate is None:
            return None
        return _Answer("no", note=Note("dedup.note.requires", {
            "role": _role_text(role), "side": side.label, "criterion": gate,
            "other": other.label}), constructed=True)

    def _tied(self) -> str | None:
        """The derived inputs by which the two sides are tied to each other, if any: a call
        of one side and a different call of the other about the same title (or a share of
        the same members). The solver treats them as free, so a witness may be one no
        history gives. Ties within one rule are read as the rule writes them."""
        reads: list[dict[str, dict[str, str]]] = []     # per side: what is read -> call -> input
        for side in (self.left, self.right):
            found: dict[str, dict[str, str]] = {}
            related = related_derived(side.rule, self.right.rule if side is self.left
                                      else self.left.rule, counts_bounded=True)
            for name in side.input_names:
                derivation = side.rule.derived.get(name)
                if derivation is None or name not in related:
                    continue
                keys = (["members"] if derivation.family == "members"
                        else [f"title:{title}" for title in derivation.titles])
                for key in keys:
                    found.setdefault(key, {})[derivation.text] = name
            reads.append(found)
        names: set[str] = set()
        for key in reads[0].keys() & reads[1].keys():
            left, right = reads[0][key], reads[1][key]
            if set(left) != set(right) or len(left) > 1:
                names |= set(left.values()) | set(right.values())
        return ", ".join(sorted(names)) if names else None

    def ask(self, role: Role) -> _Answer:
        constructed = self._by_construction(role)
        if constructed is not None:
            return constructed
        formula = {
            "both": z3.And(self.left_meets, self.right_meets),
            "only_left": z3.And(self.left_meets, z3.Not(self.right_meets)),
            "only_right": z3.And(z3.Not(self.left_meets), self.right_meets),
        }[role]
        self.solver.push()
        try:
            self.solver.add(formula)
            result = self.solver.check()
            if result == z3.unsat:
                if self.nonlinear:
                    return _Answer("unknown", note=Note("dedup.note.nonlinear", {"role": _role_text(role)}))
                return _Answer("no")
            if result != z3.sat:
                return _Answer("unknown", note=Note("dedup.note.solver_unknown",
                                                    {"reason": self.solver.reason_unknown()}))
            values = self._decode(self.solver.model())
            if values is None:
                values = self._decimal_model()
            if values is None:
                return _Answer("unknown", note=Note("dedup.note.no_decimal", {"role": _role_text(role)}))
            return self._confirm(role, values)
        finally:
            self.solver.pop()

    def _decode(self, model: Any) -> dict[str, Any] | None:
        """The model as fact values the engine accepts, or None if one is not a finite decimal."""
        values: dict[str, Any] = {}
        for name, fact in self.facts.facts.items():
            value = model.eval(fact.var, model_completion=True)
            match fact.kind:
                case "boolean":
                    values[name] = z3.is_true(value)
                case "enum":
                    values[name] = fact.values[value.as_long()]
                case "integer":
                    values[name] = Decimal(value.as_long())
                case _:
                    if not z3.is_rational_value(value):
                        return None
                    exact = _finite_decimal(value.as_fraction())
                    if exact is None:
                        return None
                    values[name] = exact
        return values

    def _decimal_model(self) -> dict[str, Any] | None:
        """Look again for a model whose decimal facts have few decimal places."""
        decimals = [f for f in self.facts.facts.values() if f.kind == "decimal"]
        for places in WITNESS_DECIMAL_PLACES:
            self.solver.push()
            try:
                for fact in decimals:
                    self.solver.add(fact.var * (10 ** places) == z3.ToReal(z3.Int(f"__grid_{fact.name}")))
                if self.solver.check() == z3.sat:
                    values = self._decode(self.solver.model())
                    if values is not None:
                        return values
            finally:
                self.solver.pop()
        return None

    def _confirm(self, role: Role, values: Mapping[str, Any]) -> _Answer:
        tied = self._tied()
        if tied is not None:
            return _Answer("unknown", note=Note("dedup.note.related",
                                                {"role": _role_text(role), "inputs": tied}))
        record = self._record(role, values)
        left = self._engine(self.left, values)
        right = self._engine(self.right, values)
        expected = {"both": (True, True), "only_left": (True, False), "only_right": (False, True)}[role]
        if (_met(left), _met(right)) != expected:
            return _Answer("unknown", note=Note("dedup.note.engine_disagrees",
                                                {"role": _role_text(role), "left": left,
                                                 "right": right}))
        return _Answer("yes", witness=Witness(role, record, left, right))

    def _record(self, role: Role, values: Mapping[str, Any]) -> dict[str, Any]:
        facts: dict[str, Any] = {}
        for side in (self.left, self.right):
            for name in side.input_names:
                facts.setdefault(name, _plain(values[self.vocabulary.find(name)],
                                              side.rule.model.inputs[name]))
        return {"id": f"{self.record_id}-{role.replace('_', '-')}",
                "name": message("dedup.witness.name", "vi"),
                "subject": self.left.rule.model.subject,
                "period": self.period[0].year, "facts": facts}

    def _engine(self, side: Side, values: Mapping[str, Any]) -> str:
        """What the engine says about ``side`` for these facts (other inputs missing)."""
        rule = side.rule
        facts: dict[str, Any] = dict.fromkeys(rule.model.inputs)
        try:
            for name in side.input_names:
                facts[name] = coerce_fact(rule.model.inputs[name], values[self.vocabulary.find(name)])
        except RecordError:
            return "invalid"
        try:
            decision = evaluate(rule, facts, nominee_id="dedup", period=self.period[0].year)
        except RecordError as exc:
            if side.criterion is None or exc.where.field == side.criterion.criterion.id:
                return "error"
            return _alone(side.criterion, facts)
        if side.criterion is None:
            return decision.outcome
        wanted = side.criterion.criterion.id
        return next(r.result for r in decision.criteria if r.id == wanted)

    def run(self, *, wording: float | None) -> Finding:
        answers = {role: self.ask(role) for role in ROLES}
        relation = _relation(answers)
        notes = [a.note for a in answers.values() if a.note is not None]
        if answers["both"].status == "no":
            if answers["only_left"].status == "no":
                notes.append(Note("dedup.note.never_met", {"side": self.left.label}))
            if answers["only_right"].status == "no":
                notes.append(Note("dedup.note.never_met", {"side": self.right.label}))
        shared = sorted({self.vocabulary.find(n) for n in self.left.input_names}
                        & {self.vocabulary.find(n) for n in self.right.input_names})
        return Finding(
            left=self.left, right=self.right, relation=relation,
            witnesses=tuple(a.witness for a in answers.values() if a.witness is not None),
            proved_absent=tuple(r for r in ROLES
                                if answers[r].status == "no" and not answers[r].constructed),
            theory=self.theory, notes=tuple(notes), shared=tuple(shared), period=self.period,
            wording=wording)


def _relation(answers: Mapping[Role, _Answer]) -> Relation:
    both, left, right = (answers[r].status for r in ROLES)
    if both == "no":
        return "disjoint"
    if "unknown" in (both, left, right):
        return "undecided"
    table: dict[tuple[str, str], Relation] = {
        ("no", "no"): "equivalent", ("no", "yes"): "implies",
        ("yes", "no"): "implied_by", ("yes", "yes"): "overlaps",
    }
    return table[(left, right)]


def _role_text(role: Role) -> Bilingual:
    return Bilingual({lang: message(f"dedup.meets.{role}", lang) for lang in ("vi", "en")})


def _met(result: str) -> bool:
    return result in ("pass", "dat")


def _alone(compiled: CompiledCriterion, facts: Mapping[str, Any]) -> str:
    """One criterion through the engine's compiler, when another criterion of its rule
    cannot be computed from the witness's facts."""
    try:
        return "pass" if compiled.function(facts) else "fail"
    except ArithmeticError:
        return "error"


def _finite_decimal(value: Fraction) -> Decimal | None:
    """``value`` as an exact Decimal, or None when its decimal expansion does not end."""
    rest, places = value.denominator, 0
    for prime in (2, 5):
        count = 0
        while rest % prime == 0:
            rest //= prime
            count += 1
        places = max(places, count)
    if rest != 1:
        return None
    scaled = value * 10 ** places
    return Decimal(f"{scaled.numerator}E-{places}") if places else Decimal(scaled.numerator)


def _plain(value: Any, spec: InputSpec) -> Any:
    """A fact value as it is written in a nominee record (whole numbers without '.0')."""
    if isinstance(value, Decimal) and spec.is_numeric:
        return int(value) if value == value.to_integral_value() else value.normalize()
    return value


# --- the whole comparison ---------------------------------------------------------------


def find_overlaps(rules: Sequence[CompiledRule], *,
                  timeout_ms: int = SOLVER_TIMEOUT_MS) -> DedupReport:
    """Compare the criteria (and pass conditions) of every two titles in force together.

    Raises :class:`RuleFileError` when two compared files declare one fact differently
    (type, enum values, or ranges that do not meet), naming both files and lines.

    >>> from pathlib import Path
    >>> from criteria_engine import RuleLibrary
    >>> report = find_overlaps(RuleLibrary.load([Path("criteria")]).all())  # doctest: +SKIP
    >>> report.findings[0].relation                                         # doctest: +SKIP
    'equivalent'
    """
    # what a title requires, not when it is judged: deferral conditions are left out
    rules = [without_deferral(rule) for rule in rules]
    pairs = _pairs(rules)
    spans = _spans(rules)
    vocabulary = _Vocabulary(rules)
    problems = _vocabulary_problems(rules, pairs, vocabulary)
    if problems:
        first, *rest = problems
        first.more = list(rest)
        raise first
    findings: list[Finding] = []
    titles: list[Finding] = []
    unrelated = 0
    for left_rule, right_rule in pairs:
        period = _overlap(spans[(left_rule.id, left_rule.version)],
                          spans[(right_rule.id, right_rule.version)])
        assert period is not None
        left_title, right_title = Side(left_rule), Side(right_rule)
        if _shared(left_title, right_title, vocabulary):
            titles.append(_Comparison(left_title, right_title, vocabulary, period,
                                      timeout_ms).run(wording=None))
        for left, right in _criterion_pairs(left_rule, right_rule):
            if not _shared(left, right, vocabulary):
                unrelated += 1
                continue
            assert left.criterion is not None and right.criterion is not None
            similarity = wording_similarity(left.criterion.criterion.text,
                                            right.criterion.criterion.text)
            findings.append(_Comparison(left, right, vocabulary, period,
                                        timeout_ms).run(wording=similarity))
    order = {rule.id: index for index, rule in enumerate(sorted(rules, key=lambda r: r.id))}

    def key(finding: Finding) -> tuple[int, int, int, int, int]:
        return (finding.severity, order[finding.left.rule.id], order[finding.right.rule.id],
                finding.left.index or 0, finding.right.index or 0)

    return DedupReport(rules=list(rules), findings=sorted(findings, key=key),
                       titles=sorted(titles, key=key), unrelated=unrelated,
                       solver=f"z3 {z3.get_version_string()}")


def _criterion_pairs(left: CompiledRule, right: CompiledRule) -> Iterator[tuple[Side, Side]]:
    for i, a in enumerate(left.criteria):
        for j, b in enumerate(right.criteria):
            yield Side(left, a, i), Side(right, b, j)


def _shared(left: Side, right: Side, vocabulary: _Vocabulary) -> bool:
    mine = {vocabulary.find(n) for n in left.input_names}
    return any(vocabulary.find(n) in mine for n in right.input_names)

