"""The replay stage of ``verify``: every stored decision judged again from its stored
rule text and facts with the current engine, and compared with what was stored.

What is worked out once per rule (numeric inputs, the compiled binder, the canonical
criteria texts) is a :class:`._fastreplay.ReplayPlan`; with it a sound decision is bound
by the rule's compiled binder and its criteria compared as one text, and anything else
is bound and compared the plain way, so the findings are the same either way
(``replay(..., fast=False)`` takes the plain way throughout; the tests compare the two).
A check added to :func:`_replay_one` applies to both ways.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping
from typing import Any, cast

from sqlalchemy import Connection, Select, select

from criteria_engine.errors import CriteriaError, Location
from criteria_engine.evaluator import CompiledRule, Decision, evaluate
from criteria_engine.evidence import CapPlacement
from criteria_engine.nominees import Nominee, bind_facts
from criteria_engine.store._canonical import canonical_json, parse_json, typed_facts
from criteria_engine.store._chain import criteria_content, idempotency_key
from criteria_engine.store._context import parse_context
from criteria_engine.store._fastreplay import ReplayPlan, names_valid
from criteria_engine.store._findings import (
    Finding,
    Ticks,
    VerifyReport,
    decision_names,
    first_line,
    python_problem,
)
from criteria_engine.store._keys import content_key, decision_key
from criteria_engine.store._models import DecisionRow, NomineeRow, Submission
from criteria_engine.store._recheck import check_derived

__all__ = ["replay", "replay_query"]

_STREAM = 2000


def replay_query() -> Select[Any]:
    """Every decision in id order with what its replay reads: its own columns, its
    submission's facts and the names its event hashed."""
    d, s, n = DecisionRow.__table__, Submission.__table__, NomineeRow.__table__
    return (
        select(d.c.id, d.c.key, d.c.content_key, d.c.supersedes, d.c.claims, d.c.rule_sha256,
               d.c.outcome, d.c.points, d.c.criteria,
               d.c.context, s.c.id.label("s_id"), s.c.nominee_id, s.c.period,
               *decision_names(d, s, n), s.c.facts, s.c.facts_sha256)
        .select_from(d.outerjoin(s, s.c.id == d.c.submission_id)
                     .outerjoin(n, n.c.nominee_id == s.c.nominee_id))
        .order_by(d.c.id)
    )


def replay(connection: Connection, report: VerifyReport, rules: Mapping[str, CompiledRule],
            recorded: set[int], ticks: Ticks, *, fast: bool = True) -> None:
    """Replay every decision in id order, appending what differs to ``report``.
    ``fast=False`` binds and compares every decision the plain way (for the tests)."""
    plans: dict[str, ReplayPlan] = {}
    result = connection.execute(replay_query().execution_options(yield_per=_STREAM))
    # Each row read once into a named tuple: a column read from it costs tens of
    # nanoseconds, from SQLAlchemy's Row about a microsecond, and a replay reads ~30.
    make: Callable[[Any], Any] = cast(Any, namedtuple("ReplayRow", list(result.keys())))._make
    for row in map(make, result):
        ticks.tick()
        report.decisions += 1
        if row.id not in recorded:
            report.findings.append(Finding("decisions", row.id, "audit.no_event"))
        if row.s_id is None:
            continue  # reported by the chain walk
        if row.content_key is None and row.key != idempotency_key(
                row.nominee_id, row.period, row.rule_sha256, row.facts_sha256):
            report.findings.append(Finding("decisions", row.id, "audit.key"))
        plan = plans.get(row.rule_sha256)
        if plan is None:
            rule = rules.get(row.rule_sha256)
            if rule is None:
                report.findings.append(Finding("decisions", row.id, "audit.no_replay",
                                               {"sha256": row.rule_sha256[:12]}))
                continue
            plan = plans[row.rule_sha256] = ReplayPlan(rule, fast=fast)
        found = _replay_one(row, plan)
        if found:
            report.findings.extend(found)
        report.replayed += 1
    ticks.finish()


