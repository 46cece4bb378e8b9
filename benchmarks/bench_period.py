"""A whole period judged at once against the plain single-title path, in the same run.

Run on demand (not part of the tests), from the repository root::

    .venv/bin/python benchmarks/bench_period.py                   # 100 000 people, 2 000 units
    .venv/bin/python benchmarks/bench_period.py --people 20000    # a quicker run
    .venv/bin/python benchmarks/bench_period.py --people 20000 --profile /tmp/period.prof

Steps, on the same generated data:

1. A temporary rule library of 12 titles (``bench-*``), each effective 2025: an LĐTT-like
   title; a CSTĐCS-like title that ``requires`` it; a provincial title with
   ``consecutive("bench-cstdcs") >= 3``; a Bằng khen-like title with a 2-year streak and
   ``count_in(…, periods=5)``; a title with a ``cap`` (15 % of the unit's headcount, rounded
   down, ranked by points then seniority) when :func:`criteria_engine.caps.apply_cap`
   exists; two collective titles with ``share_of_members``/``members_with``; five fillers
   (two reading ``held(…, period=-1)``, one ``count_in``).
2. ``--people`` people in ``--people / 50`` units (2 000 for 100 000), one collective per unit
   naming its 50 members, written as JSON Lines; 5 years of history (2020–2024: LĐTT,
   CSTĐCS, the provincial Bằng khen, some disciplines) written as JSON Lines.
3. **plain**: a child process streams the people through one simple title
   (``batch.stream_file`` with the LĐTT-like title): the per-decision cost of today's path.
4. **period**: a child process reads the history (``history.read_history``), then judges
   the whole period (``period.judge_period_file``): every title, in dependency order, with
   history, member roll-ups and the cap.

For each child: wall time of the judging alone (imports, library and history loading
reported apart), decisions made, time per decision and peak RSS (``ru_maxrss`` of that
child, from ``os.wait4``). The target of issue 10 is the period's time per decision under
3× the plain path's. Reported, not asserted; the last line is JSON. ``--profile FILE`` runs
the period child under cProfile and prints its top functions.
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
import textwrap
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PERIOD = 2025
YEARS = range(PERIOD - 5, PERIOD)
UNIT_SIZE = 50
DEFAULT_PEOPLE = 100_000
DEFAULT_SEED = 20250101
TARGET_RATIO = 3.0
RATINGS = ("hoan_thanh_xuat_sac", "hoan_thanh_tot", "hoan_thanh", "khong_hoan_thanh")

HEAD = """\
id: {rule_id}
version: "2025.1"
title: Danh hiệu thử {rule_id}
kind: danh_hieu_thi_dua
subject: {subject}
award_basis: cong_trang
effective: {{from: 2025-01-01}}
legal_basis:
  - {{instrument: "Luật Thi đua, khen thưởng số 06/2022/QH15", article: 23}}
"""

PERSON_INPUTS = """\
inputs:
  rating:
    type: enum
    values: [hoan_thanh_xuat_sac, hoan_thanh_tot, hoan_thanh, khong_hoan_thanh]
    label: Xếp loại
  disciplined: {type: boolean, better: lower, label: Bị kỷ luật}
  initiatives: {type: integer, min: 0, better: higher, label: Sáng kiến}
  research: {type: boolean, better: higher, label: Đề tài}
  score: {type: decimal, min: 0, max: 100, better: higher, label: Điểm}
  seniority: {type: integer, min: 0, label: Thâm niên}
  province_initiatives: {type: integer, min: 0, better: higher, label: Sáng kiến cấp tỉnh}
"""

UNIT_INPUTS = """\
inputs:
  unit_rating:
    type: enum
    values: [hoan_thanh_xuat_sac, hoan_thanh_tot, hoan_thanh, khong_hoan_thanh]
    label: Xếp loại tập thể
