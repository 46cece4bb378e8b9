"""Nominee records: what is refused, how the refusal names its record and field, and that
one bad record never costs the rest of the batch.
"""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from criteria_engine.batch import BatchReport, evaluate_file
from criteria_engine.errors import CriteriaError, Location, RecordError
from criteria_engine.library import RuleLibrary
from criteria_engine.nominees import Nominee, bind_facts, coerce_fact, read_nominees
from tests.common import CRITERIA

RULE_ID = "dien-hinh-tien-tien-ca-nhan"
LIBRARY = RuleLibrary.load([CRITERIA])
#: The records below carry 2025.1's facts (the format is under test here, not the law).
RULE = LIBRARY.get(RULE_ID, "2025.1")

FACTS: dict[str, Any] = {
    "rating": "hoan_thanh_xuat_sac", "registered_tasks": 2, "completed_tasks": 2,
    "initiatives_recognized": 1, "beneficiaries": 120, "score_council": 88.5,
    "disciplined": False,
}


def record(record_id: str, **changes: Any) -> dict[str, Any]:
    """A good record for the điển hình rule; ``facts=`` entries are merged, others replace."""
    data: dict[str, Any] = {"id": record_id, "name": "Nguyễn Văn An", "subject": "ca_nhan",
                            "unit": "UBND xã Tân Dĩnh", "period": 2024, "facts": dict(FACTS)}
    data["facts"].update(changes.pop("facts", {}))
    data.update(changes)
    return data


def batch(tmp_path: Path, records: list[Any], *, name: str = "records.json") -> BatchReport:
    path = tmp_path / name
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    return evaluate_file(path, lambda period: LIBRARY.in_force(RULE_ID, period))


def only_problem(report: BatchReport) -> CriteriaError:
    assert len(report.problems) == 1, [p.render("en") for p in report.problems]
    return report.problems[0]


# --- facts that do not fit the rule's declared inputs -------------------------------------

_FACT_FAULTS = [
    pytest.param({"registered_tasks": "hai"}, "record.fact_type", "facts.registered_tasks",
                 "value 'hai' is not valid: expected", "giá trị 'hai' không hợp lệ", id="text"),
    pytest.param({"registered_tasks": 2.5}, "record.fact_type", "facts.registered_tasks",
                 "expected a whole number", "cần một số nguyên", id="fraction-for-integer"),
    pytest.param({"disciplined": "false"}, "record.fact_type", "facts.disciplined",
                 "expected true or false", "cần true hoặc false", id="text-for-boolean"),
    pytest.param({"score_council": True}, "record.fact_type", "facts.score_council",
                 "value True is not valid", "giá trị True không hợp lệ", id="boolean-for-number"),
    pytest.param({"beneficiary": 5}, "record.unknown_fact", "facts.beneficiary",
                 "fact 'beneficiary' is not an input of rule dien-hinh-tien-tien-ca-nhan; "
                 "did you mean 'beneficiaries'?", "có phải ý bạn là 'beneficiaries'?",
                 id="unknown-fact"),
    pytest.param({"rating": "hoan_thanh_xuat_sach"}, "record.enum_value", "facts.rating",
                 "'hoan_thanh_xuat_sach' is not allowed; values: hoan_thanh_xuat_sac, "
                 "hoan_thanh_tot, hoan_thanh, khong_hoan_thanh; did you mean "
                 "'hoan_thanh_xuat_sac'?", "các giá trị: hoan_thanh_xuat_sac", id="enum-value"),
    pytest.param({"score_council": 101}, "record.fact_range", "facts.score_council",
                 "value 101 is outside the allowed range (0 to 100)",
                 "nằm ngoài miền cho phép (0 đến 100)", id="above-max"),
    pytest.param({"beneficiaries": -1}, "record.fact_range", "facts.beneficiaries",
                 "value -1 is outside the allowed range (0 to +∞)", "(0 đến +∞)",
                 id="below-min"),
]