def _replay_one(row: Any, plan: ReplayPlan) -> list[Finding]:
    def finding(key: str, **params: Any) -> Finding:
        return Finding("decisions", row.id, key, params)

    rule = plan.rule
    try:
        derived, cap = parse_context(row.context)
    except ValueError as error:
        return [finding("audit.context_unreadable", problem=python_problem(error))]
    try:
        if plan.fast and not derived:  # (derived values are checked against every fact)
            stored = facts = plan.typed_own_facts(parse_json(row.facts))
        else:
            stored = typed_facts(parse_json(row.facts), plan.numeric)
            facts = plan.own_facts(stored)
        bound = _bind(row, plan, facts)
        replayed = evaluate(rule, bound, nominee_id=row.nominee_id, period=row.period)
        keyed = key_findings(row, bound)
    except CriteriaError as error:
        return [finding("audit.replay_failed", problem=first_line(error))]
    except (ValueError, TypeError, AttributeError, ArithmeticError) as error:
        return [finding("audit.replay_failed", problem=python_problem(error))]
    found = [finding(key) for key in keyed] if keyed else []
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
    if not plan.whole_text or plan.criteria_text(replayed) != row.criteria:
        found.extend(_criteria_findings(row, replayed))
    if cap is not None:
        found.extend(finding(key, **params) for key, params in _cap_problems(row, cap))
    if derived:
        found.extend(finding(problem.key, **problem.params) for problem in check_derived(
            derived, subject=row.nominee_id, period=row.period, facts=stored))
    return found


def _bind(row: Any, plan: ReplayPlan, facts: dict[str, Any]) -> dict[str, Any]:
    """The facts as the rule binds them: through its compiled binder when the record is
    plainly sound, else (and for the message of whatever is wrong) as a record is bound."""
    if plan.fast and row.subject == plan.subject and names_valid(
            row.nominee_id, row.name or row.nominee_id, row.subject, row.unit, row.period):
        try:
            return plan.binder(facts)
        except Exception:  # any refusal: bound again below, which names the problem
            pass
    nominee = Nominee(id=row.nominee_id, name=row.name or row.nominee_id,
                      subject=row.subject, unit=row.unit, period=row.period, facts=facts)
    return bind_facts(plan.rule.model, nominee, Location(record=row.nominee_id))


def _criteria_findings(row: Any, replayed: Decision) -> list[Finding]:
    """Each criterion whose stored result differs from the replay's (or that only one
    of them has)."""
    def finding(key: str, **params: Any) -> Finding:
        return Finding("decisions", row.id, key, params)

    found = []
    stored_criteria = _by_id(row.criteria)
    for item in parse_json(canonical_json(criteria_content(replayed))):
        before = stored_criteria.pop(item["id"], None)
        if before != item:
            found.append(finding("audit.replay_criterion", criterion=item["id"],
                                 stored=_brief(before), replayed=_brief(item)))
    for criterion, before in stored_criteria.items():
        found.append(finding("audit.replay_criterion", criterion=criterion,
                             stored=_brief(before), replayed="—"))
    return found


def key_findings(row: Any, bound: Mapping[str, Any]) -> list[str]:
    """A decision of the second form must be keyed by its content (the facts as bound, names,
    claims, rule; see :mod:`._keys`) and by the decision it supersedes; the first form is
    checked against its spelled facts in :func:`replay`. Returns message keys."""
    if row.content_key is None:
        return []
    problems = []
    try:
        claims = parse_json(row.claims) if row.claims is not None else None
    except ValueError:
        claims = None
    if not isinstance(claims, list) or not all(isinstance(c, str) for c in claims):
        return ["audit.claims_unreadable"]
    expected = content_key(nominee_id=row.nominee_id, period=row.period,
                           rule_sha256=row.rule_sha256, facts=bound, name=row.name,
                           unit=row.unit, subject=row.subject, claims=claims)
    if expected != row.content_key:
        problems.append("audit.content_key")
    if row.key != decision_key(row.content_key, row.supersedes):
        problems.append("audit.key")
    return problems


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
