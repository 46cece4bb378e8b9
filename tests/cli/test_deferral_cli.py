"""``hoan_xet`` as a council sees it: the table, explain, JSON, the workbook, the store's
commands, and ``tdkt check`` / ``tdkt dedup`` on a rule that declares deferral.

Rule and nominees: ``tests/fixtures/deferral/`` (NĐ 152/2025 Điều 4 k4).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from cli import main
from tests.common import CRITERIA, FIXTURES, english_sentences

FOLDER = FIXTURES / "deferral"
RULE = str(FOLDER / "hoan-xet-thu" / "2025.1.yaml")
NOMINEES = str(FOLDER / "nominees.json")


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TDKT_CRITERIA_DIR", str(CRITERIA))
    for name in ("TDKT_LANG", "TDKT_DATABASE_URL", "TDKT_ACTOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    return CliRunner()


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, list(args), catch_exceptions=False)


def test_the_table_says_hoan_xet_and_the_summary_counts_it(runner: CliRunner) -> None:
    result = run(runner, "evaluate", "--rules", RULE, "--nominees", NOMINEES)
    assert result.exit_code == 0, result.output
    assert "Hoãn xét" in result.output
    assert "hoãn xét, chưa khen thưởng trong thời gian: Có đơn thư khiếu nại" in result.output
    assert ("4 hồ sơ, 4 quyết định: 1 đạt, 0 không đạt, 1 thiếu dữ liệu, 0 trùng thành tích, "
            "2 hoãn xét; 0 hồ sơ lỗi") in result.output
    english = run(runner, "evaluate", "--rules", RULE, "--nominees", NOMINEES, "--lang", "en")
    assert "Deferred" in english.output
    assert "2 deferred" in english.output


def test_explain_shows_the_deferral_conditions_first_with_values_and_citations(
        runner: CliRunner) -> None:
    result = run(runner, "explain", "--rules", RULE, "--nominees", NOMINEES, "--id", "HX-02")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Quyết định: Hoãn xét" in out
    assert out.index("dang_xem_xet_ky_luat") < out.index("don_thu_dang_xac_minh") \
        < out.index("xep_loai") < out.index("diem")
    assert "đang vướng" in out and "không vướng" in out
    assert "complaints_pending > 0" in out
    assert "Điều 4, khoản 4, Nghị định số 152/2025/NĐ-CP (⚠ chưa đối chiếu công báo)" in out
    assert english_sentences(out) == []


def test_explain_json_has_the_deferral_list(runner: CliRunner) -> None:
    result = run(runner, "explain", "--rules", RULE, "--nominees", NOMINEES, "--id", "HX-03",
                 "--json")
    data = json.loads(result.output)
    assert data["outcome"] == "hoan_xet"
    assert [(d["id"], d["result"]) for d in data["deferral"]] == [
        ("dang_xem_xet_ky_luat", "holds"), ("don_thu_dang_xac_minh", "clear")]
    assert data["deferral"][0]["cite"][0]["text"] == "Điều 4, khoản 4, Nghị định số 152/2025/NĐ-CP"
    # the criteria are still judged: this nominee would not have met them anyway
    assert [c["result"] for c in data["criteria"]] == ["fail", "fail"]


def test_evaluate_jsonl_carries_the_deferral_list(runner: CliRunner) -> None:
    result = run(runner, "evaluate", "--rules", RULE, "--nominees", NOMINEES, "--jsonl")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [d["outcome"] for d in lines] == ["dat", "hoan_xet", "hoan_xet", "thieu_du_lieu"]
    assert all(len(d["deferral"]) == 2 for d in lines)


def test_the_workbook_lists_deferral_conditions_before_the_criteria(
        runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "ket-qua.xlsx"
    result = run(runner, "evaluate", "--rules", RULE, "--nominees", NOMINEES, "-o", str(target))
    assert result.exit_code == 0, result.output
    book = load_workbook(target, read_only=True)
    summary = [row for row in book["Kết quả"].iter_rows(values_only=True)]
    assert summary[2][6] == "Hoãn xét"
    rows = [row for row in book["Chi tiết tiêu chí"].iter_rows(values_only=True)
            if row[0] == "HX-02"]
    assert [row[1] for row in rows] == ["dang_xem_xet_ky_luat", "don_thu_dang_xac_minh",
                                        "xep_loai", "diem"]
    assert rows[1][3:5] == ("điều kiện hoãn xét", "đang vướng")
    assert rows[1][6] == "complaints_pending = 1"


def test_the_store_commands_show_and_override_hoan_xet(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "tdkt.db")
    recorded = run(runner, "evaluate", "--rules", RULE, "--nominees", NOMINEES, "--record",
                   "--db", db, "--actor", "thư ký")
    assert recorded.exit_code == 0, recorded.output
    shown = run(runner, "audit", "show", "2", "--db", db, "--json")
    data = json.loads(shown.output)
    assert data["outcome"] == "hoan_xet"
    assert [d["id"] for d in data["deferral"]] == ["dang_xem_xet_ky_luat", "don_thu_dang_xac_minh"]
    assert [c["id"] for c in data["criteria"]] == ["xep_loai", "diem"]
    table = run(runner, "audit", "show", "2", "--db", db)
    assert "điều kiện hoãn xét" in table.output and "đang vướng" in table.output
    overridden = run(runner, "audit", "override", "1", "--outcome", "hoan_xet", "--reason",
                     "Có đơn tố cáo mới", "--actor", "chủ tịch", "--db", db)
    assert overridden.exit_code == 0, overridden.output
    verified = run(runner, "audit", "verify", "--db", db)
    assert verified.exit_code == 0, verified.output


def test_check_and_dedup_run_on_a_rule_with_deferral(runner: CliRunner, tmp_path: Path) -> None:
    checked = run(runner, "check", str(FOLDER), "--max-examples", "20")
    assert checked.exit_code == 0, checked.output
    assert "0 có phát hiện" in checked.output
    # the same title under another id, without its deferral: dedup compares what the
    # titles require, so the two are equivalent whatever the deferral says
    text = Path(RULE).read_text(encoding="utf-8").replace("id: hoan-xet-thu", "id: hoan-xet-hai")
    text = text[:text.index("deferral:")] + text[text.index("criteria:"):]
    twin = tmp_path / "hoan-xet-hai" / "2025.1.yaml"
    twin.parent.mkdir()
    twin.write_text(text, encoding="utf-8")
    deduped = run(runner, "dedup", RULE, str(twin), "--format", "json")
    data = json.loads(deduped.output)
    assert [t["relation"] for t in data["titles"]] == ["equivalent"], deduped.output
