"""Decisions as plain data: the ``--json`` output and the rows of tables and sheets.

The JSON shape is documented in the README; numbers stay exact (written from
Decimal, never through float).
"""

from __future__ import annotations

import ast
import typing
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_DOWN, Decimal
from json.encoder import encode_basestring
from typing import Any

import simplejson

from criteria_engine.display import input_label, number
from criteria_engine.display import value as display_value
from criteria_engine.evaluator import (
    CompiledCriterion,
    CompiledRule,
    CriterionResult,
    Decision,
    DeferralResult,
    Outcome,
)
from criteria_engine.evidence import DerivedValue, Seen
from criteria_engine.expressions import DECIMAL_CONTEXT
from criteria_engine.messages import Language, message
from criteria_engine.rules import Citation, Criterion, Deferral, InputSpec

__all__ = [
    "cap_lines",
    "cap_ranked_by",
    "cap_text",
    "cap_to_dict",
    "citation_to_dict",
    "context_lines",
    "context_text",
    "context_to_dict",
    "criterion_text",
    "criterion_to_dict",
    "decision_to_dict",
    "decision_to_json",
    "deferral_to_dict",
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
    return _criterion_dict(decision, result, _rule_parts(decision.rule, lang))


def deferral_to_dict(decision: Decision, result: DeferralResult, lang: Language = "vi"
                     ) -> dict[str, Any]:
    """One deferral condition of a decision: its text, expression, verdict (``holds``,
    ``clear`` or ``missing``), the values it read and its citation."""
    condition = result.compiled.condition
    return {
        "id": result.id,
        "text": criterion_text(condition, lang),
        "expr": condition.expr,
        "result": result.result,
        "values": {name: plain(decision.facts[name]) for name in result.compiled.inputs},
        "params": {name: plain(value) for name, value in result.compiled.params.items()},
        "cite": [citation_to_dict(c, lang) for c in result.compiled.cite],
    }


def decision_to_dict(decision: Decision, lang: Language = "vi") -> dict[str, Any]:
    """One decision as the ``--json`` output gives it (documented in the README).

    The parts that depend only on the rule and the language (rule header, criterion
    texts, params, citations) are built once per rule and copied, so a caller may
    change the result freely.
    """
    parts = _rule_parts(decision.rule, lang)
    return {
        "nominee_id": decision.nominee_id,
        "name": decision.name,
        "unit": decision.unit,
        "period": decision.period,
        "rule": dict(parts.header),
        "engine_version": decision.engine_version,
        "outcome": decision.outcome,
        "points": plain(decision.points),
        "min_points": parts.min_points,
        "max_points": parts.max_points,
        "missing_inputs": list(decision.missing_inputs),
        "reason": outcome_reason(decision, lang),
        "achievements": list(decision.achievements),
        "conflict": _conflict_to_dict(decision),
        "deferral": [deferral_to_dict(decision, r, lang) for r in decision.deferral],
        "cap": cap_to_dict(decision, lang),
        "context": [context_to_dict(decision, v, lang) for v in decision.context],
        "criteria": [_criterion_dict(decision, r, parts) for r in decision.criteria],
    }


def decision_to_json(decision: Decision, lang: Language = "vi") -> str:
    """:func:`decision_to_dict` as compact JSON text on one line, built from pieces
    cached per rule: about ten times faster than encoding the dict, which is what
    lets ``tdkt evaluate --json`` / ``--jsonl`` keep up with evaluation.

    Numbers are written from Decimal digit for digit (``88.6``, never ``88.59999``)::

        >>> json.loads(decision_to_json(d)) == json.loads(
        ...     simplejson.dumps(decision_to_dict(d), use_decimal=True))   # doctest: +SKIP
        True
    """
    parts = _rule_parts(decision.rule, lang)
    facts = decision.facts
    criteria = []
    for result in decision.criteria:
        piece = parts.criteria.get(id(result.compiled))
        if piece is None or piece.compiled is not result.compiled:
            piece = parts.add(result.compiled)
        key: tuple[Any, ...] | None = None
        if piece.seen is not None:
            key = (result.result, *[facts[name] for name in result.compiled.inputs])
            text = piece.seen.get(key)
            if text is not None:
                criteria.append(text)
                continue
        values = ",".join([name + _json_value(facts[fact]) for fact, name
                           in zip(result.compiled.inputs, piece.value_keys, strict=True)])
        text = (f'{piece.json_head}"{result.result}","points":{_json_value(result.points)}'
                f'{piece.json_middle}{values}{piece.json_tail}')
        if key is not None and piece.seen is not None and len(piece.seen) < SEEN_SIZE:
            piece.seen[key] = text
        criteria.append(text)
    conflict = _conflict_to_dict(decision)
    deferral = ",".join(_generic_json(deferral_to_dict(decision, r, lang))
                        for r in decision.deferral)
    cap = cap_to_dict(decision, lang)
    context = ",".join(_generic_json(context_to_dict(decision, v, lang)) for v in decision.context)
    name, unit, points = decision.name, decision.unit, decision.points
    missing = decision.missing_inputs
    return (
        f'{{"nominee_id":{_encode_text(decision.nominee_id)}'
        f',"name":{"null" if name is None else _encode_text(name)}'
        f',"unit":{"null" if unit is None else _encode_text(unit)}'
        f',"period":{decision.period}{parts.json_rule}'
        f',"engine_version":{_encode_text(decision.engine_version)}'
        f',"outcome":"{decision.outcome}"'
        f',"points":{points if points != points.to_integral_value() else int(points)}'
        f'{parts.json_bounds}'
        f',"missing_inputs":{_json_list(missing) if missing else "[]"}'
        f',"reason":{_encode_text(outcome_reason(decision, lang))}'
        f',"achievements":{_json_list(decision.achievements) if decision.achievements else "[]"}'
        f',"conflict":{"null" if conflict is None else _generic_json(conflict)}'
        f',"deferral":[{deferral}]'
        f',"cap":{"null" if cap is None else _generic_json(cap)}'
        f',"context":[{context}]'
        f',"criteria":[{",".join(criteria)}]}}'
    )


def _criterion_dict(decision: Decision, result: CriterionResult, parts: _RuleParts
                    ) -> dict[str, Any]:
    piece = parts.criteria.get(id(result.compiled))
    if piece is None or piece.compiled is not result.compiled:
        piece = parts.add(result.compiled)
    facts = decision.facts
    return {
        "id": result.id,
        "text": piece.text,
        "expr": piece.expr,
        "gate": piece.gate,
        "result": result.result,
        "points": plain(result.points),
        "max_points": piece.max_points,
        "values": {name: plain(facts[name]) for name in result.compiled.inputs},
        "params": dict(piece.params),
        "cite": [dict(c) for c in piece.cite],
    }


# -- the per-rule cache behind decision_to_dict and decision_to_json ----------------------------

#: Rules (× languages) whose pieces are kept; past this the cache starts again, so a
#: long-lived process that loads many rule versions does not grow without bound.
RULE_CACHE_SIZE = 256
#: Texts kept per criterion whose inputs are all yes/no or enums (a few distinct
#: combinations, so nearly every decision reuses one); numbers are never keyed, since
#: ``Decimal("1.50") == Decimal("1.5")`` but they are written differently.
SEEN_SIZE = 4096

_encode_text: Callable[[str], str] = encode_basestring


def _json_value(value: Any) -> str:
    """One scalar as JSON: exact decimals, ``true``/``false``/``null``, escaped text."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _encode_text(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    if isinstance(value, int):
        return str(value)
    return _generic_json(value)


def _json_list(values: Sequence[Any]) -> str:
    return "[" + ",".join([_json_value(v) for v in values]) + "]"


def _generic_json(value: Any) -> str:
    return simplejson.dumps(value, ensure_ascii=False, use_decimal=True, separators=(",", ":"))


class _CriterionParts:
    """A criterion's fixed fields, as copies to hand out and as JSON text around the
    three fields that vary (result, points, values)."""

    __slots__ = ("cite", "compiled", "expr", "gate", "json_head", "json_middle", "json_tail",
                 "max_points", "params", "seen", "text", "value_keys")

    def __init__(self, compiled: CompiledCriterion, lang: Language,
                 inputs: Mapping[str, InputSpec]) -> None:
        criterion = compiled.criterion
        self.seen: dict[tuple[Any, ...], str] | None = (
            {} if all(name in inputs and inputs[name].type in ("boolean", "enum")
                      for name in compiled.inputs) else None)
        self.compiled = compiled
        self.text = criterion_text(criterion, lang)
        self.expr = criterion.expr
        self.gate = criterion.gate
        self.max_points = plain(criterion.points)
        self.params = {name: plain(value) for name, value in compiled.params.items()}
        self.cite = [citation_to_dict(c, lang) for c in compiled.cite]
        self.value_keys = [_encode_text(name) + ":" for name in compiled.inputs]
        self.json_head = (f'{{"id":{_encode_text(criterion.id)},"text":{_encode_text(self.text)},'
                          f'"expr":{_encode_text(self.expr)},"gate":{_json_value(self.gate)},'
                          '"result":')
        self.json_middle = f',"max_points":{_json_value(self.max_points)},"values":{{'
        self.json_tail = (f'}},"params":{_generic_json(self.params)},'
                          f'"cite":{_generic_json(self.cite)}}}')


class _RuleParts:
    """A rule's fixed fields for one language (holding the rule keeps its id unique)."""

    __slots__ = ("criteria", "header", "json_bounds", "json_rule", "lang", "max_points",
                 "min_points", "rule")

    def __init__(self, rule: CompiledRule, lang: Language) -> None:
        model = rule.model
        self.rule = rule
        self.lang = lang
        self.header = {"id": rule.id, "version": rule.version, "sha256": rule.sha256,
                       "title": model.title_en if lang == "en" and model.title_en
                       else model.title}
        self.min_points = plain(model.decision.min_points)
        self.max_points = plain(model.max_points)
        self.json_rule = ',"rule":' + _generic_json(self.header)
        self.json_bounds = (f',"min_points":{_json_value(self.min_points)}'
                            f',"max_points":{_json_value(self.max_points)}')
        self.criteria: dict[int, _CriterionParts] = {}
        for compiled in rule.criteria:
            self.add(compiled)

    def add(self, compiled: CompiledCriterion) -> _CriterionParts:
        piece = self.criteria[id(compiled)] = _CriterionParts(compiled, self.lang,
                                                               self.rule.model.inputs)
        return piece


_RULES: dict[tuple[int, Language], _RuleParts] = {}


def _rule_parts(rule: CompiledRule, lang: Language) -> _RuleParts:
    parts = _RULES.get((id(rule), lang))
    if parts is None or parts.rule is not rule:
        if len(_RULES) >= RULE_CACHE_SIZE:
            _RULES.clear()
        parts = _RULES[(id(rule), lang)] = _RuleParts(rule, lang)
    return parts


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
    model = decision.rule.model
    if decision.outcome == "loai_do_chi_tieu" and decision.cap is not None:
        return cap_text(decision, lang) or ""
    if decision.outcome == "hoan_xet":
        return message("reason.deferred", lang, conditions="; ".join(
            criterion_text(d.compiled.condition, lang) for d in decision.deferred_by))
    minimum = number(model.decision.min_points, lang)
    failed = [criterion_text(r.compiled.criterion, lang)
              for r in decision.criteria if r.gate and r.result == "fail"]
    if failed:
        return message("reason.gate_failed", lang, criteria="; ".join(failed))
    if decision.outcome == "dat" and model.max_points == 0:
        return message("reason.all_gates", lang)
    if decision.outcome == "dat":
        return message("reason.dat", lang, points=number(decision.points, lang), minimum=minimum)
    pending = Decimal(0)
    for r in decision.criteria:
        if r.result == "missing":
            pending = DECIMAL_CONTEXT.add(pending, r.compiled.criterion.points or 0)
    if decision.outcome == "khong_dat":
        return message("reason.points_short", lang, points=number(decision.points, lang),
                       reachable=number(DECIMAL_CONTEXT.add(decision.points, pending), lang),
                       minimum=minimum)
    judged: list[CriterionResult | DeferralResult] = [*decision.deferral, *decision.criteria]
    missing = {name for r in judged if r.result == "missing"
               for name, value in decision.values_used(r).items() if value is None}
    # declaration order: the order the rule file (and the record form) presents them
    inputs = [input_label(model, name, lang) for name in model.inputs if name in missing]
    return message("reason.missing", lang, inputs="; ".join(inputs))


def criterion_text(criterion: Criterion | Deferral, lang: Language = "vi") -> str:
    """What a criterion (or deferral condition) says in ``lang`` (``text_en`` in English
    when the rule gives it)."""
    return criterion.text_en if lang == "en" and criterion.text_en else criterion.text


def _conflict_to_dict(decision: Decision) -> dict[str, Any] | None:
    conflict = decision.conflict
    if conflict is None:
        return None
    holder = conflict.holder
    return {"achievement_id": conflict.achievement_id, "set_aside": conflict.set_aside,
            "holder": {"rule_id": holder.rule_id, "rule_version": holder.rule_version,
                       "period": holder.period, "nominee_id": holder.nominee_id,
                       "decision_id": holder.decision_id, "rank": holder.rank}}


# -- caps and derived facts in words (issue 10) -------------------------------------------------

#: Member ids named in a roll-up's words before "…" (the JSON lists every one).
MEMBERS_SHOWN = 10
OUTCOMES: frozenset[str] = frozenset(typing.get_args(Outcome))


def _how_limit(decision: Decision, lang: Language) -> str:
    """How the group's limit was reached, e.g. "15% × 18 người đạt 'lao-dong-tien-tien'
    cùng kỳ = 2,7, làm tròn xuống"."""
    placement = decision.cap
    assert placement is not None
    model = decision.rule.model
    cap = model.cap
    if placement.ratio is None or placement.base is None or cap is None:
        return message("cap.how_count", lang)
    rounding_param = model.params.get(cap.rounding)
    rounding = str(rounding_param.value) if rounding_param is not None else ""
    rounding_text = (message(f"cap.rounding.{rounding}", lang)
                     if rounding in ("down", "up", "half_up") else rounding)
    exact = DECIMAL_CONTEXT.multiply(placement.ratio, Decimal(placement.base))
    params = {"ratio": number(DECIMAL_CONTEXT.multiply(placement.ratio, Decimal(100)), lang),
              "base": placement.base, "exact": number(exact, lang), "rounding": rounding_text}
    if cap.limit.share_of_title is not None:
        return message("cap.how_title", lang, title=cap.limit.share_of_title, **params)
    return message("cap.how_headcount", lang, **params)


def _cap_cite(decision: Decision, lang: Language) -> str:
    cap = decision.rule.model.cap
    return cap.cite.render(lang) if cap is not None else "—"


def cap_text(decision: Decision, lang: Language = "vi") -> str | None:
    """The decision's place against its unit's cap in one sentence (None when it has no
    placement): rank, group size, group, limit and how the limit was reached, and the cap's
    legal source. For ``loai_do_chi_tieu`` this is the outcome's reason."""
    placement = decision.cap
    if placement is None:
        return None
    key = "cap.within" if placement.within else "reason.past_cap"
    return message(key, lang, rank=placement.rank, size=placement.group_size,
                   group=message("cap.group", lang, unit=placement.group, period=placement.period),
                   limit=placement.limit, how=_how_limit(decision, lang),
                   cite=_cap_cite(decision, lang))


def _rank_label(decision: Decision, name: str, lang: Language) -> str:
    return (message("cap.points", lang) if name == "points"
            else input_label(decision.rule.model, name, lang))


def cap_ranked_by(decision: Decision, lang: Language = "vi") -> str:
    """How the cap ranks a group, in words: the ``rank_by`` keys, then the tie-break."""
    cap = decision.rule.model.cap
    names = list(cap.rank_by) if cap is not None else []
    if not names:
        return message("cap.ranked_by_none", lang)
    shown = [_rank_label(decision, name, lang) for name in names]
    return message("cap.ranked_by", lang, keys=", ".join(shown))


def _key_shown(key: str, lang: Language) -> str:
    if key == "null":
        return message("label.value_missing", lang)
    if key in ("true", "false"):
        return message("label.yes" if key == "true" else "label.no", lang)
    try:
        return number(Decimal(key), lang)
    except ArithmeticError:
        return key


def cap_lines(decision: Decision, lang: Language = "vi") -> list[str]:
    """The lines ``tdkt explain`` shows about a cap placement (empty without one): the
    place (when inside the quota; past it, that is already the outcome's reason), how the
    group is ranked, and this nominee's values ranked on with its tie-break hash."""
    placement = decision.cap
    if placement is None:
        return []
    lines = [cap_text(decision, lang) or ""] if placement.within else []
    lines.append(cap_ranked_by(decision, lang))
    cap = decision.rule.model.cap
    names = list(cap.rank_by) if cap is not None else []
    *values, tie = placement.keys or ("",)
    if len(values) == len(names):
        shown = [f"{_rank_label(decision, name, lang)} {_key_shown(key, lang)}"
                 for name, key in zip(names, values, strict=True)]
        lines.append(message("cap.keys", lang, values="; ".join(shown) or "—", hash=tie[:16]))
    return lines


def cap_to_dict(decision: Decision, lang: Language = "vi") -> dict[str, Any] | None:
    """A decision's cap placement as JSON (None when it has none): the placement's fields,
    the rounding mode, the ``rank_by`` names with this nominee's values (``keys``, the last
    one the tie-break hash), the sentence (``text``) and the cap's citation."""
    placement = decision.cap
    if placement is None:
        return None
    cap = decision.rule.model.cap
    rounding = None
    if cap is not None and cap.rounding in decision.rule.model.params:
        rounding = str(decision.rule.model.params[cap.rounding].value)
    return {
        "group": placement.group, "period": placement.period, "rank": placement.rank,
        "limit": placement.limit, "group_size": placement.group_size,
        "within": placement.within, "base": placement.base,
        "ratio": None if placement.ratio is None else plain(placement.ratio),
        "rounding": rounding if placement.ratio is not None else None,
        "rank_by": list(cap.rank_by) if cap is not None else [],
        "keys": list(placement.keys),
        "text": cap_text(decision, lang),
        "ranked_by": cap_ranked_by(decision, lang),
        "cite": citation_to_dict(cap.cite, lang) if cap is not None else None,
    }


def _constant(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant)
            and isinstance(node.operand.value, int | float)):
        return -node.operand.value
    return None


