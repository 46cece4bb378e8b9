"""What each audit event says, exactly as it is hashed.

A ``recorded`` event names the whole decision: nominee, period, rule sha256,
outcome, points, engine version, and the sha256 of two canonical texts kept in
their own rows: the submitted facts and the per-criterion results (a Merkle-style
link: the event stays small, and editing either changes the event's hash). An
``overridden`` or ``annotated`` event names the decision by id and key and carries
the actor's reason (and the new outcome).
Each event's hash is ``sha256(previous hash + "\n" + canonical_json(event))``, so
an inspector can check an export with a few lines of code::

    previous = "0" * 64
    for line in open("audit.jsonl"):
        row = json.loads(line)
        assert row["prev_hash"] == previous
        previous = sha256(f"{previous}\n{canonical_json(row['event'])}")
        assert previous == row["hash"]
        if row["event"]["kind"] == "recorded":
            decision = row["event"]["decision"]
            assert sha256(canonical_json(row["facts"])) == decision["facts_sha256"]
            # … and the same for "criteria"
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from criteria_engine.evaluator import Decision
from criteria_engine.store._canonical import canonical_json, chain_hash, sha256_text

__all__ = ["criteria_content", "decision_content", "event_content", "event_hash",
           "idempotency_key", "part_sha256"]


def criteria_content(decision: Decision) -> list[dict[str, Any]]:
    """Each criterion's result and the points it earned (``null`` for a gate)."""
    return [{"id": r.id, "result": r.result, "points": r.points} for r in decision.criteria]


def idempotency_key(nominee_id: str, period: int, rule_sha256: str, facts_sha256: str) -> str:
    """The same nominee, period, rule bytes and facts are recorded once, however often run."""
    return sha256_text(canonical_json([nominee_id, period, rule_sha256, facts_sha256]))


def part_sha256(value: Any) -> str:
    """The sha256 by which an event names its facts or its criteria."""
    return sha256_text(canonical_json(value))


def decision_content(*, decision_id: int, key: str, nominee_id: str, subject: str, period: int,
                     name: str | None, unit: str | None, submission_id: int,
                     facts_sha256: str, rule_sha256: str, outcome: str, points: Decimal,
                     criteria_sha256: str, engine_version: str, run_id: int,
                     recorded_at: str) -> dict[str, Any]:
    """A recorded decision as its event names it: facts and criteria by sha256."""
    return {
        "id": decision_id, "key": key, "nominee_id": nominee_id, "subject": subject,
        "period": period, "name": name, "unit": unit, "submission_id": submission_id,
        "facts_sha256": facts_sha256, "rule_sha256": rule_sha256, "outcome": outcome,
        "points": points, "criteria_sha256": criteria_sha256,
        "engine_version": engine_version, "run_id": run_id, "recorded_at": recorded_at,
    }


def event_content(*, event_id: int, kind: str, decision_id: int, decision: Mapping[str, Any],
                  run_id: int | None, actor: str, at: str, outcome: str | None,
                  reason: str | None) -> dict[str, Any]:
    return {
        "id": event_id, "kind": kind, "decision_id": decision_id, "decision": decision,
        "run_id": run_id, "actor": actor, "at": at, "outcome": outcome, "reason": reason,
    }


def event_hash(previous: str, event: Mapping[str, Any]) -> str:
    return chain_hash(previous, canonical_json(event))
