"""Decisions as files people open in Excel: .xlsx (openpyxl) and .csv (UTF-8 with BOM).

One row per nominee on the first sheet, one row per criterion on the second, and
every record that could not be judged on the third, so nothing is silently dropped.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from criteria_engine.errors import CriteriaError
from criteria_engine.evaluator import Decision
from criteria_engine.messages import Language, message
from criteria_engine.report import outcome_reason, plain

__all__ = ["EXPORT_SUFFIXES", "export_decisions"]

EXPORT_SUFFIXES = (".xlsx", ".csv")

def _columns(sheet: str, lang: Language) -> list[str]:
    return message(f"export.columns.{sheet}", lang).split(" | ")


def _pairs(values: dict[str, Any]) -> str:
    return "; ".join(f"{k} = {plain(v) if v is not None else '∅'}" for k, v in values.items())


def summary_rows(decisions: Sequence[Decision], lang: Language) -> list[list[Any]]:
    return [[d.nominee_id, d.name, d.unit, d.period, d.rule.id, d.rule.version,
             message(f"outcome.{d.outcome}", lang), plain(d.points),
             plain(d.rule.model.decision.min_points), outcome_reason(d, lang), d.rule.sha256]
            for d in decisions]


def criteria_rows(decisions: Sequence[Decision], lang: Language) -> list[list[Any]]:
    rows = []
    for d in decisions:
        for r in d.criteria:
            criterion = r.compiled.criterion
            text = criterion.text_en if lang == "en" and criterion.text_en else criterion.text
            rows.append([d.nominee_id, r.id, text, "x" if r.gate else "",
                         message(f"result.{r.result}", lang), plain(r.points), _pairs(d.values_used(r)),
                         _pairs(dict(r.compiled.params)),
                         " | ".join(c.render(lang) for c in r.compiled.cite)])
    return rows


def export_decisions(path: Path, decisions: Sequence[Decision],
                     problems: Sequence[CriteriaError], *, lang: Language = "vi") -> None:
    """Write ``path`` (.xlsx: three sheets; .csv: the summary sheet only)."""
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(_columns("summary", lang))
            writer.writerows(summary_rows(decisions, lang))
        return
    book = Workbook()
    sheets = [
        ("summary", summary_rows(decisions, lang)),
        ("criteria", criteria_rows(decisions, lang)),
        ("problems", [[p.render(lang)] for p in problems]),
    ]
    for index, (name, rows) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = message(f"export.sheet.{name}", lang)
        sheet.append(_columns(name, lang))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for column, header in enumerate(_columns(name, lang), start=1):
            width = max([len(str(header))] + [len(str(row[column - 1] or ""))
                                              for row in rows[:200]])
            sheet.column_dimensions[get_column_letter(column)].width = min(60, width + 2)
    book.save(path)