def _call_parts(call: str) -> tuple[str, list[Any], dict[str, Any]]:
    """A context-function call's name, positional and keyword constants (``("", [], {})``
    when the text is not one plain call)."""
    try:
        node = ast.parse(call.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "", [], {}
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        return "", [], {}
    return (node.func.id, [_constant(arg) for arg in node.args],
            {k.arg: _constant(k.value) for k in node.keywords if k.arg})


def _years(periods: Sequence[int]) -> str:
    """Periods as people read them: ``2022, 2023, 2024`` (never grouped like numbers)."""
    return ", ".join(str(p) for p in periods)


def _span(periods: Sequence[int]) -> str:
    ordered = sorted(set(periods))
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}–{ordered[-1]}"
    return _years(ordered)


def _ids(ids: Sequence[str]) -> str:
    shown = list(ids[:MEMBERS_SHOWN])
    return ", ".join(shown) + (", …" if len(ids) > MEMBERS_SHOWN else "")


def _held_periods(seen: Sequence[Seen], title: str) -> list[int]:
    return sorted({s.period for s in seen if s.held and s.title == title and s.discipline is None})


def _reference(seen: Seen | None, lang: Language) -> str:
    if seen is None or seen.origin == "none":
        return message("context.ref.none", lang)
    if seen.origin == "import" and not seen.reference:
        return message("context.ref.import_bare", lang)
    return message(f"context.ref.{seen.origin}", lang, reference=seen.reference or "?")


