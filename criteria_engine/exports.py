"""Decisions as files people open in Excel: .xlsx and .csv (UTF-8 with BOM), streamed.

One row per decision on the first sheet, one row per criterion on the second, and
every record that could not be judged on the third, so nothing is silently dropped.
Rows are written as decisions arrive (:class:`DecisionExport`), so a province's file
of a million records exports in constant memory. The .xlsx is written by xlsxwriter in
``constant_memory`` mode (each sheet's rows go to a temporary file as they come, a row
being flushed when the next one of its sheet starts, so the three sheets may be written
interleaved; the package is assembled at :meth:`DecisionExport.close`); the .csv (the
first sheet only) is written as it goes.

Every text cell goes through :func:`criteria_engine.cells.safe_cell` and is written with
``write_string``, never ``write``: a name such as ``=HYPERLINK(…)`` reaches the council's
spreadsheet as text, never as a formula, a number or a link. Numbers stay numbers: an
integral Decimal is an int (:func:`~criteria_engine.report.plain`), any other Decimal is
handed to xlsxwriter as it is, which writes its own digits (``88.6``, not the float
``88.59999…``; up to 16 significant digits, beyond Excel's 15), as the hand-written
writer used before it did.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from criteria_engine.cells import safe_cell
from criteria_engine.display import value as shown_value
from criteria_engine.errors import CriteriaError, Location, OutputError
from criteria_engine.evaluator import CompiledCriterion, CriterionResult, Decision, DeferralResult
from criteria_engine.evidence import DerivedValue
from criteria_engine.messages import Language, message
from criteria_engine.report import cap_text, context_text, criterion_text, outcome_reason, plain

__all__ = ["EXPORT_SUFFIXES", "DecisionExport", "export_decisions"]

EXPORT_SUFFIXES = (".xlsx", ".csv")

#: Rows per sheet in Excel (the header included).
MAX_ROWS = 1_048_576
#: Characters in a sheet name.
MAX_SHEET_NAME = 31
#: Rows looked at to size the columns, and the widest a column is made.
WIDTH_SAMPLE = 200
MAX_WIDTH = 60
#: Rows stream to temporary files; text is only ever text (no formulas, numbers or links
#: guessed from it: safer, and ``strings_to_urls`` costs a regular expression per cell);
#: ZIP64 is allowed, used only by a part past 4 GB (a province's file may get there).
_XLSX_OPTIONS = {"constant_memory": True, "strings_to_numbers": False,
                 "strings_to_formulas": False, "strings_to_urls": False, "use_zip64": True}


def _columns(sheet: str, lang: Language) -> list[str]:
    columns = message(f"export.columns.{sheet}", lang).split(" | ")
    if sheet == "summary":
        # issue 10: the cap placement (rank, quota, group), last so earlier columns keep
        # their places
        columns.append(message("label.cap", lang))
    return columns


def _pairs(values: Iterable[tuple[str, Any]], lang: Language) -> str:
    return "; ".join(f"{name} = {shown_value(value, lang)}" for name, value in values)


def summary_row(decision: Decision, lang: Language) -> list[Any]:
    """The first sheet's row for one decision (the last cell: its place against the
    unit's cap, empty when the rule has none or the nominee did not reach the title)."""
    d = decision
    return [d.nominee_id, d.name, d.unit, d.period, d.rule.id, d.rule.version,
            message(f"outcome.{d.outcome}", lang), plain(d.points),
            plain(d.rule.model.decision.min_points), outcome_reason(d, lang), d.rule.sha256,
            cap_text(d, lang)]


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


def _deferral_row(decision: Decision, result: DeferralResult, lang: Language) -> list[Any]:
    """A deferral condition in the criteria sheet, before the criteria: its kind column
    says "hoãn xét" where a criterion's says whether it is a gate."""
    compiled = result.compiled
    facts = decision.facts
    return [decision.nominee_id, result.id, criterion_text(compiled.condition, lang),
            message("label.deferral_kind", lang), message(f"result.{result.result}", lang), None,
            _pairs(((name, facts[name]) for name in compiled.inputs), lang),
            _pairs(compiled.params.items(), lang),
            " | ".join(c.render(lang) for c in compiled.cite)]


def _context_row(decision: Decision, value: DerivedValue, lang: Language) -> list[Any]:
    """A derived fact in the criteria sheet, after the deferral conditions and before the
    criteria: its words in the text column, the call in the values column, its source in
    the citation column."""
    return [decision.nominee_id, value.input, context_text(decision, value, lang),
            message("label.context", lang), shown_value(value.value, lang), None, value.call,
            None, message(f"context.source.{value.source}", lang)]


def _safe(row: Sequence[Any]) -> list[Any]:
    return [safe_cell(cell) for cell in row]


