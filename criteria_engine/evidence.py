"""What a decision saw outside its own record: derived facts and cap placements.

Plain data, shared by the evaluator (which carries it on each decision), the period run
(which computes it), the store (which keeps it in the audit chain) and the explanation
(which says it in words). A council defends a streak, a member roll-up or a cap decision
with exactly these: which periods, which members, which rank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

__all__ = ["CapPlacement", "DerivedValue", "Seen", "Source"]

#: Where a derived fact came from: the title history (imported or the store's own
#: decisions), the same run's decisions, the members' decisions, or — for a member
#: roll-up on a record that names no members — the record itself.
Source = Literal["lich_su", "cung_ky", "thanh_vien", "tu_khai"]


@dataclass(frozen=True, slots=True)
class Seen:
    """One piece of evidence behind a derived fact: a subject holding (or not) a title
    in a period, and where that was read.

    ``origin`` is ``store`` (a stored decision, ``reference`` its id), ``import`` (an
    imported history row, ``reference`` its decision number if any) or ``run`` (a
    decision of this run, ``reference`` its rule ``id@version``).
    """

    subject: str
    title: str
    period: int
    held: bool
    origin: Literal["store", "import", "run", "none"] = "none"
    reference: str | None = None
    #: For a discipline row: its level (``khien_trach``, ``canh_cao`` …).
    discipline: str | None = None
    #: For a decision of this run: its outcome (``thieu_du_lieu`` leaves the fact unknown).
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class DerivedValue:
    """A derived input's value for one decision, with what it saw.

    ``input`` is the rule's input name (a synthesised one for a call written in an
    expression); ``call`` the canonical call text, e.g.
    ``consecutive("chien-si-thi-dua-co-so")``; ``periods`` the periods looked at (oldest
    first); ``seen`` the holdings, members' decisions and disciplines behind the value.
    ``counted_from`` is set when a discipline cut the streak: the first period counted.
    """

    input: str
    call: str
    value: Decimal | bool | None
    source: Source
    periods: tuple[int, ...] = ()
    seen: tuple[Seen, ...] = ()
    counted_from: int | None = None
    #: Member ids that could not be read (named nowhere): the value is then missing.
    unknown_members: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class CapPlacement:
    """Where a nominee who reached the title stands against its group's cap.

    ``rank`` is 1-based among the group's nominees who reached the title; ``limit`` the
    cap after rounding; ``group_size`` the number ranked; ``base`` what the limit was
    computed from (a headcount or the number holding another title) and ``ratio`` the
    share applied to it (None for an absolute cap). ``within`` is rank ≤ limit.
    """

    group: str
    period: int
    rank: int
    limit: int
    group_size: int
    within: bool
    base: int | None = None
    ratio: Decimal | None = None
    #: The values ranked on, in ``rank_by`` order, then the final tie-break key.
    keys: tuple[str, ...] = ()
