"""Shared hypothesis strategies: expressions in the rule language, facts, rule-file text.

Named as plural nouns of what they generate and built with ``@st.composite``, as
in Hypothesis's own test suite. Everything here is about *generating*; the
properties live in ``test_engine_properties.py``.

The expression strategies work over one fixed scope (:data:`SCOPE`) of decimal,
integer, boolean and enum inputs and two params, with no declared ranges, so
every generated well-typed expression is one the checker must accept.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from criteria_engine.evaluator import CompiledRule
from criteria_engine.expressions import Scope
from criteria_engine.nominees import Nominee
from criteria_engine.rules import InputSpec
from tests.common import CRITERIA, FIXTURES

__all__ = [
    "ENUM_VALUES",
    "PARAMS",
    "SCOPE",
    "expressions",
    "fact_sets",
    "forbidden_expressions",
    "json_values",
    "nominee_records",
    "nominees",
    "rule_bytes",
    "rule_texts",
]

#: The values of the one enum input, ``rating``.
ENUM_VALUES = ("xuat_sac", "tot", "dat", "khong_dat")
#: Params of the fixed scope: a number and a boolean, as a rule file's ``params`` hold them.
PARAMS: dict[str, Decimal | bool | str] = {"nguong": Decimal("0.5"), "bat_buoc": True}
SCOPE = Scope(
    inputs={
        "a": InputSpec(type="decimal", label="a"),
        "b": InputSpec(type="decimal", label="b"),
        "c": InputSpec(type="decimal", label="c"),
        "n": InputSpec(type="integer", label="n"),
        "p": InputSpec(type="boolean", label="p"),
        "q": InputSpec(type="boolean", label="q"),
        "rating": InputSpec(type="enum", values=list(ENUM_VALUES), label="rating"),
    },
    params=PARAMS,
)
_NUMERIC_NAMES = ("a", "b", "c", "n", "nguong")
_NUMERIC_INPUTS = ("a", "b", "c", "n")
_READS_AN_INPUT = re.compile(r"\b[abcn]\b")
_BOOLEAN_NAMES = ("p", "q", "bat_buoc")
#: Largest generated input magnitude: keeps simpleeval under its own power limit.
_INPUT_BOUND = 1000
_COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


# --- expressions ------------------------------------------------------------------------


@st.composite
def _numbers(draw: st.DrawFn, depth: int) -> tuple[str, bool]:
    """A numeric expression and whether it *may* evaluate to a Python int in simpleeval.

    simpleeval keeps integer literals as ``int`` while the engine reads them as
    ``Decimal``; the two agree exactly except on ``/`` between two ints (a float)
    or on int products beyond 28 digits. So ``/`` and ``*`` always get at least
    one operand that is surely a Decimal, and ``**`` only a name or literal base.
    """
    if depth <= 0 or draw(st.integers(0, 3)) == 0:
        if draw(st.booleans()):
            return str(draw(st.integers(0, 20))), True
        return draw(st.sampled_from(_NUMERIC_NAMES)), False
    form = draw(st.sampled_from(["+", "-", "*", "/", "**", "neg", "call", "abs", "if"]))
    if form in ("+", "-", "*", "/"):
        left, left_int = draw(_numbers(depth - 1))
        right, right_int = draw(_numbers(depth - 1))
        if form in ("*", "/") and left_int and right_int:
            right, right_int = draw(st.sampled_from(_NUMERIC_NAMES)), False
        if form == "/" and not _READS_AN_INPUT.search(right):
            # a divisor of constants only is computed at load, and a zero one refused there
            right, right_int = draw(st.sampled_from(_NUMERIC_INPUTS)), False
        may_be_int = left_int and right_int and form != "/"
        return f"({left} {form} {right})", may_be_int
    if form == "**":
        if draw(st.booleans()):
            base, base_int = draw(st.sampled_from(_NUMERIC_NAMES)), False
        else:
            # Decimal refuses 0 ** 0 where int gives 1; that case is covered by names
            base, base_int = str(draw(st.integers(1, 20))), True
        return f"({base} ** {draw(st.integers(0, 3))})", base_int
    if form == "neg":
        operand, operand_int = draw(_numbers(depth - 1))
        return f"(-{operand})", operand_int
    if form == "abs":
        operand, operand_int = draw(_numbers(depth - 1))
        return f"abs({operand})", operand_int
    if form == "call":
        args = draw(st.lists(_numbers(depth - 1), min_size=2, max_size=3))
        function = draw(st.sampled_from(["min", "max"]))
        return f"{function}({', '.join(a for a, _ in args)})", any(i for _, i in args)
    test = draw(_booleans(depth - 1))
    body, body_int = draw(_numbers(depth - 1))
    orelse, orelse_int = draw(_numbers(depth - 1))
    return f"({body} if {test} else {orelse})", body_int or orelse_int


@st.composite
def _booleans(draw: st.DrawFn, depth: int) -> str:
    if depth <= 0 or draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from([*_BOOLEAN_NAMES, "True", "False"]))
    form = draw(st.sampled_from(["compare", "chain", "enum", "enum_in", "in", "not", "and",
                                 "or", "if", "bool_eq"]))
    if form == "compare":
        left, _ = draw(_numbers(depth - 1))
        right, _ = draw(_numbers(depth - 1))
        return f"({left} {draw(st.sampled_from(_COMPARISONS))} {right})"
    if form == "chain":
        # one direction per chain: "x > 5 < 10" is refused as not meaning what it looks like
        direction = draw(st.sampled_from([("<", "<=", "==", "!="), (">", ">=", "==", "!=")]))
        parts = draw(st.lists(_numbers(depth - 1), min_size=3, max_size=4))
        text = parts[0][0]
        for part, _ in parts[1:]:
            text += f" {draw(st.sampled_from(direction))} {part}"
        return f"({text})"
    if form == "enum":
        return f'(rating {draw(st.sampled_from(["==", "!="]))} "{draw(st.sampled_from(ENUM_VALUES))}")'
    if form == "enum_in":
        values = draw(st.lists(st.sampled_from(ENUM_VALUES), min_size=1, max_size=3, unique=True))
        word = draw(st.sampled_from(["in", "not in"]))
        return f"(rating {word} [{', '.join(json.dumps(v) for v in values)}])"
    if form == "in":
        operand, _ = draw(_numbers(depth - 1))
        values = draw(st.lists(st.integers(0, 20), min_size=1, max_size=4))
        word = draw(st.sampled_from(["in", "not in"]))
        return f"({operand} {word} [{', '.join(map(str, values))}])"
    if form == "not":
        return f"(not {draw(_booleans(depth - 1))})"
    if form in ("and", "or"):
        operands = draw(st.lists(_booleans(depth - 1), min_size=2, max_size=3))
        return "(" + f" {form} ".join(operands) + ")"
    if form == "bool_eq":
        return f"({draw(_booleans(depth - 1))} {draw(st.sampled_from(['==', '!=']))} " \
               f"{draw(_booleans(depth - 1))})"
    return f"({draw(_booleans(depth - 1))} if {draw(_booleans(depth - 1))} " \
           f"else {draw(_booleans(depth - 1))})"


@st.composite
def expressions(draw: st.DrawFn, *, kind: str = "boolean", max_depth: int = 4) -> str:
    """Source text of a well-typed expression over :data:`SCOPE`, whose literals are
    whole numbers (``kind`` is ``"boolean"`` or ``"number"``)."""
    depth = draw(st.integers(0, max_depth))
    if kind == "number":
        return draw(_numbers(depth))[0]
    return draw(_booleans(depth))


#: Templates of constructs outside the language; ``{e}`` is a valid numeric expression.
_FORBIDDEN = (
    "({e}).real", "({e}).__class__", "a.__class__.__bases__", "[{e}][0]", "[{e}][0:1]",
    'open("x")', '__import__("os")', "eval({e})", "getattr(a, 'x')", "print({e})",
    "(lambda: {e})()", "(lambda x: x)({e})", "[v for v in [{e}]]", "{{v for v in [{e}]}}",
    "(v for v in [{e}])", "{{v: 1 for v in [{e}]}}", "_private + {e}", "__builtins__",
    "({e}) ** 100", "({e}) ** a", "({e}) ** -1", "({e}) ** 2.5", "({e}) % 2", "({e}) // 2",
    "({e}) @ a", "({e}) << 1", "({e}) & 1", "({e}) | 1", "({e}) ^ 1", "~({e})",
    "({e}) is 1", "({e}) is not 1", "(y := {e})", 'f"{{{e}}}"', "{{{e}: 1}}", "{{{e}}}",
    "None", "({e}) == None", 'b"x"', "1j", "...", "min({e}, 1, key=abs)", "min(*[{e}, 1])",
    "max({e})", "abs({e}, 1)", "abs()", "a()", "({e})()", "(yield {e})", "await a",
    "{e} if p",
)


@st.composite
def forbidden_expressions(draw: st.DrawFn) -> str:
    """An expression with one construct outside the language somewhere inside it."""
    inner = draw(expressions(kind="number", max_depth=2))
    fragment = draw(st.sampled_from(_FORBIDDEN)).format(e=inner)
    context = draw(st.sampled_from(["{f}", "({f}) >= 1", "1 + ({f}) > 0", "p and ({f})",
                                    "min(a, ({f})) < b", "(a if ({f}) else b) > 0",
                                    "not ({f})", "a in [({f})]"]))
    return context.format(f=fragment)


# --- facts ------------------------------------------------------------------------------


def _values(spec: InputSpec) -> st.SearchStrategy[Any]:
    if spec.type == "boolean":
        return st.booleans()
    if spec.type == "enum":
        return st.sampled_from(spec.values or [])
    low = spec.min if spec.min is not None else Decimal(-_INPUT_BOUND)
    high = spec.max if spec.max is not None else max(low, Decimal(0)) + _INPUT_BOUND
    if spec.type == "integer":
        near = st.integers(int(low), int(min(high, low + 30)))
        # counts such as members or tasks: large enough to need every digit of a ratio
        top = int(high) if spec.max is not None or spec.min is None else 10**7
        return st.one_of(near, st.integers(int(low), top)).map(Decimal)
    return st.one_of(
        st.sampled_from([low, high, Decimal(0) if low <= 0 <= high else low]),
        *(st.decimals(min_value=low, max_value=high, places=places, allow_nan=False,
                      allow_infinity=False) for places in (0, 2, 6)),
    )


@st.composite
def fact_sets(draw: st.DrawFn, inputs: Mapping[str, InputSpec] | None = None, *,
              missing: bool = False) -> dict[str, Any]:
    """Facts for every declared input, as :func:`bind_facts` makes them (Decimal numbers,
    within range); with ``missing``, any fact may be ``None``."""
    facts: dict[str, Any] = {}
    for name, spec in (SCOPE.inputs if inputs is None else inputs).items():
        value = _values(spec)
        facts[name] = draw(st.one_of(st.none(), value) if missing else value)
    return facts


@st.composite
def nominees(draw: st.DrawFn, rules: Sequence[CompiledRule]) -> tuple[CompiledRule, Nominee]:
    """One of ``rules`` and a nominee for it in period 2024, some of whose facts may be
    missing; the facts are valid for the rule, so :func:`bind_facts` accepts them."""
    rule = draw(st.sampled_from(rules))
    facts = draw(fact_sets(rule.model.inputs, missing=True))
    nominee = Nominee(id="P-1", name="Người thử", subject=rule.model.subject, period=2024,
                      facts=facts)
    return rule, nominee


# --- rule files -------------------------------------------------------------------------

_SHIPPED_TEXTS = tuple(p.read_text(encoding="utf-8") for p in sorted(CRITERIA.glob("*/*.yaml")))
_INVALID_TEXTS = tuple(
    p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "invalid").glob("*.yaml"))
)
_SCALARS = (
    "", "~", "[]", "{}", "-1", "0", "1e999", ".nan", "-.inf", "2024-13-45", "2024-02-30",
    "0x1F", "0o17", "1_000", "'x'", '"2024.1"', "true", "&a [*a]", "*undefined", "!!binary x",
    "!!set {a}", "!!python/object:os.system x", "|\n  block", "? a\n: b", "1" * 5000,
    "[1, [2, [3]]]", "{a: {b: {c: d}}}", "é\u0301", "\t", "'unterminated", "- a\n- b",
)
_EXPRESSION_TOKENS = (
    "a", "b", "score", "rating", "x", "_x", "__class__", "min", "max", "abs", "open",
    "0", "1", "0.5", "85", "1e9", "0x10", '"a"', "'b'", "True", "None", "+", "-", "*", "/",
    "**", "%", "//", "@", "~", "<", ">=", "==", "!=", "and", "or", "not", "in", "is",
    "if", "else", "for", "lambda", ":", "(", ")", "[", "]", "{", "}", ",", ".", ":=", "\\",
)


@st.composite
def _expression_noise(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(st.sampled_from(_EXPRESSION_TOKENS), min_size=1, max_size=12))
    return json.dumps(" ".join(tokens), ensure_ascii=False)


@st.composite
def rule_texts(draw: st.DrawFn) -> str:
    """Text that a rule file might hold: arbitrary text, or a real rule file (shipped or
    invalid fixture) with a few lines deleted, repeated, swapped, re-indented or given
    odd values and expressions."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.text(max_size=200))
    bases = _SHIPPED_TEXTS if draw(st.integers(0, 3)) else _INVALID_TEXTS
    lines = draw(st.sampled_from(bases)).splitlines()
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        operation = draw(st.sampled_from([*["expression"] * 4, *["value"] * 3, "delete",
                                          "repeat", "swap", "indent", "insert", "truncate"]))
        if operation == "delete":
            del lines[index]
        elif operation == "repeat":
            lines.insert(index, line)
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], line
        elif operation == "value" and ": " in line:
            key = line.split(": ", 1)[0]
            lines[index] = f"{key}: {draw(st.sampled_from(_SCALARS) | st.text(max_size=10))}"
        elif operation == "expression":
            targets = [number for number, text in enumerate(lines) if "expr:" in text]
            index = draw(st.sampled_from(targets)) if targets else index
            key = lines[index].split(":", 1)[0] if targets else "    expr"
            noise = draw(_expression_noise() | expressions().map(json.dumps))
            lines[index] = f"{key}: {noise}"
        elif operation == "indent":
            lines[index] = " " * draw(st.integers(0, 6)) + line.lstrip()
        elif operation == "insert":
            position = draw(st.integers(0, len(line)))
            printable = st.text(st.characters(exclude_categories=["Cc", "Cs"]), max_size=5)
            inserted = draw(printable | st.text(max_size=5))
            lines[index] = line[:position] + inserted + line[position:]
        else:
            lines = lines[:index]
    return "\n".join(lines) + "\n"


