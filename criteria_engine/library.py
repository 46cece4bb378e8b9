"""The rule library: every version of every title found under one or more folders.

Rule files follow ``criteria/<rule-id>/<version>.yaml``. A published version is
never edited; a revision is a new file, and the version used for a nominee is the
one in force during the nominee's period. Files that fail to load are kept as
problems beside the good ones, so ``tdkt validate`` can list every fault at once.

Which version is in force (:meth:`RuleLibrary.in_force`): among the *published*
versions that no other published version ``supersedes``, the one that started last
among those covering part of the period. A later version's ``effective.from``
implicitly ends the earlier one, so closing a version never needs its file edited::

    2024.1  from 2024-01-01                       → periods 2024 (and 2025 before 2025.1)
    2024.2  from 2024-01-01, supersedes [2024.1]  → an erratum: 2024.1 is never chosen again
    2025.1  from 2025-07-01                       → periods 2025 onward
    2026.1  status: draft                         → only by ``id@2026.1`` or its path

The library refuses the contradictions that would make that choice a guess (two
published versions starting the same day with no supersession, an explicit
``effective.to`` running past a later version's start, ``supersedes`` naming a
version that does not exist) as problems, and warns when a citation names a legal
instrument not in force for the version's dates (:mod:`criteria_engine.instruments`).

A version that fails to load is never skipped: its rule id is *broken*, and every
use of that id (``get``, ``in_force``, ``--rules id`` or ``id@version``) raises the
file's problems instead of silently judging with another version. Policy staff who
just wrote a revision with a typo must hear about it, not get the old threshold.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from criteria_engine.errors import CriteriaError, Location, RuleFileError, RuleNotFoundError
from criteria_engine.evaluator import CompiledRule, compile_rule
from criteria_engine.instruments import lapsed_citations
from criteria_engine.messages import did_you_mean
from criteria_engine.rules import (
    declared_id,
    load_rule_tree,
    parse_rule_file,
    parse_rule_tree,
    read_rule_source,
)

__all__ = [
    "BrokenFile",
    "LoadProgress",
    "RuleLibrary",
    "choose_rule",
    "default_criteria_dir",
    "effective_ranges",
    "load_rule",
    "published_versions",
    "version_in_force",
    "version_order",
]

RULE_SUFFIXES = (".yaml", ".yml")
#: Picks the rule version for a nominee's period (raises RuleNotFoundError if none).
RuleChooser = Callable[[int], CompiledRule]
#: Told ``(files done, files in all)`` after each rule file is loaded (for a progress bar).
LoadProgress = Callable[[int, int], None]


def version_order(rule: CompiledRule) -> tuple[Any, ...]:
    """Versions in the order they took effect; equal start dates by version, numerically
    ("2024.10" after "2024.9")."""
    parts = tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                  for part in re.split(r"[.\-]", rule.version))
    return (rule.model.effective.from_, parts)


def published_versions(versions: Iterable[CompiledRule]) -> list[CompiledRule]:
    """The versions that can be chosen by period, in :func:`version_order`: not drafts,
    and not superseded by another non-draft version (a draft's ``supersedes`` takes
    effect only once it is published)."""
    versions = list(versions)
    superseded = {name for rule in versions if rule.model.status != "draft"
                  for name in rule.model.supersedes}
    return sorted((rule for rule in versions
                   if rule.model.status != "draft" and rule.version not in superseded),
                  key=version_order)


def effective_ranges(versions: Iterable[CompiledRule]) -> dict[str, tuple[date, date | None]]:
    """Each version's dates in force, by version: its own ``effective`` range, ended the
    day before the next published version starts (the implicit end). Drafts and
    superseded versions keep their own range: they are only ever chosen by name."""
    versions = list(versions)
    ranges = {rule.version: (rule.model.effective.from_, rule.model.effective.to)
              for rule in versions}
    chosen = published_versions(versions)
    for rule in chosen:
        start, end = ranges[rule.version]
        later = [r.model.effective.from_ for r in chosen if r.model.effective.from_ > start]
        if later:
            implicit = min(later) - timedelta(days=1)
            ranges[rule.version] = (start, implicit if end is None else min(end, implicit))
    return ranges


def version_in_force(versions: Sequence[CompiledRule], period: int) -> CompiledRule | None:
    """The version in force for a yearly period, or None: among the published versions
    covering part of the year, the latest to start (the rules in force when the year's
    titles are considered). ``RuleLibrary.in_force`` and ``tdkt check`` both use it."""
    ranges = effective_ranges(versions)
    first, last = date(period, 1, 1), date(period, 12, 31)
    covering = [rule for rule in published_versions(versions)
                if _overlaps(ranges[rule.version], first, last)]
    return covering[-1] if covering else None


def _overlaps(span: tuple[date, date | None], first: date, last: date) -> bool:
    start, end = span
    return start <= last and (end is None or end >= first)


#: Rules compiled in this process, by (path, sha256 of the bytes): a compiled rule is
#: immutable and depends on nothing but its bytes, so a file read again unchanged (every
#: command of a long-lived process, every test) is not parsed again. Parsing is ruamel's
#: round-trip YAML with positions, about 70 ms a file. Bounded, oldest dropped first.
_COMPILED: dict[tuple[str, str], CompiledRule] = {}
_COMPILED_LIMIT = 512


def _remember(key: tuple[str, str], rule: CompiledRule) -> None:
    if len(_COMPILED) >= _COMPILED_LIMIT:
        del _COMPILED[next(iter(_COMPILED))]
    _COMPILED[key] = rule


def dependency_cycles(rules: Iterable[CompiledRule]) -> list[list[str]]:
    """The cycles among rule ids that read each other's same-period decisions (each
    cycle once, starting from its smallest id)."""
    edges: dict[str, set[str]] = {}
    for rule in rules:
        edges.setdefault(rule.id, set()).update(t for t in rule.same_period_titles if t != rule.id)
    cycles: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()

    def visit(node: str, path: list[str]) -> None:
        for target in sorted(edges.get(node, ())):
            if target in path:
                cycle = path[path.index(target):]
                start = cycle.index(min(cycle))
                key = tuple(cycle[start:] + cycle[:start])
                if key not in seen:
                    seen.add(key)
                    cycles.append(list(key))
            elif len(path) < 100:
                visit(target, [*path, target])

    for node in sorted(edges):
        visit(node, [node])
    return cycles


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


@dataclass(frozen=True, slots=True)
class BrokenFile:
    """A rule file that failed to load, and the rule it belongs to as far as can be told:
    its folder's name (in the ``<rule-id>/<version>.yaml`` layout) and the id it declares."""

    path: str
    rule_ids: tuple[str, ...]
    version: str | None
    problem: RuleFileError


