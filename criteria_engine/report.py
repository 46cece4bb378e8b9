"""Decisions as plain data: the ``--json`` output and the rows of tables and sheets.

The JSON shape is documented in the README; numbers stay exact (written from
Decimal, never through float).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from criteria_engine.evaluator import CriterionResult, Decision
from criteria_engine.expressions import DECIMAL_CONTEXT
from criteria_engine.messages import Language, message
from criteria_engine.rules import Citation

__all__ = [
    "citation_to_dict",
    "criterion_to_dict",
    "decision_to_dict",
    "outcome_reason",
    "plain",
]


def plain(value: Any) -> Any:
    """Integral decimals as ints (``2`` rather than ``2.0``), other values unchanged."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def citation_to_dict(citation: Citation, lang: Language = "vi") -> dict[str, Any]:
    data = citation.model_dump(exclude_none=True)
    data["text"] = citation.render(lang)
    return data


def criterion_to_dict(decision: Decision, result: CriterionResult, lang: Language = "vi"
                      ) -> dict[str, Any]:
    criterion = result.compiled.criterion
    return {
        "id": result.id,
        "text": criterion.text_en if lang == "en" and criterion.text_en else criterion.text,
        "expr": criterion.expr,
        "gate": criterion.gate,
        "result": result.result,
        "points": plain(result.points),
        "max_points": plain(criterion.points),
        "values": {name: plain(value) for name, value in decision.values_used(result).items()},
        "params": {name: plain(value) for name, value in result.compiled.params.items()},
        "cite": [citation_to_dict(c, lang) for c in result.compiled.cite],
    }


def decision_to_dict(decision: Decision, lang: Language = "vi") -> dict[str, Any]:
    rule = decision.rule
    model = rule.model
    return {
        "nominee_id": decision.nominee_id,
        "name": decision.name,
        "unit": decision.unit,
        "period": decision.period,
        "rule": {"id": rule.id, "version": rule.version, "sha256": rule.sha256,
                 "title": model.title_en if lang == "en" and model.title_en else model.title},
        "engine_version": decision.engine_version,
        "outcome": decision.outcome,
        "points": plain(decision.points),
        "min_points": plain(model.decision.min_points),
        "max_points": plain(model.max_points),
        "missing_inputs": list(decision.missing_inputs),
        "reason": outcome_reason(decision, lang),
        "achievements": list(decision.achievements),
        "conflict": _conflict_to_dict(decision),
        "criteria": [criterion_to_dict(decision, r, lang) for r in decision.criteria],
    }


def outcome_reason(decision: Decision, lang: Language = "vi") -> str:
    """One sentence a council can read aloud: why this outcome."""
    if decision.conflict is not None:
        holder = decision.conflict.holder
        stored = (message("reason.stored", lang, decision_id=holder.decision_id)
                  if holder.decision_id is not None else "")
        who = message("reason.holder", lang, rule=holder.rule_id, version=holder.rule_version,
                      period=holder.period, nominee=holder.nominee_id, stored=stored)
        key = "reason.set_aside" if decision.conflict.set_aside else "reason.already_rewarded"
        return message(key, lang, achievement=decision.conflict.achievement_id, holder=who)
    minimum = decision.rule.model.decision.min_points
    failed = [r.id for r in decision.criteria if r.gate and r.result == "fail"]
    if failed:
        return message("reason.gate_failed", lang, criteria=", ".join(failed))
    if decision.outcome == "dat" and decision.rule.model.max_points == 0:
        return message("reason.all_gates", lang)
    if decision.outcome == "dat":
        return message("reason.dat", lang, points=plain(decision.points), minimum=plain(minimum))
    pending = Decimal(0)
    for r in decision.criteria:
        if r.result == "missing":
            pending = DECIMAL_CONTEXT.add(pending, r.compiled.criterion.points or 0)
    if decision.outcome == "khong_dat":
        return message("reason.points_short", lang, points=plain(decision.points),
                       reachable=plain(DECIMAL_CONTEXT.add(decision.points, pending)),
                       minimum=plain(minimum))
    inputs = sorted({name for r in decision.criteria if r.result == "missing"
                     for name, value in decision.values_used(r).items() if value is None})
    return message("reason.missing", lang, inputs=", ".join(inputs))


def _conflict_to_dict(decision: Decision) -> dict[str, Any] | None:
    conflict = decision.conflict
    if conflict is None:
        return None
    holder = conflict.holder
    return {"achievement_id": conflict.achievement_id, "set_aside": conflict.set_aside,
            "holder": {"rule_id": holder.rule_id, "rule_version": holder.rule_version,
                       "period": holder.period, "nominee_id": holder.nominee_id,
                       "decision_id": holder.decision_id, "rank": holder.rank}}