def _percent(share: Decimal, lang: Language) -> str:
    """A share as a percentage, cut (never rounded up) to one decimal: 69,96 % reads
    "69,9", never "70", so the words never claim a threshold the value did not reach."""
    percent = DECIMAL_CONTEXT.multiply(share, Decimal(100))
    return number(percent.quantize(Decimal("0.1"), rounding=ROUND_DOWN).normalize()
                  if percent != percent.to_integral_value() else percent, lang)


def context_text(decision: Decision, value: DerivedValue, lang: Language = "vi",
                 titles: Mapping[str, str] | None = None) -> str:
    """One derived fact in words: the call, the periods or members it saw, and its value.

    ``titles`` maps rule ids to the names to show (the library's titles); without it the
    rule id is shown. Examples (vi): "3 năm liên tục đạt 'chien-si-thi-dua-co-so' (2022,
    2023, 2024)", "12/15 thành viên đạt 'lao-dong-tien-tien' (80%); gồm: NV-1, …",
    "'lao-dong-tien-tien' cùng kỳ 2025: Đạt, theo quyết định lao-dong-tien-tien@2025.1
    trong lượt xét này".
    """
    name, args, kwargs = _call_parts(value.call)

    def arg(index: int, key: str, default: Any = None) -> Any:
        if key in kwargs:
            return kwargs[key]
        return args[index] if len(args) > index and args[index] is not None else default

    raw_title = arg(0, "title", "")
    title_id = raw_title if isinstance(raw_title, str) else ""
    title = titles.get(title_id, title_id) if titles else title_id
    v = value.value
    seen = value.seen
    parts: list[str] = []
    if v is None:
        parts.append(message("context.undetermined", lang))
    elif value.source == "tu_khai":
        shown = (f"{_percent(v, lang)}%" if name == "share_of_members" and isinstance(v, Decimal)
                 else display_value(v, lang))
        parts.append(message("context.self_declared", lang, value=shown))
    elif name == "consecutive" and isinstance(v, Decimal | int):
        # the streak's periods are the ones the call saw held, newest last
        count = int(v)
        streak = _held_periods(seen, title_id)[-count:] if count else []
        parts.append(message("context.consecutive", lang, value=count, title=title,
                             periods=f" ({_years(streak)})" if streak else ""))
        if value.counted_from is not None:
            parts.append(message("context.counted_from", lang, period=value.counted_from))
    elif name == "held" and isinstance(v, bool):
        offset = arg(1, "period", -1)
        period = value.periods[-1] if value.periods else decision.period + (
            offset if isinstance(offset, int) else -1)
        if period == decision.period or value.source == "cung_ky":
            relied = next((s for s in seen if s.title == title_id and s.period == period), None)
            outcome = (message(f"outcome.{relied.outcome}", lang)
                       if relied is not None and relied.outcome in OUTCOMES
                       else message("outcome.dat" if v else "context.not_reached", lang))
            parts.append(message("context.same_period", lang, title=title, period=period,
                                 outcome=outcome, reference=_reference(relied, lang)))
        else:
            parts.append(message("context.held" if v else "context.not_held", lang,
                                 title=title, period=period))
    elif name == "count_in" and isinstance(v, Decimal | int):
        held = _held_periods(seen, title_id)
        periods = f" ({_years(held)})" if held else ""
        if value.periods:
            parts_looked = message("context.looked", lang, periods=_span(value.periods))
            periods = f"{periods}; {parts_looked}"
        window = arg(1, "periods")
        if isinstance(window, int):
            parts.append(message("context.count_in", lang, value=int(v), title=title, n=window,
                                 periods=periods))
        else:
            parts.append(message("context.count_in_all", lang, value=int(v), title=title,
                                 periods=periods))
    elif name == "periods_since" and isinstance(v, Decimal | int):
        held = _held_periods(seen, title_id)
        parts.append(message("context.periods_since", lang, value=int(v), title=title,
                             last=held[-1]) if held
                     else message("context.never_held", lang, title=title))
    elif name == "count_since" and isinstance(v, Decimal | int):
        after_id = arg(1, "after", "")
        after_id = after_id if isinstance(after_id, str) else ""
        after = titles.get(after_id, after_id) if titles else after_id
        after_held = _held_periods(seen, after_id)
        if not after_held:
            parts.append(message("context.count_since_never", lang, title=title, after=after))
        else:
            counted = [p for p in _held_periods(seen, title_id) if p > after_held[-1]]
            parts.append(message("context.count_since", lang, value=int(v), title=title,
                                 after=after, last=after_held[-1],
                                 periods=f" ({_years(counted)})" if counted else ""))
    elif name in ("share_of_members", "members_with") and isinstance(v, Decimal | int):
        rows = [s for s in seen if s.title == title_id and s.discipline is None]
        members = list(dict.fromkeys(s.subject for s in rows))
        holders = list(dict.fromkeys(s.subject for s in rows if s.held))
        total = len(members) if rows else "?"
        if name == "share_of_members":
            parts.append(message("context.share_of_members", lang,
                                 held=len(holders) if rows else "?", total=total, title=title,
                                 percent=_percent(Decimal(v), lang)))
        else:
            parts.append(message("context.members_with", lang, held=int(v), total=total,
                                 title=title))
        if holders:
            parts.append(message("context.member_list", lang, ids=_ids(holders)))
    elif name == "member_count":
        parts.append(message("context.member_count", lang, value=display_value(v, lang)))
    elif name == "members_disciplined" and isinstance(v, Decimal | int):
        level = arg(0, "level", "")
        parts.append(message("context.members_disciplined", lang, value=int(v), level=level))
        disciplined = list(dict.fromkeys(s.subject for s in seen if s.discipline is not None))
        if disciplined:
            parts.append(message("context.member_list", lang, ids=_ids(disciplined)))
    else:
        parts.append(message("context.other", lang, call=value.call,
                             value=display_value(v, lang)))
    if value.counted_from is not None and name != "consecutive":
        parts.append(message("context.counted_from", lang, period=value.counted_from))
    if value.unknown_members:
        parts.append(message("context.unknown_members", lang,
                             ids=_ids(list(value.unknown_members))))
    return "; ".join(parts)


