"""A deduplication report as data: JSON, rows grouped by pair of titles, and an .xlsx file.

Every sentence comes from the message catalogue (``dedup.*`` keys) in the reader's
language; the command line only lays the rows out. Disjoint pairs are left out
unless asked for (``include_disjoint``), but always counted in the summary.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import simplejson
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from criteria_engine import display
from criteria_engine.dedup._analysis import (
    RELATIONS,
    DedupReport,
    Finding,
    Relation,
    Side,
    Witness,
)
from criteria_engine.evaluator import ENGINE_VERSION, CompiledRule
from criteria_engine.messages import Language, message

__all__ = [
    "FAIL_ON_CLASSES",
    "Group",
    "Row",
    "export_report",
    "failing",
    "groups",
    "report_to_dict",
]

#: Classes ``--fail-on`` accepts; ``implies`` covers both directions.
FAIL_ON_CLASSES: tuple[str, ...] = ("equivalent", "implies", "overlaps", "undecided", "disjoint")

SYMBOLS: dict[Relation, str] = {
    "equivalent": "≡", "implies": "⇒", "implied_by": "⇐", "overlaps": "∩",
    "undecided": "?", "disjoint": "∅",
}


def failing(report: DedupReport, classes: Collection[str]) -> list[Finding]:
    """Findings (criteria and whole titles) whose relation is one of ``classes``."""
    wanted = set(classes)
    if "implies" in wanted:
        wanted.add("implied_by")
    return [f for f in [*report.titles, *report.findings] if f.relation in wanted]


def relation_text(relation: Relation, lang: Language) -> str:
    return f"{SYMBOLS[relation]} {message(f'dedup.relation.{relation}', lang)}"


def evidence(finding: Finding, lang: Language, *, short: bool = False) -> str:
    """How the relation was established: solver proofs, engine-checked records, notes.

    ``short`` names the sides only as left/right (for table cells under a heading that
    already names both titles).
    """
    parts: list[str] = []
    theory = message(f"dedup.theory.{finding.theory}", lang)
    if finding.proved_absent and short:
        roles = " / ".join(message(f"dedup.meets.{role}", lang) for role in finding.proved_absent)
        parts.append(message("dedup.short.proof", lang, roles=roles, theory=theory))
    elif finding.proved_absent:
        labels = {"left": finding.left.label, "right": finding.right.label}
        claims = "; ".join(message(f"dedup.absent.{role}", lang, **labels)
                           for role in finding.proved_absent)
        parts.append(message("dedup.proof", lang, claims=claims, theory=theory))
    if finding.witnesses:
        roles = ", ".join(message(f"dedup.meets.{w.role}", lang) for w in finding.witnesses)
        parts.append(message("dedup.checked", lang, roles=roles))
    parts.extend(note.render(lang) for note in finding.notes)
    return "; ".join(parts)


def _facts_text(witness: Witness | None, lang: Language) -> str:
    """``name=value`` pairs as a person reads them (``disciplined=Không; score=88,5``);
    "; " between pairs, since a Vietnamese number has a comma of its own."""
    if witness is None:
        return ""
    return "; ".join(f"{name}={display.value(value, lang)}"
                     for name, value in witness.record["facts"].items())


def _main_witness(finding: Finding) -> Witness | None:
    return finding.witness("both") or (finding.witnesses[0] if finding.witnesses else None)


def _witness_text(finding: Finding, lang: Language) -> str:
    if finding.relation == "disjoint":
        return "\n".join(f"{message(f'dedup.meets.{w.role}', lang)}: {_facts_text(w, lang)}"
                         for w in finding.witnesses)
    return _facts_text(_main_witness(finding), lang)


@dataclass(frozen=True, slots=True)
class Row:
    """One finding, every cell already a string in the reader's language."""

    relation: Relation
    relation_text: str
    left: str
    right: str
    witness: str
    evidence: str
    wording: str


@dataclass(frozen=True, slots=True)
class Group:
    """The findings between two titles, with the relation of the titles as a whole."""

    left: CompiledRule
    right: CompiledRule
    heading: str
    title: Finding | None
    rows: list[Row]


