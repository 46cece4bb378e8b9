"""Derived inputs: facts the engine reads from the title history, the same period's other
decisions and a collective's members, instead of from the record.

A council never judges a record alone: "Chiến sĩ thi đua tỉnh" needs three consecutive
years of "Chiến sĩ thi đua cơ sở" (Luật 2022 Điều 22), "Chiến sĩ thi đua cơ sở" needs
"Lao động tiên tiến" in the same year (Điều 23 k1), "Tập thể lao động xuất sắc" needs 70 %
of its members to hold "Lao động tiên tiến" (Điều 27). A rule asks for these through a
small typed set of *context functions*, written in an expression or as an input's
``derive:``::

    consecutive("chien-si-thi-dua-co-so") >= 3
    members_ldtt_share: {type: decimal, min: 0, max: 1, label: …,
                         derive: 'share_of_members("lao-dong-tien-tien")'}

Each call becomes a derived input of the compiled rule, typed like any declared input (an
integer from 0, a boolean, a ratio from 0 to 1), so the evaluator, ``tdkt check`` and
``tdkt dedup`` see an ordinary bounded fact, and a stored decision replays from its facts
alone. Before evaluation, :func:`derive_facts` computes each one and keeps what it saw
(:class:`criteria_engine.evidence.DerivedValue`): the periods, the members, the decisions.

The functions (periods are years; "the previous period" is the year before):

``held("t", period=-1)``
    boolean: the subject held t in that period (``0`` = this period, read from the run's
    decision for t, or a history row for this period).
``consecutive("t", include_current=False, after_discipline=True)``
    integer: the run of consecutive periods in which the subject held t, ending with the
    previous period (this one with ``include_current``). With ``after_discipline`` the
    periods up to the end of the subject's latest discipline are not counted: NĐ 152/2025
    Điều 4 k4, achievements count "từ thời điểm chấp hành xong thời gian thi hành kỷ
    luật". A discipline that ends during a year cuts that whole year.
``count_in("t", periods=5, include_current=False, after_discipline=False)``
    integer: the periods among the last ``periods`` (all of the history when left out) in
    which the subject held t.
``periods_since("t")``
    integer: whole periods after the latest holding of t, up to the previous period (t in
    2019, judged in 2025: 5); 0 when never held.
``count_since("t", "u")``
    integer: the periods after the latest holding of u, up to the previous period, in which
    t was held; 0 when u was never held.
``share_of_members("t")``, ``members_with("t")``, ``member_count()``
    a collective's members (the record's ``members``) holding t in this period: a ratio
    (exact decimal), a count, and the number of members.
``members_disciplined("canh_cao")``
    integer: members with a discipline of that level or heavier decided in this period.

A history function with no history loaded at all is *missing* (the outcome is then
``thieu_du_lieu``, never a silent 0); with a history, a period without a row is a period
without the title. A member roll-up on a record that names no members reads the record's
own value (self-declared), and the explanation says so.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from criteria_engine.errors import ExpressionError, Location
from criteria_engine.evidence import DerivedValue, Seen
from criteria_engine.expressions import DECIMAL_CONTEXT
from criteria_engine.history import DISCIPLINE_LEVELS, History

__all__ = [
    "CONTEXT_FUNCTIONS",
    "Derivation",
    "PeriodContext",
    "derive_facts",
    "parse_call",
    "parse_derivation",
]

Kind = Literal["boolean", "integer", "ratio"]
Family = Literal["history", "members"]


@dataclass(frozen=True, slots=True)
class _Signature:
    titles: int                       # how many leading title-id arguments
    options: Mapping[str, type]       # keyword options and their literal types
    kind: Kind
    family: Family
    level_argument: bool = False      # members_disciplined("canh_cao")


#: The context functions: their arguments, options, result type and what they read.
CONTEXT_FUNCTIONS: dict[str, _Signature] = {
    "held": _Signature(1, {"period": int}, "boolean", "history"),
    "consecutive": _Signature(1, {"include_current": bool, "after_discipline": bool},
                              "integer", "history"),
    "count_in": _Signature(1, {"periods": int, "include_current": bool,
                               "after_discipline": bool}, "integer", "history"),
    "periods_since": _Signature(1, {}, "integer", "history"),
    "count_since": _Signature(2, {}, "integer", "history"),
    "share_of_members": _Signature(1, {}, "ratio", "members"),
    "members_with": _Signature(1, {}, "integer", "members"),
    "member_count": _Signature(0, {}, "integer", "members"),
    "members_disciplined": _Signature(0, {}, "integer", "members", level_argument=True),
}
#: The furthest back a history function may look, in periods.
MAX_LOOKBACK = 50
_TITLE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class Derivation:
    """One parsed context-function call: what it reads and how."""

    function: str
    titles: tuple[str, ...] = ()
    options: tuple[tuple[str, Any], ...] = ()
    level: str | None = None
    #: The canonical call text, made once (every derived value carries it).
    text: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        args = [f'"{title}"' for title in self.titles]
        if self.level is not None:
            args.append(f'"{self.level}"')
        args += [f"{name}={value!r}" for name, value in self.options]
        object.__setattr__(self, "text", f"{self.function}({', '.join(args)})")

    @property
    def signature(self) -> _Signature:
        return CONTEXT_FUNCTIONS[self.function]

    @property
    def kind(self) -> Kind:
        return self.signature.kind

    @property
    def family(self) -> Family:
        return self.signature.family

    def option(self, name: str, default: Any) -> Any:
        for option, value in self.options:
            if option == name:
                return value
        return default

    @property
    def input_name(self) -> str:
        """The synthesised input name of a call written in an expression."""
        parts = [self.function, *(t.replace("-", "_") for t in self.titles)]
        if self.level is not None:
            parts.append(self.level)
        parts += [f"{name}_{str(value).lower()}".replace("-", "m") for name, value in self.options]
        return "__".join(parts)

    def same_period_titles(self) -> tuple[str, ...]:
        """The titles whose decision in the same period this call reads: a run judges
        them first."""
        if self.family == "members":
            return self.titles
        if self.function == "held" and self.option("period", -1) == 0:
            return self.titles
        if self.function in ("consecutive", "count_in") and self.option("include_current", False):
            return self.titles
        return ()

    def history_titles(self) -> tuple[str, ...]:
        return self.titles


def parse_derivation(text: str) -> Derivation:
    """A ``derive:`` text as a call; :class:`ExpressionError` (column inside the text)
    when it is not one call of a context function with literal arguments."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError("derive.syntax", Location(line=1, column=exc.offset or 1)) from None
    if not isinstance(tree.body, ast.Call) or not isinstance(tree.body.func, ast.Name):
        raise ExpressionError("derive.not_call", Location(line=1, column=1),
                              allowed=_allowed())
    return parse_call(tree.body)


