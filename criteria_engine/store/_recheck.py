"""Re-check a stored derived value against its own stored evidence.

A decision's derived value (``consecutive("chien-si-thi-dua-co-so")`` = 3) is kept with
what it saw: the periods in which the subject held the title, the members' decisions,
the disciplines that cut a streak. ``tdkt audit verify`` recomputes the value from that
evidence alone, with this small pure checker written apart from the engine's own
:mod:`criteria_engine.derived` (a second implementation of the same documented rules,
so a fault in one is caught by the other)::

    >>> check_derived(values, subject="NV-0012", period=2024)        # doctest: +SKIP
    [Problem(input='consecutive__chien_si_thi_dua_co_so', key='audit.derived_value', …)]

What each function means (periods are years, P the decision's period, "held" a ``seen``
item of the subject for the title with ``held`` true, disciplines excluded):

* ``held(t, period=k)`` (k ≤ 0, default -1): t held in P+k; with k = 0 and no evidence,
  missing (None).
* ``consecutive(t, include_current=False, after_discipline=True)``: the run of held
  periods ending with P-1 (P with ``include_current``), not reaching below
  ``counted_from`` when a discipline cut it.
* ``count_in(t, periods=N, include_current=False, after_discipline=False)``: held periods
  among the last N (all, when N is left out), from ``counted_from`` on.
* ``periods_since(t)``: P-1 minus the latest held period before P; 0 when none.
* ``count_since(t, u)``: held periods of t after the latest held period of u before P, up
  to P-1; 0 when u was never held.
* ``share_of_members(t)``, ``members_with(t)``: the members (one ``seen`` item each)
  holding t in P; the share an exact decimal (:data:`DECIMAL_CONTEXT`), missing with no
  member or an unknown member.
* ``member_count()``: the number of members; it keeps no evidence of its own, so it is
  checked against the members seen by the decision's other member roll-ups, if any.
* ``members_disciplined(level)``: members with a discipline of that level or heavier
  decided in P.

A history function with no history at all is missing (None, nothing seen). A streak cut
by a discipline lists the disciplines it saw, and ``counted_from`` is after each of them.
A member roll-up read from the record itself (source ``tu_khai``) has no evidence to
re-check; only its fact is compared. A call this checker does not recognise is itself a
finding: verify never passes what it could not check.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from criteria_engine.evidence import DerivedValue, Seen
from criteria_engine.expressions import DECIMAL_CONTEXT
from criteria_engine.history import DISCIPLINE_LEVELS

__all__ = ["Call", "Problem", "UnknownCall", "check_derived", "parse_call", "recompute"]

#: The longest call text looked at (a rule's ``derive:`` is at most 500 characters).
MAX_CALL = 500
#: The furthest back a streak may reach (as the engine's limit on history functions).
MAX_LOOKBACK = 50

#: name → (title arguments, level argument, options and their types, result kind)
_FUNCTIONS: dict[str, tuple[int, bool, dict[str, type], str]] = {
    "held": (1, False, {"period": int}, "boolean"),
    "consecutive": (1, False, {"include_current": bool, "after_discipline": bool}, "number"),
    "count_in": (1, False, {"periods": int, "include_current": bool,
                            "after_discipline": bool}, "number"),
    "periods_since": (1, False, {}, "number"),
    "count_since": (2, False, {}, "number"),
    "share_of_members": (1, False, {}, "number"),
    "members_with": (1, False, {}, "number"),
    "member_count": (0, False, {}, "number"),
    "members_disciplined": (0, True, {}, "number"),
}
_MEMBERS = frozenset({"share_of_members", "members_with", "member_count",
                      "members_disciplined"})


class UnknownCall(ValueError):
    """The stored call text is not a context function this checker can recompute."""


@dataclass(frozen=True, slots=True)
class Call:
    function: str
    titles: tuple[str, ...] = ()
    level: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    def option(self, name: str, default: Any) -> Any:
        return self.options.get(name, default)


@dataclass(frozen=True, slots=True)
class Problem:
    """One derived value that its evidence does not support (a finding's key and params)."""

    input: str
    key: str
    params: Mapping[str, Any]


def parse_call(text: str) -> Call:
    """The call as written in the rule (``count_in("t", periods=5)``); literals only.

    Raises :class:`UnknownCall` for anything else. The text is parsed, never run.
    """
    if len(text) > MAX_CALL:
        raise UnknownCall(text[:40])
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError):
        raise UnknownCall(text) from None
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name) \
            or node.func.id not in _FUNCTIONS:
        raise UnknownCall(text)
    titles_wanted, level_wanted, options_allowed, _kind = _FUNCTIONS[node.func.id]
    try:
        args = [ast.literal_eval(arg) for arg in node.args]
        options = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
    except (ValueError, TypeError, SyntaxError):
        raise UnknownCall(text) from None
    if len(args) != titles_wanted + level_wanted or not all(isinstance(a, str) for a in args):
        raise UnknownCall(text)
    for name, value in options.items():
        if name not in options_allowed or type(value) is not options_allowed[name]:
            raise UnknownCall(text)
    level = args[-1] if level_wanted else None
    if level is not None and level not in DISCIPLINE_LEVELS:
        raise UnknownCall(text)
    return Call(node.func.id, tuple(args[:titles_wanted]), level,
                {name: value for name, value in options.items() if name is not None})


class _Unchecked:
    """No evidence to recompute from (a self-declared value, a lone member count)."""


UNCHECKED = _Unchecked()


def _held_periods(seen: Sequence[Seen], subject: str, title: str) -> set[int]:
    return {item.period for item in seen if item.subject == subject and item.title == title
            and item.held and item.discipline is None}


