"""What a check produces: results per property and target, findings, counterexamples.

Plain data, so the command line can print it, ``--json`` can dump it and tests can
replay each counterexample through the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from criteria_engine.errors import CriteriaError
from criteria_engine.evaluator import CompiledRule
from criteria_engine.messages import Language, message
from criteria_engine.report import plain

__all__ = ["CheckReport", "Example", "Finding", "Method", "PropertyResult", "Status"]

#: How a result was reached: decided from the typed model, searched with hypothesis, or
#: true by construction (a ``requires`` gate makes a title imply the one it requires).
Method = Literal["exact", "generated", "mixed", "construction"]
Status = Literal["pass", "fail", "inconclusive", "skipped"]


@dataclass(frozen=True, slots=True)
class Example:
    """One nominee of a counterexample, judged by ``rule``; ``role`` says which one
    (``before``/``after`` an improvement, the ``higher``/``lower`` title, …)."""

    role: str
    rule: CompiledRule
    facts: Mapping[str, Any]
    period: int
    number: int = 1

    @property
    def nominee_id(self) -> str:
        return f"VD-{self.number:04d}"

    def record(self, lang: Language = "vi") -> dict[str, Any]:
        """The nominee in the input format of ``tdkt evaluate`` (missing facts left out)."""
        return {
            "id": self.nominee_id,
            "name": message("check.example.name", lang, number=self.number),
            "subject": self.rule.model.subject,
            "unit": message("check.example.unit", lang),
            "period": self.period,
            "facts": {name: plain(value) for name, value in self.facts.items()
                      if value is not None},
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """One way a property fails, in the catalogue's words, with the nominees that show it."""

    property: str
    key: str
    params: Mapping[str, Any]
    method: Method
    rule: CompiledRule
    criterion: str | None = None
    examples: tuple[Example, ...] = ()

    def render(self, lang: Language = "vi") -> str:
        return message(self.key, lang, **self.params)


@dataclass(frozen=True, slots=True)
class PropertyResult:
    """One property on one target: a rule version, or a pair of titles in force together."""

    property: str
    target: str
    path: str
    status: Status
    method: Method
    findings: tuple[Finding, ...] = ()
    note: str | None = None
    note_params: Mapping[str, Any] = field(default_factory=dict)
    statement_params: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class CheckReport:
    """Everything one ``tdkt check`` run found; ``ok`` decides the exit code."""

    seed: int
    max_examples: int
    results: list[PropertyResult] = field(default_factory=list)
    problems: list[CriteriaError] = field(default_factory=list)
    warnings: list[CriteriaError] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [finding for result in self.results for finding in result.findings]

    @property
    def ok(self) -> bool:
        return not self.problems and all(r.status != "fail" for r in self.results)
