"""What ``verify`` reports and the helpers its stages share.

Split from :mod:`._audit` so that the replay stage (:mod:`._replay`) and the chain and
achievement stages can live in their own modules without importing each other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case

from criteria_engine.errors import CriteriaError
from criteria_engine.evaluator import CompiledRule
from criteria_engine.messages import LANGUAGES, Bilingual, Language, message
from criteria_engine.store._canonical import GENESIS_HASH

__all__ = ["NAMED", "PROGRESS_EVERY", "VERIFY_STAGES", "Finding", "Progress", "Ticks",
           "VerifyReport", "decision_names", "first_line", "numeric_inputs", "own_facts",
           "python_problem"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing ``verify`` found wrong: the table, the row id, and what differs."""

    table: str
    row: int | str
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: Language = "vi") -> str:
        return f"{self.table} {self.row}: {message(self.key, lang, **self.params)}"


@dataclass
class VerifyReport:
    events: int = 0
    decisions: int = 0
    replayed: int = 0
    rule_files: int = 0
    head_event_id: int = 0
    head_hash: str = GENESIS_HASH
    findings: list[Finding] = field(default_factory=list)
    #: Title history rows checked against their import events.
    history_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings



#: ``progress(stage, done, total)``: a stage of :func:`verify` (``rules``, ``submissions``,
#: ``chain``, ``replay``, ``achievements``) has checked ``done`` of its ``total`` rows.
Progress = Callable[[str, int, int], None]
#: Rows between two progress calls (a call costs far more than checking a row).
PROGRESS_EVERY = 500
VERIFY_STAGES = ("rules", "submissions", "chain", "replay", "achievements")


class Ticks:
    """Counts the rows of one stage and tells ``progress`` every so often; the library
    does no I/O itself, so the command line decides what (if anything) is drawn."""

    def __init__(self, progress: Progress | None, stage: str, total: int) -> None:
        self.progress, self.stage, self.total, self.done = progress, stage, total, 0
        if progress is not None:
            progress(stage, 0, total)

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % PROGRESS_EVERY == 0:
            self.progress(self.stage, min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.stage, self.total, self.total)


def own_facts(rule: CompiledRule, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The facts this rule reads: a submission judged by several titles at once also holds
    the other titles' facts, which were checked when it was recorded."""
    return {name: value for name, value in facts.items() if name in rule.model.inputs}


def numeric_inputs(rule: CompiledRule) -> set[str]:
    return {name for name, spec in rule.model.inputs.items() if spec.is_numeric}


def first_line(error: CriteriaError) -> str:
    """The first line of a library error, in whichever language the finding is shown."""
    return Bilingual({lang: error.render(lang).splitlines()[0] for lang in LANGUAGES})


def python_problem(error: Exception) -> str:
    """Python's reason for a stored row that cannot be read or replayed, in both
    languages: English as Python says it; in Vietnamese a sentence quoting it as a code
    (a class name or an English sentence never stands alone in Vietnamese output)."""
    english = (str(error).splitlines() or [""])[0][:160] or type(error).__name__
    return Bilingual({"vi": message("audit.python_problem", "vi", kind=type(error).__name__,
                                    original=english),
                      "en": english})


#: The columns by which a decision names its nominee, as its ``recorded`` event hashed them.
NAMED = ("name", "unit", "subject")


def decision_names(d: Any, s: Any, n: Any) -> tuple[Any, ...]:
    """``name``, ``unit`` and ``subject`` as the decision's event hashed them: the
    decision's own columns (revision 0005 on, ``subject`` never NULL), else, for a decision
    recorded before, its submission's name and unit and its nominee's subject."""
    own = d.c.subject.is_not(None)
    return (case((own, d.c.name), else_=s.c.name).label("name"),
            case((own, d.c.unit), else_=s.c.unit).label("unit"),
            case((own, d.c.subject), else_=n.c.subject).label("subject"))