def recompute(value: DerivedValue, call: Call, *, subject: str, period: int,
              siblings: Sequence[DerivedValue] = ()) -> Decimal | bool | _Unchecked | None:
    """The value ``call`` gives from ``value.seen`` alone (see the module docstring)."""
    if call.function in _MEMBERS:
        return _members(value, call, period, siblings)
    own = [item for item in value.seen if item.subject == subject]
    if not own and value.value is None:
        return None  # no history at all (or no decision yet for this period): missing
    title = call.titles[0] if call.titles else ""
    held = _held_periods(own, subject, title)
    function = call.function
    if function == "held":
        year = period + int(call.option("period", -1))
        if year == period and not [s for s in own if s.title == title and s.period == year]:
            return None
        return year in held
    include_current = bool(call.option("include_current", False))
    last = period if include_current else period - 1
    floor = value.counted_from
    if function == "consecutive":
        lowest = period - MAX_LOOKBACK if floor is None else max(floor, period - MAX_LOOKBACK)
        year = last
        while year >= lowest and year in held:
            year -= 1
        return Decimal(last - year)
    if function == "count_in":
        span = call.option("periods", None)
        earliest = min([*held, last]) if span is None else last - int(span) + 1
        if floor is not None:
            earliest = max(earliest, floor)
        return Decimal(sum(1 for year in held if earliest <= year <= last))
    if function == "periods_since":
        before = [year for year in held if year < period]
        return Decimal(period - 1 - max(before)) if before else Decimal(0)
    # count_since(t, u)
    anchors = [year for year in _held_periods(own, subject, call.titles[1]) if year < period]
    if not anchors:
        return Decimal(0)
    latest = max(anchors)
    return Decimal(sum(1 for year in held if latest < year <= period - 1))


def _members(value: DerivedValue, call: Call, period: int, siblings: Sequence[DerivedValue]
             ) -> Decimal | bool | _Unchecked | None:
    if value.source == "tu_khai":
        return UNCHECKED
    function = call.function
    if function == "members_disciplined":
        floor = DISCIPLINE_LEVELS.index(call.level or DISCIPLINE_LEVELS[0])
        return Decimal(sum(1 for item in value.seen
                           if item.period == period and item.discipline in DISCIPLINE_LEVELS
                           and DISCIPLINE_LEVELS.index(item.discipline) >= floor))
    if function == "member_count":
        rolls = [sibling for sibling in siblings if sibling is not value
                 and sibling.source == "thanh_vien" and sibling.seen
                 and _title_call(sibling.call)]
        if not rolls:
            return UNCHECKED
        return Decimal(len(rolls[0].seen))
    if value.unknown_members:
        return None
    # One seen item per member as the record lists them (the same id twice counts twice).
    title = call.titles[0]
    members = len(value.seen)
    holders = sum(1 for item in value.seen
                  if item.title == title and item.period == period and item.held)
    if function == "members_with":
        return Decimal(holders)
    if not members:
        return None
    return DECIMAL_CONTEXT.divide(Decimal(holders), Decimal(members))


def _title_call(text: str) -> bool:
    """A member roll-up over a title (its ``seen`` lists every member)."""
    try:
        return parse_call(text).function in ("share_of_members", "members_with")
    except UnknownCall:
        return False


def _same(stored: Any, recomputed: Any) -> bool:
    if isinstance(recomputed, bool) or isinstance(stored, bool):
        return stored is recomputed
    if stored is None or recomputed is None:
        return stored is recomputed
    try:
        return bool(Decimal(stored) == Decimal(recomputed))
    except (ArithmeticError, ValueError, TypeError):  # an edited fact that is no number
        return False


def shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _discipline_problem(value: DerivedValue, call: Call) -> Problem | None:
    """A cut streak lists the disciplines it saw, and counts only after each of them."""
    disciplines = [item.period for item in value.seen if item.discipline is not None]
    cuts = call.function in ("consecutive", "count_in") and call.option(
        "after_discipline", call.function == "consecutive")
    if call.function in _MEMBERS:
        return None
    counted_from = value.counted_from
    fine = (counted_from is None and not disciplines) if not cuts else (
        (counted_from is None) == (not disciplines)
        and (counted_from is None or counted_from > max(disciplines)))
    if fine:
        return None
    return Problem(value.input, "audit.derived_discipline",
                   {"input": value.input, "counted_from": shown(counted_from),
                    "periods": ", ".join(map(str, sorted(disciplines))) or "—"})


def check_derived(values: Sequence[DerivedValue], *, subject: str, period: int,
                  facts: Mapping[str, Any] | None = None) -> list[Problem]:
    """Every derived value recomputed from its evidence and compared with what is stored;
    and, when ``facts`` (the stored facts) are given, each value compared with the fact
    of its input, which the replay judged."""
    problems: list[Problem] = []
    for value in values:
        if facts is not None and not _same(facts.get(value.input), value.value):
            problems.append(Problem(value.input, "audit.derived_fact", {
                "input": value.input, "value": shown(value.value),
                "fact": shown(facts.get(value.input))}))
        try:
            call = parse_call(value.call)
        except UnknownCall:
            problems.append(Problem(value.input, "audit.derived_call",
                                    {"input": value.input, "call": value.call[:80]}))
            continue
        discipline = _discipline_problem(value, call)
        if discipline is not None:
            problems.append(discipline)
        recomputed = recompute(value, call, subject=subject, period=period, siblings=values)
        if isinstance(recomputed, _Unchecked):
            continue
        kind = _FUNCTIONS[call.function][3]
        typed = isinstance(value.value, bool) == (kind == "boolean") or value.value is None
        if not typed or not _same(value.value, recomputed):
            problems.append(Problem(value.input, "audit.derived_value", {
                "input": value.input, "call": value.call[:80], "stored": shown(value.value),
                "recomputed": shown(recomputed)}))
    return problems