@st.composite
def rule_bytes(draw: st.DrawFn) -> bytes:
    """Bytes of a would-be rule file: random bytes, or rule text in a legacy encoding,
    decomposed (NFD), with a byte-order mark or cut in the middle of a character."""
    form = draw(st.sampled_from(["binary", "utf8", "latin1", "nfd", "bom", "cut"]))
    if form == "binary":
        return draw(st.binary(max_size=300))
    text = draw(rule_texts())
    if form == "latin1":
        return text.encode("latin-1", errors="replace")
    if form == "nfd":
        return unicodedata.normalize("NFD", text).encode()
    data = text.encode()
    if form == "bom":
        return b"\xef\xbb\xbf" + data
    if form == "cut":
        return data[: draw(st.integers(0, len(data)))]
    return data


# --- nominee records (the record reader's fuzz tests) ------------------------------------

_KEYS = ("id", "name", "subject", "unit", "period", "facts", "achievements", "kind",
         "description", "rating", "disciplined", "administrative_sanction", "score_council",
         "beneficiaries", "x")


_JSON_SCALARS = (st.none() | st.booleans() | st.integers(-10**6, 10**6)
            | st.decimals(allow_nan=False, allow_infinity=False, places=2)
            | st.text(max_size=12) | st.sampled_from(["ca_nhan", "hoan_thanh_tot", "88,6",
                                                     "1.000", " ", "N-1", "a\u202eb"]))
