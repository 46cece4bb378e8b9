"""How fast tdkt judges a nominee, against two baselines measured in the same run.

Run on demand (not part of the tests), from the repository root::

    .venv/bin/python benchmarks/bench_evaluate.py [--nominees N] [--repeat R] [--seed S] [--gc]

The same seeded nominees (about 5 % of facts missing) are judged by the 15-criterion
rule ``benchmarks/rules/bench-15/2024.1.yaml`` three ways:

* **hand-written** – a plain Python function coding the same rule by hand;
* **tdkt** – :func:`criteria_engine.evaluator.evaluate`, which also builds the full
  explanation (a ``CriterionResult`` per criterion);
* **simpleeval** – ``simpleeval`` with every expression parsed once and evaluated with
  ``previously_parsed=``; names are the facts plus the params.

A fourth run, **tdkt bind + evaluate**, starts from each nominee's facts as a record
carries them (ints, decimals, booleans, texts; ``null`` where missing) and binds them
with the rule's compiled binder before evaluating, as ``tdkt evaluate`` does; its ratio
to ``evaluate()`` alone is the cost of binding (target ≤ 2×). The binder must give
exactly what ``bind_facts`` gives on every nominee, or the script stops.

All three must agree on every nominee's outcome, points and per-criterion results,
or the script stops with exit code 1 before timing anything. Otherwise it prints a
table, whether the targets are met (tdkt within 3× of hand-written; at least 10×
faster than simpleeval; bind + evaluate within 2× of evaluate alone) and, last, one JSON
line; the exit code is 0 either way.
"""

from __future__ import annotations

import argparse
import ast
import decimal
import gc
import json
import os
import platform
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from simpleeval import EvalWithCompoundTypes

from criteria_engine.errors import Location
from criteria_engine.evaluator import CompiledRule, evaluate
from criteria_engine.expressions import DECIMAL_CONTEXT
from criteria_engine.library import load_rule
from criteria_engine.nominees import Nominee, bind_facts, coerce_fact

RULE_PATH = Path(__file__).resolve().parent / "rules" / "bench-15" / "2024.1.yaml"
DEFAULT_NOMINEES = 20_000
DEFAULT_REPEAT = 5
DEFAULT_SEED = 20240101
#: Chance that any one fact of a nominee is missing (``None``).
MISSING_RATE = 0.05
PERIOD = 2024
#: tdkt may be at most this many times slower than the hand-written function.
TARGET_OVER_HAND = 3.0
#: simpleeval must be at least this many times slower than tdkt.
TARGET_SIMPLEEVAL_OVER_TDKT = 10.0
#: Binding a record's facts and evaluating may cost at most this many times evaluating.
TARGET_BIND_OVER_EVALUATE = 2.0

Facts = Mapping[str, Any]
Nominees = list[tuple[str, dict[str, Any]]]
_ZERO = Decimal(0)


class Verdict(NamedTuple):
    """What every implementation must agree on for one nominee."""

    results: tuple[str, ...]
    points: Decimal
    outcome: str


# --- nominees ----------------------------------------------------------------------------


def _tenths(rng: random.Random, low: int, high: int) -> Decimal:
    """A decimal with one digit after the point, between ``low/10`` and ``high/10``."""
    return Decimal(rng.randint(low, high)).scaleb(-1)


def raw_facts(rng: random.Random) -> dict[str, Any]:
    """One nominee's facts as a record would carry them (ints, decimals, bools, strings)."""
    assigned = 0 if rng.random() < 0.02 else rng.randint(5, 40)
    working = rng.randint(240, 260)
    return {
        "rating": rng.choices(
            ["hoan_thanh_xuat_sac", "hoan_thanh_tot", "hoan_thanh", "khong_hoan_thanh"],
            weights=[30, 52, 13, 5],
        )[0],
        "contract_type": rng.choices(["bien_che", "hop_dong", "thu_viec"], weights=[60, 35, 5])[0],
        "disciplined": rng.random() < 0.04,
        "administrative_sanction": rng.random() < 0.04,
        "tasks_assigned": assigned,
        "tasks_completed": max(0, assigned - rng.choice([0, 0, 0, 0, 0, 1, 1, 2, 5])),
        "working_days": working,
        "attendance_days": working - rng.randint(0, 20),
        "kpi_score": _tenths(rng, 700, 1000),
        "peer_score": _tenths(rng, 50, 100),
        "manager_score": _tenths(rng, 50, 100),
        "training_hours": _tenths(rng, 0, 1200),
        "initiatives": rng.choice([0, 0, 0, 1, 2]),
        "research_accepted": rng.random() < 0.2,
        "complaints": rng.choice([0, 0, 0, 0, 0, 0, 1, 1, 2, 3]),
        "years_of_service": rng.randint(0, 30),
        "overtime_hours": _tenths(rng, 0, 1000),
    }


