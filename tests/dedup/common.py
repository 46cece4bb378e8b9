"""Builders shared by the dedup tests: small rule files made in memory."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from criteria_engine.evaluator import CompiledRule, compile_rule
from criteria_engine.rules import parse_rule_text
from criteria_engine.sources import SourceText
from tests.common import FIXTURES

DEDUP_FIXTURES = FIXTURES / "dedup"
PAIR = DEDUP_FIXTURES / "pair"
CONFLICT = DEDUP_FIXTURES / "conflict"


def yaml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def make_rule(rule_id: str, inputs: Mapping[str, Mapping[str, Any]],
              criteria: Sequence[str | tuple[str, int]], *, subject: str = "ca_nhan",
              effective_from: str = "2024-01-01", effective_to: str | None = None,
              params: Mapping[str, Any] | None = None, min_points: int = 0) -> CompiledRule:
    """A compiled rule with one criterion per expression (``(expr, points)`` for scored ones).

    >>> make_rule("a", {"x": {"type": "integer"}}, ["x >= 1"]).criteria[0].criterion.id
    'c0'
    """
    lines = [f"id: {rule_id}", 'version: "1"', f"title: Thử {rule_id}",
             "kind: danh_hieu_thi_dua", f"subject: {subject}", "award_basis: cong_trang",
             "effective:", f"  from: {effective_from}"]
    if effective_to:
        lines.append(f"  to: {effective_to}")
    lines += ["legal_basis:", "  - instrument: Thử nghiệm", "inputs:"]
    for name, spec in inputs.items():
        lines.append(f"  {name}:")
        lines.append(f"    label: {name}")
        for key, value in spec.items():
            if isinstance(value, list):
                lines.append(f"    {key}: [{', '.join(value)}]")
            else:
                lines.append(f"    {key}: {yaml_value(value)}")
    if params:
        lines.append("params:")
        for name, value in params.items():
            lines += [f"  {name}:", f"    value: {yaml_value(value)}"]
    lines.append("criteria:")
    for index, item in enumerate(criteria):
        expr, points = (item, None) if isinstance(item, str) else item
        lines += [f"  - id: c{index}", f"    text: Tiêu chí {index}", f"    expr: {yaml_value(expr)}"]
        lines.append("    gate: true" if points is None else f"    points: {points}")
    lines += ["decision:", f"  min_points: {min_points}"]
    text = "\n".join(lines) + "\n"
    source = SourceText(path=f"<{rule_id}>", raw=text.encode(), text=text, nfd_lines=())
    return compile_rule(parse_rule_text(source))
