"""Fast encoders for the recording hot path, byte-for-byte equal to :func:`canonical_json`.

Recording 100 000 decisions means 100 000 facts texts, criteria texts and event
texts. The generic :func:`canonical_json` walks Python objects and calls a hook per
decimal; here the same texts are assembled from fragments and ``%``-templates made
once: facts are flat, so one loop writes them; a rule's criterion results are shared
objects (see :mod:`criteria_engine.evaluator`), so a decision's criteria text is made
once per combination of results; an event's template holds everything constant in
the batch. ``verify`` recomputes every hash with the generic encoder and the tests
compare the two (also under hypothesis), so a divergence cannot go unnoticed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any

from criteria_engine.evaluator import CompiledRule, Decision
from criteria_engine.store._canonical import canonical_json, sha256_text

__all__ = ["DECISION_FIELDS", "EVENT_FIELDS", "RecordedEvents", "RuleEncoder", "facts_text",
           "fragment", "key_text"]

#: JSON string literal with non-ASCII kept, as ``json.dumps(text, ensure_ascii=False)``.
_string: Callable[[str], str] = encode_basestring
_KEYS: dict[str, str] = {}


def _text(value: str) -> str:
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return _string(value)


def _decimal(value: Decimal) -> str:
    return '"' + str(value) + '"'


def _key(name: str) -> str:
    """``"name":`` (cached: the same few fact names come back in every record)."""
    text = _KEYS.get(name)
    if text is None:
        text = _string(name) + ":"
        if len(_KEYS) < 10_000:
            _KEYS[name] = text
    return text


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _none(_value: None) -> str:
    return "null"


def _list(value: list[Any]) -> str:
    """A list of fragments (claims, uses: short lists of texts and numbers)."""
    return "[" + ",".join(map(fragment, value)) + "]"


_FRAGMENT: dict[type, Callable[[Any], str]] = {
    str: _text, int: str, Decimal: _decimal, bool: _bool, type(None): _none, list: _list,
}


def fragment(value: Any) -> str:
    """The canonical JSON of one value (a decimal becomes its exact string)."""
    encode = _FRAGMENT.get(type(value))
    return encode(value) if encode is not None else canonical_json(value)


#: Keys of a recorded decision and of an event, in canonical (sorted) order (second form).
DECISION_FIELDS = ("claims", "content_key", "correction", "criteria_sha256", "engine_version",
                   "facts_sha256", "id", "key", "name", "nominee_id", "outcome", "period",
                   "points", "recorded_at", "rule_sha256", "run_id", "subject",
                   "submission_id", "submission_sha256", "supersedes", "unit", "uses")
EVENT_FIELDS = ("actor", "at", "decision", "decision_id", "form", "id", "kind", "outcome",
                "reason", "run_id", "run_sha256")


class RecordedEvents:
    """Per batch: the canonical text of each ``recorded`` event (second form) from the
    parts that vary.

    The batch's actor, time, run and run sha256 are written into one ``%``-template once;
    hashes, outcome and points go between quotes the template already has (they never need
    escaping), numbers through ``%d``, texts and lists as :func:`fragment` s. The result
    equals ``canonical_json(event_content(…, decision=decision_content(…, second=…),
    form=2, run_sha256=…))``; :data:`PARTS` names what :meth:`text` takes.
    """

    #: The keys of the mapping :meth:`text` takes (``context_sha256`` only with context).
    PARTS = ("claims", "content_key", "correction", "criteria_sha256", "engine_version",
             "facts_sha256", "id", "key", "name", "nominee_id", "outcome", "period", "points",
             "rule_sha256", "subject", "submission_id", "submission_sha256", "supersedes",
             "unit", "uses", "decision_id", "event_id")

    def __init__(self, *, actor: str, at: str, run_id: int, run_sha256: str,
                 context: bool = False) -> None:
        def constant(value: Any) -> str:
            return fragment(value).replace("%", "%%")

        def quoted(name: str) -> str:
            return f'"%({name})s"'

        def text(name: str) -> str:
            return f"%({name})s"

        def number(name: str) -> str:
            return f"%({name})d"

        decision = {
            "claims": text("claims"), "content_key": quoted("content_key"),
            "correction": text("correction"), "criteria_sha256": quoted("criteria_sha256"),
            "engine_version": text("engine_version"), "facts_sha256": quoted("facts_sha256"),
            "id": number("id"), "key": quoted("key"), "name": text("name"),
            "nominee_id": text("nominee_id"), "outcome": quoted("outcome"),
            "period": number("period"), "points": quoted("points"),
            "recorded_at": constant(at), "rule_sha256": quoted("rule_sha256"),
            "run_id": constant(run_id), "subject": text("subject"),
            "submission_id": number("submission_id"),
            "submission_sha256": quoted("submission_sha256"),
            "supersedes": text("supersedes"), "unit": text("unit"), "uses": text("uses"),
        }
        assert sorted(decision) == list(DECISION_FIELDS)
        if context:  # a decision with derived values or a cap placement names its context
            decision["context_sha256"] = quoted("context_sha256")
        event = {
            "actor": constant(actor), "at": constant(at), "decision": _compose(decision),
            "decision_id": number("decision_id"), "form": "2", "id": number("event_id"),
            "kind": '"recorded"', "outcome": "null", "reason": "null",
            "run_id": constant(run_id), "run_sha256": constant(run_sha256),
        }
        assert sorted(event) == list(EVENT_FIELDS)
        self.template = _compose(event)

    def text(self, parts: Mapping[str, Any]) -> str:
        """The event's text from :data:`PARTS` (texts and lists already as fragments)."""
        return self.template % parts


