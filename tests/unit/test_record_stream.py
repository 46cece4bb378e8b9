"""Reading nominee files as a stream: records in file order and in constant memory, hostile
records refused naming record and field, and the fast paths agreeing with the reference.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import tracemalloc
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from criteria_engine import sources
from criteria_engine.achievements import resolve_achievements
from criteria_engine.batch import Judged, Problem, evaluate_file, stream_file
from criteria_engine.errors import CriteriaError, Location, RecordError
from criteria_engine.library import RuleLibrary
from criteria_engine.nominees import (
    MAX_YAML_BYTES,
    Nominee,
    RawRecord,
    bind_facts,
    iter_records,
    parse_nominee,
)
from tests.common import CRITERIA, EXAMPLES, english_sentences

LIBRARY = RuleLibrary.load([CRITERIA])
LDTT = "lao-dong-tien-tien"


def choose(period: int) -> Any:
    return LIBRARY.in_force(LDTT, period)


def record(record_id: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": record_id, "name": "Phạm Thị Lan", "subject": "ca_nhan",
        "unit": "UBND xã Tân Dĩnh", "period": 2024,
        "facts": {"rating": "hoan_thanh_tot", "disciplined": False,
                  "administrative_sanction": False}}
    data["facts"].update(changes.pop("facts", {}))
    data.update(changes)
    return data


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[CriteriaError]:
    return [item.error for item in stream_file(path, choose)
            if isinstance(item, Problem) and not item.warning]


def judged_ids(path: Path) -> list[str]:
    return [item.nominee.id for item in stream_file(path, choose) if isinstance(item, Judged)]


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read JSON 7 bytes at a time, so every value and separator straddles a chunk."""
    monkeypatch.setattr(sources, "JSON_CHUNK_BYTES", 7)


# --- streaming ----------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["indented", "compact", "one-per-line"])
def test_a_json_array_read_in_tiny_chunks_gives_the_same_records_and_lines(
        tmp_path: Path, small_chunks: None, layout: str) -> None:
    records = [record(f"N-{i}", name="Đỗ Thị Hà" if i % 2 else "Lò Văn Thắng",
                      facts={"disciplined": i == 3}) for i in range(1, 6)]
    text = {"indented": json.dumps(records, ensure_ascii=False, indent=2),
            "compact": json.dumps(records, ensure_ascii=False),
            "one-per-line": "[\n" + ",\n".join(json.dumps(r) for r in records) + "\n]"}[layout]
    path = write(tmp_path, "records.json", text)
    read = [item for item in iter_records(path) if isinstance(item, RawRecord)]
    assert [r.data for r in read] == records
    lines = text.splitlines()
    for raw in read:
        line = raw.where.line or 0
        assert f'"{raw.data["id"]}"' in "".join(lines[line - 1:line + 2])


def test_json_lines_are_read_one_at_a_time_in_file_order(tmp_path: Path) -> None:
    path = write(tmp_path, "records.jsonl", "\n".join(json.dumps(record(f"N-{i}"))
                                                      for i in range(1, 4)) + "\n")
    items = stream_file(path, choose)
    first = next(items)
    assert isinstance(first, Judged) and first.nominee.id == "N-1"
    assert (first.where.path, first.where.line, first.where.record) == (str(path), 1, "N-1 (#1)")
    assert [item.nominee.id for item in items if isinstance(item, Judged)] == ["N-2", "N-3"]


def test_a_file_that_cannot_be_opened_fails_at_the_call_not_later(tmp_path: Path) -> None:
    with pytest.raises(RecordError) as caught:
        stream_file(tmp_path / "missing.json", choose)
    assert caught.value.key == "file.not_found"


def test_json_broken_after_some_records_hands_them_on_then_raises(tmp_path: Path) -> None:
    text = json.dumps([record("N-1"), record("N-2")], indent=1)
    path = write(tmp_path, "cut.json", text[:-40])
    seen: list[str] = []
    with pytest.raises(RecordError) as caught:
        for item in stream_file(path, choose):
            assert isinstance(item, Judged)
            seen.append(item.nominee.id)
    assert seen == ["N-1"]
    assert caught.value.key == "json.syntax"
    assert caught.value.where.line is not None


