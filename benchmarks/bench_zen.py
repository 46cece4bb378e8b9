"""tdkt against GoRules ZEN (Rust, ``zen-engine`` on PyPI), from a record to a decision.

Run on demand (not part of the tests), from the repository root::

    .venv/bin/pip install zen-engine        # or: pip install -e '.[bench]'
    .venv/bin/python benchmarks/bench_zen.py [--nominees N] [--repeat R] [--seed S]

Both engines get the same records of the 15-criterion rule
``benchmarks/rules/bench-15/2024.1.yaml``, as a JSON parser hands them over (numbers as
``Decimal`` for tdkt, as ``float`` for ZEN, which has no exact decimals). What is timed:

* **tdkt, record → decision**: the record checked (id, name, period, subject), its facts
  checked against the declared inputs and converted, then the rule applied with its full
  trace: what ``tdkt evaluate`` does per record once the file is parsed;
* **tdkt, evaluation only**: :func:`criteria_engine.evaluator.evaluate` on facts bound
  beforehand (the floor for the line above);
* **ZEN decision graph**: a JDM graph (input → expression node with the 15 criteria →
  output) evaluated with ``ZenDecision.evaluate``: how ZEN is meant to be used;
* **ZEN per criterion**: each criterion compiled once (``zen.compile_expression``) and
  evaluated with ``PyExpression.evaluate``, giving a result per criterion as a decision
  trace needs: the figure the 2026-12-01 measurements quote for ZEN (about 14 µs);
* **ZEN single expression**: the 15 criteria compiled once as one array expression:
  ZEN's fastest call, with no per-criterion trace and no decision logic.

ZEN has no notion of a missing fact (``max([x, null])`` is an error), so every generated
record here is complete; tdkt's handling of missing facts is not exercised. Before timing,
the script checks that ZEN and tdkt agree on every criterion of every record, or stops
with exit code 1. It prints a table and one JSON line; the target (tdkt record → decision
at least 3× faster than ZEN per criterion) is reported, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_evaluate import PERIOD, RULE_PATH, raw_facts

from criteria_engine.errors import Location
from criteria_engine.evaluator import evaluate
from criteria_engine.library import load_rule
from criteria_engine.nominees import RawRecord, bind_facts, parse_nominee

try:
    import zen
except ImportError:  # pragma: no cover - a benchmark-only dependency
    raise SystemExit("zen-engine is not installed: .venv/bin/pip install zen-engine") from None

TARGET_ZEN_OVER_TDKT = 3.0

#: The 15 criteria of bench-15 in ZEN's expression language, params inlined.
ZEN_CRITERIA = {
    "xep_loai": "rating in ['hoan_thanh_xuat_sac', 'hoan_thanh_tot']",
    "khong_ky_luat": "not disciplined",
    "khong_xu_phat": "not true or not administrative_sanction",
    "ty_le_hoan_thanh": "(tasks_assigned > 0 ? tasks_completed / tasks_assigned : 0) >= 0.9",
    "khong_thu_viec": "contract_type != 'thu_viec'",
    "kpi_kha": "kpi_score >= 80 and kpi_score < 95",
    "kpi_xuat_sac": "kpi_score >= 95",
    "ngay_cong": "attendance_days >= 0.95 * working_days",
    "boi_duong": "min([training_hours, 80]) >= 40",
    "sang_kien": "initiatives >= 1 or research_accepted",
    "it_khieu_nai": "complaints <= 1",
    "tham_nien": "years_of_service >= 2",
    "danh_gia": "max([peer_score, manager_score]) >= 7.5",
    "lam_them": "abs(overtime_hours - 40) <= 25",
    "diem_tong_hop": "kpi_score * 0.6 + peer_score * 10 * 0.4 >= 75",
}


def zen_graph() -> Any:
    node = {"x": 0, "y": 0}
    content = {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "in", "position": node},
            {"id": "criteria", "type": "expressionNode", "name": "criteria", "position": node,
             "content": {"expressions": [{"id": key, "key": key, "value": text}
                                         for key, text in ZEN_CRITERIA.items()]}},
            {"id": "out", "type": "outputNode", "name": "out", "position": node},
        ],
        "edges": [{"id": "a", "sourceId": "in", "targetId": "criteria", "type": "edge"},
                  {"id": "b", "sourceId": "criteria", "targetId": "out", "type": "edge"}],
    }
    return zen.ZenEngine().create_decision(json.dumps(content))


def records(count: int, seed: int) -> list[dict[str, Any]]:
    """Complete records as a JSON parser returns them (numbers with a point are Decimal)."""
    rng = random.Random(seed)
    out = []
    for number in range(count):
        facts = raw_facts(rng)
        out.append({"id": f"NV{number:06d}", "name": f"Người {number}", "subject": "ca_nhan",
                    "unit": "Đơn vị", "period": PERIOD, "facts": facts})
    return out


def as_floats(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: float(v) if isinstance(v, Decimal) else v for k, v in facts.items()}


def best(run: Callable[[], None], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nominees", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20240101)
    args = parser.parse_args()

    rule = load_rule(RULE_PATH)
    data = records(args.nominees, args.seed)
    where = Location(str(RULE_PATH))

    def tdkt_one(raw: dict[str, Any], number: int) -> Any:
        nominee = parse_nominee(RawRecord(number, where, raw))
        facts = bind_facts(rule.model, nominee, where)
        return evaluate(rule, facts, nominee_id=nominee.id, period=nominee.period,
                        name=nominee.name, unit=nominee.unit)

    bound = [bind_facts(rule.model, parse_nominee(RawRecord(i, where, r)), where)
             for i, r in enumerate(data)]
    floats = [as_floats(r["facts"]) for r in data]
    graph = zen_graph()
    array = zen.compile_expression("[" + ", ".join(ZEN_CRITERIA.values()) + "]")
    compiled = [zen.compile_expression(text) for text in ZEN_CRITERIA.values()]

    disagreements = 0
    for number, (raw, facts) in enumerate(zip(data, floats, strict=True)):
        ours = [r.result == "pass" for r in tdkt_one(raw, number).criteria]
        theirs = graph.evaluate(facts)["result"]
        each = [expression.evaluate(facts) for expression in compiled]
        if ours != [theirs[key] for key in ZEN_CRITERIA] or ours != array.evaluate(facts) \
                or ours != each:
            disagreements += 1
            if disagreements <= 3:
                print(f"disagree on {raw['id']}: tdkt {ours}, ZEN {theirs}", file=sys.stderr)
    if disagreements:
        raise SystemExit(1)

    def run_tdkt() -> None:
        for number, raw in enumerate(data):
            tdkt_one(raw, number)

    def run_eval() -> None:
        for facts in bound:
            evaluate(rule, facts, nominee_id="x", period=PERIOD)

    def run_graph() -> None:
        for facts in floats:
            graph.evaluate(facts)

    def run_each() -> None:
        for facts in floats:
            for expression in compiled:
                expression.evaluate(facts)

    def run_array() -> None:
        for facts in floats:
            array.evaluate(facts)

    gc.disable()
    try:
        us = {name: best(run, args.repeat) / len(data) * 1e6 for name, run in
              (("tdkt_record_to_decision", run_tdkt), ("tdkt_evaluate_only", run_eval),
               ("zen_decision_graph", run_graph), ("zen_per_criterion", run_each),
               ("zen_single_expression", run_array))}
    finally:
        gc.enable()
    base = us["tdkt_record_to_decision"]
    print(f"{len(data)} records, 15 criteria, best of {args.repeat}")
    print(f"{'implementation':<26} {'µs/record':>10} {'÷ tdkt record→decision':>24}")
    for name, value in us.items():
        print(f"{name:<26} {value:>10.2f} {value / base:>24.2f}")
    ratio = us["zen_per_criterion"] / base
    met = ratio >= TARGET_ZEN_OVER_TDKT
    print(f"target: ZEN per criterion ≥ {TARGET_ZEN_OVER_TDKT}× tdkt record→decision: "
          f"{ratio:.1f}× {'MET' if met else 'NOT MET'}")
    print(json.dumps({"benchmark": "zen", "us_per_record": us,
                      "ratios": {"zen_per_criterion_over_tdkt": ratio,
                                 "zen_graph_over_tdkt": us["zen_decision_graph"] / base,
                                 "zen_expression_over_tdkt": us["zen_single_expression"] / base,
                                 "tdkt_record_over_evaluate": base / us["tdkt_evaluate_only"]},
                      "met": {"zen_per_criterion_over_tdkt": met}}))


if __name__ == "__main__":
    main()