def make_nominees(rule: CompiledRule, count: int, *, seed: int) -> Nominees:
    """``count`` nominees with facts bound as tdkt binds them (numbers become Decimal)."""
    return [(nominee_id, {name: coerce_fact(spec, raw[name])
                          for name, spec in rule.model.inputs.items()})
            for nominee_id, raw in make_records(rule, count, seed=seed)]


def make_records(rule: CompiledRule, count: int, *, seed: int) -> Nominees:
    """The same nominees' facts as records carry them, before binding (``None`` = null)."""
    rng = random.Random(seed)
    inputs = rule.model.inputs
    records: Nominees = []
    for number in range(count):
        raw = raw_facts(rng)
        if set(raw) != set(inputs):
            raise SystemExit(f"generated facts do not match the inputs of {RULE_PATH}")
        facts = {name: None if rng.random() < MISSING_RATE else raw[name] for name in inputs}
        records.append((f"NV{number:06d}", facts))
    return records


def check_binding(rule: CompiledRule, nominees: Nominees, records: Nominees) -> None:
    """The compiled binder gives exactly what ``bind_facts`` gives, or exit 1."""
    for (nominee_id, facts), (_, raw) in zip(nominees, records, strict=True):
        nominee = Nominee(id=nominee_id, name="-", subject=rule.model.subject, period=PERIOD,
                          facts=raw)
        reference = bind_facts(rule.model, nominee, Location(record=nominee_id))
        bound = rule.binder(raw)
        if bound != reference or bound != facts:
            raise SystemExit(f"binder disagrees with bind_facts on {nominee_id}, nothing timed")


# --- the decision, shared by both baselines ----------------------------------------------


def decide(passed: Sequence[bool | None], criteria: Sequence[tuple[bool, Decimal]],
           minimum: Decimal) -> Verdict:
    """tdkt's decision rule in plain Python; ``criteria`` holds (gate, points) pairs."""
    results: list[str] = []
    points = pending = _ZERO
    gate_failed = gate_missing = False
    for ok, (gate, worth) in zip(passed, criteria, strict=True):
        if ok is None:
            results.append("missing")
            if gate:
                gate_missing = True
            else:
                pending += worth
        elif ok:
            results.append("pass")
            if not gate:
                points += worth
        else:
            results.append("fail")
            gate_failed = gate_failed or gate
    if gate_failed or points + pending < minimum:
        outcome = "khong_dat"
    elif gate_missing or points < minimum:
        outcome = "thieu_du_lieu"
    else:
        outcome = "dat"
    return Verdict(tuple(results), points, outcome)


# --- baseline 1: the rule coded by hand --------------------------------------------------

_GOOD_RATINGS = frozenset({"hoan_thanh_xuat_sac", "hoan_thanh_tot"})
_REQUIRE_NO_SANCTION = True
_MIN_COMPLETION_RATIO = Decimal("0.9")
_KPI_BAND_LOW = Decimal(80)
_KPI_BAND_HIGH = Decimal(95)
_MIN_ATTENDANCE_RATIO = Decimal("0.95")
_TRAINING_CAP = Decimal(80)
_MIN_TRAINING_HOURS = Decimal(40)
_MIN_INITIATIVES = Decimal(1)
_MAX_COMPLAINTS = Decimal(1)
_MIN_YEARS = Decimal(2)
_MIN_REVIEW_SCORE = Decimal("7.5")
_TARGET_OVERTIME = Decimal(40)
_OVERTIME_TOLERANCE = Decimal(25)
_KPI_WEIGHT = Decimal("0.6")
_REVIEW_WEIGHT = Decimal("0.4")
_MIN_WEIGHTED_SCORE = Decimal(75)
_MIN_POINTS = Decimal(50)
_HAND_CRITERIA: tuple[tuple[bool, Decimal], ...] = (
    *[(True, _ZERO)] * 5,
    *[(False, Decimal(p)) for p in (10, 20, 10, 10, 15, 5, 5, 10, 5, 10)],
)


