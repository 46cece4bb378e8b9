"""What makes two submissions the same decision, and how a correction is named.

The first form keyed a decision by the sha256 of the facts *as spelled* in the nominee
file, so ``88.5`` and ``88.50``, or an explicit null and an absent fact, were two
decisions, while a corrected name, unit or achievement list was "already recorded" and
dropped. A decision of the second form (revision 0006) is keyed by its *content*: the
facts as the rule bound them (typed, exact numbers in their shortest form, nulls left
out), the nominee's name, unit and subject, the achievements claimed, and the rule file::

    content_key = sha256(canonical_json({
        "claims": [sorted achievement ids], "facts": {input: typed value, …},
        "name": …, "nominee_id": …, "period": …, "rule_sha256": …, "subject": …,
        "unit": …}))
    key = sha256(canonical_json([content_key, supersedes]))

``supersedes`` is the id of the decision this one corrects (``null`` for the first), so
going back to an earlier content after a correction is a new decision again, not
"already recorded". Exactly one decision per nominee, title and period is current: the
latest of that line, every earlier one named by its successor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from criteria_engine.store._canonical import canonical_json, sha256_text
from criteria_engine.store._encode import facts_text, fragment

__all__ = ["CORRECTION_FIELDS", "content_key", "content_text", "correction", "decision_key", "typed_number",
           "typed_values"]

#: What a correction may change, in the order ``correction`` lists them.
CORRECTION_FIELDS = ("facts", "name", "unit", "subject", "achievements", "rule")


#: Shortest texts already made, by value: equal numbers (``88.5``, ``88.50``, ``Decimal(
#: 88.5)``) are equal keys, so each spelling finds the one text.
_NUMBERS: dict[Decimal | int, str] = {}


def typed_number(value: Decimal | int) -> str:
    """An exact number in its shortest text: ``88.50`` → ``88.5``, ``1E+2`` → ``100``,
    ``-0`` → ``0``. The value is unchanged; only its spelling is made one."""
    text = _NUMBERS.get(value)
    if text is not None:
        return text
    number = Decimal(value)
    if number.is_zero():
        text = "0"
    else:  # trailing zeros off by hand: normalize() would round to the context's precision
        sign, digits, exponent = number.as_tuple()
        kept = list(digits)
        assert isinstance(exponent, int)  # finite: a bound number is never NaN or infinite
        while exponent < 0 and kept[-1] == 0:
            kept.pop()
            exponent += 1
        text = format(Decimal((sign, tuple(kept), exponent)), "f")
    if len(_NUMBERS) < 100_000:
        _NUMBERS[value] = text
    return text


def typed_values(facts: Mapping[str, Any]) -> dict[str, Any]:
    """Bound facts as the content key names them: nulls out, numbers in their one spelling
    (a bool stays a bool: it is not a number here)."""
    typed: dict[str, Any] = {}
    for name, value in facts.items():
        kind = type(value)
        if kind is Decimal or kind is int:
            typed[name] = typed_number(value)
        elif kind is str or kind is bool:
            typed[name] = value
        elif value is None:
            continue
        elif isinstance(value, bool) or not isinstance(value, Decimal | int):
            typed[name] = value.isoformat() if isinstance(value, date) else value
        else:  # a subclass of int or Decimal
            typed[name] = typed_number(value)
    return typed


def content_key(*, nominee_id: str, period: int, rule_sha256: str, facts: Mapping[str, Any],
                name: str | None, unit: str | None, subject: str,
                claims: Iterable[str]) -> str:
    """The sha256 of what a decision was judged on (see the module docstring).

    Assembled from fragments (every decision recorded or verified computes one); equal,
    byte for byte, to :func:`content_text` (a test says so)."""
    # keys in sorted order: claims, facts, name, nominee_id, period, rule_sha256, subject, unit
    text = "".join((
        '{"claims":', fragment(sorted(set(claims))), ',"facts":',
        facts_text(typed_values(facts)), ',"name":', fragment(name), ',"nominee_id":',
        fragment(nominee_id), ',"period":', fragment(period), ',"rule_sha256":',
        fragment(rule_sha256), ',"subject":', fragment(subject), ',"unit":', fragment(unit),
        "}"))
    return sha256_text(text)


def content_text(*, nominee_id: str, period: int, rule_sha256: str, facts: Mapping[str, Any],
                 name: str | None, unit: str | None, subject: str,
                 claims: Iterable[str]) -> str:
    """The canonical text :func:`content_key` hashes, by the generic encoder."""
    return canonical_json({
        "claims": sorted(set(claims)), "facts": typed_values(facts), "name": name,
        "nominee_id": nominee_id, "period": period, "rule_sha256": rule_sha256,
        "subject": subject, "unit": unit})


def decision_key(content: str, supersedes: int | None) -> str:
    """The stored ``key`` of a decision of the second form (unique in the table)."""
    return sha256_text(canonical_json([content, supersedes]))


def correction(*, facts_changed: bool, before: Mapping[str, Any], after: Mapping[str, Any]
               ) -> list[str]:
    """What a correction changed: ``facts`` when told so, and each of ``name``, ``unit``,
    ``subject``, ``achievements`` (the claims, as sorted lists) and ``rule`` (the rule
    file's sha256) whose value differs between ``before`` and ``after``."""
    changed = ["facts"] if facts_changed else []
    changed += [field for field in CORRECTION_FIELDS[1:] if before.get(field) != after.get(field)]
    return changed
