"""Canonical JSON and the hashes built on it.

A hash is only evidence if anyone can recompute it, years later, with any JSON
library. So the text that is hashed is fixed here once: keys sorted, no spaces,
UTF-8 text (not ``\\u`` escapes), every string in NFC, decimals as their exact
strings (``"0.95"``; the engine never makes binary floats), dates in ISO 8601::

    >>> canonical_json({"b": Decimal("0.950"), "a": [True, None, "Lan"]})
    '{"a":[true,null,"Lan"],"b":"0.950"}'

What is stored is this text too (facts, per-criterion results), so a
stored row's sha256 is simply the sha256 of its column. A decimal reads back as a
string; :func:`typed_facts` turns it back into a ``Decimal`` where the rule declares
the input numeric (a recorded fact always matched its declaration).
"""

from __future__ import annotations

import functools
import hashlib
import json
import unicodedata
from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

__all__ = [
    "GENESIS_HASH",
    "canonical_json",
    "chain_hash",
    "parse_json",
    "sha256_text",
    "typed_facts",
    "utc_text",
]

#: The "previous hash" of the first event of a chain.
GENESIS_HASH = "0" * 64


def _exact(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} has no canonical JSON form")


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Mapping):
        return {_nfc(key): _nfc(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_nfc(item) for item in value]
    return value


def canonical_json(value: Any) -> str:
    """The one text of ``value`` that is hashed (see the module docstring)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_exact, allow_nan=False)
    # JSON's own characters never combine with a following accent, so the whole
    # text is NFC exactly when every string in it is; only then is the slow path needed.
    if unicodedata.is_normalized("NFC", text):
        return text
    return json.dumps(_nfc(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_exact, allow_nan=False)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chain_hash(previous: str, canonical_event: str) -> str:
    """The hash of one event: sha256 of the previous hash, a newline, the canonical event."""
    return hashlib.sha256(f"{previous}\n{canonical_event}".encode()).hexdigest()


def parse_json(text: str) -> Any:
    """A stored canonical text read back (decimals are strings there, so nothing is lost)."""
    return json.loads(text)


def typed_facts(facts: Mapping[str, Any], numeric: Collection[str]) -> dict[str, Any]:
    """Facts read back, with the exact ``Decimal`` of each ``numeric`` input restored.

    Raises ``decimal.InvalidOperation`` if such a fact is not a number (an edited row).
    """
    return {name: Decimal(value) if name in numeric and isinstance(value, str) else value
            for name, value in facts.items()}


@functools.lru_cache(maxsize=4096)  # a batch's decisions share their moments
def utc_text(moment: datetime) -> str:
    """A moment as ``2024-05-01T08:30:00.000000Z``; naive values are read as UTC
    (SQLite keeps no offset)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
