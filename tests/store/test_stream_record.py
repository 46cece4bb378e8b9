"""Recording at scale: bounded batches, each its own transaction, and text a database can't hold.

Run on SQLite and on PostgreSQL (the ``db`` fixture): PostgreSQL's COPY path once let a
NUL byte in one record raise a raw driver error and lose the whole batch.
"""

from __future__ import annotations

from pathlib import Path

from criteria_engine.batch import Judged, Problem
from criteria_engine.errors import Location, RecordError
from criteria_engine.store import Store, StreamRecorder, verify
from tests.store.conftest import Raw
from tests.store.writer import batch


def _stream(prefix: str, count: int) -> list[Judged | Problem]:
    decisions, nominees = batch(prefix, count)
    return [Judged(nominees[d.nominee_id], (d,), Location("f.jsonl", number + 1, None, None,
                                                          f"{d.nominee_id} (#{number + 1})"))
            for number, d in enumerate(decisions)]


def _with_name(item: Judged | Problem, name: str) -> Judged:
    assert isinstance(item, Judged)
    nominee = item.nominee.model_copy(update={"name": name})
    return Judged(nominee, tuple(d._replace(name=name) for d in item.decisions), item.where)


def test_a_stream_is_recorded_in_batches_each_its_own_run(db: str, raw: Raw) -> None:
    items = _stream("S", 7)
    recorder = StreamRecorder(db, actor="lan", command="tdkt evaluate", batch_size=3)
    out = list(recorder.record(items))
    assert [i.nominee.id for i in out if isinstance(i, Judged)] == [
        i.nominee.id for i in items if isinstance(i, Judged)]
    assert recorder.summary is not None
    assert (recorder.summary.recorded, recorder.summary.already_recorded) == (7, 0)
    assert (recorder.summary.run_id, recorder.last_run_id) == (1, 3)
    assert raw.scalar("SELECT count(*) FROM runs") == 3
    assert raw.scalar("SELECT count(*) FROM decisions") == 7
    assert verify(db).ok


def test_running_the_same_stream_again_records_nothing_twice(db: str, raw: Raw) -> None:
    items = _stream("S", 5)
    list(StreamRecorder(db, actor="lan", command="c", batch_size=2).record(items))
    again = StreamRecorder(db, actor="lan", command="c", batch_size=2)
    list(again.record(items))
    assert again.summary is not None
    assert (again.summary.recorded, again.summary.already_recorded) == (0, 5)
    assert raw.scalar("SELECT count(*) FROM decisions") == 5


def test_problems_pass_through_in_their_place(db: str) -> None:
    items = _stream("S", 3)
    problem = Problem(RecordError("record.not_object", Location("f.jsonl", 9)))
    items.insert(1, problem)
    out = list(StreamRecorder(db, actor="lan", command="c", batch_size=2).record(items))
    assert out[1] is problem and len(out) == 4


def test_a_nul_byte_refuses_that_record_and_records_the_rest_of_the_batch(
        db: str, raw: Raw) -> None:
    items = _stream("S", 4)
    items[2] = _with_name(items[2], "Nguyễn\x00Văn")
    recorder = StreamRecorder(db, actor="lan", command="c", batch_size=10)
    out = list(recorder.record(items))
    assert isinstance(out[2], Problem)
    error = out[2].error
    assert error.key == "store.text_not_storable"
    assert error.where.path == "f.jsonl" and error.where.line == 3
    assert error.where.field == "name" and "S-0002" in (error.where.record or "")
    assert "U+0000" in error.render("vi") and "U+0000" in error.render("en")
    assert raw.scalar("SELECT count(*) FROM decisions") == 3
    assert verify(db).ok


def test_store_record_never_lets_a_driver_error_out_for_bad_text(db: str, raw: Raw) -> None:
    decisions, nominees = batch("N", 3)
    bad = nominees["N-0001"].model_copy(update={"unit": "Xã\x00Thử"})
    nominees["N-0001"] = bad
    decisions[1] = decisions[1]._replace(unit=bad.unit)
    lone = nominees["N-0002"].model_copy(update={"name": "\ud800"})  # a lone surrogate
    nominees["N-0002"] = lone
    decisions[2] = decisions[2]._replace(name=lone.name)
    with Store.open(db) as store:
        summary = store.record(decisions, nominees=nominees, actor="a", command="c")
    assert [(e.where.record, e.where.field) for e in summary.refused] == [
        ("N-0001", "unit"), ("N-0002", "name")]
    assert summary.recorded == 1
    assert raw.scalar("SELECT count(*) FROM decisions") == 1


def test_an_empty_stream_still_makes_one_run(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    recorder = StreamRecorder(db, actor="lan", command="c")
    assert list(recorder.record([])) == []
    assert recorder.summary is not None and recorder.summary.decisions == 0
