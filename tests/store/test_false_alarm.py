"""No false tamper alarm from ordinary use (issue 11, item 1), on SQLite and PostgreSQL.

A ``recorded`` event hashes the nominee's name, unit and subject as the decision was given
them. ``verify`` used to rebuild them from the submission row shared by every decision with
the same nominee, period and facts, and from the nominee row the first writer made: the
same facts recorded again under another title with a corrected name or unit, or an id
reused for a collective, made the earlier or later event look edited forever. From
revision 0005 each decision keeps what its event hashed; older rows fall back as before.
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria_engine.errors import Location, StoreError
from criteria_engine.evaluator import CompiledRule, evaluate
from criteria_engine.library import load_rule
from criteria_engine.nominees import Nominee, bind_facts
from criteria_engine.store import Store, current_revision, downgrade, upgrade, verify
from tests.common import CRITERIA
from tests.store.conftest import Raw
from tests.store.legacy import decide, record_first_form

PERIOD = 2024
FACTS = {"rating": "hoan_thanh_xuat_sac", "disciplined": False,
         "administrative_sanction": False}
#: Rules by subject: a person's two titles, and a collective's.
TITLES = {"ca_nhan": ("lao-dong-tien-tien/2024.2.yaml", "chien-si-thi-dua-co-so/2024.2.yaml"),
          "tap_the": ("tap-the-lao-dong-tien-tien/2024.1.yaml",)}


@cache
def rule(path: str) -> CompiledRule:
    return load_rule(CRITERIA / path)


def record(db: str, path: str, nominee_id: str, *, name: str = "Nguyễn Văn A",
           unit: str | None = "Xã Thử", subject: str = "ca_nhan",
           facts: dict[str, Any] | None = None) -> int:
    """Judge one nominee by one rule and record it; returns how many decisions were new."""
    nominee = Nominee(id=nominee_id, name=name, subject=subject, unit=unit, period=PERIOD,
                      facts=FACTS if facts is None else facts)
    compiled = rule(path)
    # the rule sees its own inputs; the store keeps every fact submitted (one submission
    # row for the nominee, period and facts, whichever rule judged them)
    own = {k: v for k, v in nominee.facts.items() if k in compiled.model.inputs}
    bound = bind_facts(compiled.model, nominee.model_copy(update={"facts": own}),
                       Location(record=nominee_id))
    decision = evaluate(compiled, bound, nominee_id=nominee_id, period=PERIOD,
                        name=nominee.name, unit=nominee.unit)
    with Store.open(db) as store:
        return store.record([decision], nominees={nominee_id: nominee}, actor="thư ký",
                            command="test").recorded


def findings(db: str) -> list[str]:
    return [finding.render("en") for finding in verify(db).findings]


LDTT, CSTDCS = TITLES["ca_nhan"]


@pytest.mark.parametrize("change", ["name", "unit", "no_unit", "subject"])
def test_a_correction_recorded_under_another_title_is_no_alarm(db: str, change: str) -> None:
    """The reproduction: first writer's submission and nominee rows, then the same id and
    facts with a corrected name or unit under a second title, or reused for a collective."""
    assert record(db, LDTT, "NV-01") == 1
    if change == "name":
        assert record(db, CSTDCS, "NV-01", name="Nguyễn Văn Á") == 1
    elif change == "unit":
        assert record(db, CSTDCS, "NV-01", unit="Phòng Nội vụ") == 1
    elif change == "no_unit":
        assert record(db, CSTDCS, "NV-01", unit=None) == 1
    else:
        assert record(db, TITLES["tap_the"][0], "NV-01", name="Tổ công tác",
                      subject="tap_the") == 1
    assert findings(db) == []
    # each decision shows what it was recorded with
    with Store.open(db) as store:
        first, second = store.show(1), store.show(2)
    assert (first.name, first.unit, first.subject) == ("Nguyễn Văn A", "Xã Thử", "ca_nhan")
    expected = {"name": ("Nguyễn Văn Á", "Xã Thử", "ca_nhan"),
                "unit": ("Nguyễn Văn A", "Phòng Nội vụ", "ca_nhan"),
                "no_unit": ("Nguyễn Văn A", None, "ca_nhan"),
                "subject": ("Tổ công tác", "Xã Thử", "tap_the")}[change]
    assert (second.name, second.unit, second.subject) == expected


def test_an_edited_own_name_is_still_detected(db: str, raw: Raw) -> None:
    record(db, LDTT, "NV-01")
    record(db, CSTDCS, "NV-01", name="Nguyễn Văn Á")
    with raw.tampering() as connection:
        connection.exec_driver_sql("UPDATE decisions SET name = 'Kẻ khác' WHERE id = 2")
    assert any("audit_events 2" in line for line in findings(db))


def test_rows_from_before_0005_fall_back_to_the_shared_rows(db: str, raw: Raw) -> None:
    """A decision recorded before 0005 has no names of its own and verifies as before; a
    later correction under another title is kept on the new decision."""
    Store.open(db).close()
    assert downgrade(db, "0004").after.current == "0004"  # empty: nothing refuses
    nominee = Nominee(id="NV-01", name="Nguyễn Văn A", subject="ca_nhan", unit="Xã Thử",
                      period=PERIOD, facts=FACTS)
    record_first_form(db, [decide(rule(LDTT), nominee)], nominees={"NV-01": nominee})
    assert upgrade(db).after.at_head
    assert raw.scalar("SELECT count(*) FROM decisions WHERE subject IS NULL") == 1
    record(db, CSTDCS, "NV-01", unit="Phòng Nội vụ")
    assert findings(db) == []
    # the old row's fallback is still checked: an edited submission is an alarm
    with raw.tampering() as connection:
        connection.exec_driver_sql("UPDATE submissions SET name = 'Kẻ khác'")
    assert any("audit_events 1" in line for line in findings(db))


def test_downgrade_refuses_while_a_decision_holds_names_the_older_schema_would_lose(
        db: str, raw: Raw) -> None:
    """At 0005 a decision keeps the name its event hashed; one that differs from its shared
    submission row (same facts, second title, corrected name) cannot go down to 0004."""
    Store.open(db).close()
    assert downgrade(db, "0005").after.current == "0005"
    first = Nominee(id="NV-01", name="Nguyễn Văn A", subject="ca_nhan", unit="Xã Thử",
                    period=PERIOD, facts=FACTS)
    renamed = first.model_copy(update={"name": "Nguyễn Văn Á"})
    record_first_form(db, [decide(rule(LDTT), first)], nominees={"NV-01": first})
    record_first_form(db, [decide(rule(CSTDCS), renamed)], nominees={"NV-01": renamed})
    assert raw.scalar("SELECT count(*) FROM submissions") == 1  # one shared row
    with pytest.raises(StoreError) as caught:
        downgrade(db, "0004")
    assert caught.value.key == "store.downgrade_names"
    assert "0004" in caught.value.render("en") and "0004" in caught.value.render("vi")
    assert current_revision(db)[1].current == "0005"
    assert upgrade(db).after.at_head
    assert findings(db) == []
    with pytest.raises(Exception, match="append-only"):
        raw.run("UPDATE decisions SET name = 'x' WHERE id = 1")


def test_first_form_decisions_are_corrected_and_re_recorded_by_the_second_form(
        db: str, raw: Raw) -> None:
    """A store written before 0006 upgrades and verifies clean; recording the same spelled
    facts again is "already recorded" (its first-form key), and changed facts are a
    correction that supersedes the first-form decision."""
    Store.open(db).close()
    assert downgrade(db, "0005").after.current == "0005"
    people = {nominee_id: Nominee(id=nominee_id, name=f"Người {nominee_id}",
                                  subject="ca_nhan", unit="Xã Thử", period=PERIOD,
                                  facts=FACTS) for nominee_id in ("NV-01", "NV-02")}
    written = record_first_form(db, [decide(rule(LDTT), n) for n in people.values()],
                                nominees=people)
    assert written.decision_ids == (1, 2)
    assert upgrade(db).after.at_head
    assert raw.scalar("SELECT count(*) FROM audit_events WHERE form IS NOT NULL") == 0
    assert findings(db) == []
    with Store.open(db) as store:
        again = store.record([decide(rule(LDTT), n) for n in people.values()],
                             nominees=people, actor="thư ký", command="test")
        assert (again.recorded, again.already_recorded) == (0, 2)
        changed = people["NV-01"].model_copy(update={"facts": OTHER_FACTS})
        corrected = store.record([decide(rule(LDTT), changed)], nominees={"NV-01": changed},
                                 actor="thư ký", command="test")
        assert (corrected.recorded, corrected.already_recorded) == (1, 0)
        repeated = store.record([decide(rule(LDTT), changed)], nominees={"NV-01": changed},
                                actor="thư ký", command="test")
        assert (repeated.recorded, repeated.already_recorded) == (0, 1)
    row = raw.run("SELECT id, supersedes, correction, content_key FROM decisions "
                  "WHERE supersedes IS NOT NULL").one()
    assert row.id == 3 and row.supersedes == 1
    assert row.correction == '["facts"]' and row.content_key is not None
    assert raw.scalar("SELECT form FROM audit_events WHERE decision_id = 3") == 2
    assert findings(db) == []


def test_downgrade_below_0006_is_refused_while_a_second_form_record_exists(
        db: str, raw: Raw) -> None:
    """Every decision recorded now is of the second form; its event names columns the
    older schema lacks, so going below 0006 refuses and leaves the store as it was."""
    assert record(db, LDTT, "NV-01") == 1
    events = raw.run("SELECT id, hash FROM audit_events ORDER BY id").all()
    triggers = raw.run("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
                       ).scalars().all() if not raw.postgres else []
    assert raw.postgres or "tdkt_no_replace_decisions" in triggers
    for target in ("0005", "0003"):
        with pytest.raises(StoreError) as caught:
            downgrade(db, target)
        assert caught.value.key == "store.downgrade_second_form"
        assert current_revision(db)[1].at_head
    assert raw.run("SELECT id, hash FROM audit_events ORDER BY id").all() == events
    if not raw.postgres:  # 0007's triggers, dropped first on the way down, are still there
        assert raw.run("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
                       ).scalars().all() == triggers
    assert findings(db) == []
    with pytest.raises(Exception, match="append-only"):
        raw.run("UPDATE decisions SET name = 'x' WHERE id = 1")


# -- the property ---------------------------------------------------------------------------

STEPS = ("record", "name", "unit", "subject", "title", "facts")
NAMES = ("Nguyễn Văn A", "Nguyễn Văn Á", "Tổ 1")
UNITS = (None, "Xã Thử", "Phòng Nội vụ")
OTHER_FACTS = {**FACTS, "rating": "hoan_thanh_tot"}
_ids = itertools.count(1)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(STEPS), st.integers(0, 2)),
                      min_size=1, max_size=6))
def test_verify_accepts_any_sequence_of_records_and_corrections(
        db: str, steps: list[tuple[str, int]]) -> None:
    """Record, correct the name or unit, change the subject, re-record under another
    title (or with other facts), in any order: verify always accepts. Each example uses
    a new nominee id in the same store, so earlier examples are checked again too."""
    nominee_id = f"P-{next(_ids)}"
    state: dict[str, Any] = {"name": NAMES[0], "unit": UNITS[1], "subject": "ca_nhan",
                             "title": 0, "facts": FACTS}
    for step, choice in steps:
        if step == "name":
            state["name"] = NAMES[choice]
        elif step == "unit":
            state["unit"] = UNITS[choice]
        elif step == "subject":
            state["subject"] = "tap_the" if state["subject"] == "ca_nhan" else "ca_nhan"
        elif step == "title":
            state["title"] += 1 + choice
        elif step == "facts":
            state["facts"] = OTHER_FACTS if state["facts"] is FACTS else FACTS
        titles = TITLES[state["subject"]]
        record(db, titles[state["title"] % len(titles)], nominee_id, name=state["name"],
               unit=state["unit"], subject=state["subject"], facts=state["facts"])
    assert findings(db) == []
