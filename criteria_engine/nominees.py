"""Nominee records: reading files of them, and binding their facts to a rule's inputs.

A file holds one record or a list, as JSON, YAML or JSON Lines. Records are read one at
a time (:func:`iter_records`), so a province's million records pass through in constant
memory. A bad record is reported with its position and field and the others go on: a
council's batch of two hundred nominees is not lost to one typo.

Records come from people and from other systems, so nothing in one is trusted: a key
given twice, nesting past a few levels, a megabyte-long id, a control, bidi or
zero-width character in a name or id, a number Python cannot hold, each is refused,
naming the record and the field, and a refusal echoes at most a short excerpt of the
value (:func:`excerpt`).

Checking is done twice over, on purpose. :class:`Nominee` (pydantic) and
:func:`bind_facts` are the reference: they say everything that is wrong with a record.
A plainly valid record, which is nearly every record, takes a hand-written fast path
(:func:`parse_nominee`) and a binder generated per rule (:func:`compile_binder`) that
accept only what the reference accepts and build the same values; anything else goes
to the reference for its message. Property tests hold the two to the same results.
"""

from __future__ import annotations

import os
import re
import reprlib
import unicodedata
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Annotated, Any, BinaryIO, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from criteria_engine.characters import NOT_UTF8, shown, unsafe_character
from criteria_engine.errors import CriteriaError, Location, RecordError
from criteria_engine.messages import both, did_you_mean, pydantic_problem
from criteria_engine.rules import InputSpec, RuleFile, Subject
from criteria_engine.sources import (
    DuplicateKeys,
    Progress,
    Unusable,
    clip,
    iter_json,
    iter_json_lines,
    load_yaml,
    position_of,
    read_text,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_ID_LENGTH",
    "MAX_YAML_BYTES",
    "Achievement",
    "Binder",
    "Nominee",
    "NomineeFile",
    "RawRecord",
    "bind_facts",
    "clipped",
    "coerce_fact",
    "compile_binder",
    "excerpt",
    "iter_nominees",
    "iter_records",
    "parse_nominee",
    "read_nominees",
]

#: Longest record or achievement id. Ids are codes (``BG-2024-CN-0001``), not prose.
MAX_ID_LENGTH = 100
#: Longest name (a person or a collective) and unit.
MAX_NAME_LENGTH = 300
MAX_UNIT_LENGTH = 500
#: Longest description of an achievement.
MAX_DESCRIPTION_LENGTH = 5000
#: Deepest nesting in a record. A valid one needs three levels (record → achievements →
#: achievement); anything past this is refused before it is walked.
MAX_DEPTH = 10
#: Largest YAML nominee file. YAML is read whole (positions are kept for messages) and
#: slowly; a big file should be JSON Lines, which is read one line at a time.
MAX_YAML_BYTES = 2 * 1024 * 1024
#: Characters of a user's value echoed in a message.
EXCERPT_LENGTH = 40


# --- text fields ------------------------------------------------------------------------


def _plain(value: str, *, newlines: bool = False, blank: bool = True) -> str:
    """A text field's value, or the pydantic error that names what is wrong with it.

    No control, bidi-override, zero-width or separator character (they make ``audit
    log`` show something other than what is stored, and NUL breaks PostgreSQL); no
    newline in a one-line field; no id or name that is only blanks.
    """
    if not value.isprintable():
        char = unsafe_character(value, newlines=newlines)
        if char is not None:
            if char == NOT_UTF8:
                char = next(f"U+{ord(c):04X}" for c in value if 0xD800 <= ord(c) <= 0xDFFF)
            raise PydanticCustomError("text_char", "unsafe character {char}", {"char": char})
    if not blank and value.isspace():
        raise PydanticCustomError("text_blank", "only blanks")
    return value


def _visible(value: str) -> str:
    return _plain(value, blank=False)


def _line(value: str) -> str:
    return _plain(value)


def _paragraphs(value: str) -> str:
    return _plain(value, newlines=True)


RecordId = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH), AfterValidator(_visible)]
Year = Annotated[int, Field(ge=1945, le=2200, strict=True)]


