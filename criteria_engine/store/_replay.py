"""The replay stage of ``verify``: every stored decision judged again from its stored
rule text and facts with the current engine, and compared with what was stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select

from criteria_engine.errors import CriteriaError, Location
from criteria_engine.evaluator import CompiledRule, evaluate
from criteria_engine.evidence import CapPlacement
from criteria_engine.nominees import Nominee, bind_facts
from criteria_engine.store._canonical import canonical_json, parse_json, typed_facts
from criteria_engine.store._chain import criteria_content, idempotency_key
from criteria_engine.store._context import parse_context
from criteria_engine.store._findings import (
    Finding,
    Ticks,
    VerifyReport,
    decision_names,
    first_line,
    numeric_inputs,
    own_facts,
    python_problem,
)
from criteria_engine.store._models import DecisionRow, NomineeRow, Submission
from criteria_engine.store._recheck import check_derived

__all__ = ["replay"]

_STREAM = 2000


def replay(connection: Connection, report: VerifyReport, rules: Mapping[str, CompiledRule],
            recorded: set[int], ticks: Ticks) -> None:
    d, s, n = DecisionRow.__table__, Submission.__table__, NomineeRow.__table__
    query = (
        select(d.c.id, d.c.key, d.c.rule_sha256, d.c.outcome, d.c.points, d.c.criteria,
               d.c.context, s.c.id.label("s_id"), s.c.nominee_id, s.c.period,
               *decision_names(d, s, n), s.c.facts, s.c.facts_sha256)
        .select_from(d.outerjoin(s, s.c.id == d.c.submission_id)
                     .outerjoin(n, n.c.nominee_id == s.c.nominee_id))
        .order_by(d.c.id)
    )
    for row in connection.execution_options(yield_per=_STREAM).execute(query):
        ticks.tick()
        report.decisions += 1
        if row.id not in recorded:
            report.findings.append(Finding("decisions", row.id, "audit.no_event"))
        if row.s_id is None:
            continue  # reported by the chain walk
        if row.key != idempotency_key(row.nominee_id, row.period, row.rule_sha256,
                                      row.facts_sha256):
            report.findings.append(Finding("decisions", row.id, "audit.key"))
        rule = rules.get(row.rule_sha256)
        if rule is None:
            report.findings.append(Finding("decisions", row.id, "audit.no_replay",
                                           {"sha256": row.rule_sha256[:12]}))
            continue
        report.findings.extend(_replay_one(row, rule))
        report.replayed += 1
    ticks.finish()


def _replay_one(row: Any, rule: CompiledRule) -> list[Finding]:
    def finding(key: str, **params: Any) -> Finding:
        return Finding("decisions", row.id, key, params)

    try:
        derived, cap = parse_context(row.context)
    except ValueError as error:
        return [finding("audit.context_unreadable", problem=python_problem(error))]
    try:
        stored = typed_facts(parse_json(row.facts), numeric_inputs(rule))
        facts = own_facts(rule, stored)
        nominee = Nominee(id=row.nominee_id, name=row.name or row.nominee_id,
                          subject=row.subject, unit=row.unit, period=row.period, facts=facts)
        bound = bind_facts(rule.model, nominee, Location(record=row.nominee_id))
        replayed = evaluate(rule, bound, nominee_id=row.nominee_id, period=row.period)
    except CriteriaError as error:
        return [finding("audit.replay_failed", problem=first_line(error))]
    except (ValueError, TypeError, AttributeError, ArithmeticError) as error:
        return [finding("audit.replay_failed", problem=python_problem(error))]
    found = []
    # An achievement already rewarded turns "dat" into "trung_thanh_tich"; that depends on
    # other decisions, so the replay of this one alone confirms the criteria were met.
    already_rewarded = row.outcome == "trung_thanh_tich" and replayed.outcome == "dat"
    # Past the unit's cap is a placement among other decisions; the replay of this one
    # alone confirms the title was reached, and the stored placement says it was past.
    past_cap = (row.outcome == "loai_do_chi_tieu" and replayed.outcome == "dat"
                and cap is not None and cap.rank > cap.limit)
    if replayed.outcome != row.outcome and not already_rewarded and not past_cap:
        found.append(finding("audit.replay_outcome", stored=row.outcome,
                             replayed=replayed.outcome, engine=replayed.engine_version))
    if replayed.points != row.points:
        found.append(finding("audit.replay_points", stored=row.points, replayed=replayed.points))
    stored_criteria = _by_id(row.criteria)
    for item in parse_json(canonical_json(criteria_content(replayed))):
        before = stored_criteria.pop(item["id"], None)
        if before != item:
            found.append(finding("audit.replay_criterion", criterion=item["id"],
                                 stored=_brief(before), replayed=_brief(item)))
    for criterion, before in stored_criteria.items():
        found.append(finding("audit.replay_criterion", criterion=criterion,
                             stored=_brief(before), replayed="—"))
    if cap is not None:
        found.extend(finding(key, **params) for key, params in _cap_problems(row, cap))
    found.extend(finding(problem.key, **problem.params) for problem in check_derived(
        derived, subject=row.nominee_id, period=row.period, facts=stored))
    return found


def _cap_problems(row: Any, cap: CapPlacement) -> list[tuple[str, dict[str, Any]]]:
    """A stored cap placement must be consistent in itself and with the outcome."""
    problems: list[tuple[str, dict[str, Any]]] = []
    params = {"rank": cap.rank, "limit": cap.limit, "group_size": cap.group_size,
              "within": "true" if cap.within else "false"}
    if (cap.within != (cap.rank <= cap.limit) or not 1 <= cap.rank <= cap.group_size
            or cap.limit < 0 or cap.period != row.period):
        problems.append(("audit.cap_inconsistent", params))
    if row.outcome == "dat" and cap.rank > cap.limit:
        problems.append(("audit.cap_dat_past_limit", params))
    return problems


def _by_id(text: str) -> dict[str, Any]:
    try:
        items = parse_json(text)
        return {str(item["id"]): item for item in items}
    except (ValueError, TypeError, KeyError):
        return {}


def _brief(item: Mapping[str, Any] | None) -> str:
    if item is None:
        return "—"
    points = "" if item.get("points") is None else f" ({item['points']})"
    return f"{item.get('result')}{points}"
