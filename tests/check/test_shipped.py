"""The shipped library passes ``tdkt check`` (fixed seed, modest examples), and the
exact answers are exact where the typed model allows."""

from __future__ import annotations

import pytest

from criteria_engine.check import CheckReport, PropertyResult
from tests.check.common import run
from tests.common import CRITERIA


@pytest.fixture(scope="module")
def report() -> CheckReport:
    return run(CRITERIA, examples=30)


def result(report: CheckReport, prop: str, target: str) -> PropertyResult:
    return next(r for r in report.results if r.property == prop and r.target == target)


def test_the_shipped_library_passes(report: CheckReport) -> None:
    problems = [(r.target, r.property, r.status, [f.render("en") for f in r.findings])
                for r in report.results if r.status != "pass"]
    assert report.ok and not report.problems and not problems, problems


def test_every_rule_gets_every_rule_property(report: CheckReport) -> None:
    rules = {r.target for r in report.results if r.property == "satisfiable"}
    assert len(rules) == len(list(CRITERIA.glob("*/*.yaml")))
    for prop in ("monotone", "consistent", "exact-arithmetic", "deterministic"):
        assert {r.target for r in report.results if r.property == prop} == rules


def test_the_declared_hierarchies_are_checked(report: CheckReport) -> None:
    """Điều 23 khoản 1: CSTĐCS "Đạt tiêu chuẩn danh hiệu 'Lao động tiên tiến'", for the
    versions in force (2024.1 is superseded by its erratum 2024.2, 2025.1 by 2025.2, which
    reads the Lao động tiên tiến decision through ``requires`` instead of copying its
    criteria; Lao động tiên tiến and both Tập thể lao động tiên tiến files are 2025.2 from
    2025, with the investigation and complaint deferrals). TTLĐXS no longer declares it
    implies TTLĐTT: without the cảnh cáo gate (not in Điều 27) it does not."""
    for cstdcs_version, ldtt_version, method in (("2024.2", "2024.2", "exact"),
                                                 ("2025.2", "2025.2", "construction")):
        cstdcs = result(report, "hierarchy", f"chien-si-thi-dua-co-so {cstdcs_version} "
                                             f"⊒ lao-dong-tien-tien {ldtt_version}")
        assert (cstdcs.status, cstdcs.method) == ("pass", method)
    assert not [r for r in report.results if r.property == "hierarchy"
                and r.target.startswith("tap-the-lao-dong-xuat-sac")]
    bac_ninh = result(report, "hierarchy", "tap-the-lao-dong-tien-tien-bac-ninh 2025.2 "
                                           "⊒ tap-the-lao-dong-tien-tien 2025.2")
    assert (bac_ninh.status, bac_ninh.method) == ("pass", "generated")


@pytest.mark.parametrize("rule", ["lao-dong-tien-tien 2024.1", "chien-si-thi-dua-co-so 2024.1",
                                  "bang-khen-chu-tich-tinh 2024.1",
                                  "giay-khen-chu-tich-ubnd-huyen-bac-giang 2024.1"])
def test_threshold_only_rules_are_decided_exactly(report: CheckReport, rule: str) -> None:
    for prop in ("satisfiable", "monotone", "exact-arithmetic"):
        assert result(report, prop, rule).method == "exact"


def test_ratio_rules_mix_exact_and_generated(report: CheckReport) -> None:
    assert result(report, "satisfiable", "dien-hinh-tien-tien-ca-nhan 2024.1").method == "mixed"
    assert result(report, "exact-arithmetic",
                  "tap-the-lao-dong-tien-tien 2024.1").method == "generated"
