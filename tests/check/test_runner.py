"""Which rule versions are checked together: one set per period where the set changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from criteria_engine.check import CheckContext, RuleAnalysis, check_paths, title_groups
from criteria_engine.errors import CriteriaError
from criteria_engine.library import RuleLibrary
from tests.check.common import BROKEN

RULE = """\
id: {id}
version: "{version}"
title: Thử
kind: danh_hieu_thi_dua
subject: ca_nhan
award_basis: cong_trang
effective:
  from: {start}
{end}legal_basis:
  - instrument: Tệp kiểm thử
{stricter}inputs:
  score:
    type: integer
    min: 0
    max: 10
    better: higher
    label: Điểm
criteria:
  - id: diem
    text: Điểm đủ
    expr: score >= {threshold}
    gate: true
"""


def write(root: Path, rule_id: str, version: str, start: str, *, end: str | None = None,
          threshold: int = 5, stricter: str | None = None) -> None:
    folder = root / rule_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{version}.yaml").write_text(RULE.format(
        id=rule_id, version=version, start=start, threshold=threshold,
        end=f"  to: {end}\n" if end else "",
        stricter=f"stricter_than: [{stricter}]\n" if stricter else ""), encoding="utf-8")


def test_versions_in_force_together_are_grouped_by_period(tmp_path: Path) -> None:
    write(tmp_path, "muc-duoi", "2024.1", "2024-01-01")
    write(tmp_path, "muc-duoi", "2026.1", "2026-01-01")
    write(tmp_path, "muc-tren", "2024.1", "2024-01-01", end="2025-06-30", stricter="muc-duoi")
    library = RuleLibrary.load([tmp_path])
    assert not library.problems
    analyses = [RuleAnalysis(rule, CheckContext()) for rule in library.all()]
    groups = [(g.period, sorted(a.label for a in g.analyses)) for g in title_groups(analyses)]
    assert groups == [
        (2024, ["muc-duoi 2024.1", "muc-tren 2024.1"]),
        (2026, ["muc-duoi 2026.1"]),
    ]


def test_a_new_lower_version_is_checked_against_the_higher_one(tmp_path: Path) -> None:
    write(tmp_path, "muc-duoi", "2024.1", "2024-01-01", threshold=5)
    write(tmp_path, "muc-duoi", "2025.1", "2025-01-01", threshold=8)
    write(tmp_path, "muc-tren", "2024.1", "2024-01-01", threshold=7, stricter="muc-duoi")
    report = check_paths([tmp_path], properties=["hierarchy"])
    verdicts = {r.target: (r.status, r.method) for r in report.results}
    assert verdicts == {
        "muc-tren 2024.1 ⊒ muc-duoi 2024.1": ("pass", "exact"),
        "muc-tren 2024.1 ⊒ muc-duoi 2025.1": ("fail", "exact"),
    }
    (finding,) = report.findings
    higher, lower = finding.examples
    assert higher.period == lower.period == 2025 and higher.facts["score"] == 7


def test_an_unknown_property_is_refused() -> None:
    with pytest.raises(CriteriaError, match="no property 'monotonous'"):
        check_paths([BROKEN / "vacuous.yaml"], properties=["monotonous"])