def context_lines(decision: Decision, lang: Language = "vi",
                  titles: Mapping[str, str] | None = None) -> list[str]:
    """Each derived fact of a decision as a line people read: the input's label, the fact
    in words (:func:`context_text`) and where it came from (history, the same run, the
    members, or the record itself)."""
    model = decision.rule.model
    return [message("context.line", lang, label=input_label(model, value.input, lang),
                    words=context_text(decision, value, lang, titles),
                    source=message(f"context.source.{value.source}", lang))
            for value in decision.context]


def _seen_to_dict(seen: Seen) -> dict[str, Any]:
    return {"subject": seen.subject, "title": seen.title, "period": seen.period,
            "held": seen.held, "origin": seen.origin, "reference": seen.reference,
            "discipline": seen.discipline, "outcome": seen.outcome}


def context_to_dict(decision: Decision, value: DerivedValue, lang: Language = "vi"
                    ) -> dict[str, Any]:
    """One derived fact as JSON: ``input``, ``call``, ``value``, ``source``, ``periods``,
    ``seen`` (each holding, member decision or discipline behind it), ``counted_from``,
    ``unknown_members`` and the words (``text``)."""
    return {
        "input": value.input,
        "call": value.call,
        "value": plain(value.value),
        "source": value.source,
        "periods": list(value.periods),
        "seen": [_seen_to_dict(s) for s in value.seen],
        "counted_from": value.counted_from,
        "unknown_members": list(value.unknown_members),
        "text": context_text(decision, value, lang),
    }
