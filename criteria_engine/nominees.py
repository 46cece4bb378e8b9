"""Nominee records: reading files of them, and binding their facts to a rule's inputs.

A file holds one record or a list, as JSON, YAML or JSON Lines. A bad record is
reported with its position and field and the others go on: a council's batch of
two hundred nominees is not lost to one typo.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from criteria_engine.errors import CriteriaError, Location, RecordError
from criteria_engine.messages import both, did_you_mean, pydantic_problem
from criteria_engine.rules import InputSpec, RuleFile, Subject
from criteria_engine.sources import (
    load_json,
    load_json_lines,
    load_yaml,
    position_of,
    read_text,
)

__all__ = ["Achievement", "Nominee", "NomineeFile", "RawRecord", "bind_facts", "read_nominees"]


class Achievement(BaseModel):
    """One achievement a nominee claims (an initiative, a model, a feat), by its own id.

    The id is what lets tdkt see that the same achievement is claimed twice, by two
    titles or in two years (Luật Thi đua, khen thưởng 2022, Điều 5 khoản 2 điểm c).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(min_length=1, max_length=100, pattern=r"\S")]
    kind: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
    period: Annotated[int, Field(ge=1945, le=2200, strict=True)]
    description: str | None = None


class Nominee(BaseModel):
    """A nominee as submitted: who, for which period, the facts and the achievements claimed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(min_length=1, max_length=100)]
    name: Annotated[str, Field(min_length=1)]
    subject: Subject
    unit: str | None = None
    period: Annotated[int, Field(ge=1945, le=2200, strict=True)]
    facts: dict[str, Any] = Field(default_factory=dict)
    achievements: list[Achievement] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as read, with where it was (for messages) and whether it was NFD."""

    number: int
    where: Location
    data: Any
    was_nfd: bool = False


@dataclass
class NomineeFile:
    path: str
    records: list[RawRecord] = field(default_factory=list)
    problems: list[CriteriaError] = field(default_factory=list)


def read_nominees(path: Path) -> NomineeFile:
    """Every record of a nominee file, and a problem for each part that could not be read.

    Raises :class:`RecordError` only when the file as a whole cannot be read.
    """
    source = read_text(path, error=RecordError)
    if source.nfd_lines:
        # parse the text as written, so each record holding NFD text gets its own warning
        source = replace(source, text=source.raw.decode("utf-8-sig"))
    suffix = path.suffix.lower()
    result = NomineeFile(path=str(path))
    if suffix == ".jsonl":
        for item in load_json_lines(source, error=RecordError):
            if isinstance(item, CriteriaError):
                result.problems.append(item)
            else:
                line, data = item
                result.records.append(_raw(len(result.records) + 1,
                                           Location(str(path), line), data))
        return result
    if suffix == ".json":
        data = load_json(source, error=RecordError)
    elif suffix in (".yaml", ".yml"):
        data = load_yaml(source, error=RecordError)
    else:
        raise RecordError("file.format_unknown", Location(str(path)), suffix=suffix or "?")
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        position: int | None = None
        if suffix != ".json":
            position = position_of(data, [index])[0] if isinstance(data, list) else 1
        result.records.append(_raw(index + 1, Location(str(path), position), item))
    return result


def _raw(number: int, where: Location, data: Any) -> RawRecord:
    normalised, changed = _nfc(data)
    return RawRecord(number=number, where=where, data=normalised, was_nfd=changed)


def _nfc(value: Any) -> tuple[Any, bool]:
    """NFC-normalise every string in a parsed record (JSON escapes can hide NFD text)."""
    if isinstance(value, str):
        normal = unicodedata.normalize("NFC", value)
        return normal, normal != value
    if isinstance(value, Mapping):
        changed = False
        out: dict[Any, Any] = {}
        for key, item in value.items():
            new_key, key_changed = _nfc(key)
            new_item, item_changed = _nfc(item)
            out[new_key] = new_item
            changed = changed or key_changed or item_changed
        return out, changed
    if isinstance(value, list):
        pairs = [_nfc(item) for item in value]
        return [p[0] for p in pairs], any(p[1] for p in pairs)
    return value, False


