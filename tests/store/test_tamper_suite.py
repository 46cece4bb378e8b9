"""The tamper suite: every attack on a store, and what detects it (issue 11).

Each attack is played by someone with full access to the database (triggers and foreign
keys out of the way, see :class:`~tests.store.conftest.Raw`), on a store holding every
kind of row: decisions of several titles, an override and a note, an achievement rewarded
and one set aside, a correction, an import of title history. Before the attack the council
published a signed checkpoint (and the log grew after it).

An attack is *detected by verify* when ``tdkt audit verify`` alone names it; *by the
checkpoint* when only ``verify --checkpoint`` (the published signed head) shows it: the
attacker who knows the algorithm rewrote the chain consistently, or cut its tail and moved
the head back; *refused* when the database does not let it happen. After this issue no
attack is undetected; the last test prints the table.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, text

from criteria_engine import evaluate_file
from criteria_engine.history import HistoryEntry
from criteria_engine.library import choose_rule
from criteria_engine.store import Store, checkpoint, import_history, verify, verify_checkpoints
from criteria_engine.store._audit import _content, _event_rows, history_digests, run_digests
from criteria_engine.store._canonical import GENESIS_HASH
from criteria_engine.store._chain import event_hash
from criteria_engine.store._keys import content_key, decision_key
from tests.common import CRITERIA
from tests.store.conftest import EXAMPLE_RULES, Raw, report_for
from tests.store.test_one_decision import GIAY_KHEN, _record_text

#: attack → what detected it, filled as the suite runs, printed by the last test.
TABLE: dict[tuple[str, str], str] = {}


def _giay_khen(tmp_path: Path, *records: dict[str, Any]) -> Any:
    path = tmp_path / f"gk-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(list(records), ensure_ascii=False), encoding="utf-8")
    choose, _ = choose_rule(GIAY_KHEN, CRITERIA)
    return evaluate_file(path, choose)


def _build(db: str, tmp_path: Path) -> Path:
    """A store with every kind of row, a published checkpoint, then more events after it;
    returns the checkpoint file."""
    with Store.open(db) as store:
        for name in EXAMPLE_RULES:
            store.record_report(report_for(name), actor="lan", command=f"tdkt evaluate {name}")
        store.override(2, outcome="dat", reason="Hội đồng xét lại minh chứng", actor="chủ tịch")
        store.annotate(3, note="Đã đối chiếu hồ sơ gốc", actor="thư ký")
        store.record_report(_giay_khen(tmp_path, _record_text(id="GK-1"),
                                       _record_text(id="GK-2", name="Nguyễn Thị Lan")),
                            actor="lan", command="tdkt evaluate giay-khen")
        store.record_report(_giay_khen(tmp_path, _record_text(id="GK-1", name="Lê Thị Mai Anh")),
                            actor="lan", command="tdkt evaluate giay-khen (đính chính)")
    import_history(db, [HistoryEntry("GK-1", 2023, title=GIAY_KHEN, decision_number="5/QĐ")],
                   actor="lan", source_name="lich-su.json")
    head = checkpoint(db, KEY)
    published = tmp_path / "checkpoint.json"
    published.write_text(json.dumps(head, ensure_ascii=False), encoding="utf-8")
    with Store.open(db) as store:  # the log grows after the checkpoint
        store.annotate(1, note="Bổ sung minh chứng", actor="thư ký")
    report = verify(db)
    assert report.ok, [f.render("en") for f in report.findings]
    assert verify_checkpoints(db, [published], KEY.public_key()).ok
    return published


KEY = Ed25519PrivateKey.generate()


# -- what an attacker who knows the algorithm does after an edit --------------------------

def _rechain(connection: Connection) -> None:
    """Recompute every event's hash from the rows as they are now and move the head: the
    chain is consistent again, so only a published checkpoint can show the rewrite."""
    digests, runs = history_digests(connection), run_digests(connection)
    rows = list(_event_rows(connection))
    previous = GENESIS_HASH
    for row in rows:
        content, _parts, problem = _content(row, digests, runs)
        assert problem is None and content is not None
        digest = event_hash(previous, content)
        connection.execute(text("UPDATE audit_events SET prev_hash = :p, hash = :h "
                                "WHERE id = :id"), {"p": previous, "h": digest, "id": row.id})
        previous = digest
    connection.execute(text("UPDATE audit_chain_head SET last_event_id = :id, last_hash = :h"),
                       {"id": rows[-1].id if rows else 0, "h": previous})


def _rekey(connection: Connection, decision_id: int) -> None:
    """Recompute a second-form decision's content key and key after its name was edited
    (the attacker knows :mod:`criteria_engine.store._keys`)."""
    row = connection.execute(text(
        "SELECT d.key, d.content_key, d.supersedes, d.rule_sha256, d.name, d.unit, d.subject, "
        "d.claims, s.nominee_id, s.period, s.facts FROM decisions d JOIN submissions s "
        "ON s.id = d.submission_id WHERE d.id = :id"), {"id": decision_id}).one()
    from decimal import Decimal
    facts = {k: Decimal(v) if k == "achievement_score" else v
             for k, v in json.loads(row.facts).items()}
    new = content_key(nominee_id=row.nominee_id, period=row.period,
                      rule_sha256=row.rule_sha256, facts=facts, name=row.name,
                      unit=row.unit, subject=row.subject, claims=json.loads(row.claims))
    connection.execute(text("UPDATE decisions SET content_key = :c, key = :k WHERE id = :id"),
                       {"c": new, "k": decision_key(new, row.supersedes), "id": decision_id})


def _first(connection: Connection, sql: str) -> Any:
    return connection.execute(text(sql)).scalar_one()


Attack = Callable[[Connection], None]


def _sql(*statements: str, rechain: bool = False) -> Attack:
    def attack(connection: Connection) -> None:
        for statement in statements:
            connection.execute(text(statement))
        if rechain:
            _rechain(connection)
    return attack


def _swap_events(connection: Connection) -> None:
    connection.execute(text("UPDATE audit_events SET id = -1 WHERE id = 2"))
    connection.execute(text("UPDATE audit_events SET id = 2 WHERE id = 3"))
    connection.execute(text("UPDATE audit_events SET id = 3 WHERE id = -1"))


def _cut_tail_move_head(connection: Connection) -> None:
    """Delete the last events (past the checkpoint's size too) and point the head at the
    new last event: a consistent, shorter chain."""
    last = _first(connection, "SELECT max(id) FROM audit_events")
    keep = last - 3
    connection.execute(text("DELETE FROM audit_events WHERE id > :k"), {"k": keep})
    # and every row only those events vouched for, so that verify finds nothing missing
    gone = "(SELECT id FROM decisions WHERE id NOT IN (SELECT decision_id FROM audit_events " \
           "WHERE kind = 'recorded'))"
    connection.execute(text(f"DELETE FROM achievement_uses WHERE decision_id IN {gone}"))
    connection.execute(text(f"DELETE FROM decisions WHERE id IN {gone}"))
    connection.execute(text("DELETE FROM title_history WHERE run_id NOT IN (SELECT run_id "
                            "FROM audit_events WHERE kind = 'history_imported')"))
    row = connection.execute(text("SELECT id, hash FROM audit_events WHERE id = :k"),
                             {"k": keep}).one()
    connection.execute(text("UPDATE audit_chain_head SET last_event_id = :id, last_hash = :h"),
                       {"id": row.id, "h": row.hash})


def _forge_event_in_the_middle(connection: Connection) -> None:
    """Shift every event after 3 up by one, insert a forged note as event 4, rechain."""
    ids = connection.execute(text("SELECT id FROM audit_events WHERE id > 3 ORDER BY id DESC")
                             ).scalars().all()
    for event_id in ids:
        connection.execute(text("UPDATE audit_events SET id = :n, prev_hash = :p "
                                "WHERE id = :o"), {"n": event_id + 1, "o": event_id,
                                                   "p": f"moved-{event_id}"})
    connection.execute(text(
        "INSERT INTO audit_events (id, kind, decision_id, run_id, actor, at, outcome, reason, "
        "prev_hash, hash, form) SELECT 4, 'annotated', 1, NULL, 'chủ tịch', at, NULL, "
        "'Đã duyệt', 'forged', 'forged', 2 FROM audit_events WHERE id = 3"))
    _rechain(connection)


def _rename_and_rekey(connection: Connection) -> None:
    decision_id = _first(connection, "SELECT min(id) FROM decisions WHERE content_key IS NOT "
                                     "NULL AND name IS NOT NULL")
    connection.execute(text("UPDATE decisions SET name = 'Người khác' WHERE id = :id"),
                       {"id": decision_id})
    _rekey(connection, decision_id)
    _rechain(connection)


def _drop_use_and_its_mention(connection: Connection) -> None:
    """Delete a use row and the decision's mention of it, then rechain: the achievement
    looks free again."""
    decision_id = _first(connection, "SELECT min(decision_id) FROM achievement_uses")
    connection.execute(text("DELETE FROM achievement_uses WHERE decision_id = :d"),
                       {"d": decision_id})
    connection.execute(text("UPDATE decisions SET uses = '[]' WHERE id = :d"),
                       {"d": decision_id})
    _rechain(connection)


ATTACKS: dict[str, tuple[Attack, str]] = {
    # edits of hashed rows
    "sửa kết quả / edit an outcome": (
        _sql("UPDATE decisions SET outcome = 'khong_dat' WHERE id = 1"), "verify"),
    "sửa điểm / edit points": (_sql("UPDATE decisions SET points = '99' WHERE id = 1"),
                               "verify"),
    "sửa dữ kiện / edit a fact": (
        _sql("UPDATE submissions SET facts = replace(facts, 'hoan_thanh_xuat_sac', "
             "'hoan_thanh') WHERE id = 1"), "verify"),
    "sửa kết quả tiêu chí / edit criteria": (
        _sql("UPDATE decisions SET criteria = replace(criteria, 'pass', 'fail') WHERE id = 1"),
        "verify"),
    "sửa văn bản quy tắc / edit a rule text": (
        _sql("UPDATE rule_files SET text = text || ' ' WHERE rule_id = 'lao-dong-tien-tien'"),
        "verify"),
    "sửa họ tên / edit a name": (_sql("UPDATE decisions SET name = 'X' WHERE id = 1"),
                                 "verify"),
    "sửa lý do điều chỉnh / edit an override's reason": (
        _sql("UPDATE audit_events SET reason = 'Khác' WHERE kind = 'overridden'"), "verify"),
    "sửa người thực hiện / edit an event's actor": (
        _sql("UPDATE audit_events SET actor = 'ai đó' WHERE id = 1"), "verify"),
    # deletions, reordering, insertion
    "xoá sự kiện giữa chuỗi / delete an event": (
        _sql("DELETE FROM audit_events WHERE id = 3"), "verify"),
    "xoá quyết định / delete a decision": (
        _sql("DELETE FROM audit_events WHERE decision_id = 4",
             "DELETE FROM decisions WHERE id = 4"), "verify"),
    "đảo thứ tự / reorder events": (_swap_events, "verify"),
    "cắt đuôi, giữ đầu / cut the tail, head left": (
        _sql("DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)"),
        "verify"),
    "sửa đầu chuỗi / edit the head": (
        _sql("UPDATE audit_chain_head SET last_hash = '" + "f" * 64 + "'"), "verify"),
    "thêm sự kiện giả ở cuối / forged event appended": (
        _sql("INSERT INTO audit_events (id, kind, decision_id, run_id, actor, at, outcome, "
             "reason, prev_hash, hash) SELECT max(id) + 1, 'annotated', 1, NULL, 'x', max(at), "
             "NULL, 'giả', 'p', 'h' FROM audit_events"), "verify"),
    # one achievement, one reward
    "xoá dòng sử dụng thành tích / delete a use row": (
        _sql("DELETE FROM achievement_uses"), "verify"),
    "thêm dòng sử dụng giả / forge a use row": (
        _sql("INSERT INTO achievement_uses (id, achievement_id, decision_id, nominee_id, "
             "rule_id, rule_version, period, rank) SELECT 99, 'SK-KHAC', id, 'GK-2', "
             f"'{GIAY_KHEN}', '2024.2', 2024, 10 FROM decisions WHERE id = 1"), "verify"),
    "sửa hạng sử dụng / edit a use row's rank": (
        _sql("UPDATE achievement_uses SET rank = 99"), "verify"),
    # fields audit show prints
    "sửa lệnh của lượt chạy / edit a run's command": (
        _sql("UPDATE runs SET command = 'tdkt evaluate khac' WHERE id = 1"), "verify"),
    "sửa người chạy / edit a run's actor": (
        _sql("UPDATE runs SET actor = 'ai đó' WHERE id = 1"), "verify"),
    "sửa thời điểm nộp / edit a submission's time": (
        _sql("UPDATE submissions SET submitted_at = finished_at FROM runs WHERE runs.id = 1 "
             "AND submissions.id = 1", "UPDATE submissions SET run_id = 2 WHERE id = 1"),
        "verify"),
    "sửa tên quy tắc / edit a rule's title": (
        _sql("UPDATE rule_files SET title = 'Danh hiệu khác'"), "verify"),
    "sửa phiên bản quy tắc / edit a rule's version": (
        _sql("UPDATE rule_files SET version = '2099.1'"), "verify"),
    "sửa ngày hiệu lực / edit a rule's dates": (
        _sql("UPDATE rule_files SET effective_from = '2001-01-01'"), "verify"),
    "sửa quyết định bị thay / edit supersedes": (
        _sql("UPDATE decisions SET supersedes = NULL WHERE supersedes IS NOT NULL"), "verify"),
    "sửa nội dung đính chính / edit a correction": (
        _sql("UPDATE decisions SET correction = '[\"unit\"]' WHERE correction IS NOT NULL"),
        "verify"),
    "sửa lịch sử danh hiệu / edit a history row": (
        _sql("UPDATE title_history SET period = 2020"), "verify"),
    # rewrites only a published checkpoint can show
    "sửa rồi tính lại chuỗi / edit an override and rehash": (
        _sql("UPDATE audit_events SET outcome = 'khong_dat' WHERE kind = 'overridden'",
             rechain=True), "checkpoint"),
    "đổi tên, tính lại khoá và chuỗi / rename, rekey, rehash": (_rename_and_rekey,
                                                                "checkpoint"),
    "sửa lịch sử rồi tính lại / edit history and rehash": (
        _sql("UPDATE title_history SET period = 2020", rechain=True), "checkpoint"),
    "xoá dòng sử dụng và dấu vết / delete a use everywhere, rehash": (
        _drop_use_and_its_mention, "checkpoint"),
    "chèn sự kiện giả giữa chuỗi / forged insert, rehash": (_forge_event_in_the_middle,
                                                           "checkpoint"),
    "cắt đuôi và lùi đầu / cut the tail, move the head": (_cut_tail_move_head, "checkpoint"),
    "giả toàn bộ tiền tố / forge the prefix": (
        _sql("UPDATE audit_events SET actor = 'kẻ giả mạo' WHERE id <= 3", rechain=True),
        "checkpoint"),
}


def _detected(db: str, published: Path) -> str:
    if not verify(db).ok:
        return "verify"
    if not verify_checkpoints(db, [published], KEY.public_key()).ok:
        return "checkpoint"
    return "UNDETECTED"


@pytest.mark.parametrize("name", list(ATTACKS))
def test_every_attack_is_detected(db: str, raw: Raw, tmp_path: Path, name: str) -> None:
    attack, expected = ATTACKS[name]
    published = _build(db, tmp_path)
    statement_free = name.startswith("sửa thời điểm nộp") and not raw.postgres
    with raw.tampering() as connection:
        if statement_free:  # SQLite has no UPDATE … FROM before 3.33: the same by subquery
            connection.execute(text("UPDATE submissions SET submitted_at = (SELECT finished_at "
                                    "FROM runs WHERE id = 1) WHERE id = 1"))
            connection.execute(text("UPDATE submissions SET run_id = 2 WHERE id = 1"))
        else:
            attack(connection)
    found = _detected(db, published)
    TABLE[(name, "PostgreSQL" if raw.postgres else "SQLite")] = found
    assert found == expected


@pytest.mark.parametrize("statement", [
    "INSERT OR REPLACE INTO decisions SELECT * FROM decisions WHERE id = 1",
    "REPLACE INTO audit_events SELECT * FROM audit_events WHERE id = 1",
    "INSERT INTO achievement_uses SELECT * FROM achievement_uses LIMIT 1 "
    "ON CONFLICT (id) DO UPDATE SET rank = 99",
])
def test_replace_and_upsert_are_refused_by_the_database(db: str, raw: Raw, tmp_path: Path,
                                                         statement: str) -> None:
    """Without dropping a trigger, REPLACE (which deletes the old row without firing a
    delete trigger) and an upsert cannot rewrite a row."""
    published = _build(db, tmp_path)
    if raw.postgres and "REPLACE" in statement:
        pytest.skip("PostgreSQL has no REPLACE")
    with pytest.raises(Exception, match=r"append-only|tdkt"):
        raw.run(statement)
    assert _detected(db, published) == "UNDETECTED"  # nothing happened: all is intact
    TABLE[(statement.split(" SELECT")[0][:40] + " …", "PostgreSQL" if raw.postgres
           else "SQLite")] = "refused"


def test_the_table_shows_no_undetected_attack(capsys: pytest.CaptureFixture[str]) -> None:
    """The table of attack → detected by, for the attacks run in this session."""
    if not TABLE:
        pytest.skip("run with the attacks above")
    width = max(len(name) for name, _ in TABLE)
    lines = [f"{'attack':<{width}}  backend     detected by", "-" * (width + 28)]
    lines += [f"{name:<{width}}  {backend:<10}  {found}"
              for (name, backend), found in sorted(TABLE.items())]
    undetected = sum(found == "UNDETECTED" for found in TABLE.values())
    lines.append(f"{len(TABLE)} attacks, {undetected} undetected")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert undetected == 0
