"""Properties of the nominee record reader: whatever the bytes, only :class:`RecordError`
(a user's mistake, reported) comes out, quickly; and the fast paths give exactly what
the reference (pydantic and ``bind_facts``) gives.
"""

from __future__ import annotations

import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from criteria_engine.batch import Judged, Problem, stream_file
from criteria_engine.errors import CriteriaError, Location, RecordError
from criteria_engine.library import RuleLibrary
from criteria_engine.nominees import Nominee, RawRecord, bind_facts, parse_nominee
from tests.common import CRITERIA
from tests.property.strategies import json_values, nominee_records

LIBRARY = RuleLibrary.load([CRITERIA])
LDTT = LIBRARY.get("lao-dong-tien-tien")
DHTT = LIBRARY.get("dien-hinh-tien-tien-ca-nhan")
#: Each example must finish well within this (milliseconds): the reader never hangs on
#: hostile input (an alias bomb, deep nesting, a huge number).
DEADLINE_MS = 2000


def _judge_all(data: bytes, suffix: str) -> None:
    """Read ``data`` as a nominee file; the only exception allowed is RecordError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"records{suffix}"
        path.write_bytes(data)
        try:
            for item in stream_file(path, lambda period: LDTT):
                assert isinstance(item, Judged | Problem)
                if isinstance(item, Problem):
                    assert isinstance(item.error, CriteriaError)
                    item.error.render("vi")
                    item.error.render("en")
        except RecordError as exc:
            exc.render("vi")
            exc.render("en")


_SUFFIXES = st.sampled_from([".json", ".jsonl", ".yaml"])


@settings(deadline=DEADLINE_MS, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400), suffix=_SUFFIXES)
def test_random_bytes_give_only_record_errors(data: bytes, suffix: str) -> None:
    _judge_all(data, suffix)


@settings(deadline=DEADLINE_MS, suppress_health_check=[HealthCheck.too_slow])
@given(value=json_values(), suffix=_SUFFIXES, cut=st.integers(0, 40))
def test_random_json_and_yaml_structures_give_only_record_errors(value: Any, suffix: str,
                                                                 cut: int) -> None:
    text = json.dumps(value, ensure_ascii=False, default=str)
    if suffix == ".jsonl" and isinstance(value, list):
        text = "\n".join(json.dumps(item, ensure_ascii=False, default=str) for item in value)
    _judge_all(text.encode(), suffix)
    _judge_all(text[:len(text) - cut].encode(), suffix)


@settings(deadline=DEADLINE_MS, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(nominee_records(), max_size=5), suffix=_SUFFIXES)
def test_near_records_give_only_record_errors(records: list[dict[str, Any]],
                                              suffix: str) -> None:
    if suffix == ".jsonl":
        text = "\n".join(json.dumps(r, ensure_ascii=False, default=str) for r in records)
    else:
        text = json.dumps(records, ensure_ascii=False, default=str)
    _judge_all(text.encode(), suffix)


@settings(deadline=DEADLINE_MS, suppress_health_check=[HealthCheck.too_slow])
@given(depth=st.integers(1, 3000), width=st.integers(1, 3), kind=st.sampled_from("[{"))
def test_any_nesting_depth_gives_only_record_errors(depth: int, width: int, kind: str) -> None:
    opening, closing = ("[", "]") if kind == "[" else ('{"a":', "}")
    inner = opening * depth + "1" + closing * depth
    _judge_all(("[" + ",".join([inner] * width) + "]").encode(), ".json")


def _reference(data: Any) -> Nominee | None:
    try:
        return Nominee.model_validate(data)
    except ValidationError:
        return None


@given(data=nominee_records())
def test_the_fast_record_check_agrees_with_pydantic(data: dict[str, Any]) -> None:
    """Exactly the records pydantic accepts are accepted, as the same objects."""
    raw = RawRecord(1, Location("f.json", 1), json.loads(json.dumps(data, default=str),
                                                         parse_float=Decimal))
    reference = _reference(raw.data)
    try:
        nominee = parse_nominee(raw)
    except RecordError:
        assert reference is None
        return
    assert nominee == reference
    assert reference is not None and nominee.model_fields_set == reference.model_fields_set


_FACT_VALUES = (st.none() | st.booleans() | st.integers(-5, 200)
                | st.decimals(-5, 200, places=3) | st.decimals(allow_nan=True)
                | st.sampled_from(["88,6", "88.6", "1.000", "hoan_thanh_tot", "xuat_sac", "12",
                                   " 7 ", "x"]) | st.floats(0, 100))


@given(facts=st.dictionaries(st.sampled_from(sorted(DHTT.model.inputs)), _FACT_VALUES))
def test_the_compiled_binder_agrees_with_bind_facts(facts: dict[str, Any]) -> None:
    """Same bound values (and types), or both refuse."""
    nominee = Nominee(id="N-1", name="A", subject="ca_nhan", period=2024, facts=facts)
    try:
        expected = bind_facts(DHTT.model, nominee, Location())
    except RecordError:
        try:
            DHTT.binder(facts)
        except RecordError:
            return
        raise AssertionError("the binder accepted facts bind_facts refuses") from None
    bound = DHTT.binder(facts)
    assert bound == expected
    assert [type(v) for v in bound.values()] == [type(v) for v in expected.values()]
    assert [str(v) for v in bound.values()] == [str(v) for v in expected.values()]