class _Sheet:
    """One sheet of the .xlsx, continued on ``"<name> (2)"``… past ``max_rows`` rows."""

    def __init__(self, book: Any, name: str, header: list[str], *, max_rows: int,
                 bold: Any) -> None:
        self.book = book
        self.name = name[:MAX_SHEET_NAME]
        self.header = header
        self.max_rows = max_rows
        self.bold = bold
        self.widths = [len(text) for text in header]
        self.sampled = 0
        self.parts: list[Any] = []  # xlsxwriter worksheets: this sheet, then continuations
        self._open(self.name)

    @property
    def continuations(self) -> list[str]:
        """The names of the sheets this one goes on in (empty when it fits in one)."""
        return [part.name for part in self.parts[1:]]

    def _open(self, name: str) -> None:
        sheet = self.book.add_worksheet(name)
        sheet.freeze_panes(1, 0)
        for column, text in enumerate(self.header):
            sheet.write_string(0, column, safe_cell(text), self.bold)
        self.parts.append(sheet)
        self.row = 1  # the next row (0-based) of the current part

    def append(self, row: Sequence[Any]) -> None:
        """Add one row: text as (neutralised) text, numbers as numbers, ``None`` empty."""
        if self.row >= self.max_rows:
            suffix = f" ({len(self.parts) + 1})"
            self._open(self.name[:MAX_SHEET_NAME - len(suffix)] + suffix)
        if self.sampled < WIDTH_SAMPLE:
            self.sampled += 1
            for index, value in enumerate(row[:len(self.widths)]):
                if value is not None and len(str(value)) > self.widths[index]:
                    self.widths[index] = len(str(value))
        sheet, number = self.parts[-1], self.row
        self.row += 1
        # xlsxwriter's per-cell writers: write_row() would go through write(), which
        # guesses a type for every cell and is slower
        write_string, write_number = sheet.write_string, sheet.write_number
        for column, value in enumerate(row):
            kind = value.__class__
            if kind is str:
                if value:  # an empty text is an empty cell
                    write_string(number, column, safe_cell(value))
            elif kind is int or kind is Decimal or kind is float:
                write_number(number, column, value)
            elif value is None:
                continue
            elif kind is bool:
                sheet.write_boolean(number, column, value)
            else:
                sheet.write_string(number, column, safe_cell(str(value)))

    def finish(self) -> None:
        """Size the columns from the first rows (before the package is assembled)."""
        for sheet in self.parts:
            for column, width in enumerate(self.widths):
                sheet.set_column(column, column, min(MAX_WIDTH, width + 2))


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
        self._book: Any = None  # an xlsxwriter Workbook (the library ships no type hints)
        # written beside the target and moved into place when complete: a run stopped
        # half-way leaves no truncated file that could pass for a whole one
        self._partial = path.with_name(f".{path.name}.partial")
        with _writing(path):
            if path.suffix.lower() == ".csv":
                self._handle = self._partial.open("w", encoding="utf-8-sig", newline="")
                self._csv = csv.writer(self._handle)
                self._csv.writerow(_safe(_columns("summary", lang)))
                return
        # xlsxwriter's temporary row files, removed whatever happens
        self._folder = tempfile.TemporaryDirectory(prefix="tdkt-xlsx-")
        self._book = xlsxwriter.Workbook(str(self._partial),
                                         {**_XLSX_OPTIONS, "tmpdir": self._folder.name})
        bold = self._book.add_format({"bold": True})
        self._sheets = [_Sheet(self._book, message(f"export.sheet.{name}", lang),
                               _columns(name, lang), max_rows=max_rows, bold=bold)
                        for name in ("summary", "criteria", "problems")]

    def add(self, decision: Decision) -> None:
        lang = self.lang
        if self._csv is not None:
            self._csv.writerow(_safe(summary_row(decision, lang)))
            return
        summary, criteria, _ = self._sheets
        summary.append(summary_row(decision, lang))
        for deferral in decision.deferral:
            criteria.append(_deferral_row(decision, deferral, lang))
        for value in decision.context:
            criteria.append(_context_row(decision, value, lang))
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
                    self._close_book()
                    self.continued = [(sheet.name, sheet.continuations)
                                      for sheet in self._sheets if sheet.continuations]
                self._partial.replace(self.path)
        finally:
            self._partial.unlink(missing_ok=True)
            if self._book is not None:
                self._folder.cleanup()

    def _close_book(self) -> None:
        for sheet in self._sheets:
            sheet.finish()
        # xlsxwriter writes the sheets in the order of its worksheets() list (the
        # workbook's own): a continuation, added when its sheet filled, goes after it
        order = [part for sheet in self._sheets for part in sheet.parts]
        self._book.worksheets()[:] = order
        try:
            self._book.close()
        except XlsxWriterException as error:
            self._release()
            # FileCreateError carries the OSError (disk full, folder removed)
            cause = error.args[0] if error.args else None
            if isinstance(cause, OSError):
                raise cause from None
            raise
        except BaseException:
            self._release()
            raise

    def _release(self) -> None:
        """Close xlsxwriter's temporary row files without writing the workbook.

        xlsxwriter has no call for dropping a workbook, and its ``close()`` closes these
        files only after writing it; ``_opt_close`` is that clean-up step of its own.
        """
        for sheet in self._sheets:
            for part in sheet.parts:
                with contextlib.suppress(OSError, AttributeError):
                    part._opt_close()

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            if self._handle is not None:
                self._handle.close()
        if self._book is not None:
            self._release()  # nothing assembled: the rows written so far are dropped
            self._folder.cleanup()
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
