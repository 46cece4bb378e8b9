"""A unit's whole period in the store (issue 10): migration 0004, each decision's context
(derived values and cap placement) kept and hashed, ``loai_do_chi_tieu`` accepted by
verify only with a placement past the cap, and every derived value re-checked against
its own stored evidence — on SQLite and PostgreSQL.

Decisions with a context are made by hand here (``evaluate`` then ``_replace``), so these
tests stand apart from the period run that computes contexts for real.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from sqlalchemy import text

from criteria_engine.errors import Location, StoreError
from criteria_engine.evaluator import CompiledRule, Decision, evaluate
from criteria_engine.evidence import CapPlacement, DerivedValue, Seen
from criteria_engine.expressions import DECIMAL_CONTEXT
from criteria_engine.history import HistoryEntry
from criteria_engine.library import load_rule
from criteria_engine.nominees import Nominee, bind_facts
from criteria_engine.store import (
    Store,
    context_content,
    current_revision,
    downgrade,
    export_audit,
    import_history,
    parse_context,
    show_decision,
    upgrade,
    verify,
)
from criteria_engine.store._canonical import canonical_json
from criteria_engine.store._recheck import check_derived
from tests.common import CRITERIA
from tests.store.conftest import Raw
from tests.store.legacy import import_history_first_form, record_first_form

TITLE = "chien-si-thi-dua-co-so"
RATINGS = {"A-01": "hoan_thanh_xuat_sac", "A-02": "hoan_thanh_tot", "A-03": "hoan_thanh_tot",
           "A-04": "hoan_thanh", "A-05": "hoan_thanh_xuat_sac"}


@cache
def rule() -> CompiledRule:
    return load_rule(CRITERIA / "lao-dong-tien-tien" / "2024.2.yaml")


def judged(period: int = 2024) -> tuple[list[Decision], dict[str, Nominee]]:
    """Five people judged for lao-dong-tien-tien: A-04 fails, the others reach it."""
    decisions, nominees = [], {}
    for nominee_id, rating in RATINGS.items():
        nominee = Nominee(id=nominee_id, name=f"Người {nominee_id}", subject="ca_nhan",
                          period=period, unit="Xã Thử",
                          facts={"rating": rating, "disciplined": False,
                                 "administrative_sanction": False})
        facts = bind_facts(rule().model, nominee, Location(record=nominee_id))
        decisions.append(evaluate(rule(), facts, nominee_id=nominee_id, period=period,
                                  name=nominee.name, unit=nominee.unit))
        nominees[nominee_id] = nominee
    return decisions, nominees


def streak(subject: str, period: int = 2024) -> DerivedValue:
    """``consecutive`` = 2 with its evidence: held in the two previous years."""
    return DerivedValue(
        input="consecutive__chien_si_thi_dua_co_so", call=f'consecutive("{TITLE}")',
        value=Decimal(2), source="lich_su", periods=(period - 2, period - 1),
        seen=(Seen(subject, TITLE, period - 2, True, "import", "12/QĐ-UBND"),
              Seen(subject, TITLE, period - 1, True, "store", "7")))


def placed(decisions: list[Decision], *, limit: int = 2) -> list[Decision]:
    """A cap of ``limit`` over the nominees who reached the title, in list order: those
    past it become ``loai_do_chi_tieu``."""
    reached = [d for d in decisions if d.outcome == "dat"]
    result = []
    for decision in decisions:
        if decision.outcome != "dat":
            result.append(decision)
            continue
        rank = reached.index(decision) + 1
        cap = CapPlacement(group="Xã Thử", period=decision.period, rank=rank, limit=limit,
                           group_size=len(reached), within=rank <= limit, base=10,
                           ratio=Decimal("0.2"), keys=(decision.nominee_id,))
        result.append(decision._replace(
            cap=cap, outcome="dat" if rank <= limit else "loai_do_chi_tieu"))
    return result


def record(db: str, decisions: list[Decision], nominees: dict[str, Nominee]) -> None:
    with Store.open(db) as store:
        store.record(decisions, nominees=nominees, actor="thư ký", command="test")


def keys(db: str) -> set[tuple[Any, str]]:
    return {(f.row, f.key) for f in verify(db).findings}


# -- migration 0004 -------------------------------------------------------------------------

def test_old_decisions_keep_their_hashes_through_0004_down_and_up(db: str, raw: Raw) -> None:
    """Decisions without a context, written as tdkt wrote them before 0006 (first form,
    :mod:`tests.store.legacy`), go down through 0004's rebuild of the tables and back up to
    head with every event hash unchanged, and verify clean."""
    Store.open(db).close()
    assert downgrade(db, "0005").after.current == "0005"  # empty: nothing refuses
    decisions, nominees = judged()
    record_first_form(db, decisions, nominees=nominees)
    before = raw.run("SELECT id, hash FROM audit_events ORDER BY id").all()
    assert len(before) == len(decisions)
    assert raw.scalar("SELECT count(*) FROM decisions WHERE context IS NOT NULL") == 0
    assert downgrade(db, "0003").after.current == "0003"
    assert upgrade(db).after.at_head
    assert raw.run("SELECT id, hash FROM audit_events ORDER BY id").all() == before
    report = verify(db)
    assert report.ok, [f.render("en") for f in report.findings]
    assert report.replayed == len(decisions)
    # the append-only triggers came back with the rebuilt tables
    with pytest.raises(Exception, match="append-only"):
        raw.run("UPDATE decisions SET outcome = 'dat' WHERE id = 4")


@pytest.mark.parametrize("what", ["loai_do_chi_tieu", "context", "history"])
def test_downgrade_refuses_while_the_older_schema_cannot_hold_a_row(db: str, what: str) -> None:
    """Below 0004 there is no ``loai_do_chi_tieu``, no context and no title history: with
    one stored (decisions of the first form, so that 0006 lets the downgrade through, and
    a history import, whose event has no second form), 0004 refuses and nothing changes."""
    Store.open(db).close()
    decisions, nominees = judged()
    if what == "loai_do_chi_tieu":
        decisions = placed(decisions)
        expected = "store.downgrade_outcome"
    elif what == "context":
        decisions = [decisions[0]._replace(context=(streak("A-01"),))]
        expected = "store.downgrade_context"
    else:
        expected = "store.downgrade_history"
    assert downgrade(db, "0005").after.current == "0005"
    record_first_form(db, decisions, nominees=nominees)
    if what == "history":
        import_history_first_form(db, "A-01", TITLE, 2023)
    with pytest.raises(StoreError) as caught:
        downgrade(db, "0003")
    assert caught.value.key == expected
    assert "0003" in caught.value.render("en")
    assert current_revision(db)[1].current == "0005"
    assert upgrade(db).after.at_head
    report = verify(db)
    assert report.ok, [f.render("en") for f in report.findings]


# -- context kept and hashed ----------------------------------------------------------------

def test_a_context_is_stored_as_canonical_json_and_reads_back(db: str, raw: Raw) -> None:
    decisions, nominees = judged()
    decisions = placed([decisions[0]._replace(context=(streak("A-01"),)), *decisions[1:]])
    record(db, decisions, nominees)
    stored = raw.scalar("SELECT context FROM decisions WHERE id = 1")
    assert stored == canonical_json(context_content(decisions[0].context, decisions[0].cap))
    assert json.loads(stored)["derived"][0]["value"] == "2"
    assert raw.scalar("SELECT context FROM decisions WHERE id = 4") is None  # khong_dat
    record_one = show_decision(db, 1)
    assert record_one.context == decisions[0].context
    assert record_one.cap == decisions[0].cap
    assert parse_context(stored) == (decisions[0].context, decisions[0].cap)
    # the derived value is kept with the submitted facts, so the decision replays from them
    facts = json.loads(raw.scalar("SELECT s.facts FROM decisions d JOIN submissions s "
                                  "ON s.id = d.submission_id WHERE d.id = 1"))
    assert facts["consecutive__chien_si_thi_dua_co_so"] == "2"
    report = verify(db)
    assert report.ok, [f.render("en") for f in report.findings]


def test_an_export_carries_the_context_and_checks_without_tdkt(db: str, tmp_path: Any) -> None:
    import subprocess
    import sys

    from tests.common import ROOT

    decisions, nominees = judged()
    record(db, placed([decisions[0]._replace(context=(streak("A-01"),)), *decisions[1:]]),
           nominees)
    import_history(db, [HistoryEntry("A-01", 2022, title=TITLE, decision_number="3/QĐ")],
                   actor="lan", source_name="ls.json")
    target = tmp_path / "audit.jsonl"
    with target.open("w", encoding="utf-8") as out:
        assert export_audit(db, out) == 6
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert "context" in lines[0] and "context_sha256" in lines[0]["event"]["decision"]
    assert "context" not in lines[3] and "context_sha256" not in lines[3]["event"]["decision"]
    assert lines[5]["event"]["kind"] == "history_imported"
    assert lines[5]["history"][0]["title"] == TITLE
    checked = subprocess.run([sys.executable, str(ROOT / "docs" / "verify_export.py"),
                              str(target)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("ok: 6 events")


def test_an_edited_context_is_found(db: str, raw: Raw) -> None:
    decisions, nominees = judged()
    record(db, [decisions[0]._replace(context=(streak("A-01"),)), *decisions[1:]], nominees)
    assert verify(db).ok
    with raw.tampering() as sql:
        sql.execute(text("UPDATE decisions SET context = replace(context, '\"value\":\"2\"', "
                         "'\"value\":\"3\"') WHERE id = 1"))
    found = keys(db)
    assert (1, "audit.event_hash") in found      # the event names the context's sha256
    assert (1, "audit.derived_value") in found   # 3 is not what its evidence gives
    assert (1, "audit.derived_fact") in found    # nor the fact the replay judged


def test_an_unreadable_context_is_a_finding_not_a_crash(db: str, raw: Raw) -> None:
    decisions, nominees = judged()
    record(db, [decisions[0]._replace(context=(streak("A-01"),)), *decisions[1:]], nominees)
    with raw.tampering() as sql:
        sql.execute(text("UPDATE decisions SET context = '{\"derived\": 5}' WHERE id = 1"))
    found = keys(db)
    assert (1, "audit.context_unreadable") in found
    assert show_decision(db, 1).context == ()


# -- caps -----------------------------------------------------------------------------------

def test_past_the_cap_with_a_consistent_placement_verifies_clean(db: str, raw: Raw) -> None:
    decisions, nominees = judged()
    record(db, placed(decisions, limit=2), nominees)
    outcomes = raw.run("SELECT outcome FROM decisions ORDER BY id").scalars().all()
    assert outcomes == ["dat", "dat", "loai_do_chi_tieu", "khong_dat", "loai_do_chi_tieu"]
    report = verify(db)
    assert report.ok, [f.render("en") for f in report.findings]
    assert show_decision(db, 3).cap == CapPlacement(
        group="Xã Thử", period=2024, rank=3, limit=2, group_size=4, within=False, base=10,
        ratio=Decimal("0.2"), keys=("A-03",))


def test_a_placement_that_contradicts_the_outcome_is_found(db: str) -> None:
    decisions, nominees = judged()
    capped = placed(decisions, limit=2)
    past = capped[2].cap
    assert past is not None
    bad = [capped[0], capped[1],
           capped[2]._replace(outcome="dat"),                           # dat, yet rank 3 > 2
           capped[3],
           capped[4]._replace(cap=CapPlacement("Xã Thử", 2024, 4, 2, 4, True))]  # within?
    record(db, bad, nominees)
    found = keys(db)
    assert (3, "audit.cap_dat_past_limit") in found
    assert (5, "audit.cap_inconsistent") in found
    assert (5, "audit.replay_outcome") not in found  # rank 4 > 2: still past the cap


def test_past_the_cap_without_a_placement_does_not_replay(db: str) -> None:
    decisions, nominees = judged()
    record(db, [decisions[0]._replace(outcome="loai_do_chi_tieu")], nominees)
    assert (1, "audit.replay_outcome") in keys(db)


def test_a_placement_within_the_cap_cannot_excuse_loai_do_chi_tieu(db: str) -> None:
    decisions, nominees = judged()
    capped = placed(decisions, limit=2)
    record(db, [capped[0]._replace(outcome="loai_do_chi_tieu")], nominees)
    assert (1, "audit.replay_outcome") in keys(db)


# -- derived values against their evidence (pure) -------------------------------------------

P = 2025


def value(call: str, result: Decimal | bool | None, *seen: Seen, source: str = "lich_su",
          counted_from: int | None = None, unknown: tuple[str, ...] = ()) -> DerivedValue:
    return DerivedValue(input="x", call=call, value=result, source=source,  # type: ignore[arg-type]
                        seen=seen, counted_from=counted_from, unknown_members=unknown)


def held(year: int, title: str = TITLE, subject: str = "S", is_held: bool = True) -> Seen:
    return Seen(subject, title, year, is_held, "import")


def discipline(year: int, level: str = "khien_trach") -> Seen:
    return Seen("S", "", year, False, "import", None, level)


def problems(*values: DerivedValue, facts: dict[str, Any] | None = None) -> list[str]:
    return [p.key for p in check_derived(values, subject="S", period=P, facts=facts)]


@pytest.mark.parametrize(("call", "result", "seen", "counted_from"), [
    (f'consecutive("{TITLE}")', Decimal(3), (held(2022), held(2023), held(2024)), None),
    (f'consecutive("{TITLE}")', Decimal(1), (held(2024),), None),
    (f'consecutive("{TITLE}")', Decimal(0), (), None),
    # a discipline ending in 2022 cuts the streak: 2023 and 2024 count
    (f'consecutive("{TITLE}")', Decimal(2),
     (held(2021), held(2022), held(2023), held(2024), discipline(2021)), 2023),
    (f'consecutive("{TITLE}", include_current=True)', Decimal(2), (held(2024), held(2025)), None),
    (f'count_in("{TITLE}", periods=5)', Decimal(3), (held(2020), held(2022), held(2024)), None),
    (f'count_in("{TITLE}", periods=3)', Decimal(2), (held(2022), held(2024)), None),
    (f'count_in("{TITLE}")', Decimal(4),
     (held(2010), held(2020), held(2022), held(2024)), None),
    (f'periods_since("{TITLE}")', Decimal(5), (held(2019),), None),
    (f'periods_since("{TITLE}")', Decimal(0), (), None),
    (f'count_since("{TITLE}", "bang-khen")', Decimal(2),
     (held(2020, "bang-khen"), held(2021), held(2023)), None),
    (f'count_since("{TITLE}", "bang-khen")', Decimal(0), (), None),
    (f'held("{TITLE}")', True, (held(2024),), None),
    (f'held("{TITLE}", period=-2)', False, (), None),
    (f'held("{TITLE}", period=0)', False, (held(2025, is_held=False),), None),
    (f'held("{TITLE}", period=0)', None, (), None),
])
def test_each_history_function_is_recomputed_from_its_evidence(
        call: str, result: Any, seen: tuple[Seen, ...], counted_from: int | None) -> None:
    assert problems(value(call, result, *seen, counted_from=counted_from)) == []
    if isinstance(result, Decimal):
        wrong = value(call, result + 1, *seen, counted_from=counted_from)
        assert problems(wrong) == ["audit.derived_value"]


def test_a_streak_cut_without_a_discipline_in_its_evidence_is_found() -> None:
    cut = value(f'consecutive("{TITLE}")', Decimal(1), held(2023), held(2024),
                counted_from=2024)
    assert "audit.derived_discipline" in problems(cut)
    uncut = value(f'consecutive("{TITLE}")', Decimal(2), held(2023), held(2024),
                  discipline(2020))
    assert "audit.derived_discipline" in problems(uncut)


def test_evidence_of_another_subject_does_not_count() -> None:
    other = value(f'consecutive("{TITLE}")', Decimal(1), held(2024, subject="T"))
    assert problems(other) == ["audit.derived_value"]


def member(subject: str, is_held: bool, title: str = "lao-dong-tien-tien") -> Seen:
    return Seen(subject, title, P, is_held, "run", "lao-dong-tien-tien@2025.1")


ROLL = (member("M1", True), member("M2", True), member("M3", False))
THIRDS = DECIMAL_CONTEXT.divide(Decimal(2), Decimal(3))


@pytest.mark.parametrize(("call", "result", "seen"), [
    ('share_of_members("lao-dong-tien-tien")',
     THIRDS, ROLL),
    ('members_with("lao-dong-tien-tien")', Decimal(2), ROLL),
    ('members_disciplined("canh_cao")', Decimal(1),
     (Seen("M1", "", P, False, "import", None, "ha_bac_luong"),
      Seen("M2", "", P, False, "import", None, "khien_trach"))),
])
def test_each_member_roll_up_is_recomputed(call: str, result: Decimal,
                                           seen: tuple[Seen, ...]) -> None:
    assert problems(value(call, result, *seen, source="thanh_vien")) == []
    assert problems(value(call, result + 1, *seen, source="thanh_vien")) == [
        "audit.derived_value"]


def test_member_count_is_checked_against_the_other_roll_ups() -> None:
    share = value('share_of_members("lao-dong-tien-tien")', THIRDS, *ROLL,
                  source="thanh_vien")
    count = DerivedValue("n", "member_count()", Decimal(3), "thanh_vien")
    assert check_derived([share, count], subject="S", period=P) == []
    wrong = DerivedValue("n", "member_count()", Decimal(4), "thanh_vien")
    assert [p.key for p in check_derived([share, wrong], subject="S", period=P)] == [
        "audit.derived_value"]


def test_unknown_members_make_a_roll_up_missing() -> None:
    assert problems(value('members_with("lao-dong-tien-tien")', None, *ROLL,
                          source="thanh_vien", unknown=("M9",))) == []
    assert problems(value('members_with("lao-dong-tien-tien")', Decimal(2), *ROLL,
                          source="thanh_vien", unknown=("M9",))) == ["audit.derived_value"]


def test_a_self_declared_roll_up_is_only_compared_with_its_fact() -> None:
    declared = value('share_of_members("lao-dong-tien-tien")', Decimal("0.8"),
                     source="tu_khai")
    assert problems(declared, facts={"x": Decimal("0.8")}) == []
    assert problems(declared, facts={"x": Decimal("0.7")}) == ["audit.derived_fact"]


@pytest.mark.parametrize("call", [
    'streak("t")', "consecutive(t)", 'consecutive("t", 3)', 'consecutive("t", periods=5)',
    'held("t", period=True)', "__import__('os')", 'members_disciplined("nope")', "1 +",
])
def test_a_call_verify_cannot_recompute_is_a_finding(call: str) -> None:
    assert problems(value(call, Decimal(0))) == ["audit.derived_call"]


def test_a_boolean_function_with_a_number_is_found() -> None:
    assert problems(value(f'held("{TITLE}")', Decimal(1), held(2024))) == [
        "audit.derived_value"]



def test_a_context_the_database_cannot_hold_refuses_that_record_only(db: str) -> None:
    decisions, nominees = judged()
    broken = DerivedValue("x", f'held("{TITLE}")', True, "lich_su", (2023,),
                          (Seen("A-01", TITLE, 2023, True, "import", "1/QĐ\ud800"),))
    with Store.open(db) as store:
        summary = store.record([decisions[0]._replace(context=(broken,)), *decisions[1:]],
                               nominees=nominees, actor="lan", command="test")
    assert summary.recorded == 4
    assert [(e.where.record, e.where.field) for e in summary.refused] == [("A-01", "context")]
