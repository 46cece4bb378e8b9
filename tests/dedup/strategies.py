"""Hypothesis strategies for the dedup property tests, named after what they generate."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

OPERATORS = ("<", "<=", ">", ">=", "==", "!=")
#: Declared range of the integer input ``x``: the brute-force grid.
X_MAX = 6
#: Smaller ranges for the several-input grid.
Y_MAX = 4
LEVELS = ("a", "b", "c")
#: Declared range of the ratio inputs ``done`` and ``total``.
RATIO_MAX = 6


@st.composite
def thresholds(draw: st.DrawFn, name: str = "x", high: int = X_MAX) -> str:
    """One atom ``name op c`` with c inside the declared range (the checker refuses others)."""
    op = draw(st.sampled_from(OPERATORS))
    constant = draw(st.integers(0, high))
    if draw(st.booleans()):
        return f"{name} {op} {constant}"
    mirrored = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}[op]
    return f"{constant} {mirrored} {name}"


def combinations(atoms: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``and``/``or``/``not`` trees over ``atoms``, a few levels deep."""
    return st.recursive(
        atoms,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(("and", "or")), inner).map(
                lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
            inner.map(lambda e: f"not ({e})"),
        ),
        max_leaves=4,
    )


def threshold_criteria() -> st.SearchStrategy[str]:
    """Criteria over one integer input x in [0, X_MAX]."""
    return combinations(thresholds())


@st.composite
def mixed_atoms(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(("number", "flag", "level", "levels")))
    if kind == "number":
        return draw(thresholds("y", Y_MAX))
    if kind == "flag":
        return draw(st.sampled_from(("flag", "not flag", "flag == True", "flag != False")))
    if kind == "level":
        return f'level {draw(st.sampled_from(("==", "!=")))} "{draw(st.sampled_from(LEVELS))}"'
    chosen = draw(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=3, unique=True))
    word = draw(st.sampled_from(("in", "not in")))
    return f"level {word} [" + ", ".join(f'"{v}"' for v in chosen) + "]"


def mixed_criteria() -> st.SearchStrategy[str]:
    """Criteria over y in [0, Y_MAX], a boolean ``flag`` and an enum ``level``."""
    return combinations(mixed_atoms())


RATIOS = tuple(Decimal(v) for v in ("0", "0.25", "0.5", "0.6", "0.75", "0.8", "0.95", "1", "1.5"))


@st.composite
def ratio_criteria(draw: st.DrawFn) -> str:
    """Guarded ratios ``total > 0 and done / total op r``, sometimes with a bound on done."""
    op = draw(st.sampled_from(("<", "<=", ">", ">=", "==")))
    ratio = draw(st.sampled_from(RATIOS))
    guard = draw(st.sampled_from(("total > 0 and ", "total >= 1 and ", "")))
    expr = f"{guard}done / total {op} {ratio}"
    if draw(st.booleans()):
        expr += f" and done >= {draw(st.integers(0, RATIO_MAX))}"
    return expr
