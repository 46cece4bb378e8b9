"""``tdkt history import`` and ``tdkt history list`` (issue 10, title history).

The first tests stand a recording double in for the store (``import_history``,
``load_history``), so they check only what the command line does: which rows it refuses
and why, what it hands the store, what it prints, its exit codes, and its table at 80
columns. The last ones run against a real SQLite store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import criteria_engine.store as store
from cli import main
from criteria_engine.history import History, HistoryEntry
from tests.cli.test_layout import assert_reads_at_80
from tests.common import CRITERIA, EXAMPLES, FIXTURES, english_sentences

HISTORY = FIXTURES / "history"
CSTDCS = "chien-si-thi-dua-co-so"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TDKT_CRITERIA_DIR", str(CRITERIA))
    monkeypatch.delenv("TDKT_LANG", raising=False)
    monkeypatch.delenv("TDKT_DATABASE_URL", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    return CliRunner()


# --- the command line alone, the store stood in for -----------------------------------------


@dataclass
class Conflict:
    entry: HistoryEntry
    decision_id: int
    outcome: str


@dataclass
class Imported:
    added: int
    unchanged: int
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass
class FakeStore:
    """What the commands handed the store, and what it answers."""

    calls: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)

    def import_history(self, db: Any, entries: Any, *, actor: str, source_name: str) -> Imported:
        entries = list(entries)
        self.calls.append({"db": db, "entries": entries, "actor": actor, "source": source_name})
        return Imported(added=len(entries) - len(self.conflicts), unchanged=0,
                        conflicts=self.conflicts)

    def load_history(self, db: Any, subjects: Any = None) -> tuple[History, list[Conflict]]:
        self.calls.append({"db": db, "subjects": subjects})
        chosen = [e for e in self.history if subjects is None or e.subject in subjects]
        return History(chosen), self.conflicts


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeStore:
    double = FakeStore()
    monkeypatch.setattr(store, "import_history", double.import_history, raising=False)
    monkeypatch.setattr(store, "load_history", double.load_history, raising=False)
    monkeypatch.setattr(store, "check_recording", lambda db, *, actor: None)
    return double


def test_history_commands_have_help(runner: CliRunner) -> None:
    for args in (["history"], ["history", "import"], ["history", "list"]):
        result = runner.invoke(main, [*args, "--help"])
        assert result.exit_code == 0, result.output
        assert "Cách dùng:" in result.output
    assert "--rules-dir" in runner.invoke(main, ["history", "import", "--help"]).output


@pytest.mark.parametrize("name", ["rows.json", "rows.jsonl", "rows.yaml"])
def test_a_clean_file_is_handed_to_the_store_whole(runner: CliRunner, fake: FakeStore,
                                                    tmp_path: Path, name: str) -> None:
    db = str(tmp_path / "tdkt.db")
    result = runner.invoke(main, ["history", "import", str(HISTORY / name), "--db", db,
                                  "--actor", "lan"])
    assert result.exit_code == 0, result.output
    (call,) = fake.calls
    assert (call["db"], call["actor"], call["source"]) == (db, "lan", name)
    assert [e.subject for e in call["entries"]] == ["NV-0012", "NV-0012", "NV-0012", "NV-0031"]
    assert f"{name}: đọc 4 dòng; thêm 4, đã có 0, bị từ chối 0, mâu thuẫn với kho 0" \
        in result.stdout
    assert result.stderr == ""


def test_bad_rows_are_refused_by_line_and_field_and_the_rest_imported(
        runner: CliRunner, fake: FakeStore) -> None:
    result = runner.invoke(main, ["history", "import", str(HISTORY / "bad.jsonl")])
    assert result.exit_code == 1
    (call,) = fake.calls
    assert [e.subject for e in call["entries"]] == ["NV-0007"]
    assert "đọc 16 dòng; thêm 1, đã có 0, bị từ chối 15" in result.stdout
    err = result.stderr
    assert "bad.jsonl:1, hồ sơ NV-0001 (#1), trường 'title'" in err
    assert "có phải ý bạn là 'chien-si-thi-dua-co-so'?" in err
    assert "bad.jsonl:2, hồ sơ NV-0002 (#2), trường 'period': kỳ 2200 chưa đến" in err
    assert "bad.jsonl:4, hồ sơ NV-0004 (#4), trường 'discipline'" in err
    assert "bad.jsonl:10, hồ sơ NV-0007 (#9), trường 'title': bản ghi này trùng" in err
    assert not english_sentences(result.output)
    english = runner.invoke(main, ["history", "import", str(HISTORY / "bad.jsonl"),
                                   "--lang", "en"])
    assert "did you mean 'chien-si-thi-dua-co-so'?" in english.stderr
    assert "16 rows read; 1 added, 0 already stored, 15 refused" in english.stdout


def test_a_future_period_is_refused_against_today(runner: CliRunner, fake: FakeStore,
                                                  tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    next_year = date.today().year + 1
    path.write_text(json.dumps([{"subject": "NV-1", "title": CSTDCS, "period": next_year},
                                {"subject": "NV-1", "title": CSTDCS, "period": next_year - 1}]),
                    encoding="utf-8")
    result = runner.invoke(main, ["history", "import", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert f"period {next_year} has not come yet" in result.stderr
    assert [e.period for e in fake.calls[0]["entries"]] == [next_year - 1]


def test_another_rule_library_decides_which_titles_exist(runner: CliRunner, fake: FakeStore,
                                                         tmp_path: Path) -> None:
    library = tmp_path / "criteria"
    (library / "lao-dong-tien-tien").mkdir(parents=True)
    for source in (CRITERIA / "lao-dong-tien-tien").glob("*.yaml"):
        (library / "lao-dong-tien-tien" / source.name).write_bytes(source.read_bytes())
    result = runner.invoke(main, ["history", "import", str(HISTORY / "rows.json"),
                                  "--rules", str(library), "--lang", "en"])
    assert result.exit_code == 1
    assert "'chien-si-thi-dua-co-so' is not the id of any title" in result.stderr
    assert [e.title for e in fake.calls[0]["entries"]] == ["lao-dong-tien-tien", ""]


def test_conflicts_with_the_store_are_reported_and_exit_1(runner: CliRunner,
                                                          fake: FakeStore) -> None:
    row = HistoryEntry("NV-0012", 2022, title=CSTDCS, decision_number="98/QĐ-UBND")
    fake.conflicts = [Conflict(row, 41, "khong_dat")]
    result = runner.invoke(main, ["history", "import", str(HISTORY / "rows.json")])
    assert result.exit_code == 1
    assert ("NV-0012: tệp ghi đã được khen 'chien-si-thi-dua-co-so' kỳ 2022 (quyết định "
            "98/QĐ-UBND), nhưng kho có quyết định #41 với kết quả 'Không đạt'") in result.stderr
    assert "mâu thuẫn với kho 1" in result.stdout
    english = runner.invoke(main, ["history", "import", str(HISTORY / "rows.json"),
                                   "--lang", "en"])
    assert "the store holds decision #41 with outcome 'Does not meet'" in english.stderr


@pytest.mark.parametrize(("path", "key"), [("missing.json", "không tìm thấy tệp"),
                                           ("rows.csv", "không nhận ra định dạng tệp")])
def test_a_file_that_cannot_be_read_stores_nothing(runner: CliRunner, fake: FakeStore,
                                                   tmp_path: Path, path: str, key: str) -> None:
    result = runner.invoke(main, ["history", "import", str(tmp_path / path)])
    assert result.exit_code == 1
    assert key in result.stderr and "Traceback" not in result.output
    assert fake.calls == []


def test_broken_json_stores_nothing(runner: CliRunner, fake: FakeStore, tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    path.write_text('[{"subject": "NV-1", "title": "lao-dong-tien-tien", "period": 2022},\n'
                    '{"subject": "NV-2"', encoding="utf-8")
    result = runner.invoke(main, ["history", "import", str(path)])
    assert result.exit_code == 1
    assert "h.json:2" in result.stderr
    assert fake.calls == []


def test_a_bad_actor_is_a_usage_error_before_anything_is_read(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "import_history", FakeStore().import_history, raising=False)
    result = runner.invoke(main, ["history", "import", str(tmp_path / "missing.json"),
                                  "--db", str(tmp_path / "tdkt.db"), "--actor", "lan\u202eadmin"])
    assert result.exit_code == 2
    assert "U+202E" in result.stderr


LISTED = [
    HistoryEntry("NV-0012", 2021, title="giay-khen-chu-tich-ubnd-huyen-bac-giang",
                 decision_number="101/QĐ-UBND", decided_on=date(2022, 1, 14),
                 issuer_level="huyen", achievement="SK-2021-001"),
    HistoryEntry("NV-0012", 2022, title=CSTDCS, source="store", decision_id=17),
    HistoryEntry("NV-0031", 2022, kind="discipline", level="khien_trach",
                 decision_number="45/QĐ-UBND", ends=date(2023, 6, 30)),
]


def test_list_shows_each_subject_s_history(runner: CliRunner, fake: FakeStore) -> None:
    fake.history = LISTED
    result = runner.invoke(main, ["history", "list"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Lịch sử danh hiệu và kỷ luật (3 dòng)" in out
    for text in ("giay-khen-chu-tich-ubnd-huyen-bac-giang", "QĐ 101/QĐ-UBND 2022-01-14",
                 "Cấp khen: cấp huyện", "thành tích SK-2021-001", "kho #17",
                 "kỷ luật: khiển trách, hết hạn 2023-06-30", "QĐ 45/QĐ-UBND", "tệp"):
        assert text in out, text
    english = runner.invoke(main, ["history", "list", "--lang", "en"]).stdout
    assert "discipline: reprimand, ends 2023-06-30" in english and "store #17" in english
    assert "Awarded by: district · achievement SK-2021-001" in english


def test_list_of_one_subject(runner: CliRunner, fake: FakeStore) -> None:
    fake.history = LISTED
    result = runner.invoke(main, ["history", "list", "--subject", "NV-0031"])
    assert result.exit_code == 0
    assert fake.calls[-1]["subjects"] == ["NV-0031"]
    assert "NV-0031" in result.stdout and "NV-0012" not in result.stdout
    empty = runner.invoke(main, ["history", "list", "--subject", "NV-9"])
    assert "Kho chưa có lịch sử của NV-9." in empty.stdout


def test_list_reports_conflicts(runner: CliRunner, fake: FakeStore) -> None:
    fake.history = LISTED
    fake.conflicts = [Conflict(HistoryEntry("NV-0012", 2022, title=CSTDCS), 17, "khong_dat")]
    result = runner.invoke(main, ["history", "list"])
    assert result.exit_code == 0
    assert "Cảnh báo: NV-0012: tệp ghi đã được khen" in result.stderr


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_list_reads_at_80_columns(runner: CliRunner, fake: FakeStore, lang: str) -> None:
    fake.history = LISTED
    out = assert_reads_at_80(runner, ["history", "list", "--lang", lang]).stdout
    assert "giay-khen-chu-tich-ubnd-huyen-bac-giang" in out
    assert "┏" in out  # still a table at 80 columns, not one block per row


def test_import_summary_reads_at_80_columns(runner: CliRunner, fake: FakeStore) -> None:
    assert_reads_at_80(runner, ["history", "import", str(HISTORY / "bad.jsonl")], tables=False)


# --- against a real store ---------------------------------------------------------------------

needs_store = pytest.mark.skipif(not hasattr(store, "import_history"),
                                 reason="criteria_engine.store.import_history not there yet")


@needs_store
def test_import_twice_then_list(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "tdkt.db")
    first = runner.invoke(main, ["history", "import", str(HISTORY / "rows.yaml"), "--db", db])
    assert first.exit_code == 0, first.output
    assert "thêm 4, đã có 0" in first.stdout
    again = runner.invoke(main, ["history", "import", str(HISTORY / "rows.json"), "--db", db])
    assert again.exit_code == 0, again.output
    assert "thêm 0, đã có 4" in again.stdout
    listed = runner.invoke(main, ["history", "list", "--db", db, "--subject", "NV-0012"])
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.count(CSTDCS) == 2 and "NV-0031" not in listed.stdout
    assert runner.invoke(main, ["audit", "verify", "--db", db]).exit_code == 0


@needs_store
def test_a_file_that_contradicts_the_store_is_reported(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "tdkt.db")
    evaluated = runner.invoke(main, ["evaluate", "--rules", "lao-dong-tien-tien", "--nominees",
                                     str(EXAMPLES / "lao-dong-tien-tien.json"), "--record",
                                     "--db", db])
    assert evaluated.exit_code == 0, evaluated.output
    path = tmp_path / "h.jsonl"
    path.write_text(json.dumps({"subject": "SL-2024-LDTT-0001", "title": "lao-dong-tien-tien",
                                "period": 2024, "decision_number": "9/QĐ-UBND"}) + "\n",
                    encoding="utf-8")
    result = runner.invoke(main, ["history", "import", str(path), "--db", db, "--lang", "en"])
    assert result.exit_code == 1
    assert "SL-2024-LDTT-0001: the file says 'lao-dong-tien-tien' was awarded for 2024" \
        in result.stderr
    assert "with outcome 'Does not meet'" in result.stderr
    listed = runner.invoke(main, ["history", "list", "--db", db])
    assert listed.exit_code == 0, listed.output
    assert "BG-2024-LDTT-0001" in listed.stdout  # a stored "dat" decision is history too
