"""How fast ``tdkt audit verify`` checks a store, stage by stage, against plain reads of it.

Run on demand (not part of the tests), from the repository root::

    .venv/bin/python benchmarks/bench_verify.py [--decisions N] [--repeat R] [--seed S]
        [--gc] [--postgres URL | --no-postgres] [--profile FILE]

Steps, all in one process on the same data:

1. ``N`` nominees (default 100 000) are generated and judged by the 15-criterion rule
   ``benchmarks/rules/bench-15/2024.1.yaml`` with ``bench_record.py``'s generator and
   judge, and recorded with :meth:`criteria_engine.store.Store.record` into a new SQLite
   file (and, when the server answers, a fresh PostgreSQL schema, dropped afterwards).
2. **verify**: :func:`criteria_engine.store.verify` on that store, timed stage by stage
   (``rules``, ``submissions``, ``chain``, ``replay``, ``achievements``) through its
   ``progress`` callback: a stage runs from its first call to the next stage's first
   call (the last one to the end of verify). The store must verify clean. The replay
   stage is also timed alone, with its shortcuts (``criteria_engine.store._fastreplay``)
   on and off: off is the plain way (a pydantic ``Nominee``, ``bind_facts`` and a
   criterion-by-criterion comparison for every decision).
3. Two baselines on the same store, each a floor for a pass over every decision:
   **select** streams the replay stage's rows (decisions joined to their submissions
   and nominees) through the driver alone (``sqlite3`` / psycopg), no SQLAlchemy; and
   **select + sha256** does the same and also hashes each decision's facts and criteria
   texts with ``hashlib``.

Verify and the baselines are repeated ``--repeat`` times (default 3), interleaved, and
the best round of each is kept. Target (issue 11): ``audit verify`` at least 50 000
decisions per second on SQLite. Reported, not asserted; the last line is JSON. The
garbage collector is off while timing (``--gc`` leaves it on). ``--profile FILE`` also
writes a cProfile of one more verify on SQLite (read it with ``python -m pstats FILE``).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench_record import (
    DEFAULT_POSTGRES,
    DEFAULT_SEED,
    RULE_PATH,
    judge,
    make_nominees,
    postgres_url,
    timed,
)
from sqlalchemy import select

from criteria_engine.errors import StoreError
from criteria_engine.evaluator import Decision
from criteria_engine.nominees import Nominee
from criteria_engine.store import VERIFY_STAGES, Store, upgrade, verify
from criteria_engine.store._audit import _check_rules
from criteria_engine.store._findings import Ticks, VerifyReport
from criteria_engine.store._models import DecisionRow
from criteria_engine.store._replay import replay

DEFAULT_DECISIONS = 100_000
TARGET_PER_SECOND = 50_000
#: The replay stage's join, as the driver alone streams it (the first baseline).
SELECT = ("SELECT d.id, d.key, d.rule_sha256, d.outcome, d.points, d.criteria, d.context, "
          "s.id, s.nominee_id, s.period, d.name, d.unit, d.subject, s.facts, s.facts_sha256 "
          "FROM decisions d LEFT JOIN submissions s ON s.id = d.submission_id "
          "LEFT JOIN nominees n ON n.nominee_id = s.nominee_id ORDER BY d.id")


def timed_verify(db: str, *, keep_gc: bool) -> tuple[float, dict[str, float]]:
    """Verify ``db``; (total seconds, seconds per stage). Stops if it finds anything."""
    starts: dict[str, float] = {}

    def progress(stage: str, _done: int, _total: int) -> None:
        starts.setdefault(stage, time.perf_counter())

    with Store.open(db, create=False) as store:
        report, total = timed(lambda: store.verify(progress=progress), keep_gc=keep_gc)
    end = time.perf_counter()
    if not report.ok:
        raise SystemExit("verify found problems: " + report.findings[0].render("en"))
    order = [stage for stage in VERIFY_STAGES if stage in starts]
    stages = {stage: (starts[order[i + 1]] if i + 1 < len(order) else end) - starts[stage]
              for i, stage in enumerate(order)}
    return total, stages


def timed_replay(db: str, *, fast: bool, keep_gc: bool) -> float:
    """The replay stage alone (rules compiled first, not timed), the shortcuts of
    :mod:`criteria_engine.store._fastreplay` on or off (``fast=False``: the plain way)."""
    with Store.open(db, create=False) as store, store._reading() as connection:
        rules = _check_rules(connection, VerifyReport(), Ticks(None, "rules", 0))
        recorded = set(connection.execute(select(DecisionRow.id)).scalars())
        report = VerifyReport()
        seconds = timed(lambda: replay(connection, report, rules, recorded,
                                       Ticks(None, "replay", 0), fast=fast),
                        keep_gc=keep_gc)[1]
    if not report.ok:
        raise SystemExit("replay found problems: " + report.findings[0].render("en"))
    return seconds


def select_rows(rows: Iterator[tuple[Any, ...]], *, digest: bool) -> int:
    count = 0
    for row in rows:
        count += 1
        if digest:
            hashlib.sha256(row[5].encode()).hexdigest()
            hashlib.sha256(row[13].encode()).hexdigest()
    return count


def sqlite_baseline(path: Path, *, digest: bool, keep_gc: bool) -> float:
    def run() -> int:
        with sqlite3.connect(path) as connection:
            return select_rows(iter(connection.execute(SELECT)), digest=digest)

    return timed(run, keep_gc=keep_gc)[1]


@contextmanager
def postgres_store(base: str) -> Iterator[tuple[str, str] | str]:
    """A fresh schema's (SQLAlchemy URL, psycopg conninfo + schema), or why not."""
    import psycopg

    conninfo = base.replace("postgresql+psycopg://", "postgresql://")
    try:
        admin = psycopg.connect(conninfo, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        yield f"skipped: {str(error).splitlines()[0]}"
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    try:
        admin.execute(f"CREATE SCHEMA {schema}")
        yield postgres_url(base, schema), schema
    finally:
        admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.close()


def postgres_baseline(base: str, schema: str, *, digest: bool, keep_gc: bool) -> float:
    import psycopg

    conninfo = base.replace("postgresql+psycopg://", "postgresql://")

    def run() -> int:
        with psycopg.connect(conninfo, options=f"-csearch_path={schema}") as connection, \
                connection.cursor(name="bench_verify") as cursor:  # server side, streamed
            cursor.itersize = 2000
            cursor.execute(SELECT)
            return select_rows(iter(cursor), digest=digest)

    return timed(run, keep_gc=keep_gc)[1]


def rounds(db: str, baseline: Callable[[bool], float], repeat: int, *, keep_gc: bool
           ) -> dict[str, Any]:
    verify_times: list[float] = []
    stage_times: dict[str, list[float]] = {}
    select_times: list[float] = []
    digest_times: list[float] = []
    fast_times: list[float] = []
    plain_times: list[float] = []
    for _round in range(repeat):
        fast_times.append(timed_replay(db, fast=True, keep_gc=keep_gc))
        plain_times.append(timed_replay(db, fast=False, keep_gc=keep_gc))
        total, stages = timed_verify(db, keep_gc=keep_gc)
        verify_times.append(total)
        for stage, seconds in stages.items():
            stage_times.setdefault(stage, []).append(seconds)
        select_times.append(baseline(False))
        digest_times.append(baseline(True))
    return {"verify_s": min(verify_times), "verify_rounds_s": verify_times,
            "stages_s": {stage: min(times) for stage, times in stage_times.items()},
            "select_s": min(select_times), "select_sha256_s": min(digest_times),
            "replay_fast_s": min(fast_times), "replay_plain_s": min(plain_times)}


def record(db: str, decisions: list[Decision], nominees: dict[str, Nominee]) -> None:
    with Store.open(db) as store:
        summary = store.record(decisions, nominees=nominees, actor="bench",
                               command="bench_verify.py")
    if summary.recorded != len(decisions):
        raise SystemExit(f"recorded {summary.recorded} of {len(decisions)}")


def print_table(label: str, count: int, result: dict[str, Any]) -> None:
    print(f"{label}")
    print(f"  {'step':<32}{'seconds':>10}{'decisions/s':>14}")
    for stage, seconds in result["stages_s"].items():
        print(f"  {'verify: ' + stage:<32}{seconds:>10.3f}{count / seconds:>14,.0f}")
    rows = (("verify (all stages)", result["verify_s"]),
            ("replay stage alone, fast", result["replay_fast_s"]),
            ("replay stage alone, plain", result["replay_plain_s"]),
            ("baseline: select", result["select_s"]),
            ("baseline: select + sha256", result["select_sha256_s"]))
    for name, seconds in rows:
        print(f"  {name:<32}{seconds:>10.3f}{count / seconds:>14,.0f}")
    print(f"  verify / select: {result['verify_s'] / result['select_s']:.1f}x, "
          f"verify / select + sha256: {result['verify_s'] / result['select_sha256_s']:.1f}x, "
          f"replay plain / fast: {result['replay_plain_s'] / result['replay_fast_s']:.2f}x")


def summary(count: int, result: dict[str, Any]) -> dict[str, Any]:
    return {**result, "per_second": count / result["verify_s"],
            "stages_per_second": {stage: count / seconds
                                  for stage, seconds in result["stages_s"].items()},
            "ratio_to_select": result["verify_s"] / result["select_s"],
            "ratio_to_select_sha256": result["verify_s"] / result["select_sha256_s"],
            "replay_plain_over_fast": result["replay_plain_s"] / result["replay_fast_s"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decisions", type=int, default=DEFAULT_DECISIONS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--gc", action="store_true", help="leave the garbage collector on")
    parser.add_argument("--postgres", default=None, help="PostgreSQL URL (default: see above)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--profile", default=None, help="write a cProfile of one verify here")
    args = parser.parse_args()
    count = args.decisions

    nominees = make_nominees(count, seed=args.seed)
    decisions = judge(nominees)
    by_id = {n.id: n for n in nominees}
    outcomes = Counter(d.outcome for d in decisions)

    with tempfile.TemporaryDirectory(prefix="tdkt-bench-") as folder:
        path = Path(folder) / "store.db"
        record(str(path), decisions, by_id)
        lite = rounds(str(path), lambda digest: sqlite_baseline(path, digest=digest,
                                                                keep_gc=args.gc),
                      args.repeat, keep_gc=args.gc)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(verify, str(path))
            profiler.dump_stats(args.profile)

    postgres: dict[str, Any] | str = "skipped: --no-postgres"
    if not args.no_postgres:
        base = args.postgres or os.environ.get("TDKT_TEST_POSTGRES_URL") or DEFAULT_POSTGRES
        try:
            with postgres_store(base) as target:
                if isinstance(target, str):
                    postgres = target
                else:
                    url, schema = target
                    upgrade(url)  # a new PostgreSQL store is created by its owner first
                    record(url, decisions, by_id)
                    postgres = rounds(url, lambda digest: postgres_baseline(
                        base, schema, digest=digest, keep_gc=args.gc),
                        args.repeat, keep_gc=args.gc)
        except StoreError as error:
            postgres = f"skipped: {error}"

    print(f"tdkt verify benchmark: {count} decisions, rule {RULE_PATH.name} (15 criteria), "
          f"seed {args.seed}, outcomes {dict(outcomes)}")
    print(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
          f"{os.cpu_count()} CPUs, GC {'on' if args.gc else 'off'} while timing, "
          f"best of {args.repeat}\n")
    print_table("SQLite", count, lite)
    if isinstance(postgres, dict):
        print_table("PostgreSQL", count, postgres)
    else:
        print(f"PostgreSQL: {postgres}")
    rate = count / lite["verify_s"]
    met = rate >= TARGET_PER_SECOND
    print(f"\ntarget ≥ {TARGET_PER_SECOND:,} decisions/s verified (SQLite): {rate:,.0f} "
          f"{'MET' if met else 'NOT MET'}")
    print(json.dumps({
        "benchmark": "verify", "decisions": count, "seed": args.seed, "gc": args.gc,
        "repeat": args.repeat, "sqlite": summary(count, lite),
        "postgresql": summary(count, postgres) if isinstance(postgres, dict)
        else {"status": postgres},
        "met": {"per_second": met}, "python": platform.python_version(),
        "platform": sys.platform,
    }))


if __name__ == "__main__":
    main()
