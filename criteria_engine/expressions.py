"""The expression language: parsed once, checked against the declared inputs, compiled.

Expressions in rule files are untrusted. They are parsed with Python's own parser
(as simpleeval does), then every node is checked against a short whitelist and
typed against the rule's declared inputs and params, producing a small typed
tree (:class:`Expr`) that other modules analyse (dedup, property checks). Only
that checked tree is turned into Python source and compiled, so evaluation never
re-parses and never meets a construct outside the language.

The language (a subset of simpleeval's Python syntax):

* literals: numbers (read as exact decimals), "strings", True, False;
* names: declared inputs and params (never names starting with ``_``);
* arithmetic ``+ - * /`` and unary ``-``/``+``; ``**`` with a literal whole exponent;
* comparisons ``< <= > >= == !=`` (chained too); ``in`` / ``not in`` a literal list;
* ``and``, ``or``, ``not`` on true/false values only; ``a if cond else b``;
* the functions ``min``, ``max``, ``abs``.

Differences from simpleeval, on purpose: numeric literals are ``Decimal`` (so
``0.95`` is exactly 0.95), ``%`` and ``//`` are refused (their sign rules differ
between Decimal and float), ``and``/``or``/``not`` take only booleans, enums are
compared only with ``==``, ``!=`` and ``in``, and type errors are found at load
time instead of at evaluation.
"""

from __future__ import annotations

import ast
import decimal
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from criteria_engine.errors import ExpressionError, Location
from criteria_engine.messages import both
from criteria_engine.rules import MAX_NUMBER_EXPONENT, InputSpec

__all__ = [
    "BOOLEAN",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_EXPRESSION_LENGTH",
    "MAX_POWER",
    "NUMBER",
    "STRING",
    "Arith",
    "BoolOp",
    "Call",
    "Compare",
    "Expr",
    "IfElse",
    "Literal_",
    "Membership",
    "Name",
    "Not",
    "Scope",
    "Type",
    "Unary",
    "check_expression",
    "compile_expression",
    "to_python",
]

#: Longest expression accepted; longer ones should be split into criteria.
MAX_EXPRESSION_LENGTH = 2000
#: Deepest nesting of the syntax tree accepted.
MAX_DEPTH = 40
#: Largest literal exponent of ``**``.
MAX_POWER = 8
#: The only callable names, and how many arguments each takes (min, max).
FUNCTIONS: dict[str, tuple[int, int | None]] = {"min": (2, None), "max": (2, None), "abs": (1, 1)}

_COMPARISONS: dict[type[ast.cmpop], str] = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
}
_ARITHMETIC: dict[type[ast.operator], str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
}


@dataclass(frozen=True, slots=True)
class Type:
    """The static type of an expression; enums remember their declared values."""

    kind: Literal["number", "boolean", "string", "enum"]
    integer: bool = False
    values: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.kind == "enum":
            return "enum {" + ", ".join(self.values) + "}"
        return "integer" if self.integer else self.kind


NUMBER = Type("number")
INTEGER = Type("number", integer=True)
BOOLEAN = Type("boolean")
STRING = Type("string")


@dataclass(frozen=True, slots=True)
class Literal_:
    value: Decimal | bool | str
    type: Type
    at: tuple[int, int] = field(default=(1, 0), compare=False)


@dataclass(frozen=True, slots=True)
class Name:
    """A declared input (read from the nominee) or param (a constant of the rule)."""

    name: str
    role: Literal["input", "param"]
    type: Type
    at: tuple[int, int] = field(default=(1, 0), compare=False)


@dataclass(frozen=True, slots=True)
class Unary:
    op: Literal["-", "+"]
    operand: Expr
    type: Type
    at: tuple[int, int] = field(default=(1, 0), compare=False)


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr
    type: Type = BOOLEAN
    at: tuple[int, int] = field(default=(1, 0), compare=False)