class Achievement(BaseModel):
    """One achievement a nominee claims (an initiative, a model, a feat), by its own id.

    The id is what lets tdkt see that the same achievement is claimed twice, by two
    titles or in two years (Luật Thi đua, khen thưởng 2022, Điều 5 khoản 2 điểm c).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: RecordId
    kind: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
    period: Year
    description: Annotated[str, Field(max_length=MAX_DESCRIPTION_LENGTH),
                           AfterValidator(_paragraphs)] | None = None


class Nominee(BaseModel):
    """A nominee as submitted: who, for which period, the facts and the achievements claimed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: RecordId
    name: Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH), AfterValidator(_visible)]
    subject: Subject
    unit: Annotated[str, Field(max_length=MAX_UNIT_LENGTH), AfterValidator(_line)] | None = None
    period: Year
    facts: dict[str, Any] = Field(default_factory=dict)
    achievements: list[Achievement] = Field(default_factory=list)
    #: A collective's members: ids of individual nominees in the same run or the store.
    #: Member roll-ups (``share_of_members`` …) read their decisions.
    members: Annotated[list[RecordId], Field(max_length=100_000)] | None = None
    #: The titles (rule ids) this record is put forward for in a period run; absent, every
    #: title of the run that fits the record's subject.
    titles: Annotated[list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$",
                                                 max_length=100)]],
                      Field(max_length=100)] | None = None
    #: The level of a collective (``to``, ``phong``, ``co_quan`` …): a person may belong to
    #: one collective per level and title.
    level: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)] | None = None


_excerpts = reprlib.Repr()
_excerpts.maxlevel = 2
_excerpts.maxstring = _excerpts.maxother = EXCERPT_LENGTH
_excerpts.maxlist = _excerpts.maxdict = 4


def excerpt(value: Any) -> str:
    """``value`` as a message may echo it: short, on one line, every invisible character
    written as an escape (``'Lan\\u202e…'``). Text is quoted; numbers are not."""
    if isinstance(value, str):
        return f"'{clipped(value)}'"
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, Decimal):
        return clip(str(value), EXCERPT_LENGTH)
    if isinstance(value, int):
        try:
            return clip(str(value), EXCERPT_LENGTH)
        except ValueError:  # more digits than Python will print
            return "…"
    if isinstance(value, Unusable):
        return "…"
    return clip(shown(_excerpts.repr(value)), EXCERPT_LENGTH)


def clipped(text: str) -> str:
    """``text`` cut to :data:`EXCERPT_LENGTH` characters, invisible characters escaped."""
    return clip(shown(text[:EXCERPT_LENGTH * 2]), EXCERPT_LENGTH)


# --- records as read ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as read, with where it was (for messages) and whether it was NFD."""

    number: int
    where: Location
    data: Any
    was_nfd: bool = False


@dataclass
class NomineeFile:
    """Every record of a small file, read at once (:func:`read_nominees`)."""

    path: str
    records: list[RawRecord] = field(default_factory=list)
    problems: list[CriteriaError] = field(default_factory=list)


def read_nominees(path: Path) -> NomineeFile:
    """Every record of a nominee file, and a problem for each part that could not be read.

    For files that fit in memory (``explain``, tests); big runs use :func:`iter_records`.
    Raises :class:`RecordError` only when the file as a whole cannot be read.
    """
    result = NomineeFile(path=str(path))
    for item in iter_records(path):
        if isinstance(item, RawRecord):
            result.records.append(item)
        else:
            result.problems.append(item)
    return result


def iter_records(path: Path, *, progress: Progress | None = None
                 ) -> Iterator[RawRecord | RecordError]:
    """The records of a nominee file one at a time, or a problem for a part that cannot be
    read (a bad JSON Lines line); the caller reports it and goes on.

    JSON Lines is read a line at a time and a JSON array an element at a time, so memory
    does not grow with the file. YAML is read whole (it is refused past
    :data:`MAX_YAML_BYTES`). ``progress(bytes read, file size)`` is called as the file is
    read (about once a megabyte), so a caller can draw a bar.

    Raises :class:`RecordError` at once if the file cannot be opened or its format is
    unknown, and, while iterating, where a JSON file turns out not to be JSON (the
    records handed on before it were read correctly).
    """
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return iter(_yaml_records(path, progress))
    if suffix not in (".json", ".jsonl"):
        raise RecordError("file.format_unknown", Location(str(path)), suffix=suffix or "?")
    stream = _open(path)
    size = os.fstat(stream.fileno()).st_size
    return _json_records(path, stream, size, suffix == ".jsonl", progress)


