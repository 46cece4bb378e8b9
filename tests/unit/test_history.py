"""Title history files: rows read from JSON, JSON Lines and YAML, each bad row refused naming
its place and field while the others go on, and rows checked against a rule library and
today's date (issue 10, "Bad input": an unknown title, a future period)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, get_args

import pytest

from criteria_engine import nominees
from criteria_engine.errors import Location, RecordError, RuleFileError
from criteria_engine.history import (
    DISCIPLINE_LEVELS,
    History,
    HistoryChecker,
    HistoryEntry,
    HistoryRow,
    LocatedEntry,
    check_history,
    iter_history,
    read_history,
)
from criteria_engine.history import DisciplineLevel as Level
from criteria_engine.library import BrokenFile, RuleLibrary
from tests.common import CRITERIA, FIXTURES, english_sentences

HISTORY = FIXTURES / "history"
LIBRARY = RuleLibrary.load([CRITERIA])
TODAY = date(2025, 6, 1)
CSTDCS = "chien-si-thi-dua-co-so"


def rows(path: Path) -> list[LocatedEntry | RecordError]:
    return list(read_history(path))


def write_jsonl(tmp_path: Path, *lines: Any) -> Path:
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
                              for line in lines) + "\n", encoding="utf-8")
    return path


def only_error(path: Path) -> RecordError:
    (item,) = rows(path)
    assert isinstance(item, RecordError), item
    return item


def render(error: RecordError) -> tuple[str, str]:
    vi, en = error.render("vi"), error.render("en")
    assert not english_sentences(vi), vi
    return vi, en


# --- reading ----------------------------------------------------------------------------------


def test_discipline_levels_are_the_model_s_choices() -> None:
    assert get_args(Level) == DISCIPLINE_LEVELS


@pytest.mark.parametrize("name", ["rows.json", "rows.jsonl", "rows.yaml"])
def test_json_jsonl_and_yaml_give_the_same_entries(name: str) -> None:
    items = rows(HISTORY / name)
    assert all(isinstance(item, LocatedEntry) for item in items), items
    entries = [item.entry for item in items if isinstance(item, LocatedEntry)]
    assert entries == [entry for entry in iter_history(HISTORY / name)]
    first, _, third, discipline = entries
    assert first == HistoryEntry(subject="NV-0012", period=2021, kind="award", title=CSTDCS,
                                 decision_number="101/QĐ-UBND", decided_on=date(2022, 1, 14),
                                 issuer_level="xa", achievement="SK-2021-001")
    assert third.title == "lao-dong-tien-tien" and third.decided_on is None
    assert discipline.kind == "discipline" and discipline.title == ""
    assert discipline.level == "khien_trach" and discipline.ends == date(2023, 6, 30)
    assert [item.number for item in items if isinstance(item, LocatedEntry)] == [1, 2, 3, 4]
    assert all(isinstance(item, LocatedEntry) and item.where.path == str(HISTORY / name)
               and item.where.record == f"{item.entry.subject} (#{item.number})" for item in items)


def test_rows_keep_their_lines() -> None:
    lines = [item.where.line for item in rows(HISTORY / "rows.jsonl") if isinstance(item, LocatedEntry)]
    assert lines == [1, 2, 4, 5]  # a blank line is skipped, not counted as a row
    lines = [item.where.line for item in rows(HISTORY / "rows.yaml") if isinstance(item, LocatedEntry)]
    assert lines == [2, 9, 15, 16]


def test_a_yaml_file_of_one_row_is_read(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text("subject: NV-1\ntitle: lao-dong-tien-tien\nperiod: 2020\n", encoding="utf-8")
    (item,) = rows(path)
    assert isinstance(item, LocatedEntry) and item.entry.period == 2020


#: Each line of bad.jsonl: the catalogue key of its first problem, the field it names,
#: and a phrase the English message holds. Line 7 is good; line 8 is not JSON.
BAD_ROWS: dict[int, tuple[str, str | None, str]] = {
    1: ("history.unknown_title", "title", "did you mean 'chien-si-thi-dua-co-so'?"),
    2: ("history.future_period", "period", "period 2200 has not come yet"),
    3: ("history.both", "discipline", "not both"),
    4: ("history.field", "discipline", "did you mean 'khien_trach'?"),
    5: ("record.duplicate_key", None, "key 'period' appears twice"),
    6: ("history.too_deep", "achievement.0.0.0.0.0.0.0.0.0.0", "nested more than 10 levels"),
    8: ("json.syntax", None, "malformed JSON"),
    9: ("history.ends_before", "ends", "ends on 2022-12-31, before 2023"),
    10: ("history.duplicate_row", "title", "repeats the row at bad.jsonl:7 (#7)"),
    11: ("history.neither", "title", "'title' (the rule id of the award) or 'discipline'"),
    12: ("history.field", "decided_on", "expected a day as YYYY-MM-DD (e.g. 2024-01-15), got '15/01/2023'"),
    13: ("history.field", "unit", "unknown field (a history row has subject"),
    14: ("history.field", "subject", "U+202E"),
    15: ("history.field", "period", "expected a year"),
    16: ("history.ends_award", "ends", "belongs to a discipline row"),
}


def test_every_bad_row_is_refused_naming_its_place_and_field_and_the_rest_go_on() -> None:
    checker = HistoryChecker(LIBRARY, today=TODAY)
    refused: dict[int, RecordError] = {}
    kept: list[LocatedEntry] = []
    for item in read_history(HISTORY / "bad.jsonl"):
        if isinstance(item, RecordError):
            assert item.where.line is not None
            refused[item.where.line] = item
            continue
        problems = checker.check(item)
        if problems:
            assert all(problem.entry is item for problem in problems)
            assert item.where.line is not None
            refused[item.where.line] = problems[0]
        else:
            kept.append(item)
    assert [item.entry.subject for item in kept] == ["NV-0007"]
    assert sorted(refused) == sorted(BAD_ROWS)
    for line, (key, field, phrase) in BAD_ROWS.items():
        error = refused[line]
        assert (error.key, error.where.field) == (key, field), (line, error.render("en"))
        assert error.where.path == str(HISTORY / "bad.jsonl")
        vi, en = render(error)
        assert phrase in en, (line, en)
        assert f"bad.jsonl:{line}" in vi
        if key != "json.syntax":
            assert "(#" in en  # the row's number, next to its subject


def test_a_row_with_several_bad_fields_names_each() -> None:
    error = next(item for item in rows(HISTORY / "bad.jsonl")
                 if isinstance(item, RecordError) and item.where.line == 15)
    fields = [error.where.field, *(more.where.field for more in error.more)]
    assert fields == ["period", "title"]
    assert "a title's rule id" in error.render("en")
    assert "mã danh hiệu" in error.render("vi")


@pytest.mark.parametrize(("row", "field", "phrase"), [
    ({"subject": "NV-1", "discipline": "canh-cao", "period": 2022}, "discipline",
     "did you mean 'canh_cao'?"),
    ({"subject": "NV-1", "title": CSTDCS, "period": 2022, "issuer_level": "tỉnh"}, "issuer_level",
     "one of 'trung_uong', 'tinh', 'huyen' or 'xa'"),
    ({"subject": "", "title": CSTDCS, "period": 2022}, "subject", "must not be empty"),
    ({"subject": "N" * 101, "title": CSTDCS, "period": 2022}, "subject", "longer than 100"),
    ({"subject": "NV-1", "title": CSTDCS, "period": 2022, "decision_number": "1/QĐ\u200b"},
     "decision_number", "U+200B"),
    ({"subject": "NV-1", "title": CSTDCS, "period": 2022, "decided_on": 20220115}, "decided_on",
     "expected a day as YYYY-MM-DD"),
    ({"subject": "NV-1", "title": CSTDCS, "period": 2022, "decided_on": "2022-02-30"},
     "decided_on", "got '2022-02-30'"),
    ({"subject": "NV-1", "title": CSTDCS, "period": 1900}, "period", "at least 1945"),
    ({"subject": "NV-1", "title": CSTDCS}, "period", "required field is missing"),
    ({"subject": "NV-1", "title": CSTDCS, "period": 2022, "achievement": ["SK-1"]}, "achievement",
     "expected text"),
])
def test_bad_fields(tmp_path: Path, row: dict[str, Any], field: str, phrase: str) -> None:
    error = only_error(write_jsonl(tmp_path, row))
    assert error.where.field == field
    _, en = render(error)
    assert phrase in en, en


def test_a_row_that_is_not_an_object(tmp_path: Path) -> None:
    error = only_error(write_jsonl(tmp_path, "[1, 2]"))
    assert error.key == "history.not_object" and error.where.record == "#1"


def test_nesting_past_the_interpreter_is_refused_not_a_crash(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    path = write_jsonl(tmp_path, '{"subject": "NV-1", "title": "x", "period": 2022, "achievement": '
                       + deep + "}", {"subject": "NV-2", "title": CSTDCS, "period": 2022})
    first, second = rows(path)
    assert isinstance(first, RecordError) and first.key == "history.too_deep"
    assert first.where.record == "#1" and first.where.line == 1
    assert isinstance(second, LocatedEntry)


def test_deep_yaml_is_refused_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("- subject: NV-1\n  title: x\n  period: 2022\n  achievement: "
                    + "[" * 20 + "]" * 20 + "\n", encoding="utf-8")
    error = only_error(path)
    assert error.key == "history.too_deep" and (error.where.field or "").startswith("achievement")


def test_a_big_yaml_file_is_refused_with_a_history_message(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nominees, "MAX_YAML_BYTES", 10)
    with pytest.raises(RecordError) as caught:
        rows(HISTORY / "rows.yaml")
    assert caught.value.key == "history.yaml_too_large"
    assert "YAML history file" in caught.value.render("en")


def test_an_unknown_format_or_a_missing_file_refuses_the_whole_file(tmp_path: Path) -> None:
    with pytest.raises(RecordError) as caught:
        rows(tmp_path / "history.csv")
    assert caught.value.key == "file.format_unknown"
    with pytest.raises(RecordError) as caught:
        rows(tmp_path / "missing.json")
    assert caught.value.key == "file.not_found"


def test_nfd_text_is_read_as_nfc(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path, {"subject": "NV-1", "title": CSTDCS, "period": 2022,
                                  "decision_number": "1/Q\u0110-UBND Ho\u0300a"})
    (item,) = rows(path)
    assert isinstance(item, LocatedEntry)
    assert item.entry.decision_number == "1/QĐ-UBND Hòa"


def test_the_model_forbids_unknown_fields() -> None:
    with pytest.raises(ValueError, match="extra"):
        HistoryRow.model_validate({"subject": "NV-1", "title": CSTDCS, "period": 2022, "x": 1})


# --- checking against a library and today -----------------------------------------------------


def test_unknown_title_gets_a_suggestion_in_both_languages() -> None:
    (problem,) = check_history([HistoryEntry("NV-1", 2022, title="chien-si-thi-dua-co-sp")],
                               LIBRARY, today=TODAY)
    vi, en = render(problem)
    assert "có phải ý bạn là 'chien-si-thi-dua-co-so'?" in vi
    assert "did you mean 'chien-si-thi-dua-co-so'?" in en
    assert problem.where.record == "NV-1 (chien-si-thi-dua-co-sp 2022)"


def test_future_periods_and_days() -> None:
    entries = [HistoryEntry("NV-1", 2025, title=CSTDCS),  # this year: may be decided already
               HistoryEntry("NV-1", 2026, title=CSTDCS),
               HistoryEntry("NV-1", 2024, title=CSTDCS, decided_on=date(2025, 6, 2))]
    problems = check_history(entries, LIBRARY, today=TODAY)
    assert [(p.key, p.where.field) for p in problems] == [("history.future_period", "period"),
                                                         ("history.future_day", "decided_on")]
    assert [p.entry for p in problems] == entries[1:]


def test_a_discipline_may_end_after_it_starts_not_before() -> None:
    ok = HistoryEntry("NV-1", 2022, kind="discipline", level="canh_cao", ends=date(2022, 12, 31))
    later = HistoryEntry("NV-1", 2023, kind="discipline", level="canh_cao", ends=date(2026, 1, 1))
    bad = HistoryEntry("NV-2", 2023, kind="discipline", level="canh_cao", ends=date(2022, 12, 31))
    problems = check_history([ok, later, bad], LIBRARY, today=TODAY)
    assert [(p.key, p.entry) for p in problems] == [("history.ends_before", bad)]


def test_a_row_given_twice_is_refused_the_second_time() -> None:
    award = HistoryEntry("NV-1", 2022, title=CSTDCS)
    again = HistoryEntry("NV-1", 2022, title=CSTDCS, decision_number="7/QĐ")
    other_year = HistoryEntry("NV-1", 2023, title=CSTDCS)
    discipline = HistoryEntry("NV-1", 2022, kind="discipline", level="canh_cao")
    problems = check_history([award, again, other_year, discipline, discipline], LIBRARY,
                             today=TODAY)
    assert [(p.key, p.where.field) for p in problems] == [("history.duplicate_row", "title"),
                                                         ("history.duplicate_row", "discipline")]
    assert problems[0].entry is again


def test_callers_keep_the_rows_no_problem_names() -> None:
    entries = [item for item in iter_history(HISTORY / "bad.jsonl")
               if isinstance(item, HistoryEntry)]
    problems = check_history(entries, LIBRARY, today=TODAY)
    refused = {id(problem.entry) for problem in problems}
    kept = [entry for entry in entries if id(entry) not in refused]
    assert [entry.subject for entry in kept] == ["NV-0007"]


def test_a_title_whose_rule_file_is_broken_is_still_a_known_title() -> None:
    broken = RuleFileError("file.not_found", Location("criteria/x/1.yaml"))
    library = RuleLibrary(broken=[BrokenFile("criteria/x/1.yaml", ("x",), "1", broken)])
    assert check_history([HistoryEntry("NV-1", 2022, title="x")], library, today=TODAY) == []
    (problem,) = check_history([HistoryEntry("NV-1", 2022, title="y")], library, today=TODAY)
    assert problem.key == "history.unknown_title"


# --- the index ---------------------------------------------------------------------------------


def test_history_lists_every_entry_in_order_and_the_store_wins() -> None:
    imported = HistoryEntry("NV-2", 2022, title=CSTDCS, decision_number="1/QĐ")
    stored = HistoryEntry("NV-2", 2022, title=CSTDCS, source="store", decision_id=7)
    discipline = HistoryEntry("NV-1", 2021, kind="discipline", level="khien_trach")
    earlier = HistoryEntry("NV-1", 2021, title=CSTDCS)
    history = History([imported, discipline, stored, earlier])
    assert list(history) == [earlier, discipline, stored]
    assert history.subjects() == ["NV-1", "NV-2"]
    assert len(history) == 3
