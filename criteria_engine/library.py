"""The rule library: every version of every title found under one or more folders.

Rule files follow ``criteria/<rule-id>/<version>.yaml``. A published version is
never edited; a revision is a new file, and the version used for a nominee is the
one in force during the nominee's period. Files that fail to load are kept as
problems beside the good ones, so ``tdkt validate`` can list every fault at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from criteria_engine.errors import CriteriaError, Location, RuleFileError, RuleNotFoundError
from criteria_engine.evaluator import CompiledRule, compile_rule
from criteria_engine.rules import parse_rule_file

__all__ = [
    "RuleLibrary",
    "choose_rule",
    "default_criteria_dir",
    "load_rule",
    "version_order",
]

RULE_SUFFIXES = (".yaml", ".yml")
#: Picks the rule version for a nominee's period (raises RuleNotFoundError if none).
RuleChooser = Callable[[int], CompiledRule]


def version_order(rule: CompiledRule) -> tuple[Any, ...]:
    """Versions in the order they took effect; equal start dates by version, numerically
    ("2024.10" after "2024.9")."""
    parts = tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                  for part in re.split(r"[.\-]", rule.version))
    return (rule.model.effective.from_, parts)


def default_criteria_dir() -> Path:
    """``$TDKT_CRITERIA_DIR``, else ``./criteria``, else the library shipped with tdkt."""
    configured = os.environ.get("TDKT_CRITERIA_DIR")
    if configured:
        return Path(configured)
    local = Path("criteria")
    if local.is_dir():
        return local
    return Path(__file__).resolve().parent.parent / "criteria"


def load_rule(path: Path) -> CompiledRule:
    """Load, check and compile one rule file; raises :class:`RuleFileError`."""
    return compile_rule(parse_rule_file(path))


@dataclass
class RuleLibrary:
    """Loaded rules by id (each id's versions ordered by start date) and the files that failed."""

    rules: dict[str, list[CompiledRule]] = field(default_factory=dict)
    problems: list[CriteriaError] = field(default_factory=list)
    warnings: list[CriteriaError] = field(default_factory=list)
    roots: tuple[str, ...] = ()

    @classmethod
    def load(cls, paths: list[Path]) -> RuleLibrary:
        library = cls(roots=tuple(str(p) for p in paths))
        for root in paths:
            if not root.exists():
                library.problems.append(RuleFileError("file.not_found", Location(str(root))))
                continue
            for path in _rule_files(root):
                library._add(path, root)
        for versions in library.rules.values():
            versions.sort(key=version_order)
        return library

    def _add(self, path: Path, root: Path) -> None:
        try:
            rule = load_rule(path)
        except RuleFileError as exc:
            self.problems.append(exc)
            return
        self.warnings.extend(rule.source.warnings)
        if root.is_dir() and path.parent.parent == root:
            model = rule.model
            if path.parent.name != model.id:
                self.problems.append(RuleFileError("rule.id_folder", rule.source.where("id"),
                                                   rule_id=model.id, folder=path.parent.name))
                return
            if path.stem != model.version:
                self.problems.append(RuleFileError("rule.version_file",
                                                   rule.source.where("version"),
                                                   version=model.version, stem=path.stem))
                return
        for other in self.rules.get(rule.id, []):
            if other.version == rule.version:
                self.problems.append(RuleFileError("rule.duplicate_version",
                                                   rule.source.where("version"), rule_id=rule.id,
                                                   version=rule.version, other=other.source.path))
                return
        self.rules.setdefault(rule.id, []).append(rule)

    def all(self) -> list[CompiledRule]:
        return [rule for rule_id in sorted(self.rules) for rule in self.rules[rule_id]]

    def get(self, rule_id: str, version: str | None = None) -> CompiledRule:
        """A rule by id (its latest version, or the one named)."""
        versions = self._versions(rule_id)
        if version is None:
            return versions[-1]
        for rule in versions:
            if rule.version == version:
                return rule
        raise RuleNotFoundError("rules.version_not_found", rule_id=rule_id, version=version,
                                available=", ".join(r.version for r in versions))

    def in_force(self, rule_id: str, period: int) -> CompiledRule:
        """The version of ``rule_id`` in force in a yearly period (the latest to start)."""
        candidates = [r for r in self._versions(rule_id) if r.model.effective.covers_year(period)]
        if not candidates:
            raise RuleNotFoundError("rules.not_in_force", rule_id=rule_id, period=period)
        return candidates[-1]

    def _versions(self, rule_id: str) -> list[CompiledRule]:
        versions = self.rules.get(rule_id)
        if versions:
            return versions
        failed = [p for p in self.problems if p.where.path and Path(p.where.path).parent.name
                  == rule_id]
        if failed:
            raise RuleNotFoundError("rules.invalid", rule_id=rule_id)
        raise RuleNotFoundError("rules.not_found", rule_id=rule_id,
                                where=", ".join(self.roots) or "?")


def choose_rule(reference: str, rules_dir: Path) -> tuple[RuleChooser, RuleLibrary | None]:
    """How ``--rules`` picks a rule: a path to a rule file, ``id`` or ``id@version``.

    With an id, the version is chosen per nominee by the period; a file or an explicit
    version is used as given but must be in force in the nominee's period.
    """
    path = Path(reference)
    if path.suffix in RULE_SUFFIXES or path.is_file():
        rule = load_rule(path)
        return _pinned(rule), None
    library = RuleLibrary.load([rules_dir])
    rule_id, _, version = reference.partition("@")
    if version:
        return _pinned(library.get(rule_id, version)), library
    library.get(rule_id)
    return (lambda period: library.in_force(rule_id, period)), library


def _pinned(rule: CompiledRule) -> RuleChooser:
    def choose(period: int) -> CompiledRule:
        if not rule.model.effective.covers_year(period):
            raise RuleNotFoundError("rules.not_in_force", rule_id=f"{rule.id}@{rule.version}",
                                    period=period)
        return rule

    return choose


def _rule_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.suffix in RULE_SUFFIXES and p.is_file())
