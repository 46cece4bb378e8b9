"""Which version of a rule a period gets, and the contradictions the library refuses.

A published rule file is never edited, so everything about versions is said by adding
files: a revision starts later and ends the one before it; an erratum names the
version it corrects in ``supersedes``; a draft is never chosen by period. A yearly
period gets, among the published, not superseded versions covering part of the year,
the one that started last.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from criteria_engine import RuleLibrary
from criteria_engine.errors import RuleFileError, RuleNotFoundError
from criteria_engine.library import effective_ranges

RULE = "thu-nghiem"


def rule_text(version: str, start: str, *, to: str | None = None, status: str | None = None,
              supersedes: list[str] | None = None, instrument: str = "Luật số 06/2022/QH15",
              verified: bool | None = None) -> str:
    """A small valid rule file; only the keys under test vary."""
    lines = [f"id: {RULE}", f'version: "{version}"', "title: Thử nghiệm",
             "kind: danh_hieu_thi_dua", "subject: ca_nhan", "award_basis: cong_trang",
             "effective:", f"  from: {start}"]
    if to:
        lines.append(f"  to: {to}")
    if status:
        lines.append(f"status: {status}")
    if supersedes is not None:
        lines.append("supersedes: [" + ", ".join(f'"{v}"' for v in supersedes) + "]")
    lines += ["legal_basis:", f"  - instrument: {instrument}", "    article: 24"]
    if verified is not None:
        lines.append(f"    verified: {str(verified).lower()}")
    lines += ["inputs:", "  diem: {type: integer, min: 0, label: Điểm}",
              "criteria:", "  - id: du_diem", "    text: Đủ điểm",
              f"    expr: diem >= {version.replace('.', '')}", "    gate: true"]
    return "\n".join(lines) + "\n"


def library(tmp_path: Path, *files: str) -> RuleLibrary:
    folder = tmp_path / "criteria" / RULE
    folder.mkdir(parents=True, exist_ok=True)
    for text in files:
        version = text.split('version: "', 1)[1].split('"', 1)[0]
        (folder / f"{version}.yaml").write_text(text, encoding="utf-8")
    return RuleLibrary.load([tmp_path / "criteria"])


def keys(problems: list[object]) -> list[str]:
    return [getattr(p, "key", "") for p in problems]


def test_a_revision_ends_the_version_before_it_without_editing_it(tmp_path: Path) -> None:
    lib = library(tmp_path, rule_text("2024.1", "2024-01-01"), rule_text("2025.1", "2025-07-01"))
    assert lib.problems == []
    assert lib.in_force(RULE, 2024).version == "2024.1"
    # 2025 gets the rules in force when its titles are considered: the latest to start
    assert lib.in_force(RULE, 2025).version == "2025.1"
    assert lib.in_force(RULE, 2026).version == "2025.1"
    ranges = effective_ranges(lib.rules[RULE])
    assert str(ranges["2024.1"][1]) == "2025-06-30"  # the implicit end


def test_an_implicit_end_is_not_undone_by_a_later_version_ending(tmp_path: Path) -> None:
    """2024.1 has no ``to`` but 2025.1 ended it; when 2025.1 ends, nothing is in force."""
    lib = library(tmp_path, rule_text("2024.1", "2024-01-01"),
                  rule_text("2025.1", "2025-01-01", to="2025-12-31"))
    assert lib.in_force(RULE, 2025).version == "2025.1"
    with pytest.raises(RuleNotFoundError) as caught:
        lib.in_force(RULE, 2026)
    assert caught.value.key == "rules.not_in_force"


def test_an_erratum_with_the_same_start_replaces_the_wrong_version_for_every_period(
        tmp_path: Path) -> None:
    lib = library(tmp_path, rule_text("2024.1", "2024-01-01"),
                  rule_text("2024.2", "2024-01-01", supersedes=["2024.1"]),
                  rule_text("2025.1", "2025-07-01"))
    assert lib.problems == []
    assert lib.in_force(RULE, 2024).version == "2024.2"
    assert lib.in_force(RULE, 2025).version == "2025.1"
    # the wrong version stays loadable by name: stored decisions made with it replay
    assert lib.get(RULE, "2024.1").version == "2024.1"
    assert lib.superseded_by(lib.get(RULE, "2024.1")) == "2024.2"


def test_a_superseded_version_is_never_chosen_even_when_it_started_last(tmp_path: Path) -> None:
    lib = library(tmp_path, rule_text("2024.1", "2024-01-01"),
                  rule_text("2024.2", "2024-06-01"),
                  rule_text("2024.3", "2024-01-01", supersedes=["2024.2"]))
    assert [r.version for r in lib.in_force_all(2024)] == ["2024.3"]
    assert lib.in_force(RULE, 2025).version == "2024.3"


def test_a_draft_is_never_chosen_by_period_but_loads_by_name(tmp_path: Path) -> None:
    lib = library(tmp_path, rule_text("2024.1", "2024-01-01"),
                  rule_text("2026.1", "2026-01-01", status="draft"),
                  rule_text("2024.9", "2024-01-01", status="draft", supersedes=["2024.1"]))
    assert lib.problems == []  # a draft may overlap anything, even start the same day
    assert lib.in_force(RULE, 2026).version == "2024.1"
    assert lib.in_force(RULE, 2024).version == "2024.1"  # a draft's supersedes waits
    assert lib.get(RULE, "2026.1").model.status == "draft"
    assert lib.get(RULE).version == "2024.1"  # the latest *published* version


def test_two_published_versions_starting_the_same_day_are_refused(tmp_path: Path) -> None:
    lib = library(tmp_path, rule_text("2024.1", "2024-01-01"), rule_text("2024.2", "2024-01-01"))
    assert keys(lib.problems) == ["rules.same_start"]
    problem = lib.problems[0]
    assert isinstance(problem, RuleFileError)
    assert problem.where.path is not None and problem.where.path.endswith("2024.2.yaml")
    assert problem.where.field == "effective.from"
    assert 'supersedes: ["2024.1"]' in problem.render("en")
    assert "status: draft" in problem.render("vi")


def test_an_explicit_end_past_a_later_start_is_refused(tmp_path: Path) -> None:
    lib = library(tmp_path, rule_text("2024.1", "2024-01-01", to="2030-12-31"),
                  rule_text("2025.1", "2025-01-01"))
    assert keys(lib.problems) == ["rules.runs_past"]
    problem = lib.problems[0]
    assert problem.where.path is not None and problem.where.path.endswith("2024.1.yaml")
    assert problem.where.field == "effective.to"
    assert "2030-12-31" in problem.render("en") and "2025.1" in problem.render("en")


def test_an_erratum_closing_the_overlap_fixes_it_without_an_edit(tmp_path: Path) -> None:
    lib = library(tmp_path, rule_text("2024.1", "2024-01-01", to="2030-12-31"),
                  rule_text("2024.2", "2024-01-01", supersedes=["2024.1"]),
                  rule_text("2025.1", "2025-01-01"))
    assert lib.problems == []
    assert lib.in_force(RULE, 2024).version == "2024.2"


def test_superseding_a_missing_version_names_it_and_the_versions_there_are(tmp_path: Path) -> None:
    lib = library(tmp_path, rule_text("2024.1", "2024-01-01"),
                  rule_text("2024.2", "2024-01-01", supersedes=["2024.l"]))
    assert "rules.supersedes_missing" in keys(lib.problems)
    problem = next(p for p in lib.problems if p.key == "rules.supersedes_missing")
    assert problem.where.field == "supersedes[0]"
    assert "'2024.l'" in problem.render("en")
    assert "2024.1, 2024.2" in problem.render("vi")


def test_a_version_cannot_supersede_itself(tmp_path: Path) -> None:
    lib = library(tmp_path, rule_text("2024.1", "2024-01-01", supersedes=["2024.1"]))
    assert keys(lib.problems) == ["rule.supersedes_self"]
    assert lib.broken_files(RULE)


def test_a_supersession_circle_is_refused(tmp_path: Path) -> None:
    lib = library(tmp_path, rule_text("2024.1", "2024-01-01", supersedes=["2024.2"]),
                  rule_text("2024.2", "2024-01-01", supersedes=["2024.1"]))
    assert keys(lib.problems) == ["rules.supersedes_cycle", "rules.supersedes_cycle"]


def test_supersedes_may_only_name_versions_of_the_same_id(tmp_path: Path) -> None:
    """A version string is all ``supersedes`` takes: another id's version is refused as
    missing unless this id has a version of that name."""
    lib = library(tmp_path, rule_text("2024.1", "2024-01-01"),
                  rule_text("2025.1", "2025-01-01", supersedes=["lao-dong-tien-tien@2024.1"]))
    assert lib.broken_files(RULE)  # not a version: refused by the model