def _side_cell(side: Side, lang: Language) -> str:
    assert side.criterion is not None
    return f"{side.criterion.criterion.id}: {side.text(lang)}\n{side.criterion.criterion.expr}"


def _row(finding: Finding, lang: Language) -> Row:
    return Row(
        relation=finding.relation, relation_text=relation_text(finding.relation, lang),
        left=_side_cell(finding.left, lang), right=_side_cell(finding.right, lang),
        witness=_witness_text(finding, lang), evidence=evidence(finding, lang, short=True),
        wording="" if finding.wording is None
        else display.number(Decimal(f"{finding.wording:.2f}"), lang),
    )


def groups(report: DedupReport, lang: Language = "vi", *,
           include_disjoint: bool = False) -> list[Group]:
    """Findings grouped by pair of titles; the group with the most serious finding first."""
    titles = {(f.left.rule.source.path, f.right.rule.source.path): f for f in report.titles}
    buckets: dict[tuple[str, str], list[Finding]] = {}
    rules: dict[tuple[str, str], tuple[CompiledRule, CompiledRule]] = {}
    for finding in [*report.findings, *report.titles]:
        key = (finding.left.rule.source.path, finding.right.rule.source.path)
        rules[key] = (finding.left.rule, finding.right.rule)
        bucket = buckets.setdefault(key, [])
        if finding.left.criterion is not None and (include_disjoint
                                                   or finding.relation != "disjoint"):
            bucket.append(finding)
    result: list[tuple[tuple[int, int, str, str], Group]] = []
    for key, findings in buckets.items():
        title = titles.get(key)
        visible_title = title is not None and (include_disjoint or title.relation != "disjoint")
        if not findings and not visible_title:
            continue
        left, right = rules[key]
        heading = message("dedup.group", lang, left=_title(left, lang), right=_title(right, lang),
                          left_id=f"{left.id} {left.version}", right_id=f"{right.id} {right.version}")
        if title is not None:
            heading += "\n" + message("dedup.title_relation", lang,
                                      relation=relation_text(title.relation, lang),
                                      explanation=_title_sentence(title, lang))
        severities = [f.severity for f in findings] or [len(RELATIONS)]
        title_severity = title.severity if title is not None else len(RELATIONS)
        order = (min(severities), title_severity, left.id, right.id)
        result.append((order, Group(left, right, heading, title,
                                    [_row(f, lang) for f in findings])))
    return [group for _, group in sorted(result, key=lambda item: item[0])]


def _title(rule: CompiledRule, lang: Language) -> str:
    model = rule.model
    return model.title_en if lang == "en" and model.title_en else model.title


def _title_sentence(title: Finding, lang: Language) -> str:
    names = {"left": title.left.rule.id, "right": title.right.rule.id}
    return message(f"dedup.title.{title.relation}", lang, **names)


# --- JSON ---------------------------------------------------------------------------------


def _side_to_dict(side: Side, lang: Language) -> dict[str, Any]:
    where = side.where
    data: dict[str, Any] = {"rule": side.rule.id, "version": side.rule.version,
                            "title": _title(side.rule, lang)}
    if side.criterion is not None:
        criterion = side.criterion.criterion
        data.update(criterion=criterion.id, text=side.text(lang), expr=criterion.expr,
                    gate=criterion.gate, points=criterion.points)
    data.update(file=where.path, line=where.line)
    return data


def finding_to_dict(finding: Finding, lang: Language = "vi") -> dict[str, Any]:
    labels = {"left": finding.left.label, "right": finding.right.label}
    return {
        "relation": finding.relation,
        "relation_text": message(f"dedup.relation.{finding.relation}", lang),
        "left": _side_to_dict(finding.left, lang),
        "right": _side_to_dict(finding.right, lang),
        "period": {"from": finding.period[0].isoformat(),
                   "to": finding.period[1].isoformat() if finding.period[1] else None},
        "shared_facts": list(finding.shared),
        "witnesses": [{"meets": w.role, "engine": {"left": w.left, "right": w.right},
                       "record": w.record} for w in finding.witnesses],
        "proofs": [{"no_record": role, "theory": finding.theory,
                    "text": message(f"dedup.absent.{role}", lang, **labels)}
                   for role in finding.proved_absent],
        "notes": [note.render(lang) for note in finding.notes],
        "evidence": evidence(finding, lang),
        "wording_similarity": finding.wording,
    }


