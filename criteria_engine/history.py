"""Title history: which titles and forms each person or collective held in past periods,
and their disciplines.

A history file (JSON list, JSON Lines or YAML list) has one row per past award or
discipline of one subject::

    {"subject": "NV-0012", "title": "chien-si-thi-dua-co-so", "period": 2023,
     "decision_number": "123/QĐ-UBND", "decided_on": "2024-01-15", "issuer_level": "xa",
     "achievement": "SK-2023-004"}
    {"subject": "NV-0031", "discipline": "khien_trach", "period": 2022, "ends": "2023-06-30"}

Rows are read one at a time (:func:`iter_history`, :func:`read_history`) with the same
bounds as nominee records (nesting, id lengths, unsafe characters, YAML size), and each
is checked twice: alone, by :class:`HistoryRow` (types, one of ``title`` or
``discipline``), and against a rule library and today's date (:func:`check_history`:
a title that is no rule id, a period or decision still to come, a discipline that ends
before it starts, a row given twice). A bad row is a :class:`RecordError` naming its
row number, subject and field; the other rows go on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError
from pydantic_core import PydanticCustomError

from criteria_engine.errors import Location, RecordError
from criteria_engine.messages import MESSAGES, did_you_mean, pydantic_problem
from criteria_engine.nominees import (
    MAX_DEPTH,
    RawRecord,
    RecordId,
    Year,
    clipped,
    excerpt,
    iter_records,
)
from criteria_engine.rules import IssuerLevel
from criteria_engine.sources import DuplicateKeys, Progress, Unusable

if TYPE_CHECKING:
    from criteria_engine.library import RuleLibrary

__all__ = [
    "DISCIPLINE_LEVELS",
    "History",
    "HistoryChecker",
    "HistoryEntry",
    "HistoryRow",
    "HistoryRowError",
    "LocatedEntry",
    "check_history",
    "iter_history",
    "parse_row",
    "read_history",
]

#: Discipline levels of cán bộ, công chức, viên chức, lightest first (Luật Cán bộ, công
#: chức; Luật Viên chức). ``members_disciplined("canh_cao")`` counts this level and above.
DISCIPLINE_LEVELS: tuple[str, ...] = (
    "khien_trach", "canh_cao", "ha_bac_luong", "giang_chuc", "cach_chuc", "buoc_thoi_viec",
)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One past award (``kind="award"``: ``title`` is a rule id) or one discipline
    (``kind="discipline"``: ``level`` set, ``title`` empty) of one subject.

    ``period`` is the year the award was for, or the year the discipline was decided;
    ``ends`` the day a discipline's period ended (a streak counts again from the next
    period after it). ``source`` is ``import`` (a history file) or ``store`` (a decision
    of the store, ``decision_id`` set).
    """

    subject: str
    period: int
    kind: Literal["award", "discipline"] = "award"
    title: str = ""
    decision_number: str | None = None
    decided_on: date | None = None
    issuer_level: str | None = None
    achievement: str | None = None
    level: str | None = None
    ends: date | None = None
    source: Literal["import", "store"] = "import"
    decision_id: int | None = None
    #: The row's id in the store's history table, once stored.
    row_id: int | None = None


class History:
    """An index of history entries: held(subject, title, period), disciplines.

    Where an imported row and a stored decision speak of the same subject, title and
    period, the stored decision wins (the caller has already reported the conflict).
    """

    def __init__(self, entries: Iterable[HistoryEntry] = ()) -> None:
        self._awards: dict[tuple[str, str], dict[int, HistoryEntry]] = {}
        self._disciplines: dict[str, list[HistoryEntry]] = {}
        self._subjects: set[str] = set()
        for entry in entries:
            self.add(entry)

    def add(self, entry: HistoryEntry) -> None:
        self._subjects.add(entry.subject)
        if entry.kind == "discipline":
            self._disciplines.setdefault(entry.subject, []).append(entry)
            return
        periods = self._awards.setdefault((entry.subject, entry.title), {})
        current = periods.get(entry.period)
        if current is None or (current.source == "import" and entry.source == "store"):
            periods[entry.period] = entry

    def knows(self, subject: str) -> bool:
        """Whether any row (award or discipline) names ``subject``."""
        return subject in self._subjects

    def holdings(self, subject: str, title: str) -> Mapping[int, HistoryEntry]:
        """Period → the entry saying ``subject`` held ``title`` in it."""
        return self._awards.get((subject, title), {})

    def disciplines(self, subject: str) -> list[HistoryEntry]:
        return self._disciplines.get(subject, [])

    def discipline_end(self, subject: str, before: int) -> int | None:
        """The last period touched by a discipline of ``subject`` decided before period
        ``before`` (its ``ends`` year, or the year it was decided); None if none."""
        years = [entry.ends.year if entry.ends is not None else entry.period
                 for entry in self.disciplines(subject) if entry.period < before]
        return max(years) if years else None

    def subjects(self) -> list[str]:
        """Every subject with an award or a discipline, sorted."""
        return sorted({subject for subject, _ in self._awards} | set(self._disciplines))

    def __iter__(self) -> Iterator[HistoryEntry]:
        """Every entry, by subject, then period, awards before disciplines, then title
        (``tdkt history list``)."""
        entries = [entry for periods in self._awards.values() for entry in periods.values()]
        entries += [entry for rows in self._disciplines.values() for entry in rows]
        return iter(sorted(entries, key=_order))

    def __len__(self) -> int:
        return (sum(len(p) for p in self._awards.values())
                + sum(len(d) for d in self._disciplines.values()))