@pytest.mark.parametrize(("text", "en", "vi"), [
    pytest.param("", "a value is missing here", "thiếu một giá trị", id="empty"),
    pytest.param('[{"id": "N-1"},]', "or there is a comma too many", "hoặc thừa dấu phẩy",
                 id="trailing-comma"),
    pytest.param('[{"id": "N-1"} {"id": "N-2"}]', "',' is missing between two items",
                 "thiếu dấu ','", id="missing-comma"),
    pytest.param('[{"id": "N-1"}] x', "more content after the JSON has ended",
                 "còn nội dung sau khi JSON đã kết thúc", id="extra"),
    pytest.param('[{id: "N-1"}]', "expected a key in double quotes",
                 "cần tên khoá đặt trong dấu nháy kép", id="bare-key"),
])
def test_json_syntax_problems_are_translated(tmp_path: Path, text: str, en: str, vi: str) -> None:
    path = write(tmp_path, "bad.json", text)
    with pytest.raises(RecordError) as caught:
        list(stream_file(path, choose))
    assert caught.value.key == "json.syntax"
    assert en in caught.value.render("en")
    assert vi in caught.value.render("vi")
    assert not english_sentences(caught.value.render("vi"))


def test_progress_reports_bytes_read_of_the_file_size(tmp_path: Path, small_chunks: None
                                                       ) -> None:
    path = write(tmp_path, "records.json", json.dumps([record(f"N-{i}") for i in range(3)]))
    size = path.stat().st_size
    calls: list[tuple[int, int]] = []
    list(stream_file(path, choose, progress=lambda done, total: calls.append((done, total))))
    assert calls[-1] == (size, size)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert {total for _, total in calls} == {size}


def test_progress_of_a_two_pass_run_counts_both_passes(tmp_path: Path) -> None:
    path = write(tmp_path, "records.jsonl", json.dumps(record("N-1")) + "\n")
    size = path.stat().st_size
    calls: list[tuple[int, int]] = []
    list(stream_file(path, choose, functools.partial(LIBRARY.in_force, "chien-si-thi-dua-co-so"),
                     progress=lambda done, total: calls.append((done, total))))
    assert calls[-1] == (2 * size, 2 * size)
    assert (size, 2 * size) in calls


