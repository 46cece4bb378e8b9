"""A province's file end to end: ``tdkt evaluate --jsonl --record`` on N records, in a child.

Run on demand (not part of the tests), from the repository root::

    .venv/bin/python benchmarks/bench_stream.py                        # 100 000 records
    .venv/bin/python benchmarks/bench_stream.py --records 1000000      # the memory target
    .venv/bin/python benchmarks/bench_stream.py --records 20000 --keep /tmp/bench

Steps, on the same generated file in the same run:

1. ``N`` lao-dong-tien-tien records (seeded: ratings, discipline, sanctions, 5 % of a
   fact left out) are written as JSON Lines to a temporary folder.
2. **baseline**: a child ``python -c`` reads the same file line by line with the
   standard library's ``json`` and keeps nothing: the floor for reading it in Python.
3. **tdkt**: the real command line in a child process,
   ``tdkt evaluate --rules lao-dong-tien-tien --nominees F --jsonl --record --db tmp.db``,
   its output going to a file: read, bind, evaluate, record into a new SQLite store in
   batches with the hash chain, write one JSON decision a line.

Each child's wall time and peak resident memory (``ru_maxrss`` from ``os.wait4``: the
same figure as ``resource.getrusage(RUSAGE_CHILDREN)``, but for that child alone, since
RUSAGE_CHILDREN keeps the largest over every child so far) are reported, with the
ratio to the baseline. Targets: 100 000 records end to end under 10 s; 1 000 000
records with peak RSS under 500 MB. Reported, not asserted; the last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RULE = "lao-dong-tien-tien"
DEFAULT_RECORDS = 100_000
DEFAULT_SEED = 20240101
MISSING_RATE = 0.05
RATINGS = ("hoan_thanh_xuat_sac", "hoan_thanh_tot", "hoan_thanh", "khong_hoan_thanh")
TARGET_SECONDS_100K = 10.0
TARGET_RSS_1M_MB = 500.0

BASELINE = ("import json, sys\n"
            "with open(sys.argv[1], encoding='utf-8') as handle:\n"
            "    for line in handle:\n"
            "        json.loads(line)\n")


def write_records(path: Path, count: int, *, seed: int) -> None:
    """``count`` LĐTT records, one JSON object a line, as a unit's secretary would send."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            facts: dict[str, Any] = {
                "rating": rng.choice(RATINGS),
                "disciplined": rng.random() < 0.05,
                "administrative_sanction": rng.random() < 0.03,
            }
            for name in list(facts):
                if rng.random() < MISSING_RATE:
                    del facts[name]
            handle.write(json.dumps({
                "id": f"BG-2024-LDTT-{number:07d}", "name": f"Nguyễn Văn {number}",
                "subject": "ca_nhan", "unit": f"UBND xã {number % 230}, huyện Lạng Giang",
                "period": 2024, "facts": facts}, ensure_ascii=False) + "\n")


def run_child(command: list[str], *, stdout: Path, cwd: Path) -> dict[str, Any]:
    """Wall time, peak RSS (MB) and exit code of one child process."""
    with stdout.open("wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    if child.stderr:
        child.stderr.close()
    # ru_maxrss is in KiB on Linux (bytes on macOS)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return {"seconds": round(wall, 3), "peak_rss_mb": round(usage.ru_maxrss / scale, 1),
            "user_seconds": round(usage.ru_utime, 3), "exit_code": child.returncode,
            "stderr_tail": stderr.strip().splitlines()[-1:] if stderr.strip() else []}


def tdkt_command() -> list[str]:
    script = Path(sys.executable).parent / "tdkt"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from cli import main; main()"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--keep", type=Path, default=None,
                        help="folder to keep the generated file, store and output in")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="tdkt-bench-stream-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        records = folder / "nominees.jsonl"
        started = time.perf_counter()
        write_records(records, args.records, seed=args.seed)
        print(f"{args.records:,} records generated ({records.stat().st_size / 1e6:.1f} MB) in "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
        baseline = run_child([sys.executable, "-c", BASELINE, str(records)],
                             stdout=folder / "baseline.out", cwd=ROOT)
        db = folder / "tmp.db"
        db.unlink(missing_ok=True)
        output = folder / "decisions.jsonl"
        env_command = [*tdkt_command(), "evaluate", "--rules", RULE, "--nominees", str(records),
                       "--jsonl", "--record", "--db", str(db)]
        tdkt = run_child(env_command, stdout=output, cwd=ROOT)
        with output.open("rb") as handle:
            written = sum(1 for _ in handle)
        result = {
            "benchmark": "stream", "records": args.records, "seed": args.seed,
            "python": platform.python_version(), "cpus": os.cpu_count(),
            "baseline_json_lines": baseline, "tdkt_evaluate_jsonl_record": tdkt,
            "decisions_written": written,
            "ratio_seconds": round(tdkt["seconds"] / max(baseline["seconds"], 1e-9), 2),
            "ratio_peak_rss": round(tdkt["peak_rss_mb"] / max(baseline["peak_rss_mb"], 1e-9),
                                    2),
        }
        if args.records == DEFAULT_RECORDS:
            result["target_seconds"] = TARGET_SECONDS_100K
            result["meets_seconds"] = tdkt["seconds"] < TARGET_SECONDS_100K
        if args.records >= 1_000_000:
            result["target_peak_rss_mb"] = TARGET_RSS_1M_MB
            result["meets_peak_rss"] = tdkt["peak_rss_mb"] < TARGET_RSS_1M_MB
        print(f"baseline (json line by line): {baseline['seconds']:8.2f} s "
              f"{baseline['peak_rss_mb']:8.1f} MB")
        print(f"tdkt evaluate --jsonl --record: {tdkt['seconds']:6.2f} s "
              f"{tdkt['peak_rss_mb']:8.1f} MB (exit {tdkt['exit_code']}, "
              f"{written:,} decisions written)")
        print(f"ratio: {result['ratio_seconds']} x the time, "
              f"{result['ratio_peak_rss']} x the memory")
        print(json.dumps(result, ensure_ascii=False))
        return 0 if tdkt["exit_code"] == 0 and written == args.records else 1
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