@dataclass(frozen=True, slots=True)
class Arith:
    op: Literal["+", "-", "*", "/", "**"]
    left: Expr
    right: Expr
    type: Type
    at: tuple[int, int] = field(default=(1, 0), compare=False)


@dataclass(frozen=True, slots=True)
class Compare:
    """``operands[0] ops[0] operands[1] ops[1] operands[2] …`` (Python chaining)."""

    operands: tuple[Expr, ...]
    ops: tuple[str, ...]
    type: Type = BOOLEAN
    at: tuple[int, int] = field(default=(1, 0), compare=False)


@dataclass(frozen=True, slots=True)
class Membership:
    operand: Expr
    values: tuple[Decimal | bool | str, ...]
    negated: bool
    type: Type = BOOLEAN
    at: tuple[int, int] = field(default=(1, 0), compare=False)


@dataclass(frozen=True, slots=True)
class BoolOp:
    op: Literal["and", "or"]
    operands: tuple[Expr, ...]
    type: Type = BOOLEAN
    at: tuple[int, int] = field(default=(1, 0), compare=False)


@dataclass(frozen=True, slots=True)
class IfElse:
    test: Expr
    body: Expr
    orelse: Expr
    type: Type
    at: tuple[int, int] = field(default=(1, 0), compare=False)


@dataclass(frozen=True, slots=True)
class Call:
    func: Literal["min", "max", "abs"]
    args: tuple[Expr, ...]
    type: Type
    at: tuple[int, int] = field(default=(1, 0), compare=False)


Expr = Literal_ | Name | Unary | Not | Arith | Compare | Membership | BoolOp | IfElse | Call


def children(expr: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions, for analyses that walk the tree."""
    match expr:
        case Unary(operand=o) | Not(operand=o) | Membership(operand=o):
            return (o,)
        case Arith(left=left, right=right):
            return (left, right)
        case Compare(operands=items) | BoolOp(operands=items) | Call(args=items):
            return items
        case IfElse(test=t, body=b, orelse=e):
            return (t, b, e)
    return ()


def walk(expr: Expr) -> Iterator[Expr]:
    yield expr
    for child in children(expr):
        yield from walk(child)


def names_used(expr: Expr, role: Literal["input", "param"]) -> tuple[str, ...]:
    """Inputs (or params) the expression reads, in first-use order, without repeats."""
    seen: dict[str, None] = {}
    for node in walk(expr):
        if isinstance(node, Name) and node.role == role:
            seen.setdefault(node.name)
    return tuple(seen)


__all__ += ["children", "names_used", "walk"]


@dataclass(frozen=True, slots=True)
class Scope:
    """What an expression may name: the rule's declared inputs and its params."""

    inputs: Mapping[str, InputSpec]
    params: Mapping[str, Decimal | bool | str]
    #: Context functions (:mod:`criteria_engine.derived`): a call node -> the derived
    #: input that stands for it and its type. None: no context function is allowed.
    derive: Callable[[ast.Call], tuple[str, Type]] | None = None
    #: The context functions' names, for the "allowed functions" message.
    context_functions: tuple[str, ...] = ()


def input_type(spec: InputSpec) -> Type:
    match spec.type:
        case "integer":
            return INTEGER
        case "decimal":
            return NUMBER
        case "boolean":
            return BOOLEAN
        case _:
            return Type("enum", values=tuple(spec.values or ()))


def value_type(value: Decimal | bool | str) -> Type:
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, Decimal):
        return INTEGER if value == value.to_integral_value() else NUMBER
    return STRING


__all__ += ["input_type", "value_type"]


