"""How long a signed checkpoint of a big audit log takes, against its floor in the same run.

Run on demand (not part of the tests), from the repository root::

    .venv/bin/python benchmarks/bench_checkpoint.py [--events N] [--repeat R]
        [--gc] [--postgres URL | --no-postgres]

Steps, all in one process:

1. A new SQLite store is made at the head revision, and ``N`` events (default 1 000 000)
   are written into ``audit_events`` by raw SQL: a real hash chain (each hash is
   ``sha256(prev_hash + "\\n" + content)``) over small ``history_imported`` events, so
   the rows look like the store's without judging a million nominees first. A checkpoint
   reads only ``id`` and ``hash``, so what the events say does not change its cost.
2. **tdkt checkpoint**: :func:`criteria_engine.store.checkpoint`: open the store, stream
   ``id, hash`` in id order, leaf-hash every event, build the RFC 6962 root level by
   level, sign with Ed25519.
3. **floor**: the standard library's ``sqlite3`` reading the same two columns
   (``fetchall``), then ``hashlib`` hashing each leaf and the tree's levels in plain
   list comprehensions: nothing tdkt could skip.
4. **verify --checkpoint** against a checkpoint of the first half of the log (signature,
   root of the prefix, consistency proof), and a **receipt** for an event in the middle.
5. Steps 2 and 3 on PostgreSQL too (rows made with ``generate_series`` in a fresh schema,
   dropped afterwards) when a server answers (``--postgres URL``, else
   ``TDKT_TEST_POSTGRES_URL``, else ``postgresql+psycopg://postgres@127.0.0.1:5432/test``).

Rounds are interleaved and the best of ``--repeat`` (default 3) kept, as the other
benchmarks do. Target: a checkpoint of 1M events in under 10 s. Reported, not asserted;
the last line is JSON. The garbage collector is off while timing (``--gc`` leaves it on).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sqlite3
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import create_engine, text

from criteria_engine.store import (
    Store,
    checkpoint,
    database_url,
    upgrade,
    verify_checkpoints,
)
from criteria_engine.store._canonical import GENESIS_HASH
from criteria_engine.store._checkpoint import dump_checkpoint, sign_head

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_record import timed

from criteria_engine.store._checkpoint import log_leaves as _log_leaves

DEFAULT_EVENTS = 1_000_000
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TARGET_SECONDS = 10.0
BATCH = 100_000



class Skipped(Exception):
    """PostgreSQL could not be used: that half of the benchmark is skipped, not failed."""


def fill_sqlite(path: Path, count: int) -> None:
    """``count`` chained events written straight into a new store's ``audit_events``."""
    Store.open(str(path)).close()
    connection = sqlite3.connect(path)
    try:
        previous = GENESIS_HASH
        with connection:
            for start in range(1, count + 1, BATCH):
                rows = []
                for event_id in range(start, min(start + BATCH, count + 1)):
                    content = f'{{"id":{event_id},"kind":"history_imported"}}'
                    digest = hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()
                    rows.append((event_id, "history_imported", "bench",
                                 "2026-01-01 00:00:00.000000", previous, digest))
                    previous = digest
                connection.executemany(
                    "INSERT INTO audit_events (id, kind, actor, at, prev_hash, hash) "
                    "VALUES (?, ?, ?, ?, ?, ?)", rows)
            connection.execute("UPDATE audit_chain_head SET last_event_id = ?, last_hash = ? "
                               "WHERE id = 1", (count, previous))
    finally:
        connection.close()


