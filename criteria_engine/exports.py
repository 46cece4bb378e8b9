"""Decisions as files people open in Excel: .xlsx and .csv (UTF-8 with BOM), streamed.

One row per decision on the first sheet, one row per criterion on the second, and
every record that could not be judged on the third, so nothing is silently dropped.
Rows are written as decisions arrive (:class:`DecisionExport`), so a province's file
of a million records exports in constant memory; the .xlsx is assembled at the end
(:mod:`criteria_engine._xlsx`), the .csv (the first sheet only) is written as it goes.

Every text cell goes through :func:`criteria_engine.cells.safe_cell` (the .xlsx writer
applies it to every text cell itself): a name such as ``=HYPERLINK(…)`` reaches the
council's spreadsheet as text, never as a formula.
"""

from __future__ import annotations

import contextlib
import csv
import errno
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from criteria_engine._xlsx import MAX_ROWS, Workbook
from criteria_engine.cells import safe_cell
from criteria_engine.display import value as shown_value
from criteria_engine.errors import CriteriaError, Location, OutputError
from criteria_engine.evaluator import CompiledCriterion, CriterionResult, Decision
from criteria_engine.messages import Language, message
from criteria_engine.report import criterion_text, outcome_reason, plain

__all__ = ["EXPORT_SUFFIXES", "DecisionExport", "export_decisions"]

EXPORT_SUFFIXES = (".xlsx", ".csv")


def _columns(sheet: str, lang: Language) -> list[str]:
    return message(f"export.columns.{sheet}", lang).split(" | ")


def _pairs(values: Iterable[tuple[str, Any]], lang: Language) -> str:
    return "; ".join(f"{name} = {shown_value(value, lang)}" for name, value in values)


def summary_row(decision: Decision, lang: Language) -> list[Any]:
    """The first sheet's row for one decision."""
    d = decision
    return [d.nominee_id, d.name, d.unit, d.period, d.rule.id, d.rule.version,
            message(f"outcome.{d.outcome}", lang), plain(d.points),
            plain(d.rule.model.decision.min_points), outcome_reason(d, lang), d.rule.sha256]


class _CriterionCells:
    """The cells of a criterion row that depend only on the rule (built once per rule)."""

    __slots__ = ("cite", "gate", "results", "text", "thresholds")

    def __init__(self, compiled: CompiledCriterion, lang: Language) -> None:
        criterion = compiled.criterion
        self.text = criterion_text(criterion, lang)
        self.gate = "x" if criterion.gate else ""
        self.thresholds = _pairs(compiled.params.items(), lang)
        self.cite = " | ".join(c.render(lang) for c in compiled.cite)
        self.results = {result: message(f"result.{result}", lang)
                        for result in ("pass", "fail", "missing")}


def _criterion_row(decision: Decision, result: CriterionResult, cells: _CriterionCells,
                   lang: Language) -> list[Any]:
    facts = decision.facts
    return [decision.nominee_id, result.id, cells.text, cells.gate, cells.results[result.result],
            plain(result.points),
            _pairs(((name, facts[name]) for name in result.compiled.inputs), lang),
            cells.thresholds, cells.cite]


def _safe(row: Sequence[Any]) -> list[Any]:
    return [safe_cell(cell) for cell in row]


class DecisionExport:
    """An export file being written: :meth:`add` each decision, :meth:`add_problem` each
    record that could not be judged, then :meth:`close` (or use it as a context manager;
    on an error nothing is left half-written for the .xlsx).

    ``continued`` lists, after closing, each sheet that passed Excel's row limit and the
    sheets it goes on in, so the caller can say so.
    """

    def __init__(self, path: Path, *, lang: Language = "vi", max_rows: int = MAX_ROWS) -> None:
        self.path = path
        self.lang = lang
        self.max_rows = max_rows
        self.continued: list[tuple[str, list[str]]] = []
        self._cells: dict[int, tuple[CompiledCriterion, _CriterionCells]] = {}
        self._csv: Any = None
        self._handle: Any = None
        self._book: Workbook | None = None
        # written beside the target and moved into place when complete: a run stopped
        # half-way leaves no truncated file that could pass for a whole one
        self._partial = path.with_name(f".{path.name}.partial")
        with _writing(path):
            if path.suffix.lower() == ".csv":
                self._handle = self._partial.open("w", encoding="utf-8-sig", newline="")
                self._csv = csv.writer(self._handle)
                self._csv.writerow(_safe(_columns("summary", lang)))
                return
        self._book = Workbook(self._partial, max_rows=max_rows)
        self._sheets = [self._book.sheet(message(f"export.sheet.{name}", lang),
                                         _columns(name, lang))
                        for name in ("summary", "criteria", "problems")]

    def add(self, decision: Decision) -> None:
        lang = self.lang
        if self._csv is not None:
            self._csv.writerow(_safe(summary_row(decision, lang)))
            return
        summary, criteria, _ = self._sheets
        summary.append(summary_row(decision, lang))
        for result in decision.criteria:
            entry = self._cells.get(id(result.compiled))
            if entry is None or entry[0] is not result.compiled:
                entry = self._cells[id(result.compiled)] = (
                    result.compiled, _CriterionCells(result.compiled, lang))
            criteria.append(_criterion_row(decision, result, entry[1], lang))

    def add_problem(self, problem: CriteriaError) -> None:
        if self._book is not None:
            self._sheets[2].append([problem.render(self.lang)])

    def close(self) -> None:
        """Finish the file; an :class:`OutputError` if the disk refuses (full, removed)."""
        try:
            with _writing(self.path):
                if self._handle is not None:
                    self._handle.close()
                if self._book is not None:
                    self._book.close()
                    self.continued = [(sheet.name, sheet.continuations)
                                      for sheet in self._sheets if sheet.continuations]
                self._partial.replace(self.path)
        finally:
            self._partial.unlink(missing_ok=True)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            if self._handle is not None:
                self._handle.close()
            if self._book is not None:
                self._book.discard()
        self._partial.unlink(missing_ok=True)

    def __enter__(self) -> DecisionExport:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.discard()


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """An operating-system error while writing ``path`` as one :class:`OutputError` line."""
    try:
        yield
    except OSError as error:
        code = errno.errorcode.get(error.errno or 0, type(error).__name__)
        raise OutputError("output.not_writable", Location(path=str(path)), reason=code
                          ) from None


def export_decisions(path: Path, decisions: Iterable[Decision],
                     problems: Iterable[CriteriaError], *, lang: Language = "vi") -> None:
    """Write ``path`` (.xlsx: three sheets; .csv: the first sheet only) in one call."""
    with DecisionExport(path, lang=lang) as export:
        for decision in decisions:
            export.add(decision)
        for problem in problems:
            export.add_problem(problem)