@dataclass
class RuleLibrary:
    """Loaded rules by id (each id's versions ordered by start date) and the files that failed."""

    rules: dict[str, list[CompiledRule]] = field(default_factory=dict)
    problems: list[CriteriaError] = field(default_factory=list)
    warnings: list[CriteriaError] = field(default_factory=list)
    roots: tuple[str, ...] = ()
    #: Every file that failed to load, in the order found; its rule ids are unusable.
    broken: list[BrokenFile] = field(default_factory=list)

    @classmethod
    def load(cls, paths: list[Path], *, as_library: bool = False,
             progress: LoadProgress | None = None) -> RuleLibrary:
        """Load every rule file under ``paths``.

        In a folder given, files in its sub-folders follow the library layout: the
        sub-folder is named after the rule id, the file after the version. With
        ``as_library`` (what ``tdkt validate`` uses) every file is held to that layout,
        whatever was given: a single file, a rule's own folder, or the library, so
        validation never passes a file the library would refuse. Without it, a single
        file or a file lying directly in the folder given is taken as it is (``tdkt
        check`` of a draft file).
        """
        library = cls(roots=tuple(str(p) for p in paths))
        found: list[tuple[Path, bool]] = []
        for root in paths:
            if not root.exists():
                library.problems.append(RuleFileError("file.not_found", Location(str(root))))
                continue
            found += [(path, as_library or (root.is_dir() and path.parent.parent == root))
                      for path in _rule_files(root)]
        for done, (path, layout) in enumerate(found, start=1):
            library._add(path, layout=layout, alone=as_library and path in paths)
            if progress is not None:
                progress(done, len(found))
        for versions in library.rules.values():
            versions.sort(key=version_order)
        for rule_id in sorted(library.rules):
            if not library.broken_files(rule_id):
                library._check_versions(library.rules[rule_id])
        library._check_titles_read()
        library._check_cycles()
        return library

    def _check_titles_read(self) -> None:
        """Every title a context function or cap names must be a rule id of the library
        (or a folder beside the rule's own, for a file validated alone); otherwise the
        file is refused, with a did-you-mean."""
        for rule_id in sorted(self.rules):
            for rule in list(self.rules[rule_id]):
                known = set(self.rules) | {i for b in self.broken for i in b.rule_ids}
                folder = Path(rule.source.path).parent.parent
                if folder.is_dir():
                    known |= {p.name for p in folder.iterdir() if p.is_dir()}
                named = [(title, derivation.text, rule.derived_at.get(name))
                         for name, derivation in rule.derived.items() for title in derivation.titles]
                cap = rule.model.cap
                if cap is not None and cap.limit.share_of_title is not None:
                    named.append((cap.limit.share_of_title, "cap",
                                  rule.source.where("cap", "limit", "share_of_title")))
                for title, call, where in named:
                    if title not in known:
                        self.rules[rule_id].remove(rule)
                        self._refuse(Path(rule.source.path), RuleFileError(
                            "derive.unknown_title", where or rule.source.where("id"), call=call,
                            title=title, hint=did_you_mean(title, sorted(known))),
                            None, rule.id, False)
                        break
            if not self.rules[rule_id]:
                del self.rules[rule_id]

    def _check_cycles(self) -> None:
        """Titles that read each other's decisions in the same period, in a cycle, can
        never be judged: a load problem naming the cycle (the period run leaves them out)."""
        for cycle in dependency_cycles(self.all()):
            first = next(r for r in self.rules[cycle[0]])
            self.problems.append(RuleFileError("derive.cycle", first.source.where("requires"),
                                               cycle=" → ".join([*cycle, cycle[0]])))

    def _check_versions(self, versions: list[CompiledRule]) -> None:
        """The problems between versions of one id, and the lapsed-instrument warnings."""
        names = {rule.version: rule for rule in versions}
        for rule in versions:
            for index, name in enumerate(rule.model.supersedes):
                if name not in names and name != rule.version:
                    self.problems.append(RuleFileError(
                        "rules.supersedes_missing", rule.source.where("supersedes", index),
                        rule_id=rule.id, version=name,
                        available=", ".join(r.version for r in versions)))
        published = [r for r in versions if r.model.status != "draft"]
        for rule in published:
            if _supersedes_itself(rule, names):
                self.problems.append(RuleFileError(
                    "rules.supersedes_cycle", rule.source.where("supersedes"),
                    rule_id=rule.id, version=rule.version))
        chosen = published_versions(versions)
        for earlier, later in itertools.pairwise(chosen):
            start, end = earlier.model.effective.from_, earlier.model.effective.to
            begins = later.model.effective.from_
            if begins == start:
                self.problems.append(RuleFileError(
                    "rules.same_start", later.source.where("effective", "from"),
                    rule_id=later.id, version=later.version, other=earlier.version,
                    start=begins, path=earlier.source.path))
            elif end is not None and end >= begins:
                self.problems.append(RuleFileError(
                    "rules.runs_past", earlier.source.where("effective", "to"),
                    rule_id=earlier.id, version=earlier.version, to=end,
                    later=later.version, start=begins))
        # a superseded version is history (stored decisions replay it): nothing to warn of
        ranges = effective_ranges(versions)
        for rule in [*chosen, *(r for r in versions if r.model.status == "draft")]:
            start, end = ranges[rule.version]
            self.warnings.extend(lapsed_citations(rule.source, start, end))

    def listing(self, *, period: int | None = None, issuer: str | None = None
                ) -> list[CompiledRule]:
        """The versions ``tdkt rules list`` shows: every version by id, or only those in
        force in ``period``; with ``issuer``, only rules awarded at that level
        (``issuer.level``: trung_uong, tinh, huyen, xa)."""
        rules = self.all() if period is None else self.in_force_all(period)
        return [rule for rule in rules if issuer is None
                or (rule.model.issuer is not None and rule.model.issuer.level == issuer)]

    def superseded_by(self, rule: CompiledRule) -> str | None:
        """The published version of the same id that supersedes ``rule``, if any."""
        return next((other.version for other in self.rules.get(rule.id, [])
                     if other.model.status != "draft" and rule.version in other.model.supersedes),
                    None)

    def effective_range(self, rule: CompiledRule) -> tuple[date, date | None]:
        """``rule``'s dates in force, its implicit end included (see :func:`effective_ranges`)."""
        return effective_ranges(self.rules.get(rule.id, [rule])).get(
            rule.version, (rule.model.effective.from_, rule.model.effective.to))

    def in_force_all(self, period: int) -> list[CompiledRule]:
        """The version of each rule id in force in ``period``, by id (``tdkt rules list
        --period``); ids with a broken file or nothing in force are left out."""
        chosen = [version_in_force(self.rules[rule_id], period)
                  for rule_id in sorted(self.rules) if not self.broken_files(rule_id)]
        return [rule for rule in chosen if rule is not None]

    def _add(self, path: Path, *, layout: bool, alone: bool = False) -> None:
        folder_id = path.parent.name if layout else None
        claimed: str | None = None
        try:
            source = read_rule_source(path)
            key = (source.path, hashlib.sha256(source.raw).hexdigest())
            cached = _COMPILED.get(key)
            if cached is None:
                tree = load_rule_tree(source)
                claimed = declared_id(tree)
                rule = compile_rule(parse_rule_tree(source, tree))
                _remember(key, rule)
            else:
                rule = cached
        except RuleFileError as exc:
            self._refuse(path, exc, folder_id, claimed, layout)
            return
        self.warnings.extend(rule.source.warnings)
        model = rule.model
        if layout and path.parent.name != model.id:
            self._refuse(path, RuleFileError("rule.id_folder", rule.source.where("id"),
                                             rule_id=model.id, folder=path.parent.name),
                         folder_id, model.id, layout)
            return
        if layout and path.stem != model.version:
            self._refuse(path, RuleFileError("rule.version_file", rule.source.where("version"),
                                             version=model.version, stem=path.stem),
                         folder_id, model.id, layout)
            return
        others = [*self.rules.get(rule.id, []), *(_earlier_twins(path) if alone else [])]
        for other in others:
            if other.version == rule.version:
                self._refuse(path, RuleFileError("rule.duplicate_version",
                                                 rule.source.where("version"), rule_id=rule.id,
                                                 version=rule.version, other=other.source.path),
                             folder_id, model.id, layout)
                return
        self.rules.setdefault(rule.id, []).append(rule)

    def _refuse(self, path: Path, problem: RuleFileError, folder_id: str | None,
                claimed: str | None, layout: bool) -> None:
        self.problems.append(problem)
        ids = tuple(dict.fromkeys(i for i in (folder_id, claimed) if i))
        self.broken.append(BrokenFile(path=problem.where.path or str(path), rule_ids=ids,
                                      version=path.stem if layout else None, problem=problem))

    def broken_files(self, rule_id: str) -> list[BrokenFile]:
        """The files of ``rule_id`` that failed to load (empty when every version loaded)."""
        return [broken for broken in self.broken if rule_id in broken.rule_ids]

    def all(self) -> list[CompiledRule]:
        return [rule for rule_id in sorted(self.rules) for rule in self.rules[rule_id]]

    def get(self, rule_id: str, version: str | None = None) -> CompiledRule:
        """A rule by id: the version named (any, drafts and superseded ones included),
        or else the latest published one that is not superseded.

        Raises :class:`RuleFileError` when any version of ``rule_id`` failed to load,
        naming the files and their problems: the id is unusable until they are fixed.
        """
        versions = self._versions(rule_id)
        if version is None:
            return (published_versions(versions) or versions)[-1]
        for rule in versions:
            if rule.version == version:
                return rule
        raise RuleNotFoundError("rules.version_not_found", rule_id=rule_id, version=version,
                                available=", ".join(r.version for r in versions))

    def in_force(self, rule_id: str, period: int) -> CompiledRule:
        """The version of ``rule_id`` in force in a yearly period: among the published,
        not superseded versions covering part of the year, the latest to start (see the
        module's docstring). Drafts are chosen only by :meth:`get`."""
        rule = version_in_force(self._versions(rule_id), period)
        if rule is None:
            raise RuleNotFoundError("rules.not_in_force", rule_id=rule_id, period=period)
        return rule

    def _versions(self, rule_id: str) -> list[CompiledRule]:
        broken = self.broken_files(rule_id)
        if broken:
            error = RuleFileError("rules.broken", rule_id=rule_id,
                                  files=", ".join(b.path for b in broken))
            error.more = [b.problem for b in broken]
            raise error
        versions = self.rules.get(rule_id)
        if versions:
            return versions
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


def _supersedes_itself(rule: CompiledRule, names: dict[str, CompiledRule]) -> bool:
    """Whether following published ``supersedes`` from ``rule`` leads back to it
    (2024.2 supersedes 2024.3 which supersedes 2024.2): such versions would all be gone."""
    seen: set[str] = set()
    todo = list(rule.model.supersedes)
    while todo:
        name = todo.pop()
        if name == rule.version:
            return True
        other = names.get(name)
        if name in seen or other is None or other.model.status == "draft":
            continue
        seen.add(name)
        todo.extend(other.model.supersedes)
    return False


def _rule_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.suffix in RULE_SUFFIXES and p.is_file())


def _earlier_twins(path: Path) -> list[CompiledRule]:
    """The loadable files beside ``path`` with the same name and another suffix
    (``2024.1.yml`` beside ``2024.1.yaml``) that the library would load first: with
    them, a file validated alone is the duplicate the library refuses."""
    twins = []
    for suffix in RULE_SUFFIXES:
        twin = path.with_suffix(suffix)
        if twin != path and twin.is_file() and twin.name < path.name:
            try:
                twins.append(load_rule(twin))
            except RuleFileError:
                continue
    return twins