def check_expression(text: str, scope: Scope, *, criterion: str = "?") -> Expr:
    """Parse and check ``text``; raise :class:`ExpressionError` at the offending column.

    ``criterion`` names the criterion in the messages that blame the rule rather than
    the data (a sub-expression of constants that can never be computed).

    >>> from decimal import Decimal
    >>> check_expression("x >= 1", Scope(inputs={}, params={"x": Decimal(2)})).type.kind
    'boolean'
    """
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError("expr.too_long", Location(line=1, column=1), limit=MAX_EXPRESSION_LENGTH)
    stripped = text.strip()
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        line, column = exc.lineno or 1, exc.offset or 1
        hint = _syntax_hint(stripped)
        if hint is not None:
            problem, line, column = hint
        else:
            problem = _python_problem(exc.msg)
        raise ExpressionError("expr.syntax", Location(line=line, column=column),
                              problem=problem) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        problem = (both("expr_problem.nesting") if not isinstance(exc, ValueError)
                   else _python_problem(str(exc)))
        raise ExpressionError("expr.syntax", Location(line=1, column=1), problem=problem) from None
    return _Checker(stripped, scope, criterion).check(tree.body, depth=0)


#: Habits from spreadsheets and other languages, and what to write instead. Each is
#: looked for outside string literals, in the text that failed to parse.
_AND_OR = re.compile(r"&&|\|\|")
_ASSIGN = re.compile(r"(?<![=!<>])=(?!=)")
_PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*%")
_STRING = re.compile(r"\"[^\"\n]*\"|'[^'\n]*'")


def _syntax_hint(text: str) -> tuple[str, int, int] | None:
    """A hint for the usual mistakes (``&&``, ``||``, ``=``, ``80%``), with the line and
    column of the first one, or None when the text shows none of them."""
    blanked = _STRING.sub(lambda found: " " * len(found.group()), text)
    candidates: list[tuple[int, str]] = []
    found = _AND_OR.search(blanked)
    if found:
        symbol = found.group()
        candidates.append((found.start(), both("expr_problem.and_or", symbol=symbol,
                                               word="and" if symbol == "&&" else "or")))
    found = _ASSIGN.search(blanked)
    if found:
        candidates.append((found.start(), both("expr_problem.assign")))
    found = _PERCENT.search(blanked)
    if found:
        number = found.group(1)
        fraction = Decimal(number) / 100
        candidates.append((found.start(), both("expr_problem.percent", number=number,
                                               fraction=_plain_number(fraction))))
    if not candidates:
        return None
    offset, problem = min(candidates, key=lambda candidate: candidate[0])
    before = text[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    return problem, line, column


def _plain_number(value: Decimal) -> str:
    return format(value.normalize(), "f")


#: Python's own syntax messages, most common first, and the catalogue key for each.
_PYTHON_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key) for pattern, key in (
        (r"^'(?P<bracket>[(\[{])' was never closed", "expr_problem.never_closed"),
        (r"^unmatched '(?P<bracket>[)\]}])'", "expr_problem.unmatched"),
        (r"^closing parenthesis '(?P<closing>.)' does not match opening parenthesis "
         r"'(?P<opening>.)'", "expr_problem.mismatch"),
        (r"^unterminated (triple-quoted )?string literal", "expr_problem.unterminated"),
        (r"^EOL while scanning string literal", "expr_problem.unterminated"),
        (r"^invalid (non-printable )?character '?(?P<char>[^']*)'?", "expr_problem.character"),
        (r"^leading zeros in decimal integer literals", "expr_problem.leading_zero"),
        (r"^invalid (decimal|hexadecimal|octal|binary|digit|imaginary) literal",
         "expr_problem.literal"),
        (r"^too many nested parentheses", "expr_problem.nesting"),
        (r"^Exceeds the limit \((?P<limit>\d+) digits\)", "yaml_problem.digits"),
        (r"^(invalid syntax|unexpected EOF|expected|cannot assign|f-string|"
         r"Generator expression|positional argument|expression cannot contain)",
         "expr_problem.invalid"),
    ))


def _python_problem(text: str) -> str:
    """Python's English syntax message in both languages ("invalid syntax" never reaches
    Vietnamese output): the common ones translated, the rest quoted as a code."""
    first = text.strip().splitlines()[0] if text.strip() else "?"
    for pattern, key in _PYTHON_PROBLEMS:
        found = pattern.search(first)
        if found:
            return both(key, **{name: value or "?" for name, value in found.groupdict().items()})
    return both("expr_problem.other", original=first[:160])


