"""``hoan_xet`` in the store: migration 0003, recording, replay, overrides, on both back ends.

The rule is ``tests/fixtures/deferral/hoan-xet-thu/2025.1.yaml`` (NĐ 152/2025 Điều 4 k4);
its four sample nominees give ``dat``, ``hoan_xet`` (a complaint), ``hoan_xet`` (discipline
under consideration, criteria failing) and ``thieu_du_lieu`` (a deferral fact missing).
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from criteria_engine.batch import BatchReport, evaluate_file
from criteria_engine.errors import StoreError
from criteria_engine.library import choose_rule
from criteria_engine.store import (
    Store,
    current_revision,
    downgrade,
    show_decision,
    upgrade,
    verify,
)
from tests.common import FIXTURES
from tests.store.conftest import Raw, report_for
from tests.store.legacy import correct_first_form, record_first_form

FOLDER = FIXTURES / "deferral"


def deferral_report() -> BatchReport:
    choose, _ = choose_rule(str(FOLDER / "hoan-xet-thu" / "2025.1.yaml"), FOLDER)
    return evaluate_file(FOLDER / "nominees.json", choose)


def outcomes(raw: Raw) -> dict[str, str]:
    rows = raw.run("SELECT s.nominee_id, d.outcome FROM decisions d "
                   "JOIN submissions s ON s.id = d.submission_id ORDER BY d.id")
    return {row[0]: row[1] for row in rows}


def test_deferred_decisions_are_recorded_and_replay(db: str, raw: Raw) -> None:
    with Store.open(db) as store:
        summary = store.record_report(deferral_report(), actor="thư ký", command="test")
    assert summary.recorded == 4
    assert outcomes(raw) == {"HX-01": "dat", "HX-02": "hoan_xet", "HX-03": "hoan_xet",
                             "HX-04": "thieu_du_lieu"}
    report = verify(db)
    assert report.ok, [f.render("en") for f in report.findings]
    assert report.replayed == 4


def test_only_the_decision_that_meets_claims_its_achievement(db: str, raw: Raw) -> None:
    with Store.open(db) as store:
        store.record_report(deferral_report(), actor="thư ký", command="test")
    claimed = raw.run("SELECT achievement_id FROM achievement_uses").scalars().all()
    assert claimed == ["SK-01"]  # SK-02 belongs to the deferred HX-02


def test_the_stored_criteria_keep_each_deferral_condition_first(db: str, raw: Raw) -> None:
    with Store.open(db) as store:
        store.record_report(deferral_report(), actor="thư ký", command="test")
    stored = raw.scalar("SELECT d.criteria FROM decisions d JOIN submissions s "
                        "ON s.id = d.submission_id WHERE s.nominee_id = 'HX-02'")
    assert stored.startswith(
        '[{"deferral":true,"id":"dang_xem_xet_ky_luat","points":null,"result":"clear"},'
        '{"deferral":true,"id":"don_thu_dang_xac_minh","points":null,"result":"holds"},'
        '{"id":"xep_loai",')
    record = show_decision(db, 2)
    kinds = [(c.id, c.deferral, c.result) for c in record.criteria]
    assert kinds[:2] == [("dang_xem_xet_ky_luat", True, "clear"),
                         ("don_thu_dang_xac_minh", True, "holds")]
    assert record.criteria[1].values == {"complaints_pending": 1}
    assert record.criteria[1].citations[0].line is not None


def test_a_tampered_deferral_result_is_named_by_verify(db: str, raw: Raw) -> None:
    with Store.open(db) as store:
        store.record_report(deferral_report(), actor="thư ký", command="test")
    with raw.tampering() as sql:
        sql.execute(text("UPDATE decisions SET criteria = replace(criteria, "
                         "'\"result\":\"holds\"', '\"result\":\"clear\"'), outcome = 'dat' "
                         "WHERE id = 2"))
    keys = {(f.row, f.key) for f in verify(db).findings}
    assert (2, "audit.replay_outcome") in keys
    assert (2, "audit.replay_criterion") in keys


def test_an_override_may_set_and_clear_hoan_xet(db: str) -> None:
    with Store.open(db) as store:
        store.record_report(deferral_report(), actor="thư ký", command="test")
        store.override(1, outcome="hoan_xet", reason="Có đơn tố cáo mới nhận", actor="chủ tịch")
        store.override(2, outcome="dat", reason="Đơn thư đã xác minh xong, không có vi phạm",
                       actor="chủ tịch")
    assert show_decision(db, 1).current_outcome == "hoan_xet"
    assert show_decision(db, 2).current_outcome == "dat"
    assert verify(db).ok


def test_an_old_store_upgrades_and_its_decisions_replay_unchanged(db: str, raw: Raw) -> None:
    """Decisions recorded before 0003 (a rule without deferral) keep their stored text and
    hashes through the rebuild of the tables, and the append-only triggers come back.

    They are written in the first form, as tdkt wrote them then (:mod:`tests.store.legacy`):
    a store holding a decision of today's form cannot go below 0006 at all."""
    Store.open(db).close()
    assert downgrade(db, "0003").after.current == "0003"  # empty: nothing refuses
    report = report_for("lao-dong-tien-tien")
    record_first_form(db, report.decisions, nominees=report.nominees, actor="lan")
    correct_first_form(db, 1, kind="overridden", outcome="khong_dat", reason="Hội đồng xét lại",
                       actor="chủ tịch")
    before = raw.run("SELECT id, outcome, criteria FROM decisions ORDER BY id").all()
    chain = raw.run("SELECT id, hash FROM audit_events ORDER BY id").all()
    assert downgrade(db, "0002").after.current == "0002"
    assert upgrade(db, "0003").after.current == "0003"
    assert raw.run("SELECT id, outcome, criteria FROM decisions ORDER BY id").all() == before
    upgrade(db)  # and on to the head, which verify needs
    assert raw.run("SELECT id, hash FROM audit_events ORDER BY id").all() == chain
    verified = verify(db)
    assert verified.ok, [f.render("en") for f in verified.findings]
    assert verified.replayed == len(before)
    assert show_decision(db, 1).current_outcome == "khong_dat"
    with pytest.raises(Exception, match="append-only"):
        raw.run("UPDATE decisions SET outcome = 'dat' WHERE id = 1")
    with pytest.raises(Exception, match="append-only"):
        raw.run("DELETE FROM audit_events WHERE id = 1")


def test_downgrade_is_refused_while_a_decision_is_deferred(db: str) -> None:
    """Below 0003 no decision may say ``hoan_xet``: with one stored (first form, so that
    0006 lets the downgrade reach 0003), 0003 refuses and nothing changes."""
    Store.open(db).close()
    assert downgrade(db, "0003").after.current == "0003"
    report = deferral_report()
    record_first_form(db, report.decisions, nominees=report.nominees)
    with pytest.raises(StoreError) as caught:
        downgrade(db, "0002")
    assert caught.value.key == "store.downgrade_outcome"
    assert "hoan_xet" in caught.value.render("vi")
    assert current_revision(db)[1].current == "0003"  # nothing changed
    assert upgrade(db).after.at_head
    verified = verify(db)  # still whole
    assert verified.ok, [f.render("en") for f in verified.findings]
    assert verified.replayed == 4