@pytest.mark.parametrize(("facts", "key", "field", "en", "vi"), _FACT_FAULTS)
def test_bad_fact_is_reported_with_record_and_field_and_the_rest_evaluated(
        tmp_path: Path, facts: dict[str, Any], key: str, field: str, en: str, vi: str) -> None:
    report = batch(tmp_path, [record("N-1"), record("N-2", facts=facts), record("N-3")])
    problem = only_problem(report)
    assert isinstance(problem, RecordError)
    assert problem.key == key
    assert (problem.where.record, problem.where.field) == ("N-2 (#2)", field)
    assert problem.where.path == str(tmp_path / "records.json")
    assert en in problem.render("en")
    assert vi in problem.render("vi")
    assert "record N-2 (#2)" in problem.render("en")
    assert "hồ sơ N-2 (#2)" in problem.render("vi")
    assert [d.nominee_id for d in report.decisions] == ["N-1", "N-3"]
    assert report.records == 3


def test_every_problem_of_one_record_is_reported_at_once(tmp_path: Path) -> None:
    report = batch(tmp_path, [record("N-1", subject="tap_the",
                                     facts={"beneficiary": 5, "score_council": 101})])
    problem = only_problem(report)
    problems = [problem, *problem.more]
    assert [(p.key, p.where.field) for p in problems] == [
        ("record.subject", "subject"),
        ("record.unknown_fact", "facts.beneficiary"),
        ("record.fact_range", "facts.score_council"),
    ]
    assert "subject 'tap_the' does not match rule dien-hinh-tien-tien-ca-nhan (which is for " \
           "'ca_nhan')" in problem.render("en")
    assert len(problem.render("en").splitlines()) == 3
    assert report.decisions == []


# --- the record's own fields ------------------------------------------------------------

_RECORD_FAULTS = [
    pytest.param(record("N-2", ten="Nguyễn Văn An"), "N-2 (#2)", "ten", "unknown field",
                 id="unknown-top-level-field"),
    pytest.param({k: v for k, v in record("N-2").items() if k != "id"}, "#2", "id",
                 "required field is missing", id="missing-id"),
    pytest.param(record("N-2", period=2024.0), "N-2 (#2)", "period",
                 "expected a year (whole number)", id="period-not-whole"),
    pytest.param(record("N-2", subject="ca nhan"), "N-2 (#2)", "subject",
                 "value must be 'ca_nhan', 'tap_the' or 'ho_gia_dinh'", id="subject-unknown"),
    pytest.param({**record("N-2"), "facts": [1, 2]}, "N-2 (#2)", "facts",
                 "expected an object (key: value)", id="facts-not-object"),
]


@pytest.mark.parametrize(("data", "label", "field", "words"), _RECORD_FAULTS)
def test_bad_record_field_is_reported_and_the_rest_evaluated(
        tmp_path: Path, data: Any, label: str, field: str, words: str) -> None:
    report = batch(tmp_path, [record("N-1"), data, record("N-3")])
    problem = only_problem(report)
    assert (problem.key, problem.where.record, problem.where.field) == (
        "record.model", label, field)
    assert words in problem.render("en")
    assert [d.nominee_id for d in report.decisions] == ["N-1", "N-3"]


def test_record_that_is_not_an_object(tmp_path: Path) -> None:
    report = batch(tmp_path, [record("N-1"), "N-2"])
    problem = only_problem(report)
    assert (problem.key, problem.where.record) == ("record.not_object", "#2")
    assert len(report.decisions) == 1


def test_duplicate_id_in_a_file_keeps_the_first(tmp_path: Path) -> None:
    report = batch(tmp_path, [record("N-1"), record("N-2"), record("N-1", name="Người khác")])
    problem = only_problem(report)
    assert (problem.key, problem.where.record, problem.where.field) == (
        "record.duplicate_id", "N-1 (#3)", "id")
    assert "record id 'N-1' appears twice (first as record 1)" in problem.render("en")
    assert [d.name for d in report.decisions] == ["Nguyễn Văn An", "Nguyễn Văn An"]