def parse_call(node: ast.Call) -> Derivation:
    """Check one call node of a context function (the caller knows the name is one)."""
    assert isinstance(node.func, ast.Name)
    name = node.func.id
    signature = CONTEXT_FUNCTIONS.get(name)
    if signature is None:
        raise _fail(node.func, "derive.unknown_function", name=name, allowed=_allowed())
    wanted = signature.titles + (1 if signature.level_argument else 0)
    if len(node.args) != wanted:
        raise _fail(node, "expr.arity", name=name, expected=str(wanted), got=len(node.args))
    texts: list[str] = []
    for arg in node.args:
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            raise _fail(arg, "derive.literal_title", name=name)
        texts.append(arg.value)
    titles = texts[:signature.titles]
    for arg, title in zip(node.args, titles, strict=False):
        if not _TITLE.match(title) or len(title) > 100:
            raise _fail(arg, "derive.title_form", title=title[:40])
    level = None
    if signature.level_argument:
        level = texts[-1]
        if level not in DISCIPLINE_LEVELS:
            raise _fail(node.args[-1], "derive.level", level=level[:40],
                        allowed=", ".join(DISCIPLINE_LEVELS))
    options: dict[str, Any] = {}
    for keyword in node.keywords:
        if keyword.arg is None or keyword.arg not in signature.options:
            raise _fail(keyword.value, "derive.option", name=name, option=str(keyword.arg),
                        allowed=", ".join(signature.options) or "—")
        value = _literal(keyword.value)
        wanted_type = signature.options[keyword.arg]
        if type(value) is not wanted_type:
            raise _fail(keyword.value, "derive.option_type", option=keyword.arg,
                        expected="True/False" if wanted_type is bool else "số nguyên / integer")
        number = value if isinstance(value, int) else 0
        if keyword.arg == "period" and not -MAX_LOOKBACK <= number <= 0:
            raise _fail(keyword.value, "derive.period", limit=MAX_LOOKBACK)
        if keyword.arg == "periods" and not 1 <= number <= MAX_LOOKBACK:
            raise _fail(keyword.value, "derive.periods", limit=MAX_LOOKBACK)
        options[keyword.arg] = value
    ordered = tuple((option, options[option]) for option in signature.options if option in options)
    return Derivation(name, tuple(titles), ordered, level)


