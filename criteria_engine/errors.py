"""One exception tree for everything a user can get wrong.

Every error carries *where* (file, line, column, record, field) and a message key
from the catalogue, so the command line can say it in Vietnamese or English and a
test can assert both the place and the words::

    CriteriaError
    ├── RuleFileError          a rule file that cannot be used (YAML, model, semantics)
    │   └── ExpressionError    an expression outside the language or ill-typed
    ├── RecordError            a nominee record that cannot be evaluated
    ├── RuleNotFoundError      no rule file with that id / version / period
    ├── OutputError            a file tdkt was asked to write cannot be written
    └── StoreError             the decision store refused or cannot be reached
        └── StoreUsageError    a --db address, actor or note that cannot be used (exit 2)

The library only raises these; ``cli.py`` alone turns them into exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from criteria_engine.messages import Language, message

__all__ = [
    "CriteriaError",
    "ExpressionError",
    "Location",
    "OutputError",
    "RecordError",
    "RuleFileError",
    "RuleNotFoundError",
    "StoreError",
    "StoreUsageError",
]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: enough for a secretary to open the file and find it."""

    path: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None
    record: str | None = None

    def with_field(self, field: str | None) -> Location:
        return replace(self, field=field)

    def render(self, lang: Language = "vi") -> str:
        parts: list[str] = []
        if self.path:
            place = self.path
            if self.line is not None:
                place += f":{self.line}"
                if self.column is not None:
                    place += f":{self.column}"
            parts.append(place)
        if self.record is not None:
            parts.append(message("where.record", lang, record=self.record))
        if self.field:
            parts.append(message("where.field", lang, field=self.field))
        return ", ".join(parts)


class CriteriaError(Exception):
    """Base of every error a user can cause; rendered through the message catalogue."""

    def __init__(self, key: str, where: Location | None = None, /, **params: Any) -> None:
        self.key = key
        self.where = where or Location()
        self.params = params
        self.more: list[CriteriaError] = []
        super().__init__(self.render("en"))

    def render(self, lang: Language = "vi") -> str:
        """This problem, and any further problems found in the same pass, one per line."""
        place = self.where.render(lang)
        text = message(self.key, lang, **self.params)
        lines = [f"{place}: {text}" if place else text]
        lines.extend(problem.render(lang) for problem in self.more)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render("en")

    def at(self, where: Location) -> CriteriaError:
        """The same error at another place (e.g. once the loader knows the line)."""
        moved = type(self)(self.key, where, **self.params)
        moved.more = self.more
        return moved


class RuleFileError(CriteriaError):
    """A rule file that cannot be loaded; nothing of it is used."""


class ExpressionError(RuleFileError):
    """An expression outside the documented language, or ill-typed against the inputs."""


class RecordError(CriteriaError):
    """A nominee record that cannot be evaluated; the rest of the batch goes on."""


class RuleNotFoundError(CriteriaError):
    """No rule file matches the requested id, version or period."""


class OutputError(CriteriaError):
    """A file tdkt was asked to write (``-o``, an export) cannot be written.

    Raised before any work or recording starts, so a bad path never costs a run.
    """


class StoreError(CriteriaError):
    """The decision store cannot be used as asked."""


class StoreUsageError(StoreError):
    """What the user typed cannot be used with the store: a ``--db`` address tdkt cannot
    open, a store that would be lost at exit, an actor or note with unsafe characters.
    A usage error (exit 2), raised before anything is read or written."""
