"""``tdkt check``: property-based consistency of rule files, and of the engine on them.

For each rule version, and for the titles in force together in a period, a registry
of properties (:data:`PROPERTIES`) is run: the title can be met and each criterion
can pass and fail; improving an input in its declared ``better`` direction never
hurts; decisions are consistent; evaluation equals exact arithmetic; judging is
deterministic and order-independent; a title declared ``stricter_than`` another
implies it. A property is decided exactly from the typed model where it can be, and
searched with hypothesis otherwise (seeded, shrunk counterexamples).

    >>> from pathlib import Path
    >>> report = check_paths([Path("criteria")], seed=0)     # doctest: +SKIP
    >>> print(render_text(report, "en"))                      # doctest: +SKIP

Hypothesis is needed only here: importing :mod:`criteria_engine` does not load it.
"""

from criteria_engine.check.context import CheckContext, Engine, RuleAnalysis
from criteria_engine.check.model import (
    CheckReport,
    Example,
    Finding,
    Method,
    PropertyResult,
    Status,
)
from criteria_engine.check.properties import PROPERTIES, Property, TitleGroup, property_names
from criteria_engine.check.render import render_text, report_to_dict
from criteria_engine.check.runner import CheckProgress, check_paths, check_rules, title_groups

__all__ = [
    "PROPERTIES",
    "CheckContext",
    "CheckProgress",
    "CheckReport",
    "Engine",
    "Example",
    "Finding",
    "Method",
    "Property",
    "PropertyResult",
    "RuleAnalysis",
    "Status",
    "TitleGroup",
    "check_paths",
    "check_rules",
    "property_names",
    "render_text",
    "report_to_dict",
    "title_groups",
]