def floor_sqlite(path: Path) -> bytes:
    """The least any checkpoint must do: read the hashes, hash the leaves and the levels."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT id, hash FROM audit_events ORDER BY id").fetchall()
    finally:
        connection.close()
    return tree_floor([digest for _id, digest in rows])


def tree_floor(hashes: list[str]) -> bytes:
    sha = hashlib.sha256
    level = [sha(b"\x00" + bytes.fromhex(digest)).digest() for digest in hashes]
    while len(level) > 1:
        odd = [level[-1]] if len(level) % 2 else []
        level = [sha(b"\x01" + level[i] + level[i + 1]).digest()
                 for i in range(0, len(level) - 1, 2)] + odd
    return level[0]


def postgres_bench(base: str, count: int, key: Ed25519PrivateKey, *, repeat: int,
                   keep_gc: bool) -> dict[str, Any]:
    schema = f"tdkt_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url(base), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # the server is optional: any failure means "skipped"
        admin.dispose()
        raise Skipped(str(error).splitlines()[0]) from None
    joiner = "&" if "?" in base else "?"
    url = f"{base}{joiner}options=-csearch_path%3D{schema}"
    try:
        upgrade(url)
        engine = create_engine(database_url(url))
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO audit_events (id, kind, actor, at, prev_hash, hash) "
                "SELECT i, 'history_imported', 'bench', now(), "
                "encode(sha256(('p' || i)::bytea), 'hex'), encode(sha256(i::text::bytea), 'hex') "
                "FROM generate_series(1, :n) AS i"), {"n": count})
        raw_connection = engine.raw_connection()

        def floor() -> bytes:
            cursor = raw_connection.cursor()
            cursor.execute("SELECT id, hash FROM audit_events ORDER BY id")
            hashes = [digest for _id, digest in cursor.fetchall()]
            cursor.close()
            raw_connection.rollback()
            return tree_floor(hashes)

        checkpoint_times, floor_times = [], []
        for _round in range(repeat):
            _head, seconds = timed(lambda: checkpoint(url, key), keep_gc=keep_gc)
            checkpoint_times.append(seconds)
            floor_times.append(timed(floor, keep_gc=keep_gc)[1])
        raw_connection.close()
        engine.dispose()
        return {"checkpoint_s": min(checkpoint_times), "floor_s": min(floor_times)}
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=DEFAULT_EVENTS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--gc", action="store_true", help="leave the garbage collector on")
    parser.add_argument("--postgres", default=None, help="PostgreSQL URL (default: see above)")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    count = args.events
    key = Ed25519PrivateKey.generate()

    with tempfile.TemporaryDirectory(prefix="tdkt-bench-") as folder:
        path = Path(folder) / "store.db"
        _none, fill_s = timed(lambda: fill_sqlite(path, count), keep_gc=args.gc)
        checkpoint_times: list[float] = []
        floor_times: list[float] = []
        head: dict[str, Any] = {}
        root = b""
        for _round in range(args.repeat):
            head, seconds = timed(lambda: checkpoint(str(path), key), keep_gc=args.gc)
            checkpoint_times.append(seconds)
            root, seconds = timed(lambda: floor_sqlite(path), keep_gc=args.gc)
            floor_times.append(seconds)
        if head["root_hash"] != root.hex():
            raise SystemExit("tdkt's root differs from the floor's: not measuring that")

        with Store.open(str(path)) as store, store._reading() as connection:
            half = sign_head(_log_leaves(connection), key, size=count // 2)
        cp = Path(folder) / "half.json"
        cp.write_text(dump_checkpoint(half), encoding="utf-8")
        report, verify_s = timed(lambda: verify_checkpoints(str(path), [cp], key.public_key()),
                                 keep_gc=args.gc)
        if not report.ok:
            raise SystemExit("verify --checkpoint found problems: "
                             + report.findings[0].render("en"))

        def one_receipt() -> dict[str, Any]:
            with Store.open(str(path)) as store, store._reading() as connection:
                return _log_receipt(connection, key)

        _receipt, receipt_s = timed(one_receipt, keep_gc=args.gc)

    postgres: dict[str, Any] | str = "skipped: --no-postgres"
    if not args.no_postgres:
        base = args.postgres or os.environ.get("TDKT_TEST_POSTGRES_URL") or DEFAULT_POSTGRES
        try:
            postgres = postgres_bench(base, count, key, repeat=args.repeat, keep_gc=args.gc)
        except Skipped as error:
            postgres = f"skipped: {error}"

    checkpoint_s, floor_s = min(checkpoint_times), min(floor_times)
    print(f"tdkt checkpoint benchmark: {count:,} events (synthesised in {fill_s:.1f} s)")
    print(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
          f"{os.cpu_count()} CPUs, GC {'on' if args.gc else 'off'} while timing, "
          f"best of {args.repeat}\n")
    print(f"{'step':<44}{'seconds':>10}{'x floor':>10}")
    print(f"{'SQLite: tdkt audit checkpoint':<44}{checkpoint_s:>10.3f}"
          f"{checkpoint_s / floor_s:>10.2f}")
    print(f"{'SQLite: floor (sqlite3 read + hashlib tree)':<44}{floor_s:>10.3f}{1:>10.2f}")
    print(f"{'SQLite: verify --checkpoint (half the log)':<44}{verify_s:>10.3f}"
          f"{verify_s / floor_s:>10.2f}")
    print(f"{'SQLite: receipt (signed now)':<44}{receipt_s:>10.3f}{receipt_s / floor_s:>10.2f}")
    pg: dict[str, Any] = {"status": postgres} if isinstance(postgres, str) else {
        **postgres, "ratio_to_floor": postgres["checkpoint_s"] / postgres["floor_s"]}
    if isinstance(postgres, dict):
        print(f"{'PostgreSQL: tdkt audit checkpoint':<44}{postgres['checkpoint_s']:>10.3f}"
              f"{pg['ratio_to_floor']:>10.2f}")
        print(f"{'PostgreSQL: floor (psycopg read + hashlib)':<44}{postgres['floor_s']:>10.3f}"
              f"{1:>10.2f}")
    else:
        print(f"PostgreSQL: {postgres}")
    met = checkpoint_s < TARGET_SECONDS
    print(f"\ntarget checkpoint of {count:,} events < {TARGET_SECONDS:.0f} s: "
          f"{checkpoint_s:.2f} s {'MET' if met else 'NOT MET'}")
    print(json.dumps({
        "benchmark": "checkpoint", "events": count, "gc": args.gc, "repeat": args.repeat,
        "sqlite": {"checkpoint_s": checkpoint_s, "floor_s": floor_s,
                   "ratio_to_floor": checkpoint_s / floor_s, "checkpoint_rounds_s":
                   checkpoint_times, "floor_rounds_s": floor_times,
                   "verify_checkpoint_s": verify_s, "receipt_s": receipt_s},
        "postgresql": pg, "met": {"under_10_s": met},
        "python": platform.python_version(), "platform": sys.platform,
    }))


def _log_receipt(connection: Any, key: Ed25519PrivateKey) -> dict[str, Any]:
    """A receipt's costly part for an event mid-log: leaves, root, proof and signature
    (the synthetic events name no decision, so :func:`receipt` itself has none to find)."""
    leaves = _log_leaves(connection)
    tree = leaves.tree  # as receipt() does: one pass, then root and proof are cheap
    head = sign_head(leaves, key)
    index = leaves.size // 2
    proof = tree.inclusion_proof(index)
    return {"checkpoint": head, "leaf_index": index, "inclusion_proof": [p.hex() for p in proof]}


if __name__ == "__main__":
    main()