def _open(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise RecordError("file.not_found", Location(str(path))) from None
    except OSError as exc:
        raise RecordError("file.unreadable", Location(str(path)),
                          reason=exc.strerror or type(exc).__name__) from None


def _json_records(path: Path, stream: BinaryIO, size: int, lines: bool,
                  progress: Progress | None) -> Iterator[RawRecord | RecordError]:
    name = str(path)
    with stream:
        items = (iter_json_lines(name, stream, size=size, error=RecordError, progress=progress)
                 if lines else
                 iter_json(name, stream, size=size, error=RecordError, progress=progress))
        number = 0
        for item in items:
            if isinstance(item, CriteriaError):
                yield RecordError(item.key, item.where, **item.params)
                continue
            line, data, clean = item
            number += 1
            if clean:
                yield RawRecord(number, Location(name, line), data)
            else:
                normal, changed = _nfc(data, 0)
                yield RawRecord(number, Location(name, line), normal, changed)


def _yaml_records(path: Path, progress: Progress | None) -> list[RawRecord | RecordError]:
    """A YAML file's records, read whole; the whole file's problems raise at once."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_text says why it cannot be read
    if size > MAX_YAML_BYTES:
        raise RecordError("file.yaml_too_large", Location(str(path)), size=_megabytes(size),
                          limit=_megabytes(MAX_YAML_BYTES))
    source = read_text(path, error=RecordError)
    if source.nfd_lines:
        # parse the text as written, so each record holding NFD text gets its own warning
        text = source.raw.decode("utf-8-sig")
        source = type(source)(source.path, source.raw, text, source.nfd_lines)
    data = load_yaml(source, error=RecordError)
    if progress is not None:
        progress(len(source.raw), len(source.raw))
    items = data if isinstance(data, list) else [data]
    records: list[RawRecord | RecordError] = []
    for index, item in enumerate(items):
        line = position_of(data, [index])[0] if isinstance(data, list) else 1
        normal, changed = _nfc(item, 0)
        records.append(RawRecord(index + 1, Location(str(path), line), normal, changed))
    return records


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _nfc(value: Any, depth: int) -> tuple[Any, bool]:
    """Every string of a parsed record in NFC (JSON escapes can hide NFD text), and
    whether any changed; YAML's mappings and lists become plain ones.

    A key that becomes equal to another once normalised is a repeated key; a structure
    deeper than :data:`MAX_DEPTH` is left as a marker for :func:`parse_nominee` to refuse.
    """
    if isinstance(value, str):
        if unicodedata.is_normalized("NFC", value):
            return value, False
        return unicodedata.normalize("NFC", value), True
    if depth >= MAX_DEPTH and isinstance(value, Mapping | list):
        return Unusable("record.too_deep", limit=MAX_DEPTH), False
    if isinstance(value, Mapping):
        changed = False
        pairs = []
        for key, item in value.items():
            new_key, key_changed = _nfc(key, depth + 1)
            new_item, item_changed = _nfc(item, depth + 1)
            pairs.append((new_key, new_item))
            changed = changed or key_changed or item_changed
        out = dict(pairs)
        if isinstance(value, DuplicateKeys):
            return DuplicateKeys(pairs, value.key), changed
        if len(out) != len(pairs):
            return DuplicateKeys(pairs), changed
        return out, changed
    if isinstance(value, list):
        items = [_nfc(item, depth + 1) for item in value]
        return [item for item, _ in items], any(changed for _, changed in items)
    return value, False


# --- records as nominees -----------------------------------------------------------------

#: The keys the fast path handles; a record with members, titles or a level goes to pydantic.
_RECORD_KEYS = frozenset(Nominee.model_fields) - {"members", "titles", "level"}
_SUBJECTS = frozenset(get_args(Subject))
_SCALARS = frozenset({str, int, bool, Decimal, type(None)})
_set = object.__setattr__


def parse_nominee(raw: RawRecord) -> Nominee:
    """The typed record, or a :class:`RecordError` naming the record and each bad field."""
    nominee = _plainly_valid(raw.data)
    if nominee is not None:
        return nominee
    label = _record_label(raw)
    data = raw.data
    if isinstance(data, Unusable):
        raise RecordError(data.key, _at(raw, label), **data.params)
    if not isinstance(data, Mapping):
        raise RecordError("record.not_object", _at(raw, label))
    _refuse_unreadable(data, raw, label)
    try:
        return Nominee.model_validate(dict(data))
    except ValidationError as exc:
        problems = [
            RecordError("record.model", _at(raw, label, _dotted(e["loc"])),
                        problem=pydantic_problem("record_value", e))
            for e in exc.errors()
        ]
        raise _grouped(problems) from None


def _plainly_valid(data: Any) -> Nominee | None:
    """The record as :class:`Nominee` when every field is plainly valid, else None.

    Accepts only records ``Nominee.model_validate`` accepts, and builds the same object
    (equal, with the same fields set), about twice as fast; a record with achievements,
    or anything unusual, is left to pydantic.
    """
    if data.__class__ is not dict or not data.keys() <= _RECORD_KEYS:
        return None
    get = data.get
    record_id = get("id")
    name = get("name")
    subject = get("subject")
    unit = get("unit")
    period = get("period")
    facts = get("facts", _ABSENT)
    if not (record_id.__class__ is str and 0 < len(record_id) <= MAX_ID_LENGTH
            and (record_id.isprintable() or unsafe_character(record_id) is None)
            and not record_id.isspace()):
        return None
    if not (name.__class__ is str and 0 < len(name) <= MAX_NAME_LENGTH
            and (name.isprintable() or unsafe_character(name) is None) and not name.isspace()):
        return None
    if subject.__class__ is not str or subject not in _SUBJECTS:
        return None
    if period.__class__ is not int or not 1945 <= period <= 2200:
        return None
    if unit is not None and not (unit.__class__ is str and len(unit) <= MAX_UNIT_LENGTH and (
            unit.isprintable() or unsafe_character(unit) is None)):
        return None
    if facts is _ABSENT:
        facts = {}
    elif facts.__class__ is not dict:
        return None
    else:
        for key, value in facts.items():
            if key.__class__ is not str or value.__class__ not in _SCALARS:
                return None
    achievements = get("achievements", _ABSENT)
    if achievements is not _ABSENT and (achievements.__class__ is not list or achievements):
        return None
    nominee = Nominee.__new__(Nominee)
    _set(nominee, "__dict__", {"id": record_id, "name": name, "subject": subject, "unit": unit,
                               "period": period, "facts": facts, "achievements": [],
                               "members": None, "titles": None, "level": None})
    _set(nominee, "__pydantic_fields_set__", set(data))
    _set(nominee, "__pydantic_extra__", None)
    _set(nominee, "__pydantic_private__", None)
    return nominee


_ABSENT: Any = object()


def _refuse_unreadable(data: Mapping[Any, Any], raw: RawRecord, label: str) -> None:
    """Refuse a record holding a repeated key, a marked value or too deep a structure,
    naming the first such field (walked without recursion, to :data:`MAX_DEPTH`)."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, Unusable):
            raise RecordError(value.key, _at(raw, label, _dotted(path)), **value.params)
        if len(path) > MAX_DEPTH and isinstance(value, Mapping | list):
            raise RecordError("record.too_deep", _at(raw, label, _dotted(path)), limit=MAX_DEPTH)
        if isinstance(value, DuplicateKeys):
            raise RecordError("record.duplicate_key", _at(raw, label, _dotted(path)),
                              name=clipped(str(value.key)))
        if isinstance(value, Mapping):
            stack.extend((item, (*path, key)) for key, item in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((item, (*path, index)) for index, item in reversed(list(enumerate(value))))


def _dotted(path: tuple[Any, ...] | list[Any]) -> str | None:
    """A field path as ``facts.score`` (each part cut short: a key can be a megabyte)."""
    if not path:
        return None
    return ".".join(clipped(part) if isinstance(part, str) else excerpt(part) for part in path)


def _record_label(raw: RawRecord) -> str:
    data = raw.data
    if isinstance(data, Mapping) and isinstance(data.get("id"), str):
        return f"{clipped(data['id'])} (#{raw.number})"
    return f"#{raw.number}"


def _at(raw: RawRecord, label: str, field_name: str | None = None) -> Location:
    return Location(raw.where.path, raw.where.line, None, field_name, label)


def _grouped(problems: list[RecordError]) -> RecordError:
    first, *rest = problems
    first.more = [*rest]
    return first


def iter_nominees(file: NomineeFile) -> Iterator[tuple[RawRecord, Nominee | RecordError]]:
    for raw in file.records:
        try:
            yield raw, parse_nominee(raw)
        except RecordError as exc:
            yield raw, exc


# --- facts --------------------------------------------------------------------------------


def bind_facts(rule: RuleFile, nominee: Nominee, where: Location, *,
               also_known: Collection[str] = frozenset()) -> dict[str, Any]:
    """The nominee's facts as exact values for every declared input (``None`` = missing).

    A fact the rule does not declare is an error unless it is in ``also_known`` (the
    inputs of the other titles judged in the same run). Every problem of the record is
    reported at once, each naming its field. This is the reference; a run uses the
    rule's compiled binder (:func:`compile_binder`) and comes here only for messages.
    """
    problems: list[RecordError] = []
    if nominee.subject != rule.subject:
        problems.append(RecordError("record.subject", where.with_field("subject"),
                                    got=nominee.subject, expected=rule.subject, rule_id=rule.id))
    for name in nominee.facts:
        if name not in rule.inputs and name not in also_known:
            shown_name = clipped(name) if isinstance(name, str) else excerpt(name)
            problems.append(RecordError("record.unknown_fact",
                                        where.with_field(f"facts.{shown_name}"),
                                        name=shown_name, rule_id=rule.id,
                                        hint=did_you_mean(str(name)[:100], rule.inputs)))
    facts: dict[str, Any] = {}
    for name, spec in rule.inputs.items():
        try:
            facts[name] = coerce_fact(spec, nominee.facts.get(name))
        except RecordError as exc:
            problems.append(RecordError(exc.key, where.with_field(f"facts.{name}"), **exc.params))
    if problems:
        raise _grouped(problems)
    return facts


_NUMBER_TEXT = re.compile(r"[+-]?[0-9]+(?:([.,])([0-9]+))?")


def _number_text(text: str) -> Decimal | None:
    """A number written as text: ``"88.6"``, or ``"88,6"`` with the Vietnamese decimal
    comma. None when the text is not a plain number. A separator before exactly three
    digits (``"1.000"``, ``"12,500"``) is refused as ambiguous: in Vietnamese it groups
    thousands."""
    written = text.strip()
    found = _NUMBER_TEXT.fullmatch(written)
    if found is None:
        return None
    separator, decimals = found.groups()
    whole = written.lstrip("+-").split(separator or " ")[0]
    if decimals is not None and len(decimals) == 3 and whole.lstrip("0"):
        raise RecordError("record.number_ambiguous", value=clipped(text),
                          separator=separator, plain=written.replace(separator, ""))
    return Decimal(written.replace(",", "."))


def coerce_fact(spec: InputSpec, value: Any) -> Any:
    """One fact checked against its declaration; numbers become Decimal, never float.

    A numeric input also takes a number written as text, with a decimal point or the
    Vietnamese decimal comma (``"88,6"`` is 88.6), as spreadsheets export them.
    """
    if value is None:
        return None
    if spec.type == "boolean":
        if isinstance(value, bool):
            return value
        raise RecordError("record.fact_type", value=excerpt(value),
                          expected=both("value_type.boolean"))
    if spec.type == "enum":
        allowed = spec.values or []
        if isinstance(value, str) and value in allowed:
            return value
        raise RecordError("record.enum_value",
                          value=clipped(value) if isinstance(value, str) else excerpt(value),
                          allowed=", ".join(allowed),
            hint=did_you_mean(str(value)[:100], allowed) if isinstance(value, str) else "")
    expected = both("value_type.integer" if spec.type == "integer" else "value_type.number")
    if isinstance(value, str):
        parsed = _number_text(value)
        if parsed is None:
            raise RecordError("record.fact_type", value=excerpt(value), expected=expected)
        value = parsed
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise RecordError("record.fact_type", value=excerpt(value), expected=expected)
    number = Decimal(value)
    if not number.is_finite() or (spec.type == "integer" and number != number.to_integral_value()):
        raise RecordError("record.fact_type", value=excerpt(value),
                          expected=both("value_type.integer"))
    if (spec.min is not None and number < spec.min) or (spec.max is not None and number > spec.max):
        raise RecordError("record.fact_range", value=excerpt(value),
                          low="-∞" if spec.min is None else spec.min,
                          high="+∞" if spec.max is None else spec.max)
    return number


Binder = Callable[[Mapping[str, Any]], dict[str, Any]]

#: Decimals of the small whole numbers most facts are (counts, days, years), made once.
_SMALL_DECIMALS = tuple(Decimal(number) for number in range(1025))


def compile_binder(rule: RuleFile) -> Binder:
    """One generated function for a rule: a record's facts -> the bound facts, as
    :func:`bind_facts` binds them, or :class:`RecordError` (then call :func:`bind_facts`
    for the messages).

    The usual values (an int or a Decimal in range, an allowed enum text, a boolean) are
    checked inline, with the bounds as constants of the value's own type; anything else
    goes through :func:`coerce_fact`, and an ordering that Decimal refuses (NaN) is a
    refusal. It does not check the subject or unknown facts: the caller checks those
    once for every rule of the run. See ``benchmarks/bench_evaluate.py``.
    """
    def one_by_one(facts: Mapping[str, Any]) -> dict[str, Any]:
        return {name: coerce_fact(spec, facts.get(name)) for name, spec in rule.inputs.items()}

    namespace: dict[str, Any] = {"_coerce": coerce_fact, "_Decimal": Decimal,
                                 "_small": _SMALL_DECIMALS, "_one_by_one": one_by_one}
    lines = ["def _bind(facts):", "    get = facts.get", "    try:"]
    names = []
    for index, (name, spec) in enumerate(rule.inputs.items()):
        namespace[f"_spec{index}"] = spec
        fallback = f"_coerce(_spec{index}, v)"
        body = [f"v = get({name!r})"]
        if spec.type == "boolean":
            body.append(f"if v is not None and v.__class__ is not bool: v = {fallback}")
        elif spec.type == "enum":
            namespace[f"_allowed{index}"] = frozenset(spec.values or ())
            body.append(f"if v is not None and (v.__class__ is not str "
                        f"or v not in _allowed{index}): v = {fallback}")
        else:
            whole = _int_bounds(spec)
            exact = _decimal_bounds(spec, index, namespace)
            finite = "" if spec.min is not None and spec.max is not None else " and v.is_finite()"
            integral = " and v == v.to_integral_value()" if spec.type == "integer" else ""
            small = "_small[v] if 0 <= v <= 1024 else _Decimal(v)"
            body += [
                "if v is not None:",
                "    if v.__class__ is int:",
                f"        v = ({small}) if {whole} else {fallback}" if whole != "True"
                else f"        v = {small}",
                f"    elif not (v.__class__ is _Decimal{finite}{exact}{integral}):",
                f"        v = {fallback}",
            ]
        body.append(f"f{index} = v")
        lines += [f"        {line}" for line in body]
        names.append(f"{name!r}: f{index}")
    lines += [
        "    except ArithmeticError:  # an ordering Decimal refuses (NaN): say which fact",
        "        return _one_by_one(facts)",
        f"    return {{{', '.join(names)}}}",
    ]
    exec("\n".join(lines), namespace)  # generated from the checked declarations only
    binder: Binder = namespace["_bind"]
    return binder


def _int_bounds(spec: InputSpec) -> str:
    """The declared range as a test on an int ``v`` (whole-number bounds, exact)."""
    parts = []
    if spec.min is not None:
        parts.append(f"{int(spec.min.to_integral_value(rounding=ROUND_CEILING))} <= v")
    if spec.max is not None:
        parts.append(f"v <= {int(spec.max.to_integral_value(rounding=ROUND_FLOOR))}")
    return " and ".join(parts) or "True"


def _decimal_bounds(spec: InputSpec, index: int, namespace: dict[str, Any]) -> str:
    """`` and low <= v <= high`` on a Decimal ``v``, the bounds as Decimal constants."""
    parts = []
    for bound, side, template in ((spec.min, "low", "_{0} <= v"), (spec.max, "high", "v <= _{0}")):
        if bound is not None:
            namespace[f"_{side}{index}"] = bound
            parts.append(template.format(f"{side}{index}"))
    return "".join(f" and {part}" for part in parts)
