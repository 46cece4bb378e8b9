"""Values as people read them: numbers, yes/no and missing facts, in Vietnamese or English.

Machine output (``--json``) keeps ids and exact numbers; the text a council reads
(tables, reasons, explanations) goes through here, so it says ``88,6``, ``Có`` and
``chưa có`` in Vietnamese and ``88.6``, ``Yes`` and ``missing`` in English, never
Python's ``True`` or ``None``::

    >>> number(Decimal("12345.6"), "vi"), number(Decimal("12345.6"), "en")
    ('12.345,6', '12,345.6')
    >>> value(False, "vi"), value(None, "en")
    ('Không', 'missing')

Formatting is exact: a decimal is written digit for digit (never through float), so
what a person reads is what the engine compared.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from criteria_engine.messages import Language, message
from criteria_engine.rules import InputSpec, RuleFile

__all__ = ["input_label", "number", "value"]

#: Thousands and decimal separators: Vietnamese writes 1.234,5 and English 1,234.5.
SEPARATORS: dict[Language, tuple[str, str]] = {"vi": (".", ","), "en": (",", ".")}


def number(amount: Decimal | int, lang: Language = "vi") -> str:
    """``amount`` in the language's convention, exactly, without a trailing ``.0``.

    Integral decimals print as whole numbers (``60``, not ``60.0``); other decimals
    keep every digit they have (``0,95``). Thousands are grouped from 1 000 on.
    """
    exact = Decimal(amount)
    if exact == exact.to_integral_value():
        exact = exact.quantize(Decimal(1))
    text = format(exact, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    thousands, point = SEPARATORS[lang]
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    grouped = thousands.join([whole, *groups])
    return f"{sign}{grouped}{point}{fraction}" if fraction else f"{sign}{grouped}"


def value(fact: Any, lang: Language = "vi") -> str:
    """One fact or param as text: Có/Không, a number, ``chưa có`` when missing.

    Strings (enum values) are shown as written in the rule file, since they are
    what the record must contain.
    """
    if fact is None:
        return message("label.value_missing", lang)
    if isinstance(fact, bool):
        return message("label.yes" if fact else "label.no", lang)
    if isinstance(fact, (int, Decimal)):
        return number(fact, lang)
    if isinstance(fact, float):
        return number(Decimal(repr(fact)), lang)
    return str(fact)


def input_label(model: RuleFile, name: str, lang: Language = "vi") -> str:
    """The label an input is declared with (``label_en`` in English when given).

    Falls back to the name for a fact the rule does not declare, so a caller can pass
    any name it holds.
    """
    spec: InputSpec | None = model.inputs.get(name)
    if spec is None:
        return name
    return spec.label_en if lang == "en" and spec.label_en else spec.label