def report_to_dict(report: DedupReport, lang: Language = "vi", *,
                   include_disjoint: bool = False) -> dict[str, Any]:
    """The whole report as JSON-ready data (numbers as Decimal; dump with use_decimal)."""

    def shown(finding: Finding) -> bool:
        return include_disjoint or finding.relation != "disjoint"

    summary: dict[str, int] = {relation: report.count(relation) for relation in RELATIONS}
    summary["compared"] = len(report.findings)
    summary["unrelated"] = report.unrelated
    return {
        "engine_version": ENGINE_VERSION,
        "solver": report.solver,
        "summary": summary,
        "rules": [{"id": r.id, "version": r.version, "file": r.source.path, "sha256": r.sha256,
                   "title": _title(r, lang), "subject": r.model.subject,
                   "effective": {"from": r.model.effective.from_.isoformat(),
                                 "to": r.model.effective.to.isoformat()
                                 if r.model.effective.to else None}}
                  for r in sorted(report.rules, key=lambda r: (r.id, r.version))],
        "titles": [finding_to_dict(f, lang) for f in report.titles if shown(f)],
        "findings": [finding_to_dict(f, lang) for f in report.findings if shown(f)],
    }


def summary_text(report: DedupReport, lang: Language = "vi") -> str:
    counts = {relation: report.count(relation) for relation in RELATIONS}
    return message("dedup.summary", lang, compared=len(report.findings),
                   unrelated=report.unrelated, solver=report.solver, **counts)


__all__ += ["evidence", "finding_to_dict", "relation_text", "summary_text"]


# --- .xlsx --------------------------------------------------------------------------------


def _json(value: Any) -> str:
    return str(simplejson.dumps(value, ensure_ascii=False, use_decimal=True))


def export_report(path: Path, report: DedupReport, *, lang: Language = "vi",
                  include_disjoint: bool = False) -> None:
    """Write ``path`` as .xlsx: criteria pairs, whole titles, and every witness record."""

    def shown(finding: Finding) -> bool:
        return include_disjoint or finding.relation != "disjoint"

    def row(number: str, finding: Finding) -> list[Any]:
        left, right = finding.left, finding.right
        return [number, relation_text(finding.relation, lang), left.rule.id,
                left.criterion.criterion.id if left.criterion else "", left.text(lang),
                right.rule.id, right.criterion.criterion.id if right.criterion else "",
                right.text(lang), evidence(finding, lang), _witness_text(finding, lang),
                finding.wording, ", ".join(finding.shared)]

    criteria = [f for f in report.findings if shown(f)]
    titles = [f for f in report.titles if shown(f)]
    numbered = [(f"C{i}", f) for i, f in enumerate(criteria, 1)] + \
               [(f"T{i}", f) for i, f in enumerate(titles, 1)]
    sheets: list[tuple[str, list[str], list[list[Any]]]] = [
        ("criteria", _headers("findings", lang), [row(n, f) for n, f in numbered if n[0] == "C"]),
        ("titles", _headers("findings", lang), [row(n, f) for n, f in numbered if n[0] == "T"]),
        ("witnesses", _headers("witnesses", lang),
         [[number, message(f"dedup.meets.{w.role}", lang), w.left, w.right, _json(w.record)]
          for number, f in numbered for w in f.witnesses]),
    ]
    book = Workbook()
    for index, (name, headers, rows) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = message(f"dedup.sheet.{name}", lang)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in rows:
            sheet.append(values)
        sheet.freeze_panes = "A2"
        for column, header in enumerate(headers, start=1):
            width = max([len(header)] + [len(str(r[column - 1] or "")) for r in rows[:200]])
            sheet.column_dimensions[get_column_letter(column)].width = min(60, width + 2)
            for cell in sheet[get_column_letter(column)][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(path)


def _headers(kind: str, lang: Language) -> list[str]:
    return message(f"dedup.headers.{kind}", lang).split("|")

