"""The command line on versions, issuers and unverified citations (issue 9).

``rules list --period`` shows what a council applies to a year; ``--issuer`` what a
level may award; ``rules show`` a version's status, supersession, issuer and
jurisdiction. A citation the review could not check against the gazette is marked
wherever it is shown, in Vietnamese and English: ``rules show``, ``explain`` and the
criteria sheet of an export.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from cli import main
from criteria_engine import RuleLibrary
from criteria_engine.instruments import citations, find_instrument
from tests.common import CRITERIA, english_sentences

UNVERIFIED = {"vi": "(⚠ chưa đối chiếu công báo)", "en": "(⚠ unverified against the gazette)"}
ND152 = "Nghị định số 152/2025/NĐ-CP"


def rule_file(rule_id: str, version: str, start: str, *, issuer: str | None = "xa",
              extra: str = "", cite_verified: bool = True) -> str:
    issuer_line = (f"issuer: {{level: {issuer}, name: Chủ tịch Ủy ban nhân dân cấp {issuer}}}\n"
                   if issuer else "")
    return (f'id: {rule_id}\nversion: "{version}"\ntitle: Tiêu đề {rule_id}\n'
            "kind: danh_hieu_thi_dua\nsubject: ca_nhan\naward_basis: cong_trang\n"
            f"effective:\n  from: {start}\n{issuer_line}{extra}"
            "legal_basis:\n  - instrument: Luật Thi đua, khen thưởng số 06/2022/QH15\n"
            "    article: 24\n"
            "inputs:\n  diem: {type: integer, min: 0, label: Điểm}\n"
            "criteria:\n  - id: du_diem\n    text: Đủ điểm\n    expr: diem >= 5\n    gate: true\n"
            f"    cite: {{instrument: {ND152}, article: 4, clause: 4"
            f"{'' if cite_verified else ', verified: false'}}}\n")


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    root = tmp_path / "criteria"
    files = {
        ("ldtt", "2024.1"): rule_file("ldtt", "2024.1", "2024-01-01", issuer="huyen"),
        ("ldtt", "2024.2"): rule_file("ldtt", "2024.2", "2024-01-01", issuer="huyen",
                                      extra='supersedes: ["2024.1"]\n'),
        ("ldtt", "2025.1"): rule_file(
            "ldtt", "2025.1", "2025-07-01", cite_verified=False,
            extra="jurisdiction: {level: tinh, area: Bắc Ninh}\n"),
        ("ldtt", "2026.1"): rule_file("ldtt", "2026.1", "2026-01-01", extra="status: draft\n"),
        ("bang-khen", "2024.1"): rule_file("bang-khen", "2024.1", "2024-01-01", issuer="tinh"),
        ("khong-cap", "2024.1"): rule_file("khong-cap", "2024.1", "2024-01-01", issuer=None),
    }
    for (rule_id, version), text in files.items():
        (root / rule_id).mkdir(parents=True, exist_ok=True)
        (root / rule_id / f"{version}.yaml").write_text(text, encoding="utf-8")
    return root


def invoke(rules_dir: Path, *args: str, width: int = 120) -> Result:
    result = CliRunner().invoke(main, [*args], env={"TDKT_CRITERIA_DIR": str(rules_dir),
                                                   "COLUMNS": str(width)})
    assert "Traceback" not in result.output
    return result


def rows(output: str) -> list[tuple[str, str]]:
    """(rule id, version) of each row of ``rules list``."""
    found = []
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if len(cells) > 2 and cells[1][:1].isdigit():
            found.append((cells[0], cells[1]))
    return found


def test_rules_list_marks_drafts_and_superseded_versions(rules_dir: Path) -> None:
    result = invoke(rules_dir, "rules", "list", width=250)
    assert result.exit_code == 0, result.output
    assert ("ldtt", "2024.1") in rows(result.output)
    assert "bị thay bởi 2024.2" in result.output
    assert "dự thảo" in result.output
    english = invoke(rules_dir, "rules", "list", "--lang", "en", width=250).output
    assert "superseded by 2024.2" in english and "draft" in english


@pytest.mark.parametrize(("period", "expected"), [
    (2024, [("bang-khen", "2024.1"), ("khong-cap", "2024.1"), ("ldtt", "2024.2")]),
    (2025, [("bang-khen", "2024.1"), ("khong-cap", "2024.1"), ("ldtt", "2025.1")]),
    (2026, [("bang-khen", "2024.1"), ("khong-cap", "2024.1"), ("ldtt", "2025.1")]),
    (2023, []),
])
def test_rules_list_period_shows_the_version_each_rule_applies(
        rules_dir: Path, period: int, expected: list[tuple[str, str]]) -> None:
    result = invoke(rules_dir, "rules", "list", "--period", str(period))
    assert result.exit_code == 0, result.output
    assert rows(result.output) == expected


def test_rules_list_issuer_filters_by_level(rules_dir: Path) -> None:
    result = invoke(rules_dir, "rules", "list", "--issuer", "xa")
    assert rows(result.output) == [("ldtt", "2025.1"), ("ldtt", "2026.1")]
    assert "cấp xã" in result.output
    both = invoke(rules_dir, "rules", "list", "--issuer", "huyen", "--period", "2025")
    assert rows(both.output) == []  # 2025 is judged under the commune-level 2025.1
    assert rows(invoke(rules_dir, "rules", "list", "--issuer", "tinh").output) == [
        ("bang-khen", "2024.1")]


def test_rules_list_refuses_an_unknown_issuer_level(rules_dir: Path) -> None:
    result = invoke(rules_dir, "rules", "list", "--issuer", "thon")
    assert result.exit_code == 2
    assert "trung_uong" in result.output and "xa" in result.output


def test_a_broken_file_still_shows_in_a_filtered_list_and_exits_1(rules_dir: Path) -> None:
    (rules_dir / "ldtt" / "2027.1.yaml").write_text(
        rule_file("ldtt", "2027.1", "2027-01-01").replace("diem >= 5", "diemm >= 5"),
        encoding="utf-8")
    result = invoke(rules_dir, "rules", "list", "--period", "2025", "--issuer", "tinh")
    assert result.exit_code == 1
    assert "có lỗi, không nạp được" in result.output
    assert "2027.1.yaml" in result.output


def test_rules_list_exits_1_on_an_overlap(rules_dir: Path) -> None:
    (rules_dir / "ldtt" / "2025.2.yaml").write_text(
        rule_file("ldtt", "2025.2", "2025-07-01"), encoding="utf-8")
    result = invoke(rules_dir, "rules", "list", "--lang", "en")
    assert result.exit_code == 1
    assert "versions 2025.2 and 2025.1 of 'ldtt' both start on 2025-07-01" in result.output


def test_validate_marks_the_file_at_fault_and_counts_each_file_once(rules_dir: Path) -> None:
    (rules_dir / "ldtt" / "2025.2.yaml").write_text(
        rule_file("ldtt", "2025.2", "2025-07-01"), encoding="utf-8")
    result = invoke(rules_dir, "validate", str(rules_dir), "--lang", "en")
    assert result.exit_code == 1
    assert "7 files: 6 valid, 1 invalid" in result.output


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_rules_show_gives_status_supersession_issuer_and_jurisdiction(
        rules_dir: Path, lang: str) -> None:
    shown = invoke(rules_dir, "rules", "show", "ldtt", "--version", "2025.1", "--lang", lang)
    assert shown.exit_code == 0, shown.output
    words = {"vi": ["Trạng thái: đã ban hành", "Cấp khen: cấp xã · Chủ tịch Ủy ban nhân dân cấp xa",
                    "Phạm vi: tỉnh · Bắc Ninh", "2025-07-01 → …"],
             "en": ["Status: published", "Awarded by: commune", "Applies in: province · Bắc Ninh"]}
    for word in words[lang]:
        assert word in shown.output
    assert UNVERIFIED[lang] in shown.output
    old = invoke(rules_dir, "rules", "show", "ldtt", "--version", "2024.1", "--lang", lang).output
    assert {"vi": "Trạng thái: bị thay bởi 2024.2", "en": "Status: superseded by 2024.2"}[lang] in old
    assert UNVERIFIED[lang] not in old  # verified citations carry no mark
    erratum = invoke(rules_dir, "rules", "show", "ldtt", "--version", "2024.2", "--lang", lang)
    assert {"vi": "Thay thế: 2024.1", "en": "Supersedes: 2024.1"}[lang] in erratum.output
    # the implicit end: 2025.1's start ends 2024.2
    assert "2024-01-01 → 2025-06-30" in erratum.output


def test_rules_show_without_a_version_shows_the_latest_published_one(rules_dir: Path) -> None:
    shown = invoke(rules_dir, "rules", "show", "ldtt")
    assert "ldtt 2025.1" in shown.output
    assert "Trạng thái: dự thảo" in invoke(rules_dir, "rules", "show", "ldtt", "--version",
                                           "2026.1").output


def test_vietnamese_rules_show_has_no_english_sentence(rules_dir: Path) -> None:
    shown = invoke(rules_dir, "rules", "show", "ldtt", "--version", "2025.1")
    assert english_sentences(shown.output) == []


@pytest.fixture
def nominees(tmp_path: Path) -> Path:
    path = tmp_path / "nominees.json"
    path.write_text(json.dumps([{"id": "A-1", "name": "Nguyễn Văn A", "subject": "ca_nhan",
                                 "period": 2025, "facts": {"diem": 7}}]), encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_explain_marks_an_unverified_citation(rules_dir: Path, nominees: Path, lang: str) -> None:
    result = invoke(rules_dir, "explain", "--rules", "ldtt", "--nominees", str(nominees),
                    "--id", "A-1", "--lang", lang)
    assert result.exit_code == 0, result.output
    cite = {"vi": "Điều 4, khoản 4", "en": "Art. 4, cl. 4"}[lang]
    assert f"{cite}, {ND152} {UNVERIFIED[lang]}" in result.output
    data = json.loads(invoke(rules_dir, "explain", "--rules", "ldtt", "--nominees", str(nominees),
                             "--id", "A-1", "--json").output)
    assert data["criteria"][0]["cite"][0]["verified"] is False


def test_exports_mark_an_unverified_citation(rules_dir: Path, nominees: Path,
                                             tmp_path: Path) -> None:
    out = tmp_path / "ket-qua.xlsx"
    result = invoke(rules_dir, "evaluate", "--rules", "ldtt", "--nominees", str(nominees),
                    "-o", str(out))
    assert result.exit_code == 0, result.output
    workbook = load_workbook(out, read_only=True)
    cells = [str(cell) for row in workbook.worksheets[1].iter_rows(values_only=True)
             for cell in row]
    workbook.close()
    assert any(UNVERIFIED["vi"] in cell and ND152 in cell for cell in cells)


def test_the_shipped_library_for_2026_cites_no_nd_98_and_no_district_issuer() -> None:
    """The issue's "Done means": ``rules list --period 2026`` shows no NĐ 98 citation and
    no district-level issuer (the district level ended on 2025-06-30, NĐ 129/2025)."""
    library = RuleLibrary.load([CRITERIA])
    in_force = library.in_force_all(2026)
    assert in_force, "something is in force in 2026"
    for rule in in_force:
        area = rule.model.jurisdiction.area if rule.model.jurisdiction else None
        named = {found.symbol for _, cite in citations(rule.model)
                 if (found := find_instrument(cite.instrument, area)) is not None}
        assert "98/2023/NĐ-CP" not in named, rule.source.path
        assert rule.model.issuer is None or rule.model.issuer.level != "huyen", rule.source.path
    listed = invoke(CRITERIA, "rules", "list", "--period", "2026", "--issuer", "huyen")
    assert listed.exit_code == 0 and rows(listed.output) == []