def _peak_bytes(path: Path) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        for _ in stream_file(path, choose):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _records(count: int) -> Iterator[str]:
    for i in range(count):
        yield json.dumps(record(f"N-{i:06d}"), ensure_ascii=False)


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_memory_does_not_grow_with_the_file(tmp_path: Path, suffix: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Four times the records, about the same peak: only the ids seen are kept (and one
    chunk of the file, made small here so that both files are many chunks long)."""
    monkeypatch.setattr(sources, "JSON_CHUNK_BYTES", 64 * 1024)

    def make(count: int) -> Path:
        body = list(_records(count))
        text = "[" + ",\n".join(body) + "]" if suffix == ".json" else "\n".join(body)
        return write(tmp_path, f"r{count}{suffix}", text)

    small, large = _peak_bytes(make(4_000)), _peak_bytes(make(16_000))
    # 12,000 more ids cost about 1.2 MB; the records themselves would cost 20 MB and more
    assert large - small < 2_500_000, (small, large)


def test_evaluate_file_collects_what_stream_file_yields(tmp_path: Path) -> None:
    path = write(tmp_path, "records.json", json.dumps(
        [record("N-1"), record("N-2", facts={"rating": "xuat_sac"}), record("N-1"), "text"]))
    items = list(stream_file(path, choose))
    report = evaluate_file(path, choose)
    assert [d.nominee_id for d in report.decisions] == [
        i.nominee.id for i in items if isinstance(i, Judged)]
    assert [p.key for p in report.problems] == [
        i.error.key for i in items if isinstance(i, Problem)]
    assert report.records == 4


# --- several titles: one achievement, one reward, exact over a stream ---------------------


def test_a_stream_of_several_titles_resolves_achievements_as_resolve_achievements(
        tmp_path: Path) -> None:
    facts = {"rating": "hoan_thanh_xuat_sac", "disciplined": False,
             "administrative_sanction": False, "initiatives_recognized": 1,
             "research_accepted": False, "achievement_score": 95}
    shared = {"id": "SK-1", "kind": "sang_kien", "period": 2023}
    rows = [record("N-1", facts=facts, achievements=[shared]),
            record("N-2", facts=facts),
            record("N-3", facts=facts, achievements=[shared, {**shared, "id": "SK-2"}]),
            record("N-1", facts=facts, achievements=[shared])]
    path = write(tmp_path, "records.json", json.dumps(rows, ensure_ascii=False))
    rule_ids = ("giay-khen-chu-tich-ubnd-huyen-bac-giang", "chien-si-thi-dua-co-so")
    choosers = [functools.partial(LIBRARY.in_force, rule_id) for rule_id in rule_ids]
    streamed = [d for item in stream_file(path, *choosers) if isinstance(item, Judged)
                for d in item.decisions]
    plain = [d._replace(outcome=d.outcome if d.outcome != "trung_thanh_tich" else "dat",
                        conflict=None, achievements=()) for d in streamed]
    nominees = {item.nominee.id: item.nominee for item in stream_file(path, *choosers)
                if isinstance(item, Judged)}
    assert streamed == resolve_achievements(plain, nominees)
    assert [d.outcome for d in streamed].count("trung_thanh_tich") >= 2


# --- hostile records ---------------------------------------------------------------------


def test_a_repeated_json_key_is_an_error_naming_record_and_key(tmp_path: Path) -> None:
    text = ('[{"id": "N-1", "name": "A", "subject": "ca_nhan", "period": 2024, "facts": '
            '{"rating": "hoan_thanh_tot", "disciplined": true, "administrative_sanction": false,'
            ' "disciplined": false}},\n' + json.dumps(record("N-2")) + "]")
    path = write(tmp_path, "dup.json", text)
    [problem] = problems(path)
    assert (problem.key, problem.where.record, problem.where.field) == (
        "record.duplicate_key", "N-1 (#1)", "facts")
    assert "key 'disciplined' appears twice" in problem.render("en")
    assert "khoá 'disciplined' xuất hiện hai lần" in problem.render("vi")
    assert judged_ids(path) == ["N-2"]


def test_a_key_repeated_only_after_nfc_normalisation_is_repeated_too(tmp_path: Path) -> None:
    nfc, nfd = "\u00e9", "e\u0301"
    text = ('[{"id": "N-1", "name": "A", "subject": "ca_nhan", "period": 2024, "facts": {'
            f'"{nfc}": 1, "{nfd}": 2' '}}]')
    [problem] = problems(write(tmp_path, "nfd.json", text))
    assert problem.key == "record.duplicate_key"


@pytest.mark.parametrize("depth", [20, 500, 100_000])
def test_deep_nesting_is_refused_for_its_record_only(tmp_path: Path, depth: int) -> None:
    nested = "[" * depth + "]" * depth
    text = (f'[{{"id": "N-1", "name": "A", "subject": "ca_nhan", "period": 2024, "x": {nested}}},'
            f"\n{json.dumps(record('N-2'))}]")
    path = write(tmp_path, "deep.json", text)
    [problem] = problems(path)
    assert problem.key == "record.too_deep"
    assert "nested more than" in problem.render("en")
    assert judged_ids(path) == ["N-2"]


def test_a_deep_top_level_value_is_one_bad_record(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.json", "[" * 50_000 + "]" * 50_000)
    [problem] = problems(path)
    assert (problem.key, problem.where.record) == ("record.too_deep", "#1")


def test_nan_is_not_a_json_number(tmp_path: Path) -> None:
    text = '{"id": "N-1", "name": "A", "subject": "ca_nhan", "period": 2024, "facts": {"x": NaN}}'
    [problem] = problems(write(tmp_path, "nan.json", text))
    assert (problem.key, problem.where.field) == ("record.not_json_number", "facts.x")


def test_a_megabyte_id_is_refused_and_never_echoed(tmp_path: Path) -> None:
    path = write(tmp_path, "big.json", json.dumps([record("X" * 1_000_000), record("N-2")]))
    [problem] = problems(path)
    assert (problem.key, problem.where.field) == ("record.model", "id")
    assert "longer than 100 characters" in problem.render("en")
    assert "dài quá 100 ký tự" in problem.render("vi")
    assert len(problem.render("en")) < 300


def test_a_megabyte_unknown_key_is_not_echoed(tmp_path: Path) -> None:
    path = write(tmp_path, "big.json", json.dumps([record("N-1", facts={"k" * 10**6: 1})]))
    [problem] = problems(path)
    assert problem.key == "record.unknown_fact"
    assert len(problem.render("en")) < 400


@pytest.mark.parametrize(("field", "value", "char"), [
    ("id", "N-\u200b1", "U+200B"),
    ("id", "N-1\n", "U+000A"),
    ("name", "Lan\u202eadmin", "U+202E"),
    ("name", "Lan\u2066", "U+2066"),
    ("name", "Lan\x00", "U+0000"),
    ("unit", "UBND\ufeffxã", "U+FEFF"),
    ("unit", "UBND\u2028xã", "U+2028"),
    ("name", "Lan\ud800", "U+D800"),
])
def test_control_and_invisible_characters_are_refused_naming_the_field(
        tmp_path: Path, field: str, value: str, char: str) -> None:
    path = write(tmp_path, "chars.json", json.dumps([record("N-1", **{field: value}),
                                                     record("N-2")]))
    [problem] = problems(path)
    assert (problem.key, problem.where.field) == ("record.model", field)
    if char == "U+D800":  # pydantic refuses it first
        assert "invalid character (a lone" in problem.render("en")
    else:
        assert f"character {char}" in problem.render("en")
        assert f"ký tự ẩn {char}" in problem.render("vi")
    assert "\u202e" not in problem.render("en") and "\x00" not in problem.render("en")
    assert judged_ids(path) == ["N-2"]


@pytest.mark.parametrize("record_id", ["", " ", "\t ", "\u3000"])
def test_blank_ids_are_refused(tmp_path: Path, record_id: str) -> None:
    [problem] = problems(write(tmp_path, "blank.json", json.dumps([record(record_id)])))
    assert (problem.key, problem.where.field) == ("record.model", "id")


def test_achievement_ids_and_descriptions_are_checked_too() -> None:
    base = record("N-1")
    with pytest.raises(RecordError) as caught:
        parse_nominee(RawRecord(1, Location("f.json", 1), {**base, "achievements": [
            {"id": "SK\u202e1", "kind": "sang_kien", "period": 2023},
            {"id": "SK-2", "kind": "sang_kien", "period": 2023, "description": "a\x00"}]}))
    fields = [p.where.field for p in [caught.value, *caught.value.more]]
    assert fields == ["achievements.0.id", "achievements.1.description"]
    nominee = parse_nominee(RawRecord(1, Location("f.json", 1), {**base, "achievements": [
        {"id": "SK-2", "kind": "sang_kien", "period": 2023, "description": "dòng 1\ndòng 2"}]}))
    assert nominee.achievements[0].description == "dòng 1\ndòng 2"


def test_records_are_checked_the_same_through_the_python_api() -> None:
    with pytest.raises(ValueError, match="text_char"):
        Nominee(id="N-1", name="Lan\u202e", subject="ca_nhan", period=2024)


# --- numbers written as text --------------------------------------------------------------

DHTT = LIBRARY.get("dien-hinh-tien-tien-ca-nhan")


@pytest.mark.parametrize(("value", "expected"), [
    ("88,6", Decimal("88.6")), ("88.6", Decimal("88.6")), (" 90 ", Decimal(90)),
    ("0,125", Decimal("0.125")), ("88,60", Decimal("88.60")),
])
def test_a_numeric_input_takes_a_decimal_comma_or_point_in_text(value: str,
                                                                  expected: Decimal) -> None:
    nominee = Nominee(id="N-1", name="A", subject="ca_nhan", period=2024,
                      facts={"score_council": value})
    facts = bind_facts(DHTT.model, nominee, Location())
    assert facts["score_council"] == expected
    assert DHTT.binder(nominee.facts) == facts


@pytest.mark.parametrize(("value", "key", "words"), [
    ("1.000", "record.number_ambiguous", "e.g. 1000"),
    ("12,500", "record.number_ambiguous", "may separate thousands"),
    ("88,6,1", "record.fact_type", "expected a number"),
    ("1.000,5", "record.fact_type", "expected a number"),
    ("tám mươi", "record.fact_type", "expected a number"),
])
def test_numbers_in_text_that_are_not_plain_are_refused(value: str, key: str,
                                                        words: str) -> None:
    nominee = Nominee(id="N-1", name="A", subject="ca_nhan", period=2024,
                      facts={"score_council": value})
    with pytest.raises(RecordError) as caught:
        bind_facts(DHTT.model, nominee, Location())
    assert (caught.value.key, caught.value.where.field) == (key, "facts.score_council")
    assert words in caught.value.render("en")
    assert not english_sentences(caught.value.render("vi"))


def test_a_decimal_comma_in_an_integer_input_must_still_be_whole() -> None:
    nominee = Nominee(id="N-1", name="A", subject="ca_nhan", period=2024,
                      facts={"beneficiaries": "12,5"})
    with pytest.raises(RecordError) as caught:
        bind_facts(DHTT.model, nominee, Location())
    assert "expected a whole number" in caught.value.render("en")


# --- YAML nominee files --------------------------------------------------------------------


def test_a_yaml_alias_bomb_fails_fast_with_a_clear_error(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name, previous in zip("bcdefghi", "abcdefgh", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    with pytest.raises(RecordError) as caught:
        list(stream_file(path, choose))
    assert caught.value.key == "yaml.aliases"
    assert caught.value.where.path == str(path)


def test_a_big_yaml_file_is_refused_pointing_to_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * MAX_YAML_BYTES + b"\n")
    with pytest.raises(RecordError) as caught:
        stream_file(path, choose)
    assert caught.value.key == "file.yaml_too_large"
    assert "use JSON Lines (.jsonl" in caught.value.render("en")
    assert "hãy dùng JSON Lines" in caught.value.render("vi")


def test_deep_yaml_nesting_is_a_clear_error(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.yaml", "- " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(RecordError) as caught:
        list(stream_file(path, choose))
    assert caught.value.key in ("yaml.too_deep", "yaml.syntax")


# --- the fast paths agree with the reference ---------------------------------------------


def _sample_records() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted(EXAMPLES.glob("*.json")):
        rows.extend(json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal))
    return rows


@pytest.mark.parametrize("data", _sample_records(), ids=lambda d: d["id"])
def test_the_fast_record_check_builds_what_pydantic_builds(data: dict[str, Any]) -> None:
    fast = parse_nominee(RawRecord(1, Location(), data))
    reference = Nominee.model_validate(data)
    assert fast == reference
    assert fast.model_fields_set == reference.model_fields_set
    assert fast.model_dump() == reference.model_dump()


@pytest.mark.parametrize("rule", LIBRARY.all(), ids=lambda r: f"{r.id}@{r.version}")
def test_each_rules_binder_binds_the_samples_as_bind_facts(rule: Any) -> None:
    for data in _sample_records():
        nominee = Nominee.model_validate(data)
        if nominee.subject != rule.model.subject or not nominee.facts.keys() <= set(
                rule.model.inputs):
            continue
        try:
            expected = bind_facts(rule.model, nominee, Location())
        except RecordError:
            with pytest.raises(RecordError):
                rule.binder(nominee.facts)
            continue
        bound = rule.binder(nominee.facts)
        assert bound == expected
        assert list(bound) == list(expected)
        assert [type(v) for v in bound.values()] == [type(v) for v in expected.values()]


@pytest.mark.parametrize("changes", [
    {"achievements": None}, {"facts": None}, {"unit": 5}, {"period": True}, {"period": 2024.0},
    {"facts": {"rating": [1]}}, {"facts": {1: "x"}},
], ids=str)
def test_records_the_fast_check_leaves_to_pydantic_are_refused_as_pydantic_does(
        changes: dict[str, Any]) -> None:
    data = {**record("N-1"), **changes}
    reference = None
    with contextlib.suppress(ValueError):
        reference = Nominee.model_validate(data)
    try:
        parsed: Nominee | None = parse_nominee(RawRecord(1, Location("f.json", 1), data))
    except RecordError:
        parsed = None
    assert parsed == reference