_RECORD_KEYS = st.sampled_from(_KEYS) | st.text(max_size=6)
#: A small odd value to put where a record's field should be.
_ODD_VALUES = (_JSON_SCALARS | st.lists(_JSON_SCALARS, max_size=3)
               | st.dictionaries(_RECORD_KEYS, _JSON_SCALARS, max_size=3))


def json_values(*, max_leaves: int = 30) -> st.SearchStrategy[Any]:
    """Any JSON value, keys drawn mostly from a record's own so that near-records occur."""
    return st.recursive(_JSON_SCALARS, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(_RECORD_KEYS, inner, max_size=6),
                        max_leaves=max_leaves)


@st.composite
def nominee_records(draw: st.DrawFn) -> dict[str, Any]:
    """A record that is valid for ``lao-dong-tien-tien``, or one small step away from it
    (a field dropped, retyped or replaced by an odd value)."""
    record: dict[str, Any] = {
        "id": draw(st.sampled_from(["N-1", "BG-2024-CN-0001", " N ", "x" * 100])),
        "name": draw(st.sampled_from(["Phạm Thị Lan", "Lò Văn Thắng", "A"])),
        "subject": "ca_nhan", "period": draw(st.sampled_from([2024, 2023, 1945, 2200])),
        "facts": {"rating": draw(st.sampled_from(["hoan_thanh_xuat_sac", "hoan_thanh_tot",
                                                  "hoan_thanh", "khong_hoan_thanh"])),
                  "disciplined": draw(st.booleans()),
                  "administrative_sanction": draw(st.booleans())}}
    if draw(st.booleans()):
        record["unit"] = draw(st.sampled_from([None, "", "UBND xã Tân Dĩnh"]))
    for _ in range(draw(st.integers(0, 2))):
        facts = record.get("facts")
        where = draw(st.sampled_from(["top", "facts"]))
        target = facts if where == "facts" and isinstance(facts, dict) else record
        key = draw(st.sampled_from([*sorted(target), "x", "achievements"]))
        if draw(st.integers(0, 3)) == 0:
            target.pop(key, None)
        else:
            target[key] = draw(_ODD_VALUES)
    return record
