"""A second process for the store tests: records batches, or dies half-way through one.

    python -m tests.store.writer DB record PREFIX COUNT ROUNDS [GO_FILE]
    python -m tests.store.writer DB kill PREFIX COUNT

``record`` waits for GO_FILE (so two writers start together), then records ROUNDS
batches of COUNT new nominees plus, each round, the same shared batch (which only
one writer may record). ``kill`` records one batch and SIGKILLs itself after the
last table is written, before the transaction commits.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from criteria_engine.errors import Location
from criteria_engine.evaluator import Decision, evaluate
from criteria_engine.library import load_rule
from criteria_engine.nominees import Nominee, bind_facts
from criteria_engine.store import Store, _store
from tests.common import CRITERIA

RATINGS = ("hoan_thanh_xuat_sac", "hoan_thanh_tot", "hoan_thanh", "khong_hoan_thanh")


def batch(prefix: str, count: int) -> tuple[list[Decision], dict[str, Nominee]]:
    """``count`` nominees for lao-dong-tien-tien with ids ``prefix-0000…``."""
    rule = load_rule(CRITERIA / "lao-dong-tien-tien" / "2024.1.yaml")
    nominees = {}
    decisions = []
    for number in range(count):
        nominee = Nominee(id=f"{prefix}-{number:04d}", name=f"Người {number}",
                          subject="ca_nhan", period=2024, unit="Xã Thử",
                          facts={"rating": RATINGS[number % 4], "disciplined": number % 7 == 0,
                                 "administrative_sanction": False})
        facts = bind_facts(rule.model, nominee, Location(record=nominee.id))
        decisions.append(evaluate(rule, facts, nominee_id=nominee.id, period=2024,
                                  name=nominee.name, unit=nominee.unit))
        nominees[nominee.id] = nominee
    return decisions, nominees


def record(db: str, prefix: str, count: int, rounds: int, go: str | None) -> None:
    while go and not Path(go).exists():
        time.sleep(0.01)
    shared = batch("SHARED", count)
    with Store.open(db) as store:
        for number in range(rounds):
            decisions, nominees = batch(f"{prefix}{number}", count)
            store.record(decisions, nominees=nominees, actor=prefix, command="writer")
            store.record(shared[0], nominees=shared[1], actor=prefix, command="writer shared")


def die_while_recording(db: str, prefix: str, count: int) -> None:
    original = _store._bulk_insert

    def then_die(connection: Any, table: str, *args: Any, **kwargs: Any) -> None:
        original(connection, table, *args, **kwargs)
        if table == "audit_events":
            os.kill(os.getpid(), signal.SIGKILL)

    _store._bulk_insert = then_die  # type: ignore[assignment]
    decisions, nominees = batch(prefix, count)
    with Store.open(db) as store:
        store.record(decisions, nominees=nominees, actor="killed", command="writer kill")


def main(argv: list[str]) -> None:
    db, mode, prefix, count = argv[0], argv[1], argv[2], int(argv[3])
    if mode == "record":
        record(db, prefix, count, int(argv[4]), argv[5] if len(argv) > 5 else None)
    else:
        die_while_recording(db, prefix, count)


if __name__ == "__main__":
    main(sys.argv[1:])