def _literal(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant) and type(node.value) in (int, bool):
        return node.value
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant) and type(node.operand.value) is int):
        return -node.operand.value
    return None


def _allowed() -> str:
    return ", ".join(f"{name}()" for name in CONTEXT_FUNCTIONS)


def _fail(node: ast.AST, key: str, **params: Any) -> ExpressionError:
    return ExpressionError(key, Location(line=getattr(node, "lineno", 1),
                                         column=getattr(node, "col_offset", 0) + 1), **params)


# --- computing ------------------------------------------------------------------------


class PeriodContext:
    """What derived inputs read for one period: the history (None when the run has none),
    the run's decisions so far (by subject and title), and the ids the run knows.

    Filled by the period run title by title, in dependency order, so a title's decisions
    are there before any title that reads them is judged.
    """

    def __init__(self, period: int, history: History | None = None,
                 run_ids: Collection[str] = ()) -> None:
        self.period = period
        self.history = history
        self.run_ids = set(run_ids)
        self.decided: dict[tuple[str, str], Any] = {}   # (subject, title) -> Decision

    def add(self, decision: Any) -> None:
        self.decided[(decision.nominee_id, decision.rule.id)] = decision

    def known(self, subject: str) -> bool:
        return subject in self.run_ids or (self.history is not None
                                           and self.history.knows(subject))

    def same_period(self, subject: str, title: str) -> Seen | None:
        """Whether ``subject`` holds ``title`` this period: the run's decision, else a
        history row for this period; None when neither says."""
        decision = self.decided.get((subject, title))
        if decision is not None:
            return Seen(subject, title, self.period, decision.outcome == "dat", "run",
                        f"{decision.rule.id}@{decision.rule.version}", outcome=decision.outcome)
        if self.history is not None:
            entry = self.history.holdings(subject, title).get(self.period)
            if entry is not None:
                return _seen(entry, subject, title, self.period)
        return None


def _seen(entry: Any, subject: str, title: str, period: int) -> Seen:
    origin: Literal["store", "import"] = "store" if entry.source == "store" else "import"
    reference = (str(entry.decision_id) if origin == "store" and entry.decision_id is not None
                 else entry.decision_number)
    return Seen(subject, title, period, True, origin, reference)


def derive_facts(derived: Mapping[str, Derivation], facts: dict[str, Any], *, subject: str,
                 members: Sequence[str] | None, context: PeriodContext
                 ) -> tuple[DerivedValue, ...]:
    """Compute every derived input of one record into ``facts`` (in place) and return what
    each one saw. Inputs are computed in name order, so the result is stable."""
    values = []
    for name in sorted(derived):
        derivation = derived[name]
        if derivation.family == "members":
            if members is None:
                values.append(DerivedValue(name, derivation.text, facts.get(name), "tu_khai"))
                continue
            value = _members(derivation, name, members, context)
        else:
            value = _history(derivation, name, subject, context)
        facts[name] = value.value
        values.append(value)
    return tuple(values)


