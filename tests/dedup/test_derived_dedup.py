"""``tdkt dedup`` on rules with derived inputs.

A title that ``requires`` another implies it by construction (the solver would see the gate
as a free boolean); inputs derived by the same call are one fact whatever their names; a
collective's roll-ups are bounded by its member count; a witness that rests on two derived
inputs tied to each other (two calls about one title) is undecided, never a wrong relation.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from criteria_engine.dedup import find_overlaps, report_to_dict, summary_text
from criteria_engine.dedup._analysis import DedupReport, Finding
from criteria_engine.evaluator import CompiledRule, compile_rule
from criteria_engine.library import RuleLibrary
from criteria_engine.rules import parse_rule_text
from criteria_engine.sources import SourceText
from tests.common import rule_text

CRITERIA = Path(__file__).resolve().parents[2] / "criteria"



def rule(rule_id: str, body: str, subject: str = "ca_nhan") -> CompiledRule:
    text = rule_text(rule_id, body, subject=subject, article=27)
    source = SourceText(path=f"<{rule_id}>", raw=text.encode(), text=text, nfd_lines=())
    return compile_rule(parse_rule_text(source))


def criterion_finding(report: DedupReport, left: str, right: str) -> Finding:
    found = [f for f in report.findings if (f.left.label, f.right.label) == (left, right)]
    assert len(found) == 1, [(f.left.label, f.right.label) for f in report.findings]
    return found[0]


def title_finding(report: DedupReport, left: str, right: str) -> Finding:
    found = [f for f in report.titles if (f.left.label, f.right.label) == (left, right)]
    assert len(found) == 1, [(f.left.label, f.right.label) for f in report.titles]
    return found[0]


def test_a_title_that_requires_another_implies_it(tmp_path: Path) -> None:
    """CSTĐCS 2025.2 requires LĐTT: whoever meets it has met LĐTT, by construction; the
    solver alone, seeing requires__lao_dong_tien_tien as free, found "overlaps"."""
    for title in ("lao-dong-tien-tien", "chien-si-thi-dua-co-so"):
        shutil.copytree(CRITERIA / title, tmp_path / title)
    library = RuleLibrary.load([tmp_path])
    chosen = [library.get("lao-dong-tien-tien", "2025.1"),
              library.get("chien-si-thi-dua-co-so", "2025.2")]
    report = find_overlaps(chosen)
    finding = title_finding(report, "chien-si-thi-dua-co-so", "lao-dong-tien-tien")
    assert finding.relation == "implies"
    assert "only_left" not in finding.proved_absent       # not a solver proof
    [note] = [n for n in finding.notes if n.key == "dedup.note.requires"]
    assert note.params["criterion"] == "requires_lao_dong_tien_tien"
    assert "by construction" in note.render("en")
    assert "theo cách dựng" in note.render("vi")
    assert finding.witness("both") is not None
    data = report_to_dict(report, "en")
    assert any("by construction" in " ".join(t["notes"]) for t in data["titles"])


def test_the_same_call_under_two_names_is_one_fact() -> None:
    left = rule("bang-khen", """\
        inputs:
          streak_years:
            type: integer
            min: 0
            better: higher
            label: Số năm liên tục
            derive: consecutive("cstdcs")
        criteria:
          - id: hai_nam
            text: Hai năm liên tục
            expr: streak_years >= 2
            gate: true
        """)
    right = rule("tinh", """\
        inputs:
          good: {type: boolean, label: Tốt}
        criteria:
          - id: ba_nam
            text: Ba năm liên tục
            expr: consecutive("cstdcs") >= 3
            gate: true
        """)
    report = find_overlaps([left, right])
    finding = criterion_finding(report, "bang-khen.hai_nam", "tinh.ba_nam")
    assert finding.relation == "implied_by"
    assert len(finding.shared) == 1
    assert finding.theory == "linear"


def test_member_roll_ups_are_bounded_by_the_member_count() -> None:
    """members_with ≤ member_count: "all members hold LĐTT" then implies "at least 70 %"."""
    left = rule("tat-ca", """\
        inputs:
          total: {type: integer, min: 0, label: Tổng, derive: member_count()}
          holders: {type: integer, min: 0, label: Đạt, derive: members_with("ldtt")}
        criteria:
          - id: tat_ca
            text: Tất cả đạt
            expr: total > 0 and holders >= total
            gate: true
        """, subject="tap_the")
    right = rule("bay-muoi", """\
        inputs:
          total: {type: integer, min: 0, label: Tổng, derive: member_count()}
          holders: {type: integer, min: 0, label: Đạt, derive: members_with("ldtt")}
        criteria:
          - id: bay_muoi
            text: Ít nhất 70%
            expr: total > 0 and holders >= 0.7 * total
            gate: true
        """, subject="tap_the")
    report = find_overlaps([left, right])
    finding = criterion_finding(report, "bay-muoi.bay_muoi", "tat-ca.tat_ca")
    assert finding.relation == "implied_by"
    witness = finding.witness("only_left")
    assert witness is not None
    facts = witness.record["facts"]
    assert facts["holders"] <= facts["total"]


def test_a_witness_on_tied_history_inputs_is_undecided() -> None:
    left = rule("cao", """\
        inputs:
          good: {type: boolean, label: Tốt}
        criteria:
          - id: ba_lien_tuc
            text: Ba năm liên tục
            expr: consecutive("cstdcs") >= 3
            gate: true
        """)
    right = rule("thap", """\
        inputs:
          good: {type: boolean, label: Tốt}
        criteria:
          - id: ba_trong_nam
            text: Ba lần trong năm năm
            expr: count_in("cstdcs", periods=5) >= 3
            gate: true
        """)
    report = find_overlaps([left, right])
    finding = title_finding(report, "cao", "thap")
    assert finding.relation == "undecided"
    assert any(n.key == "dedup.note.related" for n in finding.notes)
    assert "consecutive__cstdcs" in finding.notes[0].params["inputs"]
    assert finding.witnesses == ()
    assert "undecided" in summary_text(report, "en") or report.count("undecided") == 0


def test_the_shipped_library_is_undecided_only_where_history_ties_titles() -> None:
    """Criterion pairs are all decided; whole titles that read one title's history through
    different calls (a streak here, a count since another award there) are undecided, each
    saying why, never given a relation on a witness no history may give."""
    library = RuleLibrary.load([CRITERIA])
    report = find_overlaps(library.all())
    assert report.count("undecided") == 0
    for finding in report.titles:
        if finding.relation == "undecided":
            assert any(n.key == "dedup.note.related" for n in finding.notes)
    [finding] = [f for f in report.titles
                 if (f.left.rule.id, f.left.rule.version, f.right.rule.id, f.right.rule.version)
                 == ("chien-si-thi-dua-co-so", "2025.2", "lao-dong-tien-tien", "2025.2")]
    assert finding.relation == "implies"
