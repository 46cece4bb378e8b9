"""Running the properties over rule files, and over the titles in force together."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from criteria_engine.check.context import CheckContext, Engine, RuleAnalysis
from criteria_engine.check.model import CheckReport
from criteria_engine.check.properties import PROPERTIES, Property, TitleGroup, property_names
from criteria_engine.errors import CriteriaError
from criteria_engine.evaluator import CompiledRule, evaluate
from criteria_engine.library import RuleLibrary, effective_ranges, version_in_force

__all__ = ["CheckProgress", "check_paths", "check_rules", "title_groups"]

#: Told ``(steps done, steps in all)`` as the check goes: one step per property of each
#: rule, and one per property of the titles in force together (for a progress bar).
CheckProgress = Callable[[int, int], None]


def check_paths(paths: Sequence[Path], *, seed: int = 0, max_examples: int = 100,
                properties: Sequence[str] | None = None, engine: Engine = evaluate,
                progress: CheckProgress | None = None) -> CheckReport:
    """Load every rule file under ``paths`` and check it; files that fail to load are
    reported as problems beside the results of the others.

    Example: ``check_paths([Path("criteria")], seed=0).ok``.
    """
    library = RuleLibrary.load(list(paths))
    report = check_rules(library.all(), seed=seed, max_examples=max_examples,
                         properties=properties, engine=engine, progress=progress)
    report.problems.extend(library.problems)
    report.warnings.extend(library.warnings)
    return report


def check_rules(rules: Sequence[CompiledRule], *, seed: int = 0, max_examples: int = 100,
                properties: Sequence[str] | None = None, engine: Engine = evaluate,
                progress: CheckProgress | None = None) -> CheckReport:
    """Run the chosen properties (all by default) on compiled rules."""
    chosen = _choose(properties)
    context = CheckContext(seed=seed, max_examples=max_examples, engine=engine)
    analyses = [RuleAnalysis(rule, context) for rule in rules]
    report = CheckReport(seed=seed, max_examples=max_examples)
    per_rule = [prop for prop in chosen if prop.applies_to == "rule"]
    for_titles = [prop for prop in chosen if prop.applies_to == "titles"]
    total = len(analyses) * len(per_rule) + len(for_titles)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    for analysis in analyses:
        for prop in per_rule:
            report.results.extend(prop.run_rule(analysis))
            step()
    groups = title_groups(analyses)
    for prop in for_titles:
        report.results.extend(prop.run_titles(groups))
        step()
    return report


def _choose(names: Sequence[str] | None) -> list[Property]:
    if not names:
        return list(PROPERTIES)
    unknown = [n for n in names if n not in property_names()]
    if unknown:
        raise CriteriaError("check.unknown_property", name=", ".join(unknown),
                            allowed=", ".join(property_names()))
    return [p for p in PROPERTIES if p.name in names]


def title_groups(analyses: Sequence[RuleAnalysis]) -> list[TitleGroup]:
    """The distinct sets of rule versions in force together, one per period where the
    set changes, chosen as :meth:`RuleLibrary.in_force` chooses them (drafts and
    superseded versions are never in force; a later version's start ends the one before)."""
    by_id: dict[str, list[RuleAnalysis]] = {}
    for analysis in analyses:
        by_id.setdefault(analysis.rule.id, []).append(analysis)
    years: set[int] = set()
    for versions in by_id.values():
        for start, end in effective_ranges([a.rule for a in versions]).values():
            years.add(start.year)
            if end is not None:
                years |= {end.year, end.year + 1}
    groups: list[TitleGroup] = []
    seen: set[frozenset[str]] = set()
    for year in sorted(years):
        in_force: dict[str, RuleAnalysis] = {}
        for rule_id, versions in sorted(by_id.items()):
            chosen = version_in_force([a.rule for a in versions], year)
            if chosen is not None:
                in_force[rule_id] = next(a for a in versions if a.rule is chosen)
        key = frozenset(a.label for a in in_force.values())
        if key and key not in seen:
            seen.add(key)
            groups.append(TitleGroup(period=year, analyses=tuple(in_force.values())))
    return groups
