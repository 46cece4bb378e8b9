"""tdkt: checks nominee records against quantified, versioned criteria for Vietnamese
emulation and commendation titles (Thi đua – Khen thưởng), and says why.

    >>> from pathlib import Path
    >>> from criteria_engine import RuleLibrary
    >>> library = RuleLibrary.load([Path("criteria")])          # doctest: +SKIP
    >>> rule = library.in_force("lao-dong-tien-tien", 2024)     # doctest: +SKIP

A unit's whole period (history, titles that need titles, members, caps)::

    >>> report = judge_period_file(library, Path("examples/period-2025/nominees.json"),
    ...                            period=2025, history=History())   # doctest: +SKIP
"""

from criteria_engine._version import __version__
from criteria_engine.achievements import resolve_achievements
from criteria_engine.batch import BatchReport, evaluate_file
from criteria_engine.errors import (
    CriteriaError,
    ExpressionError,
    Location,
    RecordError,
    RuleFileError,
    RuleNotFoundError,
    StoreError,
)
from criteria_engine.evaluator import (
    AchievementConflict,
    AchievementUse,
    CompiledRule,
    CriterionResult,
    Decision,
    compile_rule,
    evaluate,
)
from criteria_engine.evidence import CapPlacement, DerivedValue
from criteria_engine.expressions import Scope, check_expression, compile_expression
from criteria_engine.history import History, HistoryEntry
from criteria_engine.library import RuleLibrary, default_criteria_dir, load_rule
from criteria_engine.nominees import Nominee, bind_facts, read_nominees
from criteria_engine.period import PeriodReport, judge_period, judge_period_file
from criteria_engine.report import decision_to_dict
from criteria_engine.rules import RuleFile, dump_rule_text, parse_rule_file

__all__ = [
    "AchievementConflict",
    "AchievementUse",
    "BatchReport",
    "CapPlacement",
    "CompiledRule",
    "CriteriaError",
    "CriterionResult",
    "Decision",
    "DerivedValue",
    "ExpressionError",
    "History",
    "HistoryEntry",
    "Location",
    "Nominee",
    "PeriodReport",
    "RecordError",
    "RuleFile",
    "RuleFileError",
    "RuleLibrary",
    "RuleNotFoundError",
    "Scope",
    "StoreError",
    "__version__",
    "bind_facts",
    "check_expression",
    "compile_expression",
    "compile_rule",
    "decision_to_dict",
    "default_criteria_dir",
    "dump_rule_text",
    "evaluate",
    "evaluate_file",
    "judge_period",
    "judge_period_file",
    "load_rule",
    "parse_rule_file",
    "read_nominees",
    "resolve_achievements",
]