def _history(derivation: Derivation, name: str, subject: str,
             context: PeriodContext) -> DerivedValue:
    function = derivation.function
    period = context.period
    if function == "held" and derivation.option("period", -1) == 0:
        seen = context.same_period(subject, derivation.titles[0])
        if seen is None:
            return DerivedValue(name, derivation.text, None, "cung_ky", (period,))
        return DerivedValue(name, derivation.text,
                            None if seen.outcome == "thieu_du_lieu" else seen.held, "cung_ky",
                            (period,), (seen,))
    history = context.history
    if history is None:
        return DerivedValue(name, derivation.text, None, "lich_su")
    title = derivation.titles[0]
    holdings = history.holdings(subject, title)
    include_current = bool(derivation.option("include_current", False))
    last = period if include_current else period - 1
    current: Seen | None = None
    if include_current:
        current = context.same_period(subject, title)
        if current is None or current.outcome == "thieu_du_lieu":
            return DerivedValue(name, derivation.text, None, "lich_su", (period,))

    def held(year: int) -> bool:
        if year == period and current is not None:
            return current.held
        return year in holdings

    def evidence(years: Sequence[int]) -> tuple[Seen, ...]:
        found = []
        for year in years:
            if year == period and current is not None:
                found.append(current)
            elif year in holdings:
                found.append(_seen(holdings[year], subject, title, year))
        return tuple(found)

    cut = None
    if derivation.option("after_discipline", function == "consecutive"):
        cut = history.discipline_end(subject, before=last + 1)
    first_counted = None if cut is None else cut + 1
    disciplines = tuple(Seen(subject, "", entry.period, False,
                             "store" if entry.source == "store" else "import",
                             entry.decision_number, entry.level)
                        for entry in history.disciplines(subject) if entry.period <= last) \
        if cut is not None else ()

    if function == "held":
        year = period + int(derivation.option("period", -1))
        return DerivedValue(name, derivation.text, held(year), "lich_su", (year,),
                            evidence([year]))
    if function == "consecutive":
        year = last
        floor = period - MAX_LOOKBACK if first_counted is None else max(first_counted,
                                                                        period - MAX_LOOKBACK)
        while year >= floor and held(year):
            year -= 1
        years = tuple(range(year + 1, last + 1))
        return DerivedValue(name, derivation.text, Decimal(len(years)), "lich_su", years,
                            evidence(years) + disciplines, first_counted)
    if function == "count_in":
        span = derivation.option("periods", None)
        earliest = min([*holdings, last]) if span is None else last - int(span) + 1
        if first_counted is not None:
            earliest = max(earliest, first_counted)
        window = tuple(range(earliest, last + 1))
        hits = tuple(y for y in window if held(y))
        return DerivedValue(name, derivation.text, Decimal(len(hits)), "lich_su", window,
                            evidence(hits) + disciplines, first_counted)
    if function == "periods_since":
        before = [year for year in holdings if year < period]
        if not before:
            return DerivedValue(name, derivation.text, Decimal(0), "lich_su")
        latest = max(before)
        return DerivedValue(name, derivation.text, Decimal(period - 1 - latest), "lich_su",
                            tuple(range(latest, period)), evidence([latest]))
    # count_since
    anchor_title = derivation.titles[1]
    anchors = [year for year in history.holdings(subject, anchor_title) if year < period]
    if not anchors:
        return DerivedValue(name, derivation.text, Decimal(0), "lich_su")
    latest = max(anchors)
    window = tuple(range(latest + 1, period))
    hits = tuple(y for y in window if y in holdings)
    anchor = _seen(history.holdings(subject, anchor_title)[latest], subject, anchor_title, latest)
    return DerivedValue(name, derivation.text, Decimal(len(hits)), "lich_su", window,
                        (anchor, *evidence(hits)))


def _members(derivation: Derivation, name: str, members: Sequence[str],
             context: PeriodContext) -> DerivedValue:
    unknown = tuple(m for m in members if not context.known(m))
    period = context.period
    if derivation.function == "member_count":
        return DerivedValue(name, derivation.text, Decimal(len(members)), "thanh_vien",
                            (period,), unknown_members=unknown)
    if derivation.function == "members_disciplined":
        floor = DISCIPLINE_LEVELS.index(derivation.level or DISCIPLINE_LEVELS[0])
        found = []
        history = context.history
        for member in members:
            for entry in history.disciplines(member) if history is not None else ():
                if entry.period == period and entry.level is not None \
                        and DISCIPLINE_LEVELS.index(entry.level) >= floor:
                    found.append(Seen(member, "", period, False,
                                      "store" if entry.source == "store" else "import",
                                      entry.decision_number, entry.level))
                    break
        return DerivedValue(name, derivation.text, Decimal(len(found)), "thanh_vien",
                            (period,), tuple(found), unknown_members=unknown)
    title = derivation.titles[0]
    seen = []
    holders = 0
    for member in members:
        item = context.same_period(member, title)
        if item is None:
            item = Seen(member, title, period, False)
        seen.append(item)
        holders += item.held
    if unknown or any(item.outcome == "thieu_du_lieu" for item in seen):
        value: Decimal | None = None
    elif derivation.function == "members_with":
        value = Decimal(holders)
    elif members:
        value = DECIMAL_CONTEXT.divide(Decimal(holders), Decimal(len(members)))
    else:
        value = None
    return DerivedValue(name, derivation.text, value, "thanh_vien", (period,), tuple(seen),
                        unknown_members=unknown)

