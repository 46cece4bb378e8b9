"""Title history in the store: imported rows, in the audit chain, merged with the store's
own awarded decisions.

Two sources say who held which title in which period: a history file (``tdkt history
import``: the years before tdkt, or another office's decisions) and the store's own
recorded decisions. Both are read back by :func:`load_history` in one query per table,
so a period run over 100 000 people does not ask once per person::

    >>> with Store.open("tdkt.db") as store:                      # doctest: +SKIP
    ...     result = import_history(store, entries, actor="lan", source_name="ls.json")
    ...     history, conflicts = load_history(store, subjects={"NV-0012"})

**Import.** Each row is appended to ``title_history`` (append-only, like the decisions)
with its source file's name, the importing actor and the import's run. A row is known by
its content (:func:`~._chain.history_key`: subject, kind, title or level, period,
decision number, dates, issuer level, achievement; not its source), so importing the same
rows again, from the same file or another, adds nothing and counts them ``unchanged``;
an import that adds nothing writes nothing at all.

**In the chain.** One ``history_imported`` audit event per import that added rows (its
``decision_id`` NULL, its ``run_id`` the import's run), whose hashed content is
``{"rows": n, "rows_sha256": …}``: the sha256 of the canonical JSON list of the rows it
added, every column of each (:func:`~._chain.history_row_content`), in id order. One
event per batch, not per row: a 500 000-row history is one link of the chain, and an
export line carries its rows for an inspector to hash. ``tdkt audit verify`` rebuilds
that content from the rows as they are now, so a row edited, added to an import or
deleted breaks the event's hash, and a row of a run that no event names is reported by
itself.

**The store wins.** For a subject, title and period, the store's word is its latest
decision (the highest id for that nominee, rule id and period), with the last
``overridden`` event's outcome when a council corrected it. A ``dat`` there is an award
entry of source ``store`` (``decision_id`` set), preferred over an imported row for the
same period. Any other outcome means the store holds that the subject did *not* get the
title: an imported award row saying otherwise is a :class:`HistoryConflict`, reported by
the import and by every load, and left out of the history that is loaded. Disciplines
come only from imports.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Date, DateTime, insert, select

from criteria_engine.errors import CriteriaError, Location, RecordError
from criteria_engine.history import History, HistoryEntry
from criteria_engine.store._canonical import canonical_json, utc_text
from criteria_engine.store._chain import (
    HISTORY_COLUMNS,
    HISTORY_EVENT,
    SECOND_FORM,
    check_event_text,
    event_content,
    event_hash,
    history_key,
    history_row_content,
)
from criteria_engine.store._models import (
    AuditEvent,
    DecisionRow,
    RuleFileRow,
    Submission,
    TitleHistoryRow,
)
from criteria_engine.store._store import (
    LOOKUP_CHUNK,
    Store,
    _bulk_insert,
    _chunks,
    _insert_run,
    _lock_head,
    _move_head,
    _next_id,
    _stored_form,
    _unstorable,
)

__all__ = ["HistoryConflict", "HistoryImport", "import_history", "load_history"]

#: Rows fetched at a time when reading a whole table.
_STREAM = 5000
#: Column widths of ``title_history`` (a longer value is refused, naming the field).
_WIDTHS = {"subject": 100, "title": 100, "issuer_level": 64, "achievement": 100, "level": 64}


@dataclass(frozen=True, slots=True)
class HistoryConflict:
    """An imported award row for a subject, title and period where the store's decision
    says something else than ``dat`` (``outcome``, decision ``decision_id``)."""

    entry: HistoryEntry
    decision_id: int
    outcome: str


@dataclass(frozen=True, slots=True)
class HistoryImport:
    """What one import did: rows added, rows already stored (or repeated in the batch),
    the rows the store contradicts, and the entries it could not store."""

    added: int
    unchanged: int
    conflicts: list[HistoryConflict]
    #: The import's run and its ``history_imported`` event (None when nothing was added).
    run_id: int | None = None
    event_id: int | None = None
    #: Entries left out because the database cannot hold a text of theirs (one
    #: :class:`RecordError` each, naming the subject and the field).
    refused: tuple[CriteriaError, ...] = field(default=())


class _Row(NamedTuple):
    """A ``title_history`` row as inserted (the attribute names of the table's columns)."""

    id: int
    key: str
    subject: str
    kind: str
    title: str | None
    period: int
    decision_number: str | None
    decided_on: date | None
    issuer_level: str | None
    achievement: str | None
    level: str | None
    ends: date | None
    source_name: str
    run_id: int
    recorded_at: datetime
    actor: str


def _key(entry: HistoryEntry) -> str:
    return history_key(subject=entry.subject, kind=entry.kind, title=_title(entry),
                       period=entry.period, decision_number=entry.decision_number,
                       decided_on=entry.decided_on, issuer_level=entry.issuer_level,
                       achievement=entry.achievement, level=entry.level, ends=entry.ends)


def _title(entry: HistoryEntry) -> str | None:
    return entry.title if entry.kind == "award" else None


def _refusal(entry: HistoryEntry) -> RecordError | None:
    """Why the database cannot hold this entry, naming its field; None when it can."""
    where = Location(record=entry.subject)
    if (entry.kind == "award") != bool(entry.title) or (entry.kind == "discipline") != bool(
            entry.level):
        return RecordError("store.history_shape", where.with_field(
            "title" if entry.kind == "award" else "discipline"), subject=entry.subject)
    texts = {"subject": entry.subject, "title": _title(entry), "level": entry.level,
             "decision_number": entry.decision_number, "issuer_level": entry.issuer_level,
             "achievement": entry.achievement}
    for name, text in texts.items():
        if text is None:
            continue
        index = _unstorable(text)
        if index is not None:
            return RecordError("store.history_character", where.with_field(name),
                               char=f"U+{ord(text[index]):04X}")
        limit = _WIDTHS.get(name)
        if limit is not None and len(text) > limit:
            return RecordError("store.history_too_long", where.with_field(name), limit=limit)
    return None


def import_history(store: Store, entries: Iterable[HistoryEntry], *, actor: str,
                   source_name: str, command: str = "tdkt history import") -> HistoryImport:
    """Append the entries not yet stored, as one import in the audit chain (one
    transaction), and report the award rows the store contradicts."""
    check_event_text(actor, "actor")
    check_event_text(source_name, "source")
    started = datetime.now(UTC)
    wanted: dict[str, HistoryEntry] = {}
    refused: list[CriteriaError] = []
    unchanged = 0
    read = 0
    for entry in entries:
        read += 1
        problem = _refusal(entry)
        if problem is not None:
            refused.append(problem)
            continue
        key = _key(entry)
        if key in wanted:
            unchanged += 1  # the same row twice in one file
        else:
            wanted[key] = entry
    with store._writing() as connection:
        head = _lock_head(connection)
        stored: dict[str, int] = {key: row_id for key, row_id in _chunks(
            connection, "SELECT key, id FROM title_history WHERE key", wanted)}
        new = [(key, entry) for key, entry in wanted.items() if key not in stored]
        unchanged += len(wanted) - len(new)
        first = _next_id(connection, TitleHistoryRow.__table__)
        ids = {**stored, **{key: first + index for index, (key, _entry) in enumerate(new)}}
        conflicts = _conflicts(connection, [replace(entry, row_id=ids[key], source="import")
                                            for key, entry in wanted.items()])
        if not new:
            return HistoryImport(0, unchanged, conflicts, refused=tuple(refused))
        now = datetime.now(UTC)
        run_id, run_sha256 = _insert_run(
            connection, actor=actor, command=command, source=source_name, started=started,
            finished=now, decisions=read, recorded=len(new), already_recorded=unchanged)
        rows = [_Row(first + index, key, entry.subject, entry.kind, _title(entry), entry.period,
                     entry.decision_number, entry.decided_on, entry.issuer_level,
                     entry.achievement, entry.level, entry.ends, source_name, run_id, now,
                     actor) for index, (key, entry) in enumerate(new)]
        digest = hashlib.sha256(_rows_text(history_row_content(row) for row in rows))
        day, moment = Date(), DateTime(timezone=True)
        _bulk_insert(connection, "title_history", HISTORY_COLUMNS, [
            (*row[:7], _stored_form(connection, row.decided_on, day), *row[8:11],
             _stored_form(connection, row.ends, day), row.source_name, row.run_id,
             _stored_form(connection, row.recorded_at, moment), row.actor) for row in rows])
        event_id = head.last_event_id + 1
        content = event_content(event_id=event_id, kind=HISTORY_EVENT, decision_id=None,
                                decision=None, run_id=run_id, actor=actor, at=utc_text(now),
                                outcome=None, reason=None,
                                history={"rows": len(rows), "rows_sha256": digest.hexdigest()},
                                form=SECOND_FORM, run_sha256=run_sha256)
        digest_text = event_hash(head.last_hash, content)
        connection.execute(insert(AuditEvent), [{
            "id": event_id, "kind": HISTORY_EVENT, "decision_id": None, "run_id": run_id,
            "actor": actor, "at": now, "outcome": None, "reason": None,
            "prev_hash": head.last_hash, "hash": digest_text, "form": SECOND_FORM}])
        _move_head(connection, event_id, digest_text, now)
    return HistoryImport(len(new), unchanged, conflicts, run_id, event_id, tuple(refused))


def _rows_text(contents: Iterable[dict[str, Any]]) -> bytes:
    """``canonical_json(list(contents))`` as UTF-8 (what :func:`._audit.history_digests`
    recomputes one row at a time)."""
    return ("[" + ",".join(canonical_json(content) for content in contents) + "]").encode()


# -- reading back -----------------------------------------------------------------------------

class _Word(NamedTuple):
    """The store's latest decision for a nominee, title and period, as corrected."""

    decision_id: int
    outcome: str


def _by_subject(column: Any, subjects: Collection[str] | None) -> Any:
    """A filter on ``column`` for a few subjects; None (filter in Python) for many, so a
    period run's load stays one query per table."""
    if subjects is None or len(subjects) > LOOKUP_CHUNK:
        return None
    return column.in_(sorted(subjects))


def _store_words(connection: Connection, subjects: Collection[str] | None
                 ) -> dict[tuple[str, str, int], _Word]:
    """(nominee, rule id, period) → the store's latest decision with its current outcome."""
    d, s, r, e = (DecisionRow.__table__, Submission.__table__, RuleFileRow.__table__,
                  AuditEvent.__table__)
    query = (select(d.c.id, s.c.nominee_id, r.c.rule_id, s.c.period, d.c.outcome)
             .select_from(d.join(s, s.c.id == d.c.submission_id)
                          .join(r, r.c.sha256 == d.c.rule_sha256))
             .order_by(d.c.id))
    condition = _by_subject(s.c.nominee_id, subjects)
    if condition is not None:
        query = query.where(condition)
    wanted = None if subjects is None else set(subjects)
    latest: dict[tuple[str, str, int], _Word] = {}
    # Streamed by the statement's option: a connection's option would outlive this query
    # and make the import's INSERTs server-side cursors on PostgreSQL.
    for decision_id, nominee_id, rule_id, period, outcome in connection.execute(
            query.execution_options(yield_per=_STREAM)):
        if wanted is None or nominee_id in wanted:
            latest[(nominee_id, rule_id, period)] = _Word(decision_id, outcome)
    if not latest:
        return latest
    overrides = {decision_id: outcome for decision_id, outcome in connection.execute(
        select(e.c.decision_id, e.c.outcome).where(e.c.kind == "overridden").order_by(e.c.id))}
    if overrides:
        latest = {key: word._replace(outcome=overrides.get(word.decision_id, word.outcome))
                  for key, word in latest.items()}
    return latest


def _conflicts(connection: Connection, entries: Iterable[HistoryEntry]
               ) -> list[HistoryConflict]:
    awards = [entry for entry in entries if entry.kind == "award"]
    if not awards:
        return []
    words = _store_words(connection, {entry.subject for entry in awards})
    return _against(awards, words)


def _against(awards: Iterable[HistoryEntry], words: dict[tuple[str, str, int], _Word]
             ) -> list[HistoryConflict]:
    conflicts = []
    for entry in awards:
        word = words.get((entry.subject, entry.title, entry.period))
        if word is not None and word.outcome != "dat":
            conflicts.append(HistoryConflict(entry, word.decision_id, word.outcome))
    return conflicts


def _imported(connection: Connection, subjects: Collection[str] | None
              ) -> Iterator[HistoryEntry]:
    table = TitleHistoryRow.__table__
    query = select(table).order_by(table.c.id)
    condition = _by_subject(table.c.subject, subjects)
    if condition is not None:
        query = query.where(condition)
    wanted = None if subjects is None else set(subjects)
    for row in connection.execute(query.execution_options(yield_per=_STREAM)):
        if wanted is not None and row.subject not in wanted:
            continue
        yield HistoryEntry(subject=row.subject, period=row.period, kind=row.kind,
                           title=row.title or "", decision_number=row.decision_number,
                           decided_on=row.decided_on, issuer_level=row.issuer_level,
                           achievement=row.achievement, level=row.level, ends=row.ends,
                           source="import", row_id=row.id)


def load_history(store: Store, subjects: Collection[str] | None = None
                 ) -> tuple[History, list[HistoryConflict]]:
    """The history of ``subjects`` (everyone when None): imported rows and the store's
    ``dat`` decisions, the store winning; and the imported rows it contradicts."""
    with store._reading() as connection:
        words = _store_words(connection, subjects)
        imported = list(_imported(connection, subjects))
    awards = [entry for entry in imported if entry.kind == "award"]
    conflicts = _against(awards, words)
    contradicted = {id(conflict.entry) for conflict in conflicts}
    entries = [entry for entry in imported if id(entry) not in contradicted]
    entries += [HistoryEntry(subject=nominee_id, period=period, kind="award", title=rule_id,
                             source="store", decision_id=word.decision_id)
                for (nominee_id, rule_id, period), word in words.items()
                if word.outcome == "dat"]
    return History(entries), conflicts
