"""The hashed text is canonical, and the fast recording encoders write exactly that text."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from criteria_engine.store import canonical_json
from criteria_engine.store._canonical import parse_json, sha256_text, typed_facts
from criteria_engine.store._chain import (
    criteria_content,
    decision_content,
    event_content,
    idempotency_key,
    part_sha256,
)
from criteria_engine.store._encode import (
    DECISION_FIELDS,
    EVENT_FIELDS,
    RecordedEvents,
    RuleEncoder,
    facts_text,
    fragment,
    key_text,
)
from tests.store.conftest import EXAMPLE_RULES, report_for
from tests.store.writer import batch

names = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), texts,
    st.decimals(allow_nan=False, allow_infinity=False, places=None),
)


def test_canonical_json_sorts_keys_keeps_decimals_exact_and_text_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Lường Thị Hương")
    assert canonical_json({"b": Decimal("0.950"), "a": [True, None, decomposed]}) == \
        '{"a":[true,null,"Lường Thị Hương"],"b":"0.950"}'


@given(st.dictionaries(names, scalars, max_size=8))
def test_facts_text_is_canonical_and_reads_back_exactly(facts: dict[str, Any]) -> None:
    text = facts_text(facts)
    assert text == canonical_json(facts)
    numeric = {name for name, value in facts.items() if isinstance(value, Decimal)}
    back = typed_facts(parse_json(text), numeric)
    for name, value in facts.items():
        expected = unicodedata.normalize("NFC", value) if isinstance(value, str) else value
        assert back[unicodedata.normalize("NFC", name)] == expected
        if isinstance(value, Decimal):
            assert str(back[name]) == str(value)


@given(scalars)
def test_fragments_equal_canonical_json(value: Any) -> None:
    assert fragment(value) == canonical_json(value)


def _decisions() -> list[Any]:
    found = [d for name in EXAMPLE_RULES for d in report_for(name).decisions]
    found += batch("X", 20)[0]
    return found


def test_criteria_text_equals_the_generic_encoder() -> None:
    encoders: dict[int, RuleEncoder] = {}
    for decision in _decisions() * 2:  # the second time from the cache
        encoder = encoders.setdefault(id(decision.rule), RuleEncoder(decision.rule))
        text, digest = encoder.criteria_text(decision)
        assert text == canonical_json(criteria_content(decision))
        assert digest == sha256_text(text)


def test_event_text_equals_the_generic_encoder() -> None:
    criteria = [{"id": "c", "points": None, "result": "pass"}]
    content = decision_content(
        decision_id=7, key="k", nominee_id="Lê Văn Á", subject="ca_nhan", period=2024,
        name=None, unit="Xã \"Đông\" 100%", submission_id=3,
        facts_sha256=part_sha256({"a": Decimal("1.50"), "b": 2}), rule_sha256="r",
        outcome="dat", points=Decimal("10"), criteria_sha256=part_sha256(criteria),
        engine_version="0.1.0", run_id=2, recorded_at="2024-01-01T00:00:00.000000Z")
    assert sorted(content) == list(DECISION_FIELDS)
    event = event_content(event_id=9, kind="recorded", decision_id=7, decision=content,
                          run_id=2, actor="lan %s", at="2024-01-01T00:00:00.000000Z",
                          outcome=None, reason=None)
    assert sorted(event) == list(EVENT_FIELDS)
    generic = canonical_json(event)
    parts = {**content, "decision_id": 7, "event_id": 9}
    text = RecordedEvents(actor="lan %s", at="2024-01-01T00:00:00.000000Z", run_id=2).text
    assert text(*(fragment(parts[name]) if name in ("engine_version", "name", "nominee_id",
                                                    "subject", "unit") else
                  (parts[name] if name not in ("points",) else str(parts[name]))
                  for name in RecordedEvents.ORDER)) == generic


@given(texts, st.integers(1945, 2200))
def test_idempotency_key_text(nominee: str, period: int) -> None:
    assert sha256_text(key_text(nominee, period, "r", "f")) == \
        idempotency_key(nominee, period, "r", "f")