def _compose(fields: Mapping[str, str]) -> str:
    return "{" + ",".join(f"{_string(name)}:{fields[name]}" for name in sorted(fields)) + "}"


def key_text(nominee_id: str, period: int, rule_sha256: str, facts_sha256: str) -> str:
    """``canonical_json([nominee_id, period, rule_sha256, facts_sha256])``."""
    return f'[{fragment(nominee_id)},{period},"{rule_sha256}","{facts_sha256}"]'


def facts_text(facts: Mapping[str, Any]) -> str:
    """``canonical_json(facts)`` for flat facts (scalars), falling back to it otherwise."""
    parts: list[str] = []
    add = parts.append
    keys = _KEYS
    for name in sorted(facts):
        value = facts[name]
        kind = type(value)
        # The usual kinds inline (this runs for every fact of every decision recorded).
        if kind is Decimal:
            text = '"' + str(value) + '"'
        elif kind is int:
            text = str(value)
        elif kind is bool:
            text = "true" if value else "false"
        elif kind is str:
            text = _text(value)
        elif value is None:
            text = "null"
        else:
            return canonical_json(facts)
        add((keys.get(name) or _key(name)) + text)
    text = "{" + ",".join(parts) + "}"
    if unicodedata.is_normalized("NFC", text):
        return text
    return canonical_json(facts)


class RuleEncoder:
    """Per rule: a decision's criteria text, as ``canonical_json(criteria_content(d))``.

    A rule's criterion results are shared objects, so a decision's criteria text depends
    only on which of them it holds; texts are cached by their identities (the cache keeps
    the objects alive, so an identity is never reused while it is a key).
    """

    #: Distinct result combinations remembered per rule.
    CACHE = 16_384

    def __init__(self, rule: CompiledRule) -> None:
        self.rule = rule
        self.sha256 = rule.sha256
        rewards = rule.model.achievements
        #: The rank of the achievements this rule rewards (0 when it rewards none).
        self.rank = rewards.rank if rewards else 0
        self._parts: dict[tuple[str, str, Decimal | None], str] = {}
        self._texts: dict[tuple[int, ...], tuple[tuple[Any, ...], str, str]] = {}

    def criteria_text(self, decision: Decision) -> tuple[str, str]:
        """(canonical text, its sha256) of the decision's per-criterion results."""
        results = decision.criteria
        key = tuple(map(id, results))
        if decision.deferral:
            key += tuple(map(id, decision.deferral))
        cached = self._texts.get(key)
        if cached is not None:
            return cached[1], cached[2]
        parts = [f'{{"deferral":true,"id":{fragment(d.id)},"points":null,'
                 f'"result":{fragment(d.result)}}}' for d in decision.deferral]
        for result in results:
            marker = (result.id, result.result, result.points)
            part = self._parts.get(marker)
            if part is None:
                part = self._parts[marker] = (
                    f'{{"id":{fragment(result.id)},"points":{fragment(result.points)},'
                    f'"result":{fragment(result.result)}}}')
            parts.append(part)
        text = "[" + ",".join(parts) + "]"
        digest = sha256_text(text)
        if len(self._texts) < self.CACHE:
            self._texts[key] = ((*results, *decision.deferral), text, digest)
        return text, digest
