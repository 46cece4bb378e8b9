"""The hashed text is canonical, and the fast recording encoders write exactly that text."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from criteria_engine.store import canonical_json
from criteria_engine.store._canonical import parse_json, sha256_text, typed_facts
from criteria_engine.store._chain import (
    SecondForm,
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
from criteria_engine.store._keys import content_key, content_text, typed_number
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


def _fast_parts(content: dict[str, Any], *, decision_id: int, event_id: int) -> dict[str, Any]:
    """The parts :class:`RecordedEvents` takes, as the recorder hands them over: texts,
    lists and nulls as fragments, hashes and numbers bare."""
    fragments = ("engine_version", "name", "nominee_id", "subject", "unit", "claims", "uses",
                 "correction", "supersedes")
    parts = {name: fragment(content[name]) if name in fragments else
             (str(content[name]) if name == "points" else content[name])
             for name in RecordedEvents.PARTS if name in content}
    return {**parts, "decision_id": decision_id, "event_id": event_id,
            **({"context_sha256": content["context_sha256"]}
               if "context_sha256" in content else {})}


@given(name=st.none() | texts, unit=st.none() | texts, claims=st.lists(texts, max_size=3),
       supersedes=st.none() | st.integers(1, 10**9),
       correction=st.none() | st.lists(st.sampled_from(["facts", "name", "unit"]),
                                       min_size=1, max_size=3, unique=True),
       context=st.booleans())
def test_event_text_equals_the_generic_encoder(name: str | None, unit: str | None,
                                               claims: list[str], supersedes: int | None,
                                               correction: list[str] | None,
                                               context: bool) -> None:
    """The recorder's template gives, byte for byte, what verify recomputes generically,
    for any names, claims, corrections and with or without a context."""
    criteria = [{"id": "c", "points": None, "result": "pass"}]
    second = SecondForm(content_key="c" * 64, supersedes=supersedes, correction=correction,
                        claims=sorted(claims), uses=[[c, 2] for c in sorted(claims)[:1]],
                        submission_sha256="s" * 64)
    content = decision_content(
        decision_id=7, key="k", nominee_id="Lê Văn Á", subject="ca_nhan", period=2024,
        name=name, unit=unit, submission_id=3,
        facts_sha256=part_sha256({"a": Decimal("1.50"), "b": 2}), rule_sha256="r",
        outcome="dat", points=Decimal("10"), criteria_sha256=part_sha256(criteria),
        engine_version="0.1.0", run_id=2, recorded_at="2024-01-01T00:00:00.000000Z",
        context_sha256="x" * 64 if context else None, second=second)
    assert sorted(set(content) - {"context_sha256"}) == list(DECISION_FIELDS)
    event = event_content(event_id=9, kind="recorded", decision_id=7, decision=content,
                          run_id=2, actor="lan %s", at="2024-01-01T00:00:00.000000Z",
                          outcome=None, reason=None, form=2, run_sha256="u" * 64)
    assert sorted(event) == list(EVENT_FIELDS)
    fast = RecordedEvents(actor="lan %s", at="2024-01-01T00:00:00.000000Z", run_id=2,
                          run_sha256="u" * 64, context=context)
    assert fast.text(_fast_parts(content, decision_id=7, event_id=9)) == canonical_json(event)


@given(texts, st.integers(1945, 2200))
def test_idempotency_key_text(nominee: str, period: int) -> None:
    assert sha256_text(key_text(nominee, period, "r", "f")) == \
        idempotency_key(nominee, period, "r", "f")


numbers = st.decimals(allow_nan=False, allow_infinity=False, places=3,
                      min_value=-10**6, max_value=10**6) | st.integers(-10**6, 10**6)


@given(facts=st.dictionaries(names, scalars | numbers, max_size=6),
       claims=st.lists(texts, max_size=3), name=st.none() | texts, unit=st.none() | texts,
       nominee=texts, period=st.integers(1945, 2200))
def test_the_content_key_is_the_sha256_of_its_canonical_text(
        facts: dict[str, Any], claims: list[str], name: str | None, unit: str | None,
        nominee: str, period: int) -> None:
    """The content key assembled from fragments is the sha256 of the generic canonical
    text: anyone can recompute it from the README's recipe."""
    fields = {"nominee_id": nominee, "period": period, "rule_sha256": "r" * 64,
              "facts": facts, "name": name, "unit": unit, "subject": "ca_nhan",
              "claims": claims}
    assert content_key(**fields) == sha256_text(content_text(**fields))


@given(st.decimals(allow_nan=False, allow_infinity=False), st.integers(0, 4))
def test_a_number_has_one_spelling_in_the_content_key(value: Decimal, zeros: int) -> None:
    """88.5 and 88.50 (any trailing zeros, any exponent) are one number."""
    padded = Decimal(f"{value:f}" + ("0" * zeros if "." in f"{value:f}" else ""))
    assert typed_number(padded) == typed_number(value)
    assert Decimal(typed_number(value)) == value


@given(name=st.none() | texts, unit=st.none() | texts, nominee=texts,
       period=st.integers(1945, 2200), ids=st.integers(1, 2**62))
def test_the_submission_text_equals_the_generic_encoder(name: str | None, unit: str | None,
                                                       nominee: str, period: int,
                                                       ids: int) -> None:
    """What a second-form event names a submission by, as the recorder and verify's fast
    path assemble it, is the canonical JSON of the row's content."""
    from types import SimpleNamespace

    from criteria_engine.store._canonical import utc_text
    from criteria_engine.store._chain import submission_content, submission_text

    moment = datetime(2025, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)
    row = SimpleNamespace(id=ids, nominee_id=nominee, period=period, name=name, unit=unit,
                          facts_sha256="f" * 64, run_id=ids // 2 + 1, submitted_at=moment)
    assert submission_text(submission_id=ids, nominee_id=nominee, period=period, name=name,
                           unit=unit, facts_sha256="f" * 64, run_id=ids // 2 + 1,
                           submitted_at=utc_text(moment)) == canonical_json(
        submission_content(row))
