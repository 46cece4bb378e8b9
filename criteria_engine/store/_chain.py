"""What each audit event says, exactly as it is hashed.

A ``recorded`` event names the whole decision: nominee, period, rule sha256,
outcome, points, engine version, and the sha256 of two canonical texts kept in
their own rows: the submitted facts and the per-criterion results (a Merkle-style
link: the event stays small, and editing either changes the event's hash). An
``overridden`` or ``annotated`` event names the decision by id and key and carries
the actor's reason (and the new outcome).

A decision that saw something outside its record (derived values, a cap placement) is
named with one more sha256, ``context_sha256``, of its canonical context text (see
:mod:`._context`); a decision without one has no such key, so every event written before
it existed hashes as it always did.

From revision 0006 every event is of the **second form**: it has ``"form": 2`` and, when it
belongs to a run, ``run_sha256``, the sha256 of the canonical run row (:func:`run_content`:
who ran which command, when, with what counts), so ``audit show`` prints no run detail the
chain does not vouch for. A ``recorded`` event of the second form also names (see
:class:`SecondForm` and :mod:`._keys`) the decision's ``content_key`` (typed facts, names,
claims, rule), the decision it ``supersedes`` and the ``correction`` (what changed), the
achievements it ``claims`` and those it ``uses`` with their rank (so ``achievement_uses`` is
rebuilt from the chain), and ``submission_sha256`` (:func:`submission_content`). Its ``key``
is ``sha256(canonical_json([content_key, supersedes]))``. An event of the first form (NULL
``form``) hashes as it always did.

A ``history_imported`` event stands for one import of title history (``tdkt history
import``): ``decision_id`` and ``decision`` are null, ``run_id`` is the import's run, and
``history`` is ``{"rows", "rows_sha256"}``: how many rows the import added and the sha256
of the canonical JSON list of those rows (:func:`history_row_content`, in id order). A
row changed, added to or taken from an import changes that sha256, so the event's hash no
longer matches; a row of a run no event names is reported on its own.
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
            # … and the same for "criteria" (and "context" when the event names one)
        if row["event"]["kind"] == "history_imported":
            assert sha256(canonical_json(row["history"])) == row["event"]["history"][
                "rows_sha256"]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from criteria_engine.characters import NOT_UTF8, unsafe_character
from criteria_engine.errors import StoreUsageError
from criteria_engine.evaluator import Decision
from criteria_engine.messages import both
from criteria_engine.store._canonical import canonical_json, chain_hash, sha256_text, utc_text
from criteria_engine.store._encode import fragment

__all__ = ["HISTORY_COLUMNS", "HISTORY_EVENT", "SECOND_FORM", "SecondForm", "check_event_text",
           "criteria_content", "decision_content", "event_content", "event_hash",
           "history_key", "history_row_content", "idempotency_key", "part_sha256",
           "run_content", "submission_content", "submission_text"]

#: The kind of the event that puts an import of title history in the chain.
HISTORY_EVENT = "history_imported"
#: The columns of ``title_history``, in insert order (each one hashed).
HISTORY_COLUMNS = ("id", "key", "subject", "kind", "title", "period", "decision_number",
                   "decided_on", "issuer_level", "achievement", "level", "ends", "source_name",
                   "run_id", "recorded_at", "actor")


def check_event_text(value: str, field: str, *, newlines: bool = False) -> None:
    """Refuse an actor, note or reason that could make the audit log display misleadingly.

    An event is hashed forever, so its text is checked before it is written: no
    bytes that were not UTF-8, no control, bidirectional or zero-width characters
    (``newlines`` allows line breaks in notes and reasons; a name has none). ``field``
    is ``actor``, ``note`` or ``reason``. Raises :class:`StoreUsageError`.
    """
    found = unsafe_character(value, newlines=newlines)
    if found is None:
        return
    name = both(f"store.field.{field}")
    if found == NOT_UTF8:
        raise StoreUsageError("store.text_not_utf8", field=name)
    position = next(i for i, char in enumerate(value, 1) if f"U+{ord(char):04X}" == found)
    raise StoreUsageError("store.text_character", field=name, char=found, position=position)


def criteria_content(decision: Decision) -> list[dict[str, Any]]:
    """Each criterion's result and the points it earned (``null`` for a gate), after the
    rule's deferral conditions, if it has any, each as
    ``{"deferral": true, "id", "points": null, "result": "holds"|"clear"|"missing"}``.

    A rule without deferral gives the same text as before deferral existed, so every
    decision stored earlier hashes and replays unchanged.
    """
    deferral: list[dict[str, Any]] = [
        {"deferral": True, "id": r.id, "result": r.result, "points": None}
        for r in decision.deferral]
    return [*deferral,
            *({"id": r.id, "result": r.result, "points": r.points} for r in decision.criteria)]


def idempotency_key(nominee_id: str, period: int, rule_sha256: str, facts_sha256: str) -> str:
    """The same nominee, period, rule bytes and facts are recorded once, however often run."""
    return sha256_text(canonical_json([nominee_id, period, rule_sha256, facts_sha256]))


def part_sha256(value: Any) -> str:
    """The sha256 by which an event names its facts or its criteria."""
    return sha256_text(canonical_json(value))


@dataclass(frozen=True, slots=True)
class SecondForm:
    """What a decision of the second form (revision 0006) adds to its ``recorded`` event:
    its content key and the decision it supersedes with what the correction changed
    (:mod:`._keys`), the achievements claimed and those it rewards with their ranks (so
    ``verify`` rebuilds ``achievement_uses`` from the chain), and the sha256 of its
    submission's row (:func:`submission_content`)."""

    content_key: str
    supersedes: int | None
    correction: list[str] | None
    claims: list[str]
    uses: list[list[Any]]
    submission_sha256: str

    def fields(self) -> dict[str, Any]:
        return {"content_key": self.content_key, "supersedes": self.supersedes,
                "correction": self.correction, "claims": self.claims, "uses": self.uses,
                "submission_sha256": self.submission_sha256}


