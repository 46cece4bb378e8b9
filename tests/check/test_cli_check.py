"""``tdkt check`` on the command line: exit codes, languages, reproducible seeds, JSON,
and a printed counterexample replayed with ``tdkt evaluate``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from tests.check.common import BROKEN
from tests.common import CRITERIA, FIXTURES

FAST = ["--max-examples", "20"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_the_shipped_library_is_clean(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(CRITERIA), *FAST])
    assert result.exit_code == 0, result.output
    assert "0 có phát hiện" in result.output
    # the hierarchies of the versions in force (2024.1 is superseded by its erratum 2024.2)
    assert "chien-si-thi-dua-co-so 2024.2 ⊒ lao-dong-tien-tien 2024.2" in result.output
    # 2025.2 requires LĐTT instead of copying its criteria: true by construction
    assert "chien-si-thi-dua-co-so 2025.2 ⊒ lao-dong-tien-tien 2025." in result.output


def test_a_broken_file_fails_with_a_readable_counterexample(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(BROKEN / "non-monotone.yaml"), *FAST])
    assert result.exit_code == 1
    out = result.output
    assert "✗ Đơn điệu · chính xác" in out
    assert "Tiêu chí: di_muon — Đi muộn không quá 3 ngày trong năm" in out
    assert ("Vấn đề: cải thiện 'days_late' từ 3 thành 1 (khai báo: thấp hơn là tốt hơn) "
            "làm kết quả đổi từ Đạt thành Không đạt") in out
    assert '"id": "VD-0001"' in out and '"days_late": 3' in out


def test_english(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(BROKEN / "non-monotone.yaml"), *FAST,
                                  "--lang", "en"])
    assert result.exit_code == 1
    assert "Improving an input in its declared \"better\" direction never turns" in result.output
    assert "Counterexample — the nominee before the improvement:" in result.output
    assert '"name": "Hypothetical nominee 1"' in result.output


def test_the_same_seed_gives_the_same_output(runner: CliRunner) -> None:
    args = ["check", str(BROKEN / "ratio-non-monotone.yaml"), str(BROKEN / "rounding.yaml"),
            "--seed", "3"]
    first, second = runner.invoke(main, args), runner.invoke(main, args)
    assert first.exit_code == second.exit_code == 1
    assert first.output == second.output
    assert "seed 3" in first.output


def test_json_and_replay_with_evaluate(runner: CliRunner, tmp_path: Path) -> None:
    fixture = BROKEN / "ratio-non-monotone.yaml"
    result = runner.invoke(main, ["check", str(fixture), *FAST, "--json",
                                  "--property", "monotone"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["ok"] is False and data["seed"] == 0
    (finding,) = data["results"][0]["findings"]
    assert finding["criterion"] == "ty_le_lao_dong_tien_tien"
    records = [example["record"] for example in finding["examples"]]
    assert set(records[0]) == {"id", "name", "subject", "unit", "period", "facts"}
    nominees = tmp_path / "phan-vi-du.json"
    nominees.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    replay = runner.invoke(main, ["evaluate", "--rules", str(fixture), "--nominees",
                                  str(nominees), "--json"])
    assert replay.exit_code == 0, replay.output
    assert [d["outcome"] for d in json.loads(replay.output)] == ["dat", "khong_dat"]


def test_one_property_only(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(BROKEN / "non-monotone.yaml"), "--property",
                                  "satisfiable"])
    assert result.exit_code == 0
    assert "Thỏa mãn được" in result.output and "Đơn điệu" not in result.output


def test_an_unknown_property_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(CRITERIA), "--property", "monotonous"])
    assert result.exit_code == 2
    assert "monotonous" in result.output


def test_a_lower_title_not_loaded_is_skipped(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(CRITERIA / "chien-si-thi-dua-co-so"), *FAST,
                                  "--property", "hierarchy"])
    assert result.exit_code == 0
    assert ("– Thứ bậc danh hiệu · chính xác (suy ra từ mô hình kiểu) · không có quy tắc "
            "'lao-dong-tien-tien' có hiệu lực cùng kỳ") in result.output


def test_an_invalid_rule_file_fails(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(FIXTURES / "invalid" / "unknown-key.yaml")])
    assert result.exit_code == 1
    assert "1 tệp lỗi" in result.output