def test_period_without_a_rule_in_force_is_the_records_problem(tmp_path: Path) -> None:
    report = batch(tmp_path, [record("N-1", period=2031), record("N-2")])
    problem = only_problem(report)
    assert (problem.key, problem.where.record) == ("rules.not_in_force", "N-1 (#1)")
    assert [d.nominee_id for d in report.decisions] == ["N-2"]


def test_a_single_record_needs_no_list(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(record("N-1")), encoding="utf-8")
    report = evaluate_file(path, lambda period: RULE)
    assert [(d.nominee_id, d.outcome) for d in report.decisions] == [("N-1", "dat")]


# --- files ------------------------------------------------------------------------------


def test_file_that_is_not_utf8_is_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    data = record("N-1", name="Café")
    del data["unit"]
    path.write_bytes(json.dumps([data], ensure_ascii=False, indent=1).encode("latin-1"))
    with pytest.raises(RecordError) as caught:
        evaluate_file(path, lambda period: RULE)
    assert (caught.value.key, caught.value.where.line) == ("file.not_utf8", 4)
    assert "save it again as UTF-8" in caught.value.render("en")


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"id": "N-1",\n   "name": }\n]\n', encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        evaluate_file(path, lambda period: RULE)
    error = caught.value
    assert (error.key, error.where.line, error.where.column) == ("json.syntax", 3, 12)
    assert error.render("en").startswith(f"{path}:3:12: malformed JSON")
    assert "JSON sai cú pháp" in error.render("vi")