"""


def _criteria(*items: tuple[str, str, str]) -> str:
    """``(id, expr, "gate" | points)`` as a criteria block."""
    lines = ["criteria:"]
    for criterion_id, expr, kind in items:
        lines += [f"  - id: {criterion_id}", f"    text: {criterion_id}",
                  f"    expr: '{expr}'",
                  "    gate: true" if kind == "gate" else f"    points: {kind}"]
    return "\n".join(lines) + "\n"


def rule_files(with_cap: bool) -> dict[str, tuple[str, str]]:
    """Rule id → (subject, body after the head): the 12 titles of the benchmark."""
    rules: dict[str, tuple[str, str]] = {
        "bench-ldtt": ("ca_nhan", PERSON_INPUTS + _criteria(
            ("xep_loai", 'rating in ["hoan_thanh_xuat_sac", "hoan_thanh_tot"]', "gate"),
            ("khong_ky_luat", "not disciplined", "gate"))),
        "bench-cstdcs": ("ca_nhan", "requires:\n  - title: bench-ldtt\n" + PERSON_INPUTS
                         + _criteria(("xuat_sac", 'rating == "hoan_thanh_xuat_sac"', "1"),
                                     ("sang_kien", "initiatives >= 1", "1"),
                                     ("de_tai", "research", "1"))
                         + "decision:\n  min_points: 1\n"),
        "bench-cstd-tinh": ("ca_nhan", PERSON_INPUTS + _criteria(
            ("ba_nam", 'consecutive("bench-cstdcs") >= 3', "gate"),
            ("sang_kien_tinh", "province_initiatives >= 1", "gate"),
            ("khong_ky_luat", "not disciplined", "gate"))),
        "bench-bang-khen": ("ca_nhan", PERSON_INPUTS + _criteria(
            ("hai_nam", 'consecutive("bench-cstdcs") >= 2', "gate"),
            ("ldtt_5_nam", 'count_in("bench-ldtt", periods=5) >= 4', "gate"),
            ("diem", "score >= 80", "gate"))),
        "bench-tt-ldxs": ("tap_the", UNIT_INPUTS + _criteria(
            ("xuat_sac", 'unit_rating == "hoan_thanh_xuat_sac"', "gate"),
            ("ty_le_ldtt", 'share_of_members("bench-ldtt") >= 0.7', "gate"),
            ("co_cstdcs", 'members_with("bench-cstdcs") >= 1', "gate"))),
        "bench-tt-ldtt": ("tap_the", UNIT_INPUTS + _criteria(
            ("tot", 'unit_rating in ["hoan_thanh_xuat_sac", "hoan_thanh_tot"]', "gate"),
            ("ty_le_ldtt", 'share_of_members("bench-ldtt") >= 0.5', "gate"))),
    }
    for number in range(1, 6):
        extra = {1: ('held("bench-ldtt", period=-1)', "gate"),
                 2: ('held("bench-cstdcs", period=-1) or initiatives >= 2', "gate"),
                 3: ('count_in("bench-ldtt", periods=3) >= 2', "gate")}.get(number)
        items = [("diem", f"score >= {50 + 5 * number}", "gate"),
                 ("xep_loai", 'rating != "khong_hoan_thanh"', "gate")]
        if extra is not None:
            items.append(("lich_su", *extra))
        rules[f"bench-filler-{number}"] = ("ca_nhan", PERSON_INPUTS + _criteria(*items))
    capped = PERSON_INPUTS + _criteria(
        ("diem", "score >= 60", "gate"), ("sang_kien", "initiatives >= 1", "5"),
        ("diem_cao", "score >= 85", "10")) + "decision:\n  min_points: 0\n"
    if with_cap:
        capped = textwrap.dedent("""\
            params:
              cap_share: {value: 0.15, label: Tỉ lệ tối đa}
              cap_rounding: {value: down, label: Làm tròn}
            cap:
              limit:
                share_of_headcount: cap_share
              rounding: cap_rounding
              rank_by: [points, seniority]
              cite:
                instrument: Quyết định thử số 1/QĐ-UBND
                article: 9
                verified: false
            """) + capped
    rules["bench-giay-khen"] = ("ca_nhan", capped)
    return rules


def write_library(root: Path, with_cap: bool) -> None:
    for rule_id, (subject, body) in rule_files(with_cap).items():
        folder = root / rule_id
        folder.mkdir(parents=True)
        (folder / "2025.1.yaml").write_text(HEAD.format(rule_id=rule_id, subject=subject) + body,
                                            encoding="utf-8")


def write_data(folder: Path, people: int, *, seed: int) -> dict[str, int]:
    """people.jsonl (people only), period.jsonl (people and one collective per unit),
    history.jsonl (5 years); returns counts."""
    rng = random.Random(seed)
    units = max(1, people // UNIT_SIZE)
    history_rows = 0
    with (folder / "people.jsonl").open("w", encoding="utf-8") as only_people, \
            (folder / "period.jsonl").open("w", encoding="utf-8") as period, \
            (folder / "history.jsonl").open("w", encoding="utf-8") as history:
        for number in range(people):
            pid = f"NV-{number:07d}"
            facts: dict[str, Any] = {
                "rating": rng.choices(RATINGS, weights=(30, 45, 20, 5))[0],
                "disciplined": rng.random() < 0.03,
                "initiatives": rng.choice((0, 0, 0, 1, 1, 2)),
                "research": rng.random() < 0.1,
                "score": round(rng.uniform(40, 100), 1),
                "seniority": rng.randint(0, 35),
                "province_initiatives": rng.choice((0, 0, 0, 0, 1)),
            }
            line = json.dumps({"id": pid, "name": f"Nguyễn Văn {number}", "subject": "ca_nhan",
                               "unit": f"Đơn vị {number % units:04d}", "period": PERIOD,
                               "facts": facts}, ensure_ascii=False) + "\n"
            only_people.write(line)
            period.write(line)
            talent = rng.random()
            for year in YEARS:
                if rng.random() < 0.6 + 0.3 * talent:
                    history.write(json.dumps({"subject": pid, "title": "bench-ldtt",
                                              "period": year,
                                              "decision_number": f"{year}-{number}/QĐ"}) + "\n")
                    history_rows += 1
                    if rng.random() < 0.5 * talent:
                        history.write(json.dumps({"subject": pid, "title": "bench-cstdcs",
                                                  "period": year}) + "\n")
                        history_rows += 1
            if rng.random() < 0.02:
                year = rng.choice(YEARS)
                history.write(json.dumps({"subject": pid, "discipline": "khien_trach",
                                          "period": year, "ends": f"{year + 1}-06-30"}) + "\n")
                history_rows += 1
        for unit in range(units):
            members = [f"NV-{number:07d}" for number in range(unit, people, units)]
            period.write(json.dumps({
                "id": f"TT-{unit:04d}", "name": f"Tập thể {unit}", "subject": "tap_the",
                "unit": f"Đơn vị {unit:04d}", "period": PERIOD, "members": members,
                "level": "co_quan",
                "facts": {"unit_rating": rng.choices(RATINGS[:3], weights=(40, 50, 10))[0]},
            }, ensure_ascii=False) + "\n")
    return {"people": people, "units": units, "history_rows": history_rows}


# --- the two children --------------------------------------------------------------------------


def child_plain(folder: Path) -> dict[str, Any]:
    from criteria_engine.batch import Judged, stream_file
    from criteria_engine.library import RuleLibrary

    library = RuleLibrary.load([folder / "rules"])
    rule = library.in_force("bench-ldtt", PERIOD)
    started = time.perf_counter()
    decisions = 0
    outcomes: Counter[str] = Counter()
    for item in stream_file(folder / "people.jsonl", lambda period: rule):
        if isinstance(item, Judged):
            decisions += len(item.decisions)
            outcomes.update(d.outcome for d in item.decisions)
    wall = time.perf_counter() - started
    return {"seconds": wall, "decisions": decisions, "outcomes": dict(outcomes)}


def child_period(folder: Path, profile: str | None) -> dict[str, Any]:
    from criteria_engine.history import History, read_history
    from criteria_engine.library import RuleLibrary
    from criteria_engine.period import judge_period_file

    started = time.perf_counter()
    library = RuleLibrary.load([folder / "rules"])
    loaded = time.perf_counter()
    entries = [item.entry for item in read_history(folder / "history.jsonl")
               if not isinstance(item, Exception)]
    history = History(entries)
    del entries
    history_read = time.perf_counter()
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    report = judge_period_file(library, folder / "period.jsonl", period=PERIOD, history=history)
    wall = time.perf_counter() - history_read
    if profile:
        profiler.disable()
        profiler.dump_stats(profile)
    outcomes: Counter[str] = Counter(d.outcome for d in report.decisions)
    per_title: Counter[str] = Counter(d.rule.id for d in report.decisions)
    return {"seconds": wall, "decisions": len(report.decisions), "outcomes": dict(outcomes),
            "titles": len(report.rules), "per_title": dict(sorted(per_title.items())),
            "problems": len(report.problems),
            "first_problem": report.problems[0].render("en") if report.problems else None,
            "order": [rule.id for rule in report.rules],
            "library_seconds": loaded - started, "history_seconds": history_read - loaded}


def run_child(args: list[str]) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    out = child.stdout.read() if child.stdout else b""
    err = child.stderr.read() if child.stderr else b""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.stderr.write(err.decode(errors="replace"))
        raise SystemExit(f"child {args[0]} failed")
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    result["peak_rss_mb"] = usage.ru_maxrss / 1024     # Linux: KiB
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--keep", type=Path, help="keep the generated data in this folder")
    parser.add_argument("--profile", help="run the period child under cProfile, stats here")
    parser.add_argument("--child", choices=("plain", "period"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        sys.path.insert(0, str(ROOT))
        result = (child_plain(options.folder) if options.child == "plain"
                  else child_period(options.folder, options.profile))
        print(json.dumps(result, ensure_ascii=False))
        return

    try:
        from criteria_engine import caps
        with_cap = hasattr(caps, "apply_cap")
    except ImportError:
        with_cap = False
    folder = options.keep or Path(tempfile.mkdtemp(prefix="bench-period-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        if (folder / "rules").exists():
            shutil.rmtree(folder / "rules")
        write_library(folder / "rules", with_cap)
        started = time.perf_counter()
        counts = write_data(folder, options.people, seed=options.seed)
        generated = time.perf_counter() - started
        plain = run_child(["--child", "plain", "--folder", str(folder)])
        period_args = ["--child", "period", "--folder", str(folder)]
        if options.profile:
            period_args += ["--profile", options.profile]
        period = run_child(period_args)
    finally:
        if options.keep is None:
            shutil.rmtree(folder, ignore_errors=True)

    plain_us = plain["seconds"] / max(plain["decisions"], 1) * 1e6
    period_us = period["seconds"] / max(period["decisions"], 1) * 1e6
    ratio = period_us / plain_us
    print(f"bench_period · {counts['people']} people in {counts['units']} units, "
          f"{counts['history_rows']} history rows, {period['titles']} titles "
          f"(cap: {'yes' if with_cap else 'skipped, no criteria_engine.caps.apply_cap'}); "
          f"data generated in {generated:.1f} s")
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print(f"order: {' → '.join(period['order'])}")
    if period["problems"]:
        print(f"problems: {period['problems']} (first: {period['first_problem']})")
    print(f"{'path':<8} {'decisions':>10} {'seconds':>9} {'µs/decision':>12} {'peak RSS MB':>12}")
    for label, data, us in (("plain", plain, plain_us), ("period", period, period_us)):
        print(f"{label:<8} {data['decisions']:>10} {data['seconds']:>9.2f} {us:>12.1f} "
              f"{data['peak_rss_mb']:>12.0f}")
    print(f"period loading apart: library {period['library_seconds']:.2f} s, "
          f"history {period['history_seconds']:.2f} s")
    print(f"period / plain per decision: {ratio:.2f}× (target < {TARGET_RATIO:.0f}×: "
          f"{'MET' if ratio < TARGET_RATIO else 'NOT MET'})")
    print(json.dumps({"benchmark": "period", **counts, "cap": with_cap,
                      "plain": {**plain, "us_per_decision": plain_us},
                      "period": {**period, "us_per_decision": period_us},
                      "ratio": ratio, "met": ratio < TARGET_RATIO}, ensure_ascii=False))
    if options.profile:
        import pstats

        pstats.Stats(options.profile).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
