"""How fast tdkt records decisions with the audit chain, against a raw insert in the same run.

Run on demand (not part of the tests), from the repository root::

    .venv/bin/python benchmarks/bench_record.py [--decisions N] [--repeat R] [--seed S]
        [--gc] [--postgres URL | --no-postgres] [--verify]

Steps, all in one process on the same data:

1. ``N`` nominees (default 100 000) are generated from a seed and judged by the
   15-criterion rule ``benchmarks/rules/bench-15/2024.1.yaml`` exactly as
   ``tdkt evaluate`` judges a file (``bind_facts`` then ``evaluate``); timed as
   *evaluate*.
2. **tdkt record**: :meth:`criteria_engine.store.Store.record` writes every decision to
   a new SQLite file in one transaction: idempotency keys checked, rule file,
   nominees, run, submissions (typed JSON facts), decisions (per-criterion results)
   and one hash-chained audit event per decision, each hash computed in Python.
3. **raw executemany**: the very rows step 2 wrote are read back and inserted with
   the standard library's ``sqlite3`` ``executemany`` into another new file at the
   same schema revision (same indexes and triggers) with the same connection
   settings (foreign keys on, same page cache), in one transaction. This is the
   floor: no JSON, no hashing, no SQLAlchemy.
4. The same two steps on PostgreSQL, each in a fresh schema that is dropped afterwards
   (the store writes its big tables with ``COPY``, the raw baseline with psycopg's
   ``executemany``, so there the ratio can fall below 1), when the server answers
   (``--postgres URL``, else ``TDKT_TEST_POSTGRES_URL``, else
   ``postgresql+psycopg://postgres@127.0.0.1:5432/test``).

Steps 2 and 3 are repeated ``--repeat`` times (default 3), interleaved, each into new
files, and the best round of each is kept, as ``bench_evaluate.py`` does; the machine
may be shared. Targets (SQLite): at least 20 000 decisions recorded per second, and
recording within 2x of the raw insert. Reported, not asserted; the last line is JSON.
The garbage collector is off while timing, as ``timeit`` does (``--gc`` leaves it on).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from bench_evaluate import raw_facts

from criteria_engine.errors import Location, StoreError
from criteria_engine.evaluator import Decision, evaluate
from criteria_engine.library import load_rule
from criteria_engine.nominees import Nominee, bind_facts
from criteria_engine.store import Store, upgrade, verify
from criteria_engine.store._connect import SQLITE_CACHE_KIB

RULE_PATH = Path(__file__).resolve().parent / "rules" / "bench-15" / "2024.1.yaml"
DEFAULT_DECISIONS = 100_000
DEFAULT_SEED = 20240101
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PERIOD = 2024
#: Chance that a fact is left out of a record (so the decision may be "missing data").
MISSING_RATE = 0.05
TARGET_PER_SECOND = 20_000
TARGET_OVER_RAW = 2.0
#: Tables in the order the store writes them (foreign keys point backwards).
TABLES = ("rule_files", "nominees", "runs", "submissions", "decisions", "audit_events")

T = TypeVar("T")


def make_nominees(count: int, *, seed: int) -> list[Nominee]:
    """Records as a nominee file carries them: ints, one-decimal numbers, bools, enums."""
    rng = random.Random(seed)
    nominees = []
    for number in range(count):
        facts = raw_facts(rng)  # the same generator as bench_evaluate's, same stream
        facts = {k: v for k, v in facts.items() if rng.random() >= MISSING_RATE}
        nominees.append(Nominee(id=f"NV{number:06d}", name=f"Nhân viên {number}",
                                subject="ca_nhan", unit="Phòng Đo hiệu năng", period=PERIOD,
                                facts=facts))
    return nominees


def timed(action: Callable[[], T], *, keep_gc: bool) -> tuple[T, float]:
    gc.collect()
    if not keep_gc:
        gc.disable()
    try:
        start = time.perf_counter()
        result = action()
        return result, time.perf_counter() - start
    finally:
        gc.enable()


def judge(nominees: list[Nominee]) -> list[Decision]:
    rule = load_rule(RULE_PATH)
    return [evaluate(rule, bind_facts(rule.model, n, Location(record=n.id)), nominee_id=n.id,
                     period=n.period, name=n.name, unit=n.unit) for n in nominees]


def record(db: str, decisions: list[Decision], nominees: dict[str, Nominee], *,
           keep_gc: bool) -> float:
    with Store.open(db) as store:  # created at head before the clock starts
        summary, seconds = timed(lambda: store.record(
            decisions, nominees=nominees, actor="bench", command="bench_record.py"),
            keep_gc=keep_gc)
    if summary.recorded != len(decisions):
        raise SystemExit(f"recorded {summary.recorded} of {len(decisions)}")
    return seconds


# --- SQLite ---------------------------------------------------------------------------------


def sqlite_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as connection:
        return {table: connection.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
                for table in TABLES}


def sqlite_raw(path: Path, rows: dict[str, list[tuple[Any, ...]]], *, keep_gc: bool) -> float:
    Store.open(str(path)).close()  # same schema revision, indexes and triggers
    head = rows["audit_events"][-1]

    def insert() -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        # The settings the store's own connections use (see _connect.py): same footing.
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        connection.execute("BEGIN IMMEDIATE")
        for table in TABLES:
            marks = ",".join("?" * len(rows[table][0]))
            connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[table])
        connection.execute("UPDATE audit_chain_head SET last_event_id = ?, last_hash = ? "
                           "WHERE id = 1", (head[0], head[-1]))
        connection.execute("COMMIT")
        connection.close()

    return timed(insert, keep_gc=keep_gc)[1]


# --- PostgreSQL -----------------------------------------------------------------------------


def postgres_url(base: str, schema: str) -> str:
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{schema}"


def postgres_bench(base: str, decisions: list[Decision], nominees: dict[str, Nominee], *,
                   keep_gc: bool) -> dict[str, float] | str:
    import psycopg

    conninfo = base.replace("postgresql+psycopg://", "postgresql://")
    try:
        admin = psycopg.connect(conninfo, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        return f"skipped: {str(error).splitlines()[0]}"
    schemas = [f"bench_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    try:
        for schema in schemas:
            admin.execute(f"CREATE SCHEMA {schema}")
            upgrade(postgres_url(base, schema))  # an existing database needs its schema made
        seconds = record(postgres_url(base, schemas[0]), decisions, nominees, keep_gc=keep_gc)
        Store.open(postgres_url(base, schemas[1])).close()
        rows: dict[str, list[tuple[Any, ...]]] = {}
        with psycopg.connect(conninfo, options=f"-csearch_path={schemas[0]}") as source:
            for table in TABLES:
                rows[table] = source.execute(f"SELECT * FROM {table}").fetchall()
        head = max(rows["audit_events"], key=lambda row: row[0])

        def insert() -> None:
            with psycopg.connect(conninfo, options=f"-csearch_path={schemas[1]}") as target, \
                    target.cursor() as cursor:
                for table in TABLES:
                    marks = ",".join(["%s"] * len(rows[table][0]))
                    cursor.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[table])
                cursor.execute("UPDATE audit_chain_head SET last_event_id = %s, last_hash = %s "
                               "WHERE id = 1", (head[0], head[-1]))

        raw = timed(insert, keep_gc=keep_gc)[1]
        return {"record_s": seconds, "raw_s": raw}
    finally:
        for schema in schemas:
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decisions", type=int, default=DEFAULT_DECISIONS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--gc", action="store_true", help="leave the garbage collector on")
    parser.add_argument("--postgres", default=None, help="PostgreSQL URL (default: see above)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--verify", action="store_true", help="also time `tdkt audit verify`")
    args = parser.parse_args()
    count = args.decisions

    nominees = make_nominees(count, seed=args.seed)
    decisions, evaluate_s = timed(lambda: judge(nominees), keep_gc=args.gc)
    by_id = {n.id: n for n in nominees}
    outcomes = Counter(d.outcome for d in decisions)

    record_times: list[float] = []
    raw_times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="tdkt-bench-") as folder:
        store_path = Path(folder) / "store.db"
        raw_path = Path(folder) / "raw.db"
        for _round in range(args.repeat):
            # Each round starts from nothing: both files are removed first, so neither
            # side pays for the other's (or an earlier round's) pages in the OS cache.
            for path in (store_path, raw_path):
                path.unlink(missing_ok=True)
            record_times.append(record(str(store_path), decisions, by_id, keep_gc=args.gc))
            rows = sqlite_rows(store_path)
            raw_times.append(sqlite_raw(raw_path, rows, keep_gc=args.gc))
            del rows
        record_s, raw_s = min(record_times), min(raw_times)
        size = store_path.stat().st_size
        verify_s = None
        if args.verify:
            report, verify_s = timed(lambda: verify(str(store_path)), keep_gc=args.gc)
            if not report.ok:
                raise SystemExit("verify found problems: " + report.findings[0].render("en"))

    postgres: dict[str, float] | str = "skipped: --no-postgres"
    if not args.no_postgres:
        base = args.postgres or os.environ.get("TDKT_TEST_POSTGRES_URL") or DEFAULT_POSTGRES
        try:
            postgres = postgres_bench(base, decisions, by_id, keep_gc=args.gc)
        except StoreError as error:
            postgres = f"skipped: {error}"

    rate = count / record_s
    ratio = record_s / raw_s
    print(f"tdkt record benchmark: {count} decisions, rule {RULE_PATH.name} (15 criteria), "
          f"seed {args.seed}, outcomes {dict(outcomes)}")
    print(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
          f"{os.cpu_count()} CPUs, GC {'on' if args.gc else 'off'} while timing, "
          f"best of {args.repeat}\n")
    print(f"{'step':<34}{'seconds':>10}{'per second':>14}")
    print(f"{'evaluate (bind + evaluate)':<34}{evaluate_s:>10.3f}{count / evaluate_s:>14,.0f}")
    print(f"{'SQLite: tdkt record':<34}{record_s:>10.3f}{rate:>14,.0f}")
    print(f"{'SQLite: raw sqlite3 executemany':<34}{raw_s:>10.3f}{count / raw_s:>14,.0f}")
    if verify_s is not None:
        print(f"{'SQLite: tdkt audit verify':<34}{verify_s:>10.3f}{count / verify_s:>14,.0f}")
    pg: dict[str, Any] = {"status": postgres} if isinstance(postgres, str) else {}
    if isinstance(postgres, dict):
        pg = {"per_second": count / postgres["record_s"],
              "ratio_to_raw": postgres["record_s"] / postgres["raw_s"], **postgres}
        print(f"{'PostgreSQL: tdkt record':<34}{postgres['record_s']:>10.3f}"
              f"{pg['per_second']:>14,.0f}")
        print(f"{'PostgreSQL: raw psycopg executemany':<34}{postgres['raw_s']:>10.3f}"
              f"{count / postgres['raw_s']:>14,.0f}")
    else:
        print(f"PostgreSQL: {postgres}")
    print(f"\nSQLite file: {size / 1e6:.1f} MB ({size / count:.0f} bytes per decision)")
    met_rate = rate >= TARGET_PER_SECOND
    met_ratio = ratio <= TARGET_OVER_RAW
    print(f"target ≥ {TARGET_PER_SECOND:,} decisions/s recorded: {rate:,.0f} "
          f"{'MET' if met_rate else 'NOT MET'}")
    print(f"target record ≤ {TARGET_OVER_RAW}x raw insert: {ratio:.2f}x "
          f"{'MET' if met_ratio else 'NOT MET'}")
    if isinstance(postgres, dict):
        print(f"PostgreSQL: {pg['per_second']:,.0f} decisions/s, {pg['ratio_to_raw']:.2f}x raw")
    print(json.dumps({
        "benchmark": "record", "decisions": count, "seed": args.seed, "gc": args.gc,
        "repeat": args.repeat, "evaluate_s": evaluate_s,
        "sqlite": {"record_s": record_s, "raw_s": raw_s, "record_rounds_s": record_times,
                   "raw_rounds_s": raw_times,
                                             "per_second": rate, "ratio_to_raw": ratio,
                                             "bytes_per_decision": size / count,
                                             "verify_s": verify_s},
        "postgresql": pg, "met": {"per_second": met_rate, "ratio_to_raw": met_ratio},
        "python": platform.python_version(), "platform": sys.platform,
    }))


if __name__ == "__main__":
    main()
