"""Caps: a quota of a title per unit and period, with a ranking and a documented tie-break.

A rule may declare ``cap`` (:class:`criteria_engine.rules.Cap`): a ministry or province
limits how many of a unit may hold the title in a period, and the limit must cite its legal
source (the national 15 % CSTĐCS cap of NĐ 91/2017 is gone; see the law review §4). Pure:
no I/O, no clock; the same decisions give the same placements on any machine, in any
input order, which is what lets ``tdkt audit verify`` replay a cap.

**The group** is ``(decision.unit, decision.period)``. Only the group's decisions whose
outcome is ``dat`` are ranked; every other decision (``khong_dat``, ``hoan_xet``,
``trung_thanh_tich`` …) is returned unchanged and does not take a place.

**The limit** (``cap.limit``), each a param of the rule:

* ``count: p`` — the param's value, a whole number ≥ 0;
* ``share_of_headcount: p`` — the param's ratio (0..1) × the group's headcount: the number
  of records of this rule's subject in that unit and period in the run (``headcount``);
* ``share_of_title: t`` with ``ratio: p`` — the ratio × the number of the group's holders
  (outcome ``dat``) of title ``t`` in the same period (``holders``).

A share is rounded to a whole number by the mode held in the param named by ``rounding``:
``down`` (to the whole number below: 15 % of 18 = 2,7 → 2), ``up`` (above: → 3) or
``half_up`` (nearest, a half going up: 2,5 → 3, 2,49 → 2). Products are exact decimals;
no float is involved.

**The ranking** follows ``rank_by`` in order: ``points`` higher first; an input in its
declared ``better`` direction (``higher`` when not declared; for a yes/no input "higher"
means yes before no). A missing value ranks after every present one. Enum inputs cannot
be ranked (refused at load by :func:`cap_problems`).

**The final tie-break**, when every ``rank_by`` key is equal, is the ascending SHA-256 hex
digest of ``"<rule id>|<period>|<nominee id>"`` (UTF-8). It is

* *stable*: the same rule, period and nominee always give the same key, so a replay
  (years later, on another machine) places everyone where they were;
* *never the input order*: the order of records in a file, which a clerk controls and which
  changes when a file is sorted or re-exported, has no effect at all;
* *not biased by how ids are assigned*: sorting by id itself would favour whoever got the
  lower code (often whoever was hired or entered first) in every tie, every year. A hash
  spreads ids evenly, and including the rule id and the period means the same person does
  not lose every tie of every title in every year.

It is a deterministic lot, not a merit judgement; a council that wants a merit order
names more ``rank_by`` keys. The tie-break key is kept on the placement
(:attr:`CapPlacement.keys`, last) so an explanation can show it.

**A decision without a unit** cannot be placed: it is returned unchanged (no cap, outcome
as it was) and a :class:`RecordError` naming the record and the field ``unit`` is listed in
:attr:`CapResult.problems`, so the caller reports it (and should not award the title on it);
the rest of the group is still capped.

Example::

    result = apply_cap(rule, decisions, holders={("Phòng A", 2025): 12})
    for problem in result.problems:
        report(problem)
    decisions = result.decisions          # same order as the input
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Any, NamedTuple

from criteria_engine.errors import Location, RecordError, RuleFileError
from criteria_engine.evaluator import CompiledRule, Decision
from criteria_engine.evidence import CapPlacement
from criteria_engine.expressions import DECIMAL_CONTEXT
from criteria_engine.nominees import Nominee
from criteria_engine.rules import Cap, RuleSource

__all__ = [
    "POINTS",
    "ROUNDING_MODES",
    "CapLimitValue",
    "CapResult",
    "apply_cap",
    "cap_limit",
    "cap_problems",
    "tie_break_key",
]

#: The ``rank_by`` name that ranks by the decision's points.
POINTS = "points"
#: The rounding modes a cap's ``rounding`` param may hold, and the decimal rounding of each
#: (shares are never negative, so ``down``/``up`` are towards/away from zero).
ROUNDING_MODES: dict[str, str] = {"down": ROUND_DOWN, "up": ROUND_UP, "half_up": ROUND_HALF_UP}


class CapResult(NamedTuple):
    """What :func:`apply_cap` gives back: the decisions, in the input order, and the records
    that could not be placed (no unit), one :class:`RecordError` each."""

    decisions: list[Decision]
    problems: list[RecordError]


@dataclass(frozen=True, slots=True)
class CapLimitValue:
    """A group's limit and how it was reached: ``limit = rounding(ratio × base)`` for a
    share, ``limit = count`` for an absolute cap (``base`` and ``ratio`` None)."""

    limit: int
    base: int | None = None
    ratio: Decimal | None = None
    rounding: str | None = None


# --- load-time check -------------------------------------------------------------------------


def cap_problems(source: RuleSource) -> list[RuleFileError]:
    """Every problem of a rule file's ``cap`` (empty when it has none or it is sound).

    Checked: exactly one of ``count``, ``share_of_headcount``, ``share_of_title`` (and
    ``ratio`` with ``share_of_title`` only, and always with it); each named param exists;
    a count is a whole number ≥ 0, a ratio a number from 0 to 1, ``rounding`` one of
    ``down``, ``up``, ``half_up``; ``share_of_title`` names another title than this one;
    each ``rank_by`` name is ``points`` or a declared input that is not an enum, named once.
    Each problem is located at its key in the file.
    """
    model = source.model
    cap = model.cap
    if cap is None:
        return []
    problems: list[RuleFileError] = []
    limit = cap.limit
    chosen = [key for key in ("count", "share_of_headcount", "share_of_title")
              if getattr(limit, key) is not None]
    if len(chosen) != 1:
        problems.append(RuleFileError("cap.limit_choice", source.where("cap", "limit"),
                                      given=", ".join(chosen) or "—"))
    if limit.share_of_title is not None and limit.ratio is None:
        problems.append(RuleFileError("cap.ratio_missing", source.where("cap", "limit")))
    if limit.ratio is not None and limit.share_of_title is None:
        problems.append(RuleFileError("cap.ratio_without_title",
                                      source.where("cap", "limit", "ratio")))
    if limit.share_of_title is not None and limit.share_of_title == model.id:
        problems.append(RuleFileError("cap.own_title",
                                      source.where("cap", "limit", "share_of_title"),
                                      title=model.id))
    params = model.params

    def param(path: tuple[str, ...], name: str) -> Any:
        if name not in params:
            problems.append(RuleFileError("cap.param_unknown", source.where("cap", *path),
                                          name=name, known=", ".join(sorted(params)) or "—"))
            return None
        return params[name].value

    if limit.count is not None:
        value = param(("limit", "count"), limit.count)
        if value is not None and not _whole(value):
            problems.append(RuleFileError("cap.count_value", source.where("params", limit.count),
                                          name=limit.count, value=str(value)))
    for key in ("share_of_headcount", "ratio"):
        name = getattr(limit, key)
        if name is None:
            continue
        value = param(("limit", key), name)
        if value is not None and not _ratio(value):
            problems.append(RuleFileError("cap.ratio_value", source.where("params", name),
                                          name=name, value=str(value)))
    value = param(("rounding",), cap.rounding)
    if value is not None and not (isinstance(value, str) and value in ROUNDING_MODES):
        problems.append(RuleFileError("cap.rounding_value", source.where("params", cap.rounding),
                                      name=cap.rounding, value=str(value),
                                      allowed=", ".join(ROUNDING_MODES)))
    seen: set[str] = set()
    for index, name in enumerate(cap.rank_by):
        where = source.where("cap", "rank_by", index)
        if name in seen:
            problems.append(RuleFileError("cap.rank_by_twice", where, name=name))
            continue
        seen.add(name)
        if name == POINTS:
            continue
        spec = model.inputs.get(name)
        if spec is None:
            problems.append(RuleFileError("cap.rank_by_unknown", where, name=name,
                                          known=", ".join([POINTS, *model.inputs])))
        elif spec.type == "enum":
            problems.append(RuleFileError("cap.rank_by_enum", where, name=name))
    return problems


def _whole(value: Any) -> bool:
    return (isinstance(value, Decimal) and not isinstance(value, bool) and value.is_finite()
            and value >= 0 and value == value.to_integral_value())


def _ratio(value: Any) -> bool:
    return (isinstance(value, Decimal) and not isinstance(value, bool) and value.is_finite()
            and 0 <= value <= 1)


def _checked_cap(rule: CompiledRule) -> Cap:
    cap = rule.model.cap
    if cap is None:
        raise ValueError(f"rule {rule.id} {rule.version} declares no cap")
    problems = cap_problems(rule.source)
    if problems:
        first, *rest = problems
        first.more = [*rest]
        raise first
    return cap


# --- the limit -------------------------------------------------------------------------------


def cap_limit(rule: CompiledRule, *, base: int | None) -> CapLimitValue:
    """The limit of one group of ``rule``'s cap: ``base`` is the group's headcount
    (``share_of_headcount``) or its holders of the other title (``share_of_title``);
    it is ignored for a ``count`` cap. Raises :class:`RuleFileError` for an unsound cap."""
    return _limit(rule, _checked_cap(rule), base)


def _limit(rule: CompiledRule, cap: Cap, base: int | None) -> CapLimitValue:
    params = rule.model.params
    rounding = str(params[cap.rounding].value)
    if cap.limit.count is not None:
        count = params[cap.limit.count].value
        assert isinstance(count, Decimal)
        return CapLimitValue(limit=int(count), rounding=rounding)
    name = cap.limit.share_of_headcount or cap.limit.ratio
    assert name is not None and base is not None
    ratio = params[name].value
    assert isinstance(ratio, Decimal) and not isinstance(ratio, bool)
    exact = DECIMAL_CONTEXT.multiply(ratio, Decimal(base))
    limit = int(exact.to_integral_value(rounding=ROUNDING_MODES[rounding]))
    return CapLimitValue(limit=limit, base=base, ratio=ratio, rounding=rounding)


# --- ranking ---------------------------------------------------------------------------------


def tie_break_key(rule_id: str, period: int, nominee_id: str) -> str:
    """The final tie-break key: SHA-256 hex of ``"<rule id>|<period>|<nominee id>"``;
    smaller ranks first (see the module's documentation for why)."""
    return hashlib.sha256(f"{rule_id}|{period}|{nominee_id}".encode()).hexdigest()


def _order_part(value: Any, higher: bool) -> tuple[int, Decimal]:
    """One ``rank_by`` value as a sort key part: present before missing, best first."""
    if value is None:
        return (1, Decimal(0))
    number = Decimal(int(value)) if isinstance(value, bool) else Decimal(value)
    return (0, number.copy_negate() if higher else number)


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return str(value)


def _rank_values(rule: CompiledRule, cap: Cap, decision: Decision) -> list[Any]:
    return [decision.points if name == POINTS else decision.facts.get(name)
            for name in cap.rank_by]


# --- applying a cap --------------------------------------------------------------------------


def apply_cap(rule: CompiledRule, decisions: Sequence[Decision], *,
              nominees: Mapping[str, Nominee] | None = None,
              holders: Mapping[tuple[str, int], int] | None = None,
              headcount: Mapping[tuple[str, int], int] | None = None) -> CapResult:
    """Place ``rule``'s ``dat`` decisions against its cap, group by group.

    ``decisions`` are ``rule``'s decisions of a run (any outcomes, any units and periods;
    decisions of another rule are returned unchanged). Each ``dat`` decision with a unit
    gets ``cap=CapPlacement(...)``; those ranked past their group's limit get the outcome
    ``loai_do_chi_tieu`` (and reward no achievement). Everything else is unchanged.

    * ``nominees`` (id → record): where a decision carries no unit, the record's unit is
      used; optional.
    * ``holders`` ((unit, period) → number of ``dat`` decisions of the ``share_of_title``
      title): required for such a cap; a group not in it has no holders (limit 0).
    * ``headcount`` ((unit, period) → records of this rule's subject in that unit and
      period in the run): for a ``share_of_headcount`` cap; a group not in it (or no
      mapping at all) counts this rule's decisions of the group, every outcome.

    Returns :class:`CapResult`: the decisions in the input order, and a
    :class:`RecordError` (``cap.no_unit``, field ``unit``) for each ``dat`` decision that
    has no unit (left unchanged, uncapped). Raises :class:`RuleFileError` if the rule's
    cap is unsound (see :func:`cap_problems`) and ``ValueError`` if the rule has no cap or
    ``holders`` is missing for a ``share_of_title`` cap (a caller's mistake).
    """
    cap = _checked_cap(rule)
    if cap.limit.share_of_title is not None and holders is None:
        raise ValueError(f"the cap of {rule.id} {rule.version} is a share of "
                         f"{cap.limit.share_of_title}: pass its holders per unit and period")
    result = list(decisions)
    problems: list[RecordError] = []
    groups: dict[tuple[str, int], list[int]] = {}
    sizes: dict[tuple[str, int], int] = {}
    for index, decision in enumerate(result):
        if decision.rule is not rule and (decision.rule.id, decision.rule.version) != (
                rule.id, rule.version):
            continue
        unit = _unit_of(decision, nominees)
        if unit is None:
            if decision.outcome == "dat":
                problems.append(RecordError("cap.no_unit",
                                            Location(record=decision.nominee_id, field="unit"),
                                            rule=rule.id, version=rule.version))
            continue
        group = (unit, decision.period)
        sizes[group] = sizes.get(group, 0) + 1
        if decision.outcome == "dat":
            groups.setdefault(group, []).append(index)
    higher = [name == POINTS or (rule.model.inputs[name].better or "higher") == "higher"
              for name in cap.rank_by]
    for group, indexes in groups.items():
        unit, period = group
        if cap.limit.count is not None:
            base = None
        elif cap.limit.share_of_title is not None:
            assert holders is not None
            base = holders.get(group, 0)
        else:
            base = headcount.get(group, sizes[group]) if headcount is not None else sizes[group]
        limit = _limit(rule, cap, base)
        keyed = []
        for index in indexes:
            decision = result[index]
            values = _rank_values(rule, cap, decision)
            tie = tie_break_key(rule.id, period, decision.nominee_id)
            order = tuple(_order_part(v, up) for v, up in zip(values, higher, strict=True))
            keyed.append((order, tie, index, (*map(_shown, values), tie)))
        keyed.sort(key=lambda item: (item[0], item[1]))
        for rank, (_, _, index, keys) in enumerate(keyed, start=1):
            within = rank <= limit.limit
            placement = CapPlacement(group=unit, period=period, rank=rank, limit=limit.limit,
                                     group_size=len(keyed), within=within, base=limit.base,
                                     ratio=limit.ratio, keys=keys)
            decision = result[index]
            result[index] = (decision._replace(cap=placement) if within else
                             decision._replace(cap=placement, outcome="loai_do_chi_tieu",
                                               achievements=()))
    return CapResult(result, problems)


def _unit_of(decision: Decision, nominees: Mapping[str, Nominee] | None) -> str | None:
    unit = decision.unit
    if (unit is None or not unit.strip()) and nominees is not None:
        record = nominees.get(decision.nominee_id)
        unit = record.unit if record is not None else None
    return unit if unit is not None and unit.strip() else None
