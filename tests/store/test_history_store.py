"""Title history in the store (issue 10), on SQLite and PostgreSQL: imported rows are
appended once (re-importing adds nothing), sit in the audit chain, and merge with the
store's own ``dat`` decisions, the store winning; an imported award the store contradicts
is reported, by the import and by every load.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from criteria_engine.history import HistoryEntry
from criteria_engine.store import (
    HistoryConflict,
    Store,
    audit_log,
    import_history,
    load_history,
    verify,
)
from tests.store.conftest import Raw
from tests.store.test_period_store import judged, record

LDTT = "lao-dong-tien-tien"
CSTD = "chien-si-thi-dua-co-so"

ROWS = [
    HistoryEntry("A-01", 2022, title=CSTD, decision_number="12/QĐ-UBND",
                 decided_on=date(2023, 1, 15), issuer_level="xa", achievement="SK-2022-1"),
    HistoryEntry("A-01", 2023, title=CSTD, decision_number="8/QĐ-UBND"),
    HistoryEntry("A-02", 2023, title=LDTT),
    HistoryEntry("A-03", 2021, kind="discipline", level="khien_trach",
                 ends=date(2022, 6, 30), decision_number="45/QĐ-UBND"),
]


def findings(db: str) -> set[tuple[object, str]]:
    return {(f.table, f.key) for f in verify(db).findings}


def test_an_import_is_stored_once_and_in_the_chain(db: str, raw: Raw) -> None:
    first = import_history(db, ROWS, actor="thư ký", source_name="lich-su.json")
    assert (first.added, first.unchanged, first.conflicts) == (4, 0, [])
    assert first.event_id == 1
    again = import_history(db, [*ROWS, ROWS[0]], actor="thư ký", source_name="khac.yaml")
    assert (again.added, again.unchanged, again.event_id) == (0, 5, None)
    assert raw.scalar("SELECT count(*) FROM title_history") == 4
    assert raw.scalar("SELECT count(*) FROM audit_events") == 1
    assert raw.scalar("SELECT count(*) FROM runs") == 1
    more = import_history(db, [*ROWS[:2], HistoryEntry("A-01", 2024, title=CSTD)],
                          actor="lan", source_name="bo-sung.json")
    assert (more.added, more.unchanged) == (1, 2)
    report = verify(db)
    assert report.ok, [f.render("en") for f in report.findings]
    assert (report.events, report.history_rows) == (2, 5)
    events = audit_log(db)
    assert [(e.kind, e.decision_id, e.actor) for e in events] == [
        ("history_imported", None, "thư ký"), ("history_imported", None, "lan")]


def test_history_loads_with_the_store_winning(db: str) -> None:
    decisions, nominees = judged(period=2023)   # A-04 khong_dat, the others dat
    record(db, decisions, nominees)
    result = import_history(db, [
        *ROWS,
        HistoryEntry("A-04", 2023, title=LDTT, decision_number="99/QĐ"),   # store: khong_dat
        HistoryEntry("A-05", 2023, title=LDTT, decision_number="98/QĐ"),   # store: dat too
    ], actor="lan", source_name="ls.json")
    assert result.added == 6
    assert [(c.entry.subject, c.decision_id, c.outcome) for c in result.conflicts] == [
        ("A-04", 4, "khong_dat")]
    history, conflicts = load_history(db)
    assert conflicts == result.conflicts
    assert isinstance(conflicts[0], HistoryConflict)
    assert 2023 not in history.holdings("A-04", LDTT)          # the store said khong_dat
    held = history.holdings("A-05", LDTT)[2023]
    assert (held.source, held.decision_id) == ("store", 5)       # the store's decision wins
    assert history.holdings("A-02", LDTT)[2023].source == "store"
    assert history.holdings("A-01", CSTD)[2022].decision_number == "12/QĐ-UBND"
    assert history.holdings("A-01", CSTD)[2022].source == "import"
    assert history.discipline_end("A-03", before=2025) == 2022
    assert verify(db).ok


def test_a_council_override_is_the_store_word(db: str) -> None:
    decisions, nominees = judged(period=2023)
    record(db, decisions, nominees)
    with Store.open(db) as store:
        store.override(4, outcome="dat", reason="Hội đồng xét lại", actor="chủ tịch")
        store.override(1, outcome="khong_dat", reason="Sai hồ sơ", actor="chủ tịch")
    result = import_history(db, [HistoryEntry("A-04", 2023, title=LDTT),
                                 HistoryEntry("A-01", 2023, title=LDTT)],
                            actor="lan", source_name="ls.json")
    assert [(c.entry.subject, c.outcome) for c in result.conflicts] == [("A-01", "khong_dat")]
    history, _ = load_history(db)
    assert history.holdings("A-04", LDTT)[2023].decision_id == 4
    assert 2023 not in history.holdings("A-01", LDTT)


def test_the_latest_decision_for_a_period_is_the_store_word(db: str) -> None:
    decisions, nominees = judged(period=2023)
    record(db, decisions[:1], nominees)             # A-01 dat …
    failed = decisions[3]._replace(nominee_id="A-01")
    nominees["A-01"] = nominees["A-04"].model_copy(update={"id": "A-01"})
    record(db, [failed], nominees)                  # … then judged again on new facts
    history, _ = load_history(db, subjects={"A-01"})
    assert 2023 not in history.holdings("A-01", LDTT)


def test_load_history_reads_only_the_subjects_asked_for(db: str) -> None:
    decisions, nominees = judged(period=2023)
    record(db, decisions, nominees)
    import_history(db, ROWS, actor="lan", source_name="ls.json")
    history, _ = load_history(db, subjects=["A-01", "A-02"])
    assert history.subjects() == ["A-01", "A-02"]
    everyone, _ = load_history(db)
    assert everyone.subjects() == ["A-01", "A-02", "A-03", "A-05"]   # nothing held


def test_a_missing_store_has_no_history(tmp_path: object) -> None:
    from pathlib import Path
    missing = Path(str(tmp_path)) / "none.db"
    history, conflicts = load_history(str(missing))
    assert (len(history), conflicts) == (0, [])
    assert not missing.exists()


def test_rows_the_database_cannot_hold_are_refused_and_the_rest_stored(db: str) -> None:
    result = import_history(db, [
        HistoryEntry("A-01", 2023, title=CSTD, decision_number="1/QĐ\x00"),
        HistoryEntry("A-02", 2023, title=""),
        HistoryEntry("A-03", 2023, title=CSTD),
    ], actor="lan", source_name="ls.json")
    assert result.added == 1
    assert [(e.key, e.where.record, e.where.field) for e in result.refused] == [
        ("store.history_character", "A-01", "decision_number"),
        ("store.history_shape", "A-02", "title")]
    assert "U+0000" in result.refused[0].render("en")


# -- tampering --------------------------------------------------------------------------------

@pytest.mark.parametrize("edit", [
    "UPDATE title_history SET period = 2020 WHERE id = 2",
    "UPDATE title_history SET source_name = 'khac.json' WHERE id = 1",
    "DELETE FROM title_history WHERE id = 3",
])
def test_an_edited_or_deleted_history_row_is_found(db: str, raw: Raw, edit: str) -> None:
    import_history(db, ROWS, actor="lan", source_name="ls.json")
    with raw.tampering() as sql:
        sql.execute(text(edit))
    assert ("audit_events", "audit.history_hash") in findings(db)


def test_a_history_row_slipped_in_by_hand_is_found(db: str, raw: Raw) -> None:
    import_history(db, ROWS, actor="lan", source_name="ls.json")
    with raw.tampering() as sql:
        sql.execute(text(
            "INSERT INTO runs (id, actor, command, source, engine_version, started_at, "
            "finished_at, decisions, recorded, already_recorded) VALUES (2, 'x', 'x', NULL, "
            "'0', '2024-01-01 00:00:00', '2024-01-01 00:00:00', 0, 0, 0)"))
        sql.execute(text(
            "INSERT INTO title_history (id, key, subject, kind, title, period, source_name, "
            "run_id, recorded_at, actor) VALUES (9, :key, 'A-09', 'award', :title, 2023, "
            "'x', 2, '2024-01-01 00:00:00', 'x')"), {"key": "f" * 64, "title": CSTD})
    assert findings(db) == {("title_history", "audit.history_orphan")}
    with raw.tampering() as sql:   # the same row put into the real import instead
        sql.execute(text("UPDATE title_history SET run_id = 1 WHERE id = 9"))
    assert findings(db) == {("audit_events", "audit.history_hash")}


def test_history_rows_are_append_only(db: str, raw: Raw) -> None:
    import_history(db, ROWS, actor="lan", source_name="ls.json")
    with pytest.raises(Exception, match="append-only"):
        raw.run("UPDATE title_history SET period = 2020 WHERE id = 1")
    with pytest.raises(Exception, match="append-only"):
        raw.run("TRUNCATE title_history" if raw.postgres else "DELETE FROM title_history")
    assert raw.scalar("SELECT count(*) FROM title_history") == len(ROWS)