def _order(entry: HistoryEntry) -> tuple[Any, ...]:
    return (entry.subject, entry.period, entry.kind != "award", entry.title, entry.level or "",
            entry.decided_on or date.min, entry.decision_number or "")


# --- one row of a history file --------------------------------------------------------------

DisciplineLevel = Literal["khien_trach", "canh_cao", "ha_bac_luong", "giang_chuc", "cach_chuc",
                          "buoc_thoi_viec"]
#: A title is a rule id (``chien-si-thi-dua-co-so``), as in a nominee's ``titles``.
TitleId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100)]

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _day(value: Any) -> date:
    """A day written ``YYYY-MM-DD`` (or a YAML date); nothing else, not even a date-time
    or a number, which pydantic would otherwise read as a Unix time."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("history_day", "expected a day as YYYY-MM-DD, got {value}",
                              {"value": excerpt(value)})


Day = Annotated[date, PlainValidator(_day)]


class HistoryRow(BaseModel):
    """One row of a history file as written: a past award (``title``) or a discipline
    (``discipline``) of one subject, never both (checked by :func:`parse_row`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: The person's or collective's id, stable across years (a staff code, not a
    #: per-year nominee code): it is what streaks are counted on.
    subject: RecordId
    #: The year the award was for, or the year the discipline was decided.
    period: Year
    title: TitleId | None = None
    discipline: DisciplineLevel | None = None
    decision_number: RecordId | None = None
    decided_on: Day | None = None
    issuer_level: IssuerLevel | None = None
    #: The id of the achievement the award was for (as in a nominee's achievements).
    achievement: RecordId | None = None
    #: The last day of a discipline's period; a streak counts again after it.
    ends: Day | None = None

    def entry(self) -> HistoryEntry:
        """The row as a :class:`HistoryEntry` (``source="import"``)."""
        return HistoryEntry(
            subject=self.subject, period=self.period,
            kind="discipline" if self.discipline is not None else "award",
            title=self.title or "", decision_number=self.decision_number,
            decided_on=self.decided_on, issuer_level=self.issuer_level,
            achievement=self.achievement, level=self.discipline, ends=self.ends)


@dataclass(frozen=True, slots=True)
class LocatedEntry:
    """A history entry with where it was read: its row number (1-based, in file order)
    and its place (file, line, ``subject (#n)``) for messages."""

    number: int
    where: Location
    entry: HistoryEntry


def read_history(path: Path, *, progress: Progress | None = None
                 ) -> Iterator[LocatedEntry | RecordError]:
    """The rows of a history file one at a time, each as a :class:`LocatedEntry` or the
    :class:`RecordError` that refuses it (the caller reports it and goes on).

    Read as nominee files are (:func:`criteria_engine.nominees.iter_records`): JSON Lines a
    line at a time, a JSON array an element at a time, YAML whole and refused past
    :data:`~criteria_engine.nominees.MAX_YAML_BYTES`. Raises :class:`RecordError` when
    the file as a whole cannot be read (missing, unknown format, not JSON or YAML).
    """
    try:
        records = iter_records(path, progress=progress)
        for raw in records:
            if isinstance(raw, RecordError):
                yield raw
                continue
            try:
                yield parse_row(raw)
            except RecordError as exc:
                yield exc
    except RecordError as exc:
        if exc.key == "file.yaml_too_large":
            raise RecordError("history.yaml_too_large", exc.where, **exc.params) from None
        raise


def iter_history(path: Path, *, progress: Progress | None = None
                 ) -> Iterator[HistoryEntry | RecordError]:
    """The entries of a history file one at a time, or the problem of a bad row (see
    :func:`read_history`, which also gives each row's place)."""
    for item in read_history(path, progress=progress):
        yield item if isinstance(item, RecordError) else item.entry


def parse_row(raw: RawRecord) -> LocatedEntry:
    """One row as read, checked alone (types, bounds, one of title or discipline), or a
    :class:`RecordError` naming the row and every bad field."""
    data = raw.data
    subject = data.get("subject") if isinstance(data, Mapping) else None
    label = f"{clipped(subject)} (#{raw.number})" if isinstance(subject, str) else f"#{raw.number}"
    where = Location(raw.where.path, raw.where.line, None, None, label)
    if isinstance(data, Unusable):
        raise RecordError(_history_key(data.key), where, **data.params)
    if not isinstance(data, Mapping):
        raise RecordError("history.not_object", where)
    # a plain row (a dict of plain values) has nothing to walk: the usual case, kept fast
    if data.__class__ is not dict or not all(value.__class__ in _PLAIN for value in data.values()):
        unreadable = _unreadable(data, where)
        if unreadable is not None:
            raise unreadable
    problems = _cross_field(data, where)
    try:
        row = HistoryRow.model_validate(dict(data))
    except ValidationError as exc:
        problems = [_field_problem(error, data, where) for error in exc.errors()] + problems
        raise _grouped(problems) from None
    if problems:
        raise _grouped(problems)
    return LocatedEntry(raw.number, where, row.entry())


_PLAIN = frozenset({str, int, bool, Decimal, date, type(None)})


def _unreadable(data: Mapping[Any, Any], where: Location) -> RecordError | None:
    """A repeated key, a value the reader marked, or nesting past :data:`MAX_DEPTH`, as
    the error naming the first such field (walked without recursion)."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, Unusable):
            return RecordError(_history_key(value.key), where.with_field(_dotted(path)),
                               **value.params)
        if len(path) > MAX_DEPTH and isinstance(value, Mapping | list):
            return RecordError("history.too_deep", where.with_field(_dotted(path)), limit=MAX_DEPTH)
        if isinstance(value, DuplicateKeys):
            return RecordError("record.duplicate_key", where.with_field(_dotted(path)),
                               name=clipped(str(value.key)))
        if isinstance(value, Mapping):
            stack.extend((item, (*path, key)) for key, item in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((item, (*path, index)) for index, item in reversed(list(enumerate(value))))
    return None


def _history_key(key: str) -> str:
    """The reader's key for a marked value, said of a history row where it differs."""
    return "history.too_deep" if key == "record.too_deep" else key


def _dotted(path: tuple[Any, ...]) -> str | None:
    if not path:
        return None
    return ".".join(clipped(part) if isinstance(part, str) else excerpt(part) for part in path)


def _cross_field(data: Mapping[Any, Any], where: Location) -> list[RecordError]:
    """What no single field says: an award or a discipline, never both, never neither;
    ``ends`` only on a discipline."""
    title, discipline = data.get("title"), data.get("discipline")
    if title is not None and discipline is not None:
        return [RecordError("history.both", where.with_field("discipline"))]
    if title is None and discipline is None:
        return [RecordError("history.neither", where.with_field("title"))]
    if discipline is None and data.get("ends") is not None:
        return [RecordError("history.ends_award", where.with_field("ends"))]
    return []


#: Fields whose pydantic problem reads better said for the field (a title's pattern is a
#: rule id's, not a fact name's).
_FIELD_PROBLEMS = {("title", "string_pattern_mismatch"): "history_value.title_pattern"}
_CHOICES: dict[str, tuple[str, ...]] = {
    "discipline": DISCIPLINE_LEVELS,
    "issuer_level": ("trung_uong", "tinh", "huyen", "xa"),
}


def _field_problem(error: Any, data: Mapping[Any, Any], where: Location) -> RecordError:
    loc = tuple(error["loc"])
    name = str(loc[0]) if loc else None
    special = _FIELD_PROBLEMS.get((name or "", error["type"]))
    if special is not None:
        problem = pydantic_problem("history_value", {**error, "type": special.split(".", 1)[1]})
    elif f"history_value.{error['type']}" in MESSAGES:
        problem = pydantic_problem("history_value", error)
    else:
        problem = pydantic_problem("record_value", error)
    hint = ""
    if name in _CHOICES and error["type"] == "literal_error" and isinstance(data.get(name), str):
        hint = did_you_mean(data[name][:100], _CHOICES[name])
    return RecordError("history.field", where.with_field(_dotted(loc)), problem=problem, hint=hint)


def _grouped(problems: list[RecordError]) -> RecordError:
    first, *rest = problems
    first.more = [*rest]
    return first


# --- rows against a rule library and today ----------------------------------------------------


class HistoryRowError(RecordError):
    """A history row refused against the rule library or today's date; ``entry`` is the
    row (a :class:`HistoryEntry` or :class:`LocatedEntry`, as given)."""

    entry: HistoryEntry | LocatedEntry | None = None


class HistoryChecker:
    """Checks rows against a rule library and today's date, one at a time, remembering
    the rows seen so a row given twice is refused.

    An award's title must be a rule id of the library (a title whose rule file fails to
    load is still known); no period may be still to come (``period`` after this year),
    nor a decision date after today; a discipline may not end before the year it was
    decided; an award (subject, title, period) or a discipline (subject, level, period,
    decision number) may be given once.
    """

    def __init__(self, library: RuleLibrary, *, today: date) -> None:
        self.titles = frozenset(library.rules) | frozenset(
            rule_id for broken in library.broken for rule_id in broken.rule_ids)
        self.today = today
        self._seen: dict[tuple[Any, ...], str] = {}

    def check(self, item: HistoryEntry | LocatedEntry) -> list[HistoryRowError]:
        """The problems of one row (empty when it may be imported); each names ``item``
        as its ``entry``."""
        if isinstance(item, LocatedEntry):
            entry, where = item.entry, item.where
            line = f":{where.line}" if where.line is not None else ""
            seen_as = f"{Path(where.path or '').name}{line} (#{item.number})"
        else:
            entry = item
            what = entry.title if entry.kind == "award" else entry.level or "?"
            seen_as = f"{clipped(entry.subject)} ({what} {entry.period})"
            where = Location(record=seen_as)
        problems: list[HistoryRowError] = []
        if entry.kind == "award" and entry.title not in self.titles:
            problems.append(HistoryRowError(
                "history.unknown_title", where.with_field("title"), title=clipped(entry.title),
                hint=did_you_mean(entry.title[:100], self.titles)))
        if entry.period > self.today.year:
            problems.append(HistoryRowError("history.future_period", where.with_field("period"),
                                            period=entry.period, year=self.today.year))
        if entry.decided_on is not None and entry.decided_on > self.today:
            problems.append(HistoryRowError("history.future_day", where.with_field("decided_on"),
                                            day=entry.decided_on.isoformat(),
                                            today=self.today.isoformat()))
        if entry.ends is not None and entry.ends.year < entry.period:
            problems.append(HistoryRowError("history.ends_before", where.with_field("ends"),
                                            ends=entry.ends.isoformat(), period=entry.period))
        if problems:
            return self._of(item, problems)
        key: tuple[Any, ...] = ((entry.subject, "award", entry.title, entry.period)
                                if entry.kind == "award" else
                                (entry.subject, "discipline", entry.level, entry.period,
                                 entry.decision_number))
        first = self._seen.get(key)
        if first is not None:
            field = "title" if entry.kind == "award" else "discipline"
            return self._of(item, [HistoryRowError("history.duplicate_row", where.with_field(field),
                                                   first=first)])
        self._seen[key] = seen_as
        return []

    @staticmethod
    def _of(item: HistoryEntry | LocatedEntry, problems: list[HistoryRowError]
            ) -> list[HistoryRowError]:
        for problem in problems:
            problem.entry = item
        return problems


def check_history(entries: Iterable[HistoryEntry | LocatedEntry], library: RuleLibrary, *,
                  today: date) -> list[HistoryRowError]:
    """Every problem of ``entries`` against ``library`` and ``today`` (see
    :class:`HistoryChecker`), one error per problem, in row order; each error's ``entry``
    is the row it refuses, so a caller can keep the others::

        problems = check_history(entries, library, today=date.today())
        refused = {id(problem.entry) for problem in problems}
        kept = [entry for entry in entries if id(entry) not in refused]
    """
    checker = HistoryChecker(library, today=today)
    problems: list[HistoryRowError] = []
    for entry in entries:
        problems += checker.check(entry)
    return problems
