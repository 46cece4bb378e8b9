"""Deduplication: criteria of different titles that pick out the same nominees.

Workshops ask that the criteria of a "mô hình" or "điển hình tiên tiến" be quantified
*without duplicating the criteria of other titles*. This package answers, for every
criterion of every title against every criterion of the other titles in force at the
same time, whether the two are equivalent, one implies the other, they overlap, or
they are disjoint – with a nominee record as witness that the engine itself
evaluates, and a solver proof (z3) for every "no such record exists". Anything it
cannot decide exactly is reported as undecided.

    >>> from pathlib import Path
    >>> from criteria_engine import RuleLibrary
    >>> from criteria_engine.dedup import find_overlaps
    >>> report = find_overlaps(RuleLibrary.load([Path("criteria")]).all())  # doctest: +SKIP

Facts match across rule files by input name (and type); a file that names a fact
differently declares ``same_as: <other name>`` on the input.
"""

from criteria_engine.dedup._analysis import (
    RELATIONS,
    SOLVER_TIMEOUT_MS,
    DedupReport,
    Finding,
    Note,
    Relation,
    Role,
    Side,
    Theory,
    Witness,
    find_overlaps,
    wording_similarity,
)
from criteria_engine.dedup._output import (
    FAIL_ON_CLASSES,
    Group,
    Row,
    evidence,
    export_report,
    failing,
    finding_to_dict,
    groups,
    relation_text,
    report_to_dict,
    summary_text,
)

__all__ = [
    "FAIL_ON_CLASSES",
    "RELATIONS",
    "SOLVER_TIMEOUT_MS",
    "DedupReport",
    "Finding",
    "Group",
    "Note",
    "Relation",
    "Role",
    "Row",
    "Side",
    "Theory",
    "Witness",
    "evidence",
    "export_report",
    "failing",
    "find_overlaps",
    "finding_to_dict",
    "groups",
    "relation_text",
    "report_to_dict",
    "summary_text",
    "wording_similarity",
]
