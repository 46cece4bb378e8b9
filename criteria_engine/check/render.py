"""A check report as text for people and as plain data for ``--json``.

Counterexamples are printed as nominee records in the input format, so a secretary
can save one to a file and replay it with ``tdkt evaluate`` or ``tdkt explain``.
"""

from __future__ import annotations

from typing import Any

import simplejson

from criteria_engine.check.model import CheckReport, Finding, PropertyResult
from criteria_engine.check.properties import PROPERTIES
from criteria_engine.messages import Language, message

__all__ = ["render_text", "report_to_dict"]

_SYMBOL = {"pass": "✓", "fail": "✗", "inconclusive": "?", "skipped": "–"}
_KEYS = {p.name: p for p in PROPERTIES}
#: Example roles that illustrate a finding rather than violate the property themselves.
_ILLUSTRATIONS = ("best", "fails", "passes")


def _json(data: Any) -> str:
    return str(simplejson.dumps(data, ensure_ascii=False, indent=2, use_decimal=True))


def _criterion_text(finding: Finding, lang: Language) -> str:
    if finding.criterion is None:
        return message("check.label.whole_title", lang)
    for compiled in finding.rule.criteria:
        criterion = compiled.criterion
        if criterion.id == finding.criterion:
            text = criterion.text_en if lang == "en" and criterion.text_en else criterion.text
            return f"{criterion.id} — {text} ({finding.rule.id})"
    return finding.criterion


def _statement(result: PropertyResult, lang: Language) -> str:
    return message(_KEYS[result.property].statement_key, lang, **result.statement_params)


def _finding_lines(result: PropertyResult, finding: Finding, lang: Language) -> list[str]:
    pad = "      "
    lines = [
        f"{pad}{message('check.label.property', lang)}: {_statement(result, lang)}",
        f"{pad}{message('check.label.criterion', lang)}: {_criterion_text(finding, lang)}",
        f"{pad}{message('check.label.problem', lang)}: {finding.render(lang)}",
        f"{pad}{message('check.label.method', lang)}: "
        f"{message(f'check.method.{finding.method}', lang)}",
    ]
    for example in finding.examples:
        kind = "illustration" if example.role in _ILLUSTRATIONS else "example"
        lines.append(f"{pad}{message(f'check.label.{kind}', lang)} — "
                     f"{message(f'check.role.{example.role}', lang, rule=example.rule.id)}:")
        lines += [pad + line for line in _json(example.record(lang)).splitlines()]
    return lines


def render_text(report: CheckReport, lang: Language = "vi") -> str:
    """The whole report, grouped by rule version (or pair of titles)."""
    lines = [message("check.header", lang, seed=report.seed, examples=report.max_examples)]
    current: tuple[str, str] | None = None
    for result in report.results:
        if (result.target, result.path) != current:
            current = (result.target, result.path)
            lines += ["", f"{result.target} ({result.path})"]
        title = message(_KEYS[result.property].title_key, lang)
        line = f"  {_SYMBOL[result.status]} {title} · {message(f'check.method.{result.method}', lang)}"
        if result.note:
            line += f" · {message(result.note, lang, **result.note_params)}"
        lines.append(line)
        for finding in result.findings:
            lines += _finding_lines(result, finding, lang)
    counts = {status: sum(1 for r in report.results if r.status == status)
              for status in ("pass", "fail", "inconclusive", "skipped")}
    targets = len({(r.target, r.path) for r in report.results})
    lines += ["", message("check.summary", lang, checks=len(report.results), targets=targets,
                          passed=counts["pass"], failed=counts["fail"],
                          inconclusive=counts["inconclusive"], skipped=counts["skipped"],
                          problems=len(report.problems))]
    return "\n".join(lines)


def report_to_dict(report: CheckReport, lang: Language = "vi") -> dict[str, Any]:
    """The report as JSON-ready data (exact numbers kept as Decimal)."""
    return {
        "seed": report.seed,
        "max_examples": report.max_examples,
        "ok": report.ok,
        "results": [
            {
                "property": result.property,
                "target": result.target,
                "path": result.path,
                "status": result.status,
                "method": result.method,
                "statement": _statement(result, lang),
                "note": message(result.note, lang, **result.note_params) if result.note else None,
                "findings": [
                    {
                        "problem": finding.render(lang),
                        "key": finding.key,
                        "rule": finding.rule.id,
                        "criterion": finding.criterion,
                        "method": finding.method,
                        "examples": [
                            {"role": example.role, "rule": example.rule.id,
                             "version": example.rule.version, "record": example.record(lang)}
                            for example in finding.examples
                        ],
                    }
                    for finding in result.findings
                ],
            }
            for result in report.results
        ],
        "problems": [problem.render(lang) for problem in report.problems],
    }
