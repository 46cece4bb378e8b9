"""Random structures as rule files: only the documented error, in bounded time and memory.

The mutation fuzz in ``test_engine_properties.py`` starts from real rule files. This
one starts from nothing: any YAML or JSON structure built from a rule file's own keys
(so near-valid files occur), nested deep, with anchors and aliases, written out as a
file and loaded through the library as ``tdkt validate`` loads it. Whatever the input,
loading must end in a rule or a :class:`RuleFileError` naming the file, within
:data:`SECONDS` and :data:`MEGABYTES` for one file.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from criteria_engine.errors import CriteriaError, RuleFileError
from criteria_engine.library import load_rule
from tests.common import CRITERIA

#: One rule file of a few kilobytes must load or fail well inside these bounds.
SECONDS = 5.0
MEGABYTES = 64

_RULE_KEYS = ("id", "version", "title", "kind", "subject", "award_basis", "effective", "from",
              "to", "legal_basis", "instrument", "article", "params", "value", "inputs",
              "type", "values", "min", "max", "label", "criteria", "expr", "gate", "points",
              "decision", "min_points", "achievements", "kinds", "rank", "stricter_than")
_SCALARS = (st.none() | st.booleans() | st.integers(-10**30, 10**30)
            | st.decimals(allow_nan=False, allow_infinity=False)
            | st.text(max_size=20)
            | st.sampled_from(["lao-dong-tien-tien", "2024.1", "2024-01-01", "ca_nhan",
                               "danh_hieu_thi_dua", "cong_trang", "boolean", "decimal",
                               "rating == \"x\"", "1 / 0 > 0", "not disciplined", "true"]))


def _structures() -> st.SearchStrategy[Any]:
    keys = st.sampled_from(_RULE_KEYS) | st.text(max_size=8)
    return st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=5)
                        | st.dictionaries(keys, inner, max_size=8), max_leaves=60)


@st.composite
def rule_documents(draw: st.DrawFn) -> str:
    """A structure written as JSON (which YAML reads too) or as deep or aliased YAML."""
    form = draw(st.sampled_from(["json", "json", "deep", "aliases"]))
    if form == "json":
        return json.dumps(draw(_structures()), default=str, ensure_ascii=False)
    if form == "deep":
        depth = draw(st.integers(50, 2_000))
        opener = draw(st.sampled_from(["[", "{a: "]))
        closer = "]" if opener == "[" else "}"
        return "id: " + opener * depth + "1" + closer * depth + "\n"
    width = draw(st.integers(2, 12))
    levels = draw(st.integers(2, 12))
    lines = ["l0: &l0 [" + ", ".join(["x"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@given(text=rule_documents())
@example(text="id: " + "[" * 5000 + "]" * 5000 + "\n")
@example(text="\n".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]"
                        for i in range(1, 10)).replace("*a0", "x") + "\n")
def test_any_structure_loads_or_raises_a_rule_file_error(
        text: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.getbasetemp() / "structures" / "mau"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "2024.1.yaml"
    path.write_text(text, encoding="utf-8")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        load_rule(path)
    except RuleFileError as exc:
        assert exc.where.path == str(path)
        exc.render("vi")
        exc.render("en")
    except CriteriaError as exc:  # pragma: no cover - the failure message says which
        pytest.fail(f"{type(exc).__name__} instead of RuleFileError: {exc}")
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < SECONDS * 4, elapsed  # tracemalloc slows parsing about 3x
    assert peak < MEGABYTES * 2**20, peak


def test_the_bounds_hold_for_the_largest_valid_shipped_file() -> None:
    """The bounds are not so tight that a real rule file could trip them."""
    largest = max(CRITERIA.rglob("*.yaml"), key=lambda p: p.stat().st_size)
    started = time.perf_counter()
    load_rule(largest)
    assert time.perf_counter() - started < SECONDS
