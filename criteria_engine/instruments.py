"""Legal instruments and the dates they are in force, to catch citations that lapsed.

A rule file cites instruments by their text ("Nghị định số 98/2023/NĐ-CP"). When the
instrument is repealed, every version still citing it for later dates is stale: a
council evaluating a 2026 period would get a confident citation of a dead decree.
:func:`lapsed_citations` compares each citation of a rule with :data:`INSTRUMENTS`
over the dates the version is in force and gives ``tdkt validate`` a *warning* (not an
error: the rule still evaluates; the citation needs a successor version).

A citation is matched by the instrument's number and symbol ("98/2023/NĐ-CP"), read
without diacritics or case, so "Nghị định 98/2023/ND-CP" matches too; a provincial
instrument also needs its province named, in the citation or the rule's
``jurisdiction``, since every province numbers its own decisions.

Example::

    >>> find_instrument("Nghị định số 152/2025/NĐ-CP").start
    datetime.date(2025, 7, 1)

The table is kept from the legal-fidelity review of 2026-12-01 (``docs/law.md``); a
date the review could not confirm is ``None`` and never warned on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from criteria_engine.errors import RuleFileError
from criteria_engine.messages import both
from criteria_engine.rules import Citation, RuleSource

__all__ = ["INSTRUMENTS", "Instrument", "citations", "find_instrument", "lapsed_citations"]


@dataclass(frozen=True, slots=True)
class Instrument:
    """A legal instrument with the dates it is in force (``None``: open or unverified)."""

    #: Number and symbol as printed on it, e.g. ``98/2023/NĐ-CP``.
    symbol: str
    #: Its name as a citation would give it.
    name: str
    start: date | None
    end: date | None
    #: Where the dates come from, and what is unverified.
    source: str
    #: The instrument that replaced it, named in the warning.
    replaced_by: str | None = None
    #: The province of a provincial instrument: its number is only unique there.
    area: str | None = None

    def matches(self, text: str, area: str | None = None) -> bool:
        """Whether a citation's instrument text (and the rule's area) names this one."""
        plain = _plain(text)
        if not _symbol_pattern(self.symbol).search(plain):
            return False
        return self.area is None or _plain(self.area) in (plain + " " + _plain(area or ""))


INSTRUMENTS: tuple[Instrument, ...] = (
    Instrument("06/2022/QH15", "Luật Thi đua, khen thưởng số 06/2022/QH15",
               date(2024, 1, 1), None,
               "Law review §1: in force 01/01/2024 (vietjack.me, many secondary sources)."),
    Instrument("91/2017/NĐ-CP", "Nghị định số 91/2017/NĐ-CP", None, date(2023, 12, 31),
               "Law review §2: lapsed with the 2022 law on 01/01/2024 [S2, S13]; start not checked.",
               replaced_by="Nghị định số 98/2023/NĐ-CP"),
    Instrument("98/2023/NĐ-CP", "Nghị định số 98/2023/NĐ-CP", date(2024, 1, 1), date(2025, 6, 30),
               "Law review §1: repealed by NĐ 152/2025 Điều 59 from 01/07/2025 [S1].",
               replaced_by="Nghị định số 152/2025/NĐ-CP"),
    Instrument("152/2025/NĐ-CP", "Nghị định số 152/2025/NĐ-CP", date(2025, 7, 1), None,
               "Law review §1: 'có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025' (Điều 59) [S1]."),
    Instrument("129/2025/NĐ-CP", "Nghị định số 129/2025/NĐ-CP", date(2025, 7, 1), None,
               "Law review §1: two-tier local government, Điều 59 (commune chair awards) [S3]."),
    Instrument("15/2025/TT-BNV", "Thông tư số 15/2025/TT-BNV", None, None,
               "Law review §1: current Bộ Nội vụ circular under NĐ 152/2025, cited by Bắc Ninh "
               "QĐ 86/2025; its dates are unverified."),
    Instrument("86/2025/QĐ-UBND", "Quyết định số 86/2025/QĐ-UBND của UBND tỉnh Bắc Ninh",
               date(2025, 12, 15), None,
               "Law review §1: 'có hiệu lực kể từ ngày 15 tháng 12 năm 2025'; repeals QĐ 13/2024 [S9].",
               area="Bắc Ninh"),
    Instrument("13/2024/QĐ-UBND", "Quyết định số 13/2024/QĐ-UBND của UBND tỉnh Bắc Ninh",
               None, date(2025, 12, 14),
               "Law review §1: repealed by QĐ 86/2025 from 15/12/2025 [S9]; its start is unverified.",
               replaced_by="Quyết định số 86/2025/QĐ-UBND", area="Bắc Ninh"),
    Instrument("01-KL/TW", "Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị",
               date(2021, 5, 18), None,
               "Party conclusion launching the campaign; no end date (law review §2)."),
)


def find_instrument(text: str, area: str | None = None) -> Instrument | None:
    """The instrument a citation's ``instrument`` text names, if the table knows it."""
    return next((i for i in INSTRUMENTS if i.matches(text, area)), None)


def lapsed_citations(rule: RuleSource, start: date, end: date | None) -> list[RuleFileError]:
    """Warnings for the instruments ``rule`` cites that are not in force over the whole
    of ``start`` … ``end`` (``None``: open-ended), one per instrument, at its first
    citation. ``start``/``end`` are the version's dates in force, its implicit end
    included (see :func:`criteria_engine.library.effective_ranges`)."""
    model = rule.model
    area = model.jurisdiction.area if model.jurisdiction else None
    warned: set[str] = set()
    warnings: list[RuleFileError] = []
    for path, citation in citations(model):
        instrument = find_instrument(citation.instrument, area)
        if instrument is None or instrument.symbol in warned:
            continue
        where = rule.where(*path, "instrument")
        if instrument.end is not None and (end is None or end > instrument.end):
            warned.add(instrument.symbol)
            if start > instrument.end:
                until = both("instrument.from", date=start)
            else:
                until = both("instrument.until", date=end) if end else both("instrument.open")
            warnings.append(RuleFileError(
                "instrument.lapsed", where, instrument=instrument.name, end=instrument.end,
                until=until, successor=instrument.replaced_by or both("instrument.successor")))
        elif instrument.start is not None and start < instrument.start:
            warned.add(instrument.symbol)
            warnings.append(RuleFileError("instrument.not_yet", where, instrument=instrument.name,
                                          start=instrument.start, begins=start))
    return warnings


def citations(node: Any, path: tuple[str | int, ...] = ()
              ) -> Iterator[tuple[tuple[str | int, ...], Citation]]:
    """Every citation in a rule model with its key path, wherever the format puts one
    (``legal_basis``, a criterion's ``cite``, a deferral's ``cite`` …), e.g.
    ``(("legal_basis", 0), Citation(...))``."""
    if isinstance(node, Citation):
        yield path, node
    elif isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            yield from citations(getattr(node, name), (*path, info.alias or name))
    elif isinstance(node, list | tuple):
        for index, item in enumerate(node):
            yield from citations(item, (*path, index))
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from citations(item, (*path, key))


def _plain(text: str) -> str:
    """Text without diacritics or case: "Nghị định 98/2023/NĐ-CP" → "nghi dinh 98/2023/nd-cp"."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def _symbol_pattern(symbol: str) -> re.Pattern[str]:
    # not part of a longer number: "198/2023/NĐ-CP" is another decree
    return re.compile(r"(?<![0-9])" + re.escape(_plain(symbol)) + r"(?![0-9a-z])")