def hand_written(facts: Facts) -> Verdict:
    """``bench-15`` coded by hand: the floor for any rule engine in Python."""
    rating = facts["rating"]
    disciplined = facts["disciplined"]
    sanction = facts["administrative_sanction"]
    assigned = facts["tasks_assigned"]
    completed = facts["tasks_completed"]
    contract = facts["contract_type"]
    kpi = facts["kpi_score"]
    attended = facts["attendance_days"]
    working = facts["working_days"]
    training = facts["training_hours"]
    initiatives = facts["initiatives"]
    research = facts["research_accepted"]
    complaints = facts["complaints"]
    years = facts["years_of_service"]
    peer = facts["peer_score"]
    manager = facts["manager_score"]
    overtime = facts["overtime_hours"]
    passed = (
        None if rating is None else rating in _GOOD_RATINGS,
        None if disciplined is None else not disciplined,
        None if sanction is None else not _REQUIRE_NO_SANCTION or not sanction,
        None if completed is None or assigned is None
        else (completed / assigned if assigned > 0 else 0) >= _MIN_COMPLETION_RATIO,
        None if contract is None else contract != "thu_viec",
        None if kpi is None else _KPI_BAND_LOW <= kpi < _KPI_BAND_HIGH,
        None if kpi is None else kpi >= _KPI_BAND_HIGH,
        None if attended is None or working is None
        else attended >= _MIN_ATTENDANCE_RATIO * working,
        None if training is None else min(training, _TRAINING_CAP) >= _MIN_TRAINING_HOURS,
        None if initiatives is None or research is None
        else initiatives >= _MIN_INITIATIVES or research,
        None if complaints is None else complaints <= _MAX_COMPLAINTS,
        None if years is None else years >= _MIN_YEARS,
        None if peer is None or manager is None else max(peer, manager) >= _MIN_REVIEW_SCORE,
        None if overtime is None else abs(overtime - _TARGET_OVERTIME) <= _OVERTIME_TOLERANCE,
        None if kpi is None or peer is None
        else kpi * _KPI_WEIGHT + peer * 10 * _REVIEW_WEIGHT >= _MIN_WEIGHTED_SCORE,
    )
    return decide(passed, _HAND_CRITERIA, _MIN_POINTS)


# --- baseline 2: simpleeval with cached syntax trees -------------------------------------


class SimpleevalRule:
    """The rule file interpreted by simpleeval, each expression parsed once.

    ``EvalWithCompoundTypes`` rather than ``SimpleEval``: the plain evaluator refuses the
    list literal of ``rating in [...]``. One evaluator is reused; only its names change.
    """

    def __init__(self, rule: CompiledRule) -> None:
        model = rule.model
        self.params = {name: param.value for name, param in model.params.items()}
        self.evaluator = EvalWithCompoundTypes(names={},
                                               functions={"min": min, "max": max, "abs": abs})
        self.criteria: list[tuple[str, ast.AST, tuple[str, ...]]] = []
        for criterion in model.criteria:
            tree = self.evaluator.parse(criterion.expr)
            used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} & set(model.inputs)
            self.criteria.append((criterion.expr, tree, tuple(sorted(used))))
        self.weights = tuple((c.gate, c.points or _ZERO) for c in model.criteria)
        self.minimum = model.decision.min_points

    def __call__(self, facts: Facts) -> Verdict:
        evaluator = self.evaluator
        evaluator.names = {**facts, **self.params}
        passed: list[bool | None] = []
        for text, tree, used in self.criteria:
            if any(facts[name] is None for name in used):
                passed.append(None)
            else:
                passed.append(bool(evaluator.eval(text, previously_parsed=tree)))
        return decide(passed, self.weights, self.minimum)


# --- agreement and timing ----------------------------------------------------------------