def decision_content(*, decision_id: int, key: str, nominee_id: str, subject: str, period: int,
                     name: str | None, unit: str | None, submission_id: int,
                     facts_sha256: str, rule_sha256: str, outcome: str, points: Decimal,
                     criteria_sha256: str, engine_version: str, run_id: int,
                     recorded_at: str, context_sha256: str | None = None,
                     second: SecondForm | None = None) -> dict[str, Any]:
    """A recorded decision as its event names it: facts and criteria (and its context,
    when it has one) by sha256; a decision of the second form adds :class:`SecondForm`."""
    content = {
        "id": decision_id, "key": key, "nominee_id": nominee_id, "subject": subject,
        "period": period, "name": name, "unit": unit, "submission_id": submission_id,
        "facts_sha256": facts_sha256, "rule_sha256": rule_sha256, "outcome": outcome,
        "points": points, "criteria_sha256": criteria_sha256,
        "engine_version": engine_version, "run_id": run_id, "recorded_at": recorded_at,
    }
    if context_sha256 is not None:
        content["context_sha256"] = context_sha256
    if second is not None:
        content.update(second.fields())
    return content


#: The ``form`` of every event written from revision 0006 on.
SECOND_FORM = 2


def event_content(*, event_id: int, kind: str, decision_id: int | None,
                  decision: Mapping[str, Any] | None, run_id: int | None, actor: str, at: str,
                  outcome: str | None, reason: str | None,
                  history: Mapping[str, Any] | None = None, form: int | None = None,
                  run_sha256: str | None = None) -> dict[str, Any]:
    """An event as hashed. An event of the second form (``form`` 2) says so, and one that
    belongs to a run names the sha256 of the run's row (:func:`run_content`): who ran which
    command, when, with what counts; so ``audit show`` prints nothing the chain does not
    vouch for."""
    content = {
        "id": event_id, "kind": kind, "decision_id": decision_id, "decision": decision,
        "run_id": run_id, "actor": actor, "at": at, "outcome": outcome, "reason": reason,
    }
    if history is not None:
        content["history"] = history
    if form is not None:
        content["form"] = form
        if run_id is not None:
            content["run_sha256"] = run_sha256
    return content


def run_content(row: Any) -> dict[str, Any]:
    """A ``runs`` row as a second-form event hashes it (every column)."""
    return {"id": row.id, "actor": row.actor, "command": row.command, "source": row.source,
            "engine_version": row.engine_version, "started_at": utc_text(row.started_at),
            "finished_at": utc_text(row.finished_at), "decisions": row.decisions,
            "recorded": row.recorded, "already_recorded": row.already_recorded}


def submission_text(*, submission_id: int, nominee_id: str, period: int, name: str | None,
                    unit: str | None, facts_sha256: str, run_id: int, submitted_at: str) -> str:
    """``canonical_json(submission_content(…))`` assembled from fragments (the recorder
    and verify's fast path; a test holds it to the generic text)."""
    return (f'{{"facts_sha256":"{facts_sha256}","id":{submission_id:d},"name":'
            f'{fragment(name)},"nominee_id":{fragment(nominee_id)},"period":{period:d},'
            f'"run_id":{run_id:d},"submitted_at":"{submitted_at}","unit":{fragment(unit)}}}')


def submission_content(row: Any) -> dict[str, Any]:
    """A ``submissions`` row as its decision's second-form event hashes it (the facts by
    their sha256, which the event names anyway)."""
    return {"id": row.id, "nominee_id": row.nominee_id, "period": row.period,
            "name": row.name, "unit": row.unit, "facts_sha256": row.facts_sha256,
            "run_id": row.run_id, "submitted_at": utc_text(row.submitted_at)}


def history_key(*, subject: str, kind: str, title: str | None, period: int,
                decision_number: str | None, decided_on: date | None,
                issuer_level: str | None, achievement: str | None, level: str | None,
                ends: date | None) -> str:
    """The identity of a history row: the same row imported again (from any file) is
    recognised by it and not added twice."""
    return sha256_text(canonical_json([subject, kind, title, period, decision_number,
                                       decided_on, issuer_level, achievement, level, ends]))


def history_row_content(row: Any) -> dict[str, Any]:
    """A ``title_history`` row as its import event hashes it (every column)."""
    recorded_at: datetime = row.recorded_at
    return {
        "id": row.id, "key": row.key, "subject": row.subject, "kind": row.kind,
        "title": row.title, "period": row.period, "decision_number": row.decision_number,
        "decided_on": row.decided_on, "issuer_level": row.issuer_level,
        "achievement": row.achievement, "level": row.level, "ends": row.ends,
        "source_name": row.source_name, "run_id": row.run_id,
        "recorded_at": utc_text(recorded_at), "actor": row.actor,
    }


def event_hash(previous: str, event: Mapping[str, Any]) -> str:
    return chain_hash(previous, canonical_json(event))