class _Checker:
    def __init__(self, text: str, scope: Scope, criterion: str = "?") -> None:
        self.text = text
        self.scope = scope
        self.criterion = criterion

    def fail(self, node: ast.AST, key: str, **params: Any) -> ExpressionError:
        line = getattr(node, "lineno", 1)
        offset = getattr(node, "col_offset", 0)
        lines = re.split(r"\r\n|\r|\n", self.text)
        # ast counts columns in UTF-8 bytes; users count characters ("ừ" is one, not three)
        before = lines[line - 1].encode()[:offset] if line <= len(lines) else b""
        column = len(before.decode("utf-8", errors="ignore")) + 1
        return ExpressionError(key, Location(line=line, column=column), **params)

    def check(self, node: ast.AST, depth: int) -> Expr:
        if depth > MAX_DEPTH:
            raise self.fail(node, "expr.too_deep", limit=MAX_DEPTH)
        at = (getattr(node, "lineno", 1), getattr(node, "col_offset", 0))
        match node:
            case ast.Constant(value=value):
                return self.constant(node, value, at)
            case ast.Name(id=name):
                return self.name(node, name, at)
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                inner = self.expect(operand, BOOLEAN, "not", depth)
                return Not(inner, at=at)
            case ast.UnaryOp(op=ast.USub() | ast.UAdd() as op, operand=operand):
                inner = self.expect(operand, NUMBER, "-", depth)
                return self.folded(node, Unary("-" if isinstance(op, ast.USub) else "+", inner,
                                               inner.type, at=at))
            case ast.BinOp(op=op, left=left, right=right) if type(op) in _ARITHMETIC:
                return self.folded(node, self.arithmetic(node, _ARITHMETIC[type(op)], left,
                                                         right, depth, at))
            case ast.BoolOp(op=op, values=values):
                word: Literal["and", "or"] = "and" if isinstance(op, ast.And) else "or"
                operands = tuple(self.expect(v, BOOLEAN, word, depth) for v in values)
                return BoolOp(word, operands, at=at)
            case ast.Compare(left=left, ops=ops, comparators=comparators):
                return self.compare(node, left, ops, comparators, depth, at)
            case ast.IfExp(test=test, body=body, orelse=orelse):
                condition = self.expect(test, BOOLEAN, "if", depth)
                then = self.check(body, depth + 1)
                other = self.check(orelse, depth + 1)
                if then.type.kind != other.type.kind or (then.type.kind == "enum"
                                                          and then.type != other.type):
                    raise self.fail(orelse, "expr.type", what="else", expected=then.type.describe(),
                                    got=other.type.describe())
                joined = then.type if then.type == other.type else NUMBER
                return IfElse(condition, then, other, joined, at=at)
            case ast.Call():
                return self.folded(node, self.call(node, depth, at))
        raise self.fail(node, "expr.construct", construct=_construct_name(node, self.text))

    def folded(self, node: ast.AST, expr: Expr) -> Expr:
        """``expr``, once its constant part is known to compute: a sub-expression of
        literals and params that divides by zero or overflows would fail for every
        nominee, so it is the rule's fault and refused at load, never blamed on the data.

        The tree is kept as written (not replaced by the folded value), so analyses and
        explanations see what the author wrote.
        """
        try:
            self.fold(expr)
            if isinstance(expr, Arith) and expr.op == "/" and self.fold(expr.right) == 0:
                raise decimal.DivisionByZero
        except ArithmeticError as exc:
            raise self.fail(node, "expr.constant_arithmetic", criterion=self.criterion,
                            construct=_construct_name(node, self.text, 60),
                            problem=arithmetic_problem(exc)) from None
        return expr

    def fold(self, expr: Expr) -> Decimal | bool | str | None:
        """The value of a sub-expression made only of literals and params, computed in the
        engine's decimal context (raising as evaluation would), else None."""
        context = DECIMAL_CONTEXT
        match expr:
            case Literal_(value=value):
                return value
            case Name(role="param", name=name):
                return self.scope.params[name]
            case Unary(op=op, operand=operand):
                inner = self.fold(operand)
                if not isinstance(inner, Decimal):
                    return None
                return context.minus(inner) if op == "-" else context.plus(inner)
            case Arith(op="**", left=left, right=Literal_(value=exponent)):
                base = self.fold(left)
                return context.power(base, int(exponent)) if isinstance(base, Decimal) else None
            case Arith(op=op, left=left, right=right):
                lhs, rhs = self.fold(left), self.fold(right)
                if not isinstance(lhs, Decimal) or not isinstance(rhs, Decimal):
                    return None
                method: Callable[[Decimal, Decimal], Decimal] = getattr(
                    context, _CONTEXT_METHODS[op])
                return method(lhs, rhs)
            case Call(func=func, args=args):
                values = [self.fold(arg) for arg in args]
                if not all(isinstance(value, Decimal) for value in values):
                    return None
                numbers = [value for value in values if isinstance(value, Decimal)]
                if func == "abs":
                    return context.abs(numbers[0])
                return min(numbers) if func == "min" else max(numbers)
        return None

    def expect(self, node: ast.AST, wanted: Type, what: str, depth: int) -> Expr:
        expr = self.check(node, depth + 1)
        if expr.type.kind != wanted.kind:
            raise self.fail(node, "expr.type", what=what, expected=wanted.describe(),
                            got=expr.type.describe())
        return expr

    def constant(self, node: ast.AST, value: object, at: tuple[int, int]) -> Expr:
        if isinstance(value, bool):
            return Literal_(value, BOOLEAN, at=at)
        if isinstance(value, int):
            exact = Decimal(value)
            return self.number(node, Literal_(exact, value_type(exact), at=at))
        if isinstance(value, float):
            literal = ast.get_source_segment(self.text, node) or repr(value)
            exact = Decimal(literal.replace("_", ""))
            return self.number(node, Literal_(exact, value_type(exact), at=at))
        if isinstance(value, str):
            return Literal_(value, STRING, at=at)
        if value is None:
            raise self.fail(node, "expr.none")
        raise self.fail(node, "expr.construct", construct=type(value).__name__)

    def number(self, node: ast.AST, literal: Literal_) -> Literal_:
        """A numeric literal the decimal context can compute with (``1e999999999`` cannot:
        every criterion using it would fail, for every nominee)."""
        value = literal.value
        if isinstance(value, Decimal) and value.is_finite() and value.adjusted() > MAX_NUMBER_EXPONENT:
            segment = ast.get_source_segment(self.text, node) or str(value)
            raise self.fail(node, "expr.number_range", value=segment[:40],
                            limit=MAX_NUMBER_EXPONENT)
        return literal

    def name(self, node: ast.AST, name: str, at: tuple[int, int]) -> Expr:
        if name.startswith("_"):
            raise self.fail(node, "expr.private_name", name=name)
        if name in self.scope.inputs:
            return Name(name, "input", input_type(self.scope.inputs[name]), at=at)
        if name in self.scope.params:
            return Name(name, "param", value_type(self.scope.params[name]), at=at)
        known = [*self.scope.inputs, *self.scope.params, "True", "False"]
        raise self.fail(node, "expr.unknown_name", name=name, hint=_did_you_mean(name, known))

    def arithmetic(self, node: ast.AST, op: str, left: ast.AST, right: ast.AST, depth: int,
                   at: tuple[int, int]) -> Expr:
        lhs = self.expect(left, NUMBER, op, depth)
        if op == "**":
            exponent = right.value if isinstance(right, ast.Constant) else None
            if (not isinstance(exponent, int) or isinstance(exponent, bool)
                    or not 0 <= exponent <= MAX_POWER):
                raise self.fail(right, "expr.power", limit=MAX_POWER)
            return Arith("**", lhs, Literal_(Decimal(exponent), INTEGER), lhs.type, at=at)
        rhs = self.expect(right, NUMBER, op, depth)
        integer = lhs.type.integer and rhs.type.integer and op != "/"
        kind: Any = op
        return Arith(kind, lhs, rhs, INTEGER if integer else NUMBER, at=at)

    def compare(self, node: ast.AST, left: ast.AST, ops: list[ast.cmpop],
                comparators: list[ast.expr], depth: int, at: tuple[int, int]) -> Expr:
        if len(ops) == 1 and isinstance(ops[0], ast.In | ast.NotIn):
            return self.membership(left, comparators[0], isinstance(ops[0], ast.NotIn), depth, at)
        operands = [self.check(left, depth + 1)]
        names: list[str] = []
        symbols = [_COMPARISONS.get(type(op), "") for op in ops]
        if {"<", "<="} & set(symbols) and {">", ">="} & set(symbols):
            raise self.fail(node, "expr.chain_mixed", text=_construct_name(node, self.text, 60),
                            meaning=self.chain_meaning(left, symbols, comparators))
        for op, comparator in zip(ops, comparators, strict=True):
            if type(op) not in _COMPARISONS:
                raise self.fail(comparator, "expr.construct", construct=type(op).__name__)
            symbol = _COMPARISONS[type(op)]
            right = self.check(comparator, depth + 1)
            self.comparable(comparator, operands[-1], symbol, right)
            operands.append(right)
            names.append(symbol)
        return Compare(tuple(operands), tuple(names), at=at)

    def chain_meaning(self, left: ast.AST, symbols: list[str], comparators: list[ast.expr]
                      ) -> str:
        """``a > b < c`` as Python reads it: ``a > b and b < c``."""
        texts = [ast.get_source_segment(self.text, item) or "?" for item in [left, *comparators]]
        pairs = [f"{texts[i]} {symbol} {texts[i + 1]}" for i, symbol in enumerate(symbols)]
        meaning = " and ".join(pairs)
        return meaning if len(meaning) <= 120 else meaning[:119] + "…"

    def comparable(self, node: ast.AST, left: Expr, op: str, right: Expr) -> None:
        kinds = {left.type.kind, right.type.kind}
        if op in ("<", "<=", ">", ">="):
            for side in (left, right):
                if side.type.kind == "enum":
                    raise self.fail(node, "expr.enum_order", name=_label(side))
                if side.type.kind != "number":
                    raise self.fail(node, "expr.type", what=op, expected="number",
                                    got=side.type.describe())
            self.in_range(node, left, right)
            return
        if "enum" in kinds:
            enum, other = (left, right) if left.type.kind == "enum" else (right, left)
            if other.type.kind == "enum" and other.type.values == enum.type.values:
                return
            constant = self.constant_value(other)
            if other.type.kind != "string" or not isinstance(constant, str):
                raise self.fail(node, "expr.type", what=op, expected=enum.type.describe(),
                                got=other.type.describe())
            self.enum_member(node, enum, constant)
            return
        if len(kinds) != 1:
            raise self.fail(node, "expr.type", what=op, expected=left.type.describe(),
                            got=right.type.describe())
        self.in_range(node, left, right)

    def membership(self, left: ast.AST, right: ast.AST, negated: bool, depth: int,
                   at: tuple[int, int]) -> Expr:
        operand = self.check(left, depth + 1)
        if not isinstance(right, ast.List | ast.Tuple | ast.Set) or not right.elts:
            raise self.fail(right, "expr.membership")
        values: list[Decimal | bool | str] = []
        for element in right.elts:
            item = self.check(element, depth + 1)
            if isinstance(item, Unary) and isinstance(item.operand, Literal_):
                folded = self.constant_value(item)
                assert isinstance(folded, Decimal)
                item = Literal_(folded, item.type, at=item.at)
            if not isinstance(item, Literal_):
                raise self.fail(element, "expr.membership")
            if operand.type.kind == "enum":
                if not isinstance(item.value, str):
                    raise self.fail(element, "expr.type", what="in", expected=operand.type.describe(),
                                    got=item.type.describe())
                self.enum_member(element, operand, item.value)
            elif item.type.kind != operand.type.kind:
                raise self.fail(element, "expr.type", what="in", expected=operand.type.describe(),
                                got=item.type.describe())
            values.append(item.value)
        return Membership(operand, tuple(values), negated, at=at)

    def call(self, node: ast.Call, depth: int, at: tuple[int, int]) -> Expr:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node.func, "expr.construct", construct=_construct_name(node.func, self.text))
        name = node.func.id
        if name in self.scope.context_functions and self.scope.derive is not None:
            input_name, kind = self.scope.derive(node)
            return Name(input_name, "input", kind, at=at)
        if name not in FUNCTIONS:
            raise self.fail(node.func, "expr.unknown_function", name=name,
                            allowed=", ".join(f"{f}()" for f in
                                              (*FUNCTIONS, *self.scope.context_functions)))
        if node.keywords:
            raise self.fail(node, "expr.keywords", name=name)
        low, high = FUNCTIONS[name]
        if len(node.args) < low or (high is not None and len(node.args) > high):
            expected = str(low) if high == low else f"≥ {low}"
            raise self.fail(node, "expr.arity", name=name, expected=expected, got=len(node.args))
        args = tuple(self.expect(arg, NUMBER, f"{name}()", depth) for arg in node.args)
        integer = all(arg.type.integer for arg in args)
        func: Any = name
        return Call(func, args, INTEGER if integer else NUMBER, at=at)

    def constant_value(self, expr: Expr) -> Decimal | bool | str | None:
        """The value of a literal or param (folding a unary minus), else None."""
        if isinstance(expr, Literal_):
            return expr.value
        if isinstance(expr, Name) and expr.role == "param":
            return self.scope.params[expr.name]
        if isinstance(expr, Unary):
            inner = self.constant_value(expr.operand)
            if isinstance(inner, Decimal):
                return -inner if expr.op == "-" else inner
        return None

    def enum_member(self, node: ast.AST, enum: Expr, value: str) -> None:
        if value not in enum.type.values:
            raise self.fail(node, "expr.enum_value", value=value, name=_label(enum),
                            allowed=", ".join(enum.type.values),
                            hint=_did_you_mean(value, list(enum.type.values)))

    def in_range(self, node: ast.AST, left: Expr, right: Expr) -> None:
        """A threshold outside an input's declared range makes the criterion vacuous."""
        for named, other in ((left, right), (right, left)):
            if not (isinstance(named, Name) and named.role == "input"):
                continue
            value = self.constant_value(other)
            if not isinstance(value, Decimal) or isinstance(value, bool):
                continue
            spec = self.scope.inputs[named.name]
            if (spec.min is not None and value < spec.min) or (spec.max is not None
                                                               and value > spec.max):
                raise self.fail(node, "expr.out_of_range", value=value, name=named.name,
                                low="-∞" if spec.min is None else spec.min,
                                high="+∞" if spec.max is None else spec.max)


