"""A decision's context (derived values and cap placement) as stored and hashed.

``decisions.context`` holds one canonical JSON text (:func:`canonical_json`)::

    {"cap": null | {"base", "group", "group_size", "keys", "limit", "period", "rank",
                    "ratio", "within"},
     "derived": [{"call", "counted_from", "input", "periods", "seen", "source",
                  "unknown_members", "value"}, …]}

each ``seen`` item ``{"discipline", "held", "origin", "period", "reference", "subject",
"title"}``. Every field is written, defaults included, so a reader needs no knowledge of
the Python defaults. Decimals (a derived value, a cap ratio) are their exact strings, a
boolean value stays a JSON boolean. A decision that saw nothing (no derived value, no cap)
has no context at all (NULL), so its event hashes exactly as before revision 0004::

    >>> context_text(decision)                                    # doctest: +SKIP
    '{"cap":null,"derived":[{"call":"consecutive(\\"chien-si-thi-dua-co-so\\")",…}]}'
    >>> parse_context(_)                                          # doctest: +SKIP
    ((DerivedValue(input='consecutive__chien_si_thi_dua_co_so', …),), None)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from criteria_engine.evaluator import Decision
from criteria_engine.evidence import CapPlacement, DerivedValue, Seen, Source
from criteria_engine.store._canonical import canonical_json, parse_json

__all__ = ["context_content", "context_text", "parse_context"]

_SOURCES = ("lich_su", "cung_ky", "thanh_vien", "tu_khai")
_ORIGINS = ("store", "import", "run", "none")


def _number(value: Any) -> Any:
    """A derived value as stored: an integer becomes its exact decimal text, like a decimal."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def _seen(item: Seen) -> dict[str, Any]:
    return {"subject": item.subject, "title": item.title, "period": item.period,
            "held": item.held, "origin": item.origin, "reference": item.reference,
            "discipline": item.discipline}


def _derived(value: DerivedValue) -> dict[str, Any]:
    return {"input": value.input, "call": value.call, "value": _number(value.value),
            "source": value.source, "periods": list(value.periods),
            "seen": [_seen(item) for item in value.seen], "counted_from": value.counted_from,
            "unknown_members": list(value.unknown_members)}


def _cap(cap: CapPlacement) -> dict[str, Any]:
    return {"group": cap.group, "period": cap.period, "rank": cap.rank, "limit": cap.limit,
            "group_size": cap.group_size, "within": cap.within, "base": cap.base,
            "ratio": cap.ratio, "keys": list(cap.keys)}


def context_content(context: Sequence[DerivedValue], cap: CapPlacement | None
                    ) -> dict[str, Any] | None:
    """The JSON value of a decision's context, or None when it has neither part."""
    if not context and cap is None:
        return None
    return {"derived": [_derived(value) for value in context],
            "cap": None if cap is None else _cap(cap)}


def context_text(decision: Decision) -> str | None:
    """The canonical text stored in ``decisions.context`` (None: the column stays NULL)."""
    content = context_content(decision.context, decision.cap)
    return None if content is None else canonical_json(content)


# -- reading back ----------------------------------------------------------------------------

def _text(item: Mapping[str, Any], name: str, *, optional: bool = False) -> Any:
    value = item[name]
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} is not a text")
    return value


def _integer(item: Mapping[str, Any], name: str, *, optional: bool = False) -> Any:
    value = item[name]
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name} is not an integer")
    return value


def _boolean(item: Mapping[str, Any], name: str) -> bool:
    value = item[name]
    if not isinstance(value, bool):
        raise ValueError(f"{name} is not true or false")
    return value


def _decimal(text: Any, name: str) -> Decimal:
    if not isinstance(text, str):
        raise ValueError(f"{name} is not a decimal text")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{name} is not a decimal text") from None
    if not number.is_finite():
        raise ValueError(f"{name} is not a finite number")
    return number


def _one_of(item: Mapping[str, Any], name: str, allowed: Sequence[str]) -> Any:
    value = item[name]
    if value not in allowed:
        raise ValueError(f"{name} is not one of {', '.join(allowed)}")
    return value


def _list(item: Mapping[str, Any], name: str) -> list[Any]:
    value = item[name]
    if not isinstance(value, list):
        raise ValueError(f"{name} is not a list")
    return value


def _mapping(value: Any, name: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{name} is not an object")
    return value


def _parse_seen(value: Any) -> Seen:
    item = _mapping(value, "seen")
    return Seen(subject=_text(item, "subject"), title=_text(item, "title"),
                period=_integer(item, "period"), held=_boolean(item, "held"),
                origin=_one_of(item, "origin", _ORIGINS),
                reference=_text(item, "reference", optional=True),
                discipline=_text(item, "discipline", optional=True))


def _parse_derived(value: Any) -> DerivedValue:
    item = _mapping(value, "derived")
    raw = item["value"]
    parsed: Decimal | bool | None = (raw if raw is None or isinstance(raw, bool)
                                     else _decimal(raw, "value"))
    periods = _list(item, "periods")
    if not all(isinstance(p, int) and not isinstance(p, bool) for p in periods):
        raise ValueError("periods are not integers")
    unknown = _list(item, "unknown_members")
    if not all(isinstance(m, str) for m in unknown):
        raise ValueError("unknown_members are not texts")
    return DerivedValue(input=_text(item, "input"), call=_text(item, "call"), value=parsed,
                        source=cast(Source, _one_of(item, "source", _SOURCES)),
                        periods=tuple(periods),
                        seen=tuple(_parse_seen(s) for s in _list(item, "seen")),
                        counted_from=_integer(item, "counted_from", optional=True),
                        unknown_members=tuple(unknown))


def _parse_cap(value: Any) -> CapPlacement:
    item = _mapping(value, "cap")
    keys = _list(item, "keys")
    if not all(isinstance(k, str) for k in keys):
        raise ValueError("keys are not texts")
    ratio = item["ratio"]
    return CapPlacement(group=_text(item, "group"), period=_integer(item, "period"),
                        rank=_integer(item, "rank"), limit=_integer(item, "limit"),
                        group_size=_integer(item, "group_size"),
                        within=_boolean(item, "within"),
                        base=_integer(item, "base", optional=True),
                        ratio=None if ratio is None else _decimal(ratio, "ratio"),
                        keys=tuple(keys))


def parse_context(text: str | None) -> tuple[tuple[DerivedValue, ...], CapPlacement | None]:
    """A stored context read back as the evaluator's types.

    Raises ``ValueError`` (naming the field) when the text is not a context this version
    wrote: an edited row is reported by ``verify``, never half-read.
    """
    if text is None:
        return (), None
    try:
        content = _mapping(parse_json(text), "context")
        derived = tuple(_parse_derived(item) for item in _list(content, "derived"))
        cap = None if content["cap"] is None else _parse_cap(content["cap"])
    except KeyError as error:
        raise ValueError(f"field {error} is missing") from None
    return derived, cap
