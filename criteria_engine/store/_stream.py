"""Recording a stream of judged records in bounded batches, each its own transaction.

``tdkt evaluate --record`` on a province's file must not hold a million decisions in
memory, nor one transaction open for minutes. So the records are recorded
:data:`RECORD_BATCH` nominees at a time, each batch one :meth:`Store.record` (its own
run, its own transaction under the chain lock, achievements checked against what the
store holds, already stored decisions skipped), and flow on, as recorded, to whatever
prints or exports them::

    recorder = StreamRecorder("tdkt.db", actor="lan", command="tdkt evaluate …")
    for item in recorder.record(stream_file(path, chooser)):
        ...                                  # decisions as recorded, problems as found
    recorder.summary                         # the totals over every batch

A process killed half-way leaves the finished batches recorded and nothing of the
batch it was in; running the same command again records exactly what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from criteria_engine.batch import Judged, Problem
from criteria_engine.evaluator import Decision
from criteria_engine.store._store import RecordSummary, Store

__all__ = ["RECORD_BATCH", "StreamRecorder"]

#: Nominees recorded per transaction: large enough that the per-transaction cost
#: (lock, id lookups, commit) is amortised, small enough to keep memory flat.
RECORD_BATCH = 5_000


class StreamRecorder:
    """Records the decisions of a stream batch by batch; see the module docstring.

    ``progress(recorded)`` is called after each batch with the number of decisions
    recorded or found already recorded so far (a progress bar is the caller's business).
    ``summary`` holds the totals (``run_id`` is the first batch's run, ``last_run_id``
    the last one's) once the stream is exhausted; ``None`` before.
    """

    def __init__(self, db: str | Path | None, *, actor: str, command: str,
                 source: str | None = None, batch_size: int = RECORD_BATCH,
                 progress: Callable[[int], None] | None = None) -> None:
        self.db = db
        self.actor = actor
        self.command = command
        self.source = source
        self.batch_size = max(1, batch_size)
        self.progress = progress
        self.summary: RecordSummary | None = None
        self.last_run_id: int | None = None

    def record(self, items: Iterable[Judged | Problem]) -> Iterator[Judged | Problem]:
        """``items`` in their order, each judged record with its decisions as recorded,
        or a :class:`Problem` if the store could not record it."""
        buffer: list[Judged | Problem] = []
        nominees = 0
        store: Store | None = None
        try:
            for item in items:
                buffer.append(item)
                if isinstance(item, Judged):
                    nominees += 1
                    if nominees >= self.batch_size:
                        store = store or Store.open(self.db)
                        yield from self._flush(store, buffer)
                        buffer, nominees = [], 0
            if nominees or self.summary is None:  # one run even for a file with no record
                store = store or Store.open(self.db)
                yield from self._flush(store, buffer)
            else:
                yield from buffer
        finally:
            if store is not None:
                store.close()

    def _flush(self, store: Store, buffer: list[Judged | Problem]
               ) -> Iterator[Judged | Problem]:
        judged = [item for item in buffer if isinstance(item, Judged)]
        summary = store.record(
            [decision for item in judged for decision in item.decisions],
            nominees={item.nominee.id: item.nominee for item in judged}, actor=self.actor,
            command=self.command, source=self.source,
            where={item.nominee.id: item.where for item in judged})
        self._add(summary)
        recorded: dict[str, list[Decision]] = {}
        for decision in summary.decisions_recorded:
            recorded.setdefault(decision.nominee_id, []).append(decision)
        refused = {str(problem.params.get("record_id")): problem for problem in summary.refused}
        for item in buffer:
            if isinstance(item, Problem):
                yield item
            elif item.nominee.id in refused:
                yield Problem(refused[item.nominee.id])
            else:
                yield Judged(item.nominee, tuple(recorded.get(item.nominee.id, ())), item.where)

    def _add(self, batch: RecordSummary) -> None:
        total = self.summary
        self.last_run_id = batch.run_id
        if total is None:
            self.summary = RecordSummary(
                batch.database, batch.run_id, batch.decisions, batch.recorded,
                batch.already_recorded, batch.first_event_id, batch.last_event_id,
                batch.head_hash, corrected=batch.corrected)
        else:
            self.summary = RecordSummary(
                total.database, total.run_id, total.decisions + batch.decisions,
                total.recorded + batch.recorded,
                total.already_recorded + batch.already_recorded,
                total.first_event_id if total.first_event_id is not None
                else batch.first_event_id, batch.last_event_id, batch.head_hash,
                corrected=total.corrected + batch.corrected)
        if self.progress is not None:
            assert self.summary is not None
            self.progress(self.summary.decisions)