def tdkt_verdict(rule: CompiledRule, nominee_id: str, facts: Facts) -> Verdict:
    decision = evaluate(rule, facts, nominee_id=nominee_id, period=PERIOD)
    return Verdict(tuple(c.result for c in decision.criteria), decision.points, decision.outcome)


def check_agreement(rule: CompiledRule, nominees: Nominees, simple: SimpleevalRule
                    ) -> Counter[str]:
    """Every nominee's verdict from all three, or exit 1 naming the first disagreements."""
    outcomes: Counter[str] = Counter()
    problems: list[str] = []
    ids = [c.criterion.id for c in rule.criteria]
    with decimal.localcontext(DECIMAL_CONTEXT):
        for nominee_id, facts in nominees:
            ours = tdkt_verdict(rule, nominee_id, facts)
            theirs = {"hand-written": hand_written(facts), "simpleeval": simple(facts)}
            for label, verdict in theirs.items():
                if verdict != ours:
                    problems.append(f"  {nominee_id}: tdkt vs {label}: "
                                    f"{_differences(ids, ours, verdict)}")
            outcomes[ours.outcome] += 1
    if problems:
        shown = "\n".join(problems[:10])
        more = f"\n  … and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise SystemExit(f"disagreement on {len(problems)} verdict(s), nothing timed:\n"
                         f"{shown}{more}")
    return outcomes


def _differences(ids: Sequence[str], ours: Verdict, theirs: Verdict) -> str:
    parts = [f"{what} {a} != {b}" for what, a, b in (("outcome", ours.outcome, theirs.outcome),
                                                     ("points", ours.points, theirs.points))
             if a != b]
    if len(ours.results) != len(theirs.results):
        parts.append(f"{len(ours.results)} criteria != {len(theirs.results)}")
    parts += [f"{cid} {a} != {b}" for cid, a, b in zip(ids, ours.results, theirs.results,
                                                          strict=False) if a != b]
    return "; ".join(parts)


def run_tdkt(rule: CompiledRule, nominees: Nominees) -> None:
    for nominee_id, facts in nominees:
        evaluate(rule, facts, nominee_id=nominee_id, period=PERIOD)


def run_bind_and_tdkt(rule: CompiledRule, records: Nominees) -> None:
    bind = rule.binder
    for nominee_id, raw in records:
        evaluate(rule, bind(raw), nominee_id=nominee_id, period=PERIOD)


def run_hand_written(nominees: Nominees) -> None:
    with decimal.localcontext(DECIMAL_CONTEXT):
        for _, facts in nominees:
            hand_written(facts)


def run_simpleeval(simple: SimpleevalRule, nominees: Nominees) -> None:
    with decimal.localcontext(DECIMAL_CONTEXT):
        for _, facts in nominees:
            simple(facts)