def test_json_lines_with_one_bad_line_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    lines = [json.dumps(record("N-1")), '{"id": "N-2", "name": ', "",
             json.dumps(record("N-3"))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = evaluate_file(path, lambda period: RULE)
    problem = only_problem(report)
    assert (problem.key, problem.where.path, problem.where.line) == ("json.syntax", str(path), 2)
    assert [d.nominee_id for d in report.decisions] == ["N-1", "N-3"]
    assert report.records == 3


def test_json_lines_problem_names_the_line_of_its_record(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    lines = [json.dumps(record("N-1")), json.dumps(record("N-2", facts={"beneficiaries": -3}))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problem = only_problem(evaluate_file(path, lambda period: RULE))
    assert (problem.where.line, problem.where.record, problem.where.field) == (
        2, "N-2 (#2)", "facts.beneficiaries")


def test_yaml_records_are_read_with_exact_numbers_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "records.yaml"
    path.write_text(
        "- id: N-1\n  name: Nguyễn Văn An\n  subject: ca_nhan\n  period: 2024\n  facts:\n"
        "    rating: hoan_thanh_xuat_sac\n    registered_tasks: 20\n    completed_tasks: 19\n"
        "    initiatives_recognized: 0\n    beneficiaries: 50\n    score_council: 85.0\n"
        "    disciplined: false\n"
        "- id: N-2\n  name: Trần Thị Bình\n  subject: ca_nhan\n  period: 2024\n  facts:\n"
        "    rating: xuat_sac\n",
        encoding="utf-8")
    report = evaluate_file(path, lambda period: RULE)
    assert [(d.nominee_id, d.outcome, d.points) for d in report.decisions] == [
        ("N-1", "dat", Decimal(70))]
    assert report.decisions[0].facts["score_council"] == Decimal("85.0")
    problem = only_problem(report)
    assert (problem.key, problem.where.line, problem.where.field) == (
        "record.enum_value", 13, "facts.rating")


def test_unknown_file_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text("id,name\n", encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        read_nominees(path)
    assert caught.value.key == "file.format_unknown"
    assert "use .json, .jsonl, .yaml or .yml" in caught.value.render("en")


def test_nfd_name_is_normalised_to_nfc_with_a_warning(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
    assert nfd != "Nguyễn Văn Đức"
    report = batch(tmp_path, [record("N-1", name=nfd), record("N-2")])
    assert report.problems == []
    assert report.decisions[0].name == "Nguyễn Văn Đức"
    assert [(w.key, w.where.record) for w in report.warnings] == [("file.nfd", "N-1 (#1)")]
    assert "normalised to NFC" in report.warnings[0].render("en")


def test_nfd_hidden_in_json_escapes_is_normalised_too(tmp_path: Path) -> None:
    path = tmp_path / "escaped.json"
    path.write_text(json.dumps([record("N-1", name=unicodedata.normalize("NFD", "Đỗ Thị Hà"))],
                               ensure_ascii=True), encoding="utf-8")
    report = evaluate_file(path, lambda period: RULE)
    assert report.decisions[0].name == "Đỗ Thị Hà"
    assert [w.key for w in report.warnings] == ["file.nfd"]


# --- the Python API ---------------------------------------------------------------------


def test_float_passed_through_the_api_is_refused() -> None:
    nominee = Nominee(id="N-1", name="Nguyễn Văn An", subject="ca_nhan", period=2024,
                      facts={**FACTS, "score_council": 88.5})
    with pytest.raises(RecordError) as caught:
        bind_facts(RULE.model, nominee, Location(record="N-1"))
    assert (caught.value.key, caught.value.where.field) == ("record.fact_type",
                                                            "facts.score_council")


def test_exact_numbers_through_the_api_are_kept() -> None:
    nominee = Nominee(id="N-1", name="Nguyễn Văn An", subject="ca_nhan", period=2024,
                      facts={**FACTS, "score_council": Decimal("88.5")})
    facts = bind_facts(RULE.model, nominee, Location(record="N-1"))
    assert facts["score_council"] == Decimal("88.5")
    assert facts["registered_tasks"] == Decimal(2)
    assert set(facts) == set(RULE.model.inputs)


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("registered_tasks", 3, Decimal(3)),
    ("registered_tasks", Decimal("3.0"), Decimal(3)),
    ("score_council", Decimal("0"), Decimal(0)),
    ("disciplined", True, True),
    ("rating", "hoan_thanh", "hoan_thanh"),
    ("rating", None, None),
])
def test_coerce_fact_accepts_exact_values(name: str, value: Any, expected: Any) -> None:
    assert coerce_fact(RULE.model.inputs[name], value) == expected


@pytest.mark.parametrize(("name", "value"), [
    ("registered_tasks", 3.0),
    ("registered_tasks", Decimal("NaN")),
    ("score_council", Decimal("Infinity")),
    ("disciplined", 1),
    ("rating", 1),
])
def test_coerce_fact_refuses_inexact_or_ill_typed_values(name: str, value: Any) -> None:
    with pytest.raises(RecordError):
        coerce_fact(RULE.model.inputs[name], value)


def test_nfd_in_json_lines_warns_for_its_record_only(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    lines = [json.dumps(record("N-1"), ensure_ascii=False),
             json.dumps(record("N-2", name=unicodedata.normalize("NFD", "Lò Văn Thắng")),
                        ensure_ascii=False)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = evaluate_file(path, lambda period: RULE)
    assert [d.name for d in report.decisions] == ["Nguyễn Văn An", "Lò Văn Thắng"]
    assert [(w.where.record, w.where.line) for w in report.warnings] == [("N-2 (#2)", 2)]


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_number_past_pythons_digit_limit_refuses_its_record_only(tmp_path: Path,
                                                                 suffix: str) -> None:
    path = tmp_path / f"huge{suffix}"
    huge = json.dumps(record("N-2")).replace('"beneficiaries": 120',
                                             '"beneficiaries": ' + "9" * 5000)
    good = json.dumps(record("N-1"))
    path.write_text(f"[{good},\n{huge}]" if suffix == ".json" else f"{good}\n{huge}\n",
                    encoding="utf-8")
    report = evaluate_file(path, lambda period: RULE)
    problem = only_problem(report)
    assert (problem.key, problem.where.line, problem.where.record, problem.where.field) == (
        "record.number_too_long", 2, "N-2 (#2)", "facts.beneficiaries")
    assert "a number of 5000 digits is too long to read (at most 4300)" in problem.render("en")
    assert "số có 5000 chữ số, quá dài để đọc" in problem.render("vi")
    assert [d.nominee_id for d in report.decisions] == ["N-1"]