def parse_nominee(raw: RawRecord) -> Nominee:
    """The typed record, or a :class:`RecordError` naming the record and each bad field."""
    label = _record_label(raw)
    if not isinstance(raw.data, Mapping):
        raise RecordError("record.not_object", _at(raw, label))
    try:
        return Nominee.model_validate(dict(raw.data))
    except ValidationError as exc:
        problems = [
            RecordError("record.model", _at(raw, label, ".".join(map(str, e["loc"]))),
                        problem=_pydantic_text(e))
            for e in exc.errors()
        ]
        raise _grouped(problems) from None


def _record_label(raw: RawRecord) -> str:
    data = raw.data
    if isinstance(data, Mapping) and isinstance(data.get("id"), str):
        return f"{data['id']} (#{raw.number})"
    return f"#{raw.number}"


def _at(raw: RawRecord, label: str, field_name: str | None = None) -> Location:
    return Location(raw.where.path, raw.where.line, None, field_name, label)


def _pydantic_text(error: Any) -> str:
    return pydantic_problem("record_value", error)


def _grouped(problems: list[RecordError]) -> RecordError:
    first, *rest = problems
    first.more = [*rest]
    return first


def bind_facts(rule: RuleFile, nominee: Nominee, where: Location, *,
               also_known: Collection[str] = frozenset()) -> dict[str, Any]:
    """The nominee's facts as exact values for every declared input (``None`` = missing).

    A fact the rule does not declare is an error unless it is in ``also_known`` (the
    inputs of the other titles judged in the same run). Every problem of the record is
    reported at once, each naming its field.
    """
    problems: list[RecordError] = []
    if nominee.subject != rule.subject:
        problems.append(RecordError("record.subject", where.with_field("subject"),
                                    got=nominee.subject, expected=rule.subject, rule_id=rule.id))
    for name in nominee.facts:
        if name not in rule.inputs and name not in also_known:
            problems.append(RecordError("record.unknown_fact", where.with_field(f"facts.{name}"),
                                        name=name, rule_id=rule.id,
                                        hint=did_you_mean(name, rule.inputs)))
    facts: dict[str, Any] = {}
    for name, spec in rule.inputs.items():
        try:
            facts[name] = coerce_fact(spec, nominee.facts.get(name))
        except RecordError as exc:
            problems.append(RecordError(exc.key, where.with_field(f"facts.{name}"), **exc.params))
    if problems:
        raise _grouped(problems)
    return facts


def coerce_fact(spec: InputSpec, value: Any) -> Any:
    """One fact checked against its declaration; numbers become Decimal, never float."""
    if value is None:
        return None
    if spec.type == "boolean":
        if isinstance(value, bool):
            return value
        raise RecordError("record.fact_type", value=_show(value), expected=both("value_type.boolean"))
    if spec.type == "enum":
        allowed = spec.values or []
        if isinstance(value, str) and value in allowed:
            return value
        raise RecordError("record.enum_value", value=value, allowed=", ".join(allowed),
                          hint=did_you_mean(str(value), allowed))
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        expected = both("value_type.integer" if spec.type == "integer" else "value_type.number")
        raise RecordError("record.fact_type", value=_show(value), expected=expected)
    number = Decimal(value)
    if not number.is_finite() or (spec.type == "integer" and number != number.to_integral_value()):
        raise RecordError("record.fact_type", value=_show(value),
                          expected=both("value_type.integer"))
    if (spec.min is not None and number < spec.min) or (spec.max is not None and number > spec.max):
        raise RecordError("record.fact_range", value=_show(value),
                          low="-∞" if spec.min is None else spec.min,
                          high="+∞" if spec.max is None else spec.max)
    return number


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def iter_nominees(file: NomineeFile) -> Iterator[tuple[RawRecord, Nominee | RecordError]]:
    for raw in file.records:
        try:
            yield raw, parse_nominee(raw)
        except RecordError as exc:
            yield raw, exc


__all__ += ["coerce_fact", "iter_nominees", "parse_nominee"]