def best_times(runs: Mapping[str, Callable[[], None]], *, repeat: int, keep_gc: bool
               ) -> dict[str, float]:
    """Best wall time of each run over ``repeat`` rounds, the runs interleaved per round.

    The collector is off while timing (as ``timeit`` does) unless ``keep_gc``.
    """
    best = dict.fromkeys(runs, float("inf"))
    was_enabled = gc.isenabled()
    try:
        for _ in range(repeat):
            for label, run in runs.items():
                gc.collect()
                if not keep_gc:
                    gc.disable()
                start = time.perf_counter()
                run()
                elapsed = time.perf_counter() - start
                if was_enabled:
                    gc.enable()
                best[label] = min(best[label], elapsed)
    finally:
        if was_enabled:
            gc.enable()
    return best


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--nominees", type=int, default=DEFAULT_NOMINEES, metavar="N",
                        help=f"nominees to generate (default {DEFAULT_NOMINEES})")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, metavar="R",
                        help=f"rounds; the best is kept (default {DEFAULT_REPEAT})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("--gc", action="store_true",
                        help="leave the garbage collector on while timing")
    args = parser.parse_args(argv)
    if args.nominees < 1 or args.repeat < 1:
        parser.error("--nominees and --repeat must be at least 1")

    rule = load_rule(RULE_PATH)
    nominees = make_nominees(rule, args.nominees, seed=args.seed)
    records = make_records(rule, args.nominees, seed=args.seed)
    check_binding(rule, nominees, records)
    simple = SimpleevalRule(rule)
    outcomes = check_agreement(rule, nominees, simple)
    missing = sum(value is None for _, facts in nominees for value in facts.values())
    total_facts = sum(len(facts) for _, facts in nominees)

    seconds = best_times({
        "hand_written": lambda: run_hand_written(nominees),
        "tdkt": lambda: run_tdkt(rule, nominees),
        "tdkt_bind": lambda: run_bind_and_tdkt(rule, records),
        "simpleeval": lambda: run_simpleeval(simple, nominees),
    }, repeat=args.repeat, keep_gc=args.gc)
    micros = {label: s / args.nominees * 1e6 for label, s in seconds.items()}
    tdkt_over_hand = micros["tdkt"] / micros["hand_written"]
    simpleeval_over_tdkt = micros["simpleeval"] / micros["tdkt"]
    bind_over_tdkt = micros["tdkt_bind"] / micros["tdkt"]
    met = {
        "tdkt_within_3x_of_hand_written": tdkt_over_hand <= TARGET_OVER_HAND,
        "tdkt_10x_faster_than_simpleeval": simpleeval_over_tdkt >= TARGET_SIMPLEEVAL_OVER_TDKT,
        "bind_and_evaluate_within_2x_of_evaluate": bind_over_tdkt <= TARGET_BIND_OVER_EVALUATE,
    }
    nproc = cpu_count()
    python = f"{platform.python_implementation()} {platform.python_version()}"

    print(f"rule {rule.id} {rule.version}: {len(rule.criteria)} criteria; "
          f"{args.nominees} nominees (seed {args.seed}), "
          f"{missing / total_facts:.1%} of facts missing; "
          + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    print(f"{python} on {platform.machine()}, {nproc} CPU(s); best of {args.repeat}, "
          f"GC {'on' if args.gc else 'off'} while timing")
    print()
    labels = {"hand_written": "hand-written Python", "tdkt": "tdkt evaluate()",
              "tdkt_bind": "tdkt bind + evaluate", "simpleeval": "simpleeval, cached AST"}
    print(f"{'implementation':<24} {'µs/nominee':>11} {'× hand-written':>15}")
    for label, name in labels.items():
        print(f"{name:<24} {micros[label]:>11.2f} {micros[label] / micros['hand_written']:>15.2f}")
    print()
    print(f"tdkt / hand-written   {tdkt_over_hand:6.2f}×  (target ≤ {TARGET_OVER_HAND:g}×)   "
          f"{'MET' if met['tdkt_within_3x_of_hand_written'] else 'NOT MET'}")
    print(f"simpleeval / tdkt     {simpleeval_over_tdkt:6.2f}×  "
          f"(target ≥ {TARGET_SIMPLEEVAL_OVER_TDKT:g}×)  "
          f"{'MET' if met['tdkt_10x_faster_than_simpleeval'] else 'NOT MET'}")
    print(f"bind+evaluate / eval  {bind_over_tdkt:6.2f}×  "
          f"(target ≤ {TARGET_BIND_OVER_EVALUATE:g}×)   "
          f"{'MET' if met['bind_and_evaluate_within_2x_of_evaluate'] else 'NOT MET'}")
    print(json.dumps({
        "benchmark": "evaluate",
        "rule": f"{rule.id}/{rule.version}",
        "criteria": len(rule.criteria),
        "nominees": args.nominees,
        "repeat": args.repeat,
        "seed": args.seed,
        "gc": args.gc,
        "missing_fact_rate": round(missing / total_facts, 4),
        "outcomes": dict(sorted(outcomes.items())),
        "us_per_nominee": {label: round(value, 3) for label, value in micros.items()},
        "ratios": {"tdkt_over_hand_written": round(tdkt_over_hand, 3),
                   "simpleeval_over_tdkt": round(simpleeval_over_tdkt, 3),
                   "bind_and_evaluate_over_evaluate": round(bind_over_tdkt, 3)},
        "targets": {"tdkt_over_hand_written_max": TARGET_OVER_HAND,
                    "simpleeval_over_tdkt_min": TARGET_SIMPLEEVAL_OVER_TDKT,
                    "bind_and_evaluate_over_evaluate_max": TARGET_BIND_OVER_EVALUATE},
        "met": met,
        "python": python,
        "machine": platform.machine(),
        "nproc": nproc,
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