def _label(expr: Expr) -> str:
    return expr.name if isinstance(expr, Name) else "?"


def _did_you_mean(word: str, candidates: list[str]) -> str:
    from criteria_engine.messages import did_you_mean

    return did_you_mean(word, candidates)


def _construct_name(node: ast.AST, text: str, limit: int = 40) -> str:
    segment = ast.get_source_segment(text, node)
    return segment if segment and len(segment) <= limit else type(node).__name__


# --- compilation ---------------------------------------------------------------------

Namer = Callable[[str], str]


class Constants:
    """Values the generated code refers to by name (decimals, sets, params)."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}

    def add(self, value: object) -> str:
        for name, existing in self.values.items():
            if type(existing) is type(value) and existing == value:
                return name
        name = f"_k{len(self.values)}"
        self.values[name] = value
        return name


def to_python(expr: Expr, variable: Namer, params: Mapping[str, Decimal | bool | str],
              constants: Constants) -> str:
    """Python source for a checked expression; inputs are read through ``variable(name)``.

    Safe because it is generated from the checked tree, never from the user's text.
    """

    def emit(node: Expr) -> str:
        match node:
            case Literal_(value=value):
                return repr(value) if isinstance(value, bool | str) else constants.add(value)
            case Name(name=name, role="input"):
                return variable(name)
            case Name(name=name):
                value = params[name]
                return repr(value) if isinstance(value, bool | str) else constants.add(value)
            case Unary(op="-", operand=operand):
                return f"_ctx.minus({emit(operand)})"
            case Unary(operand=operand):
                return f"_ctx.plus({emit(operand)})"
            case Not(operand=operand):
                return f"(not {emit(operand)})"
            case Arith(op="**", left=left, right=Literal_(value=exponent)):
                return f"_ctx.power({emit(left)}, {int(exponent)})"
            case Arith(op=op, left=left, right=right):
                return f"_ctx.{_CONTEXT_METHODS[op]}({emit(left)}, {emit(right)})"
            case Compare(operands=operands, ops=ops):
                parts = [emit(operands[0])]
                for symbol, operand in zip(ops, operands[1:], strict=True):
                    parts += [symbol, emit(operand)]
                return "(" + " ".join(parts) + ")"
            case Membership(operand=operand, values=values, negated=negated):
                word = "not in" if negated else "in"
                return f"({emit(operand)} {word} {constants.add(frozenset(values))})"
            case BoolOp(op=op, operands=operands):
                return "(" + f" {op} ".join(emit(o) for o in operands) + ")"
            case IfElse(test=test, body=body, orelse=orelse):
                return f"({emit(body)} if {emit(test)} else {emit(orelse)})"
            case Call(func="abs", args=(arg,)):
                return f"_ctx.abs({emit(arg)})"
            case Call(func=func, args=args):
                return f"{func}(" + ", ".join(emit(a) for a in args) + ")"
        raise AssertionError(f"unchecked node {node!r}")

    return emit(expr)


#: The decimal arithmetic of every evaluation, whatever the caller's context is.
#: Generated code calls its methods explicitly (``_ctx.add(a, b)``), so integers
#: never divide into floats and no per-call context switch is needed.
DECIMAL_CONTEXT = decimal.Context(
    prec=28, rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
_CONTEXT_METHODS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}


def arithmetic_problem(exc: ArithmeticError) -> str:
    """What went wrong in a computation, in both languages (never a class name such as
    ``InvalidOperation`` in Vietnamese output)."""
    if isinstance(exc, decimal.DivisionByZero):
        return both("arith.DivisionByZero")
    if isinstance(exc, decimal.InvalidOperation):
        return both("arith.InvalidOperation")
    if isinstance(exc, decimal.Overflow | OverflowError):
        return both("arith.Overflow")
    return both("arith.other", name=type(exc).__name__)

SAFE_GLOBALS: dict[str, object] = {"__builtins__": {}, "min": min, "max": max,
                                   "_ctx": DECIMAL_CONTEXT}


def compile_expression(expr: Expr, params: Mapping[str, Decimal | bool | str]
                       ) -> Callable[[Mapping[str, Any]], Any]:
    """A Python function ``facts -> value`` for one checked expression (all inputs present)."""
    constants = Constants()
    body = to_python(expr, lambda name: f"facts[{name!r}]", params, constants)
    namespace: dict[str, object] = {**SAFE_GLOBALS, **constants.values}
    exec(f"def _expression(facts):\n    return {body}\n", namespace)
    function: Callable[[Mapping[str, Any]], Any] = namespace["_expression"]  # type: ignore[assignment]
    return function


__all__ += ["DECIMAL_CONTEXT", "SAFE_GLOBALS", "Constants", "arithmetic_problem"]
