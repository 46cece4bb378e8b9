"""Reading user files: UTF-8 and NFC checked, numbers kept exact, positions kept.

Rule files and nominee files are written by people with ordinary editors. Three
things go wrong often enough to deserve a precise answer: the file is saved in a
legacy encoding, Vietnamese letters arrive decomposed (NFD, from macOS or some
Unikey settings), and a number such as ``0.95`` silently becomes a binary float.
This module is the only place that reads such files, so the rest of the engine
can rely on NFC text and :class:`~decimal.Decimal` numbers.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer, MaxDepthExceededError
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from criteria_engine.errors import CriteriaError, Location
from criteria_engine.messages import both

__all__ = [
    "MAX_ALIAS_EXPANSION",
    "MAX_RECORD_CHARS",
    "MAX_YAML_DEPTH",
    "DuplicateKeys",
    "SourceText",
    "Unusable",
    "clip",
    "iter_json",
    "iter_json_lines",
    "json_problem",
    "load_yaml",
    "position_of",
    "read_text",
    "source_text",
    "yaml_problem",
]


#: Deepest nesting of lists and mappings in a YAML file. Rule and nominee files need
#: fewer than ten levels; the bound keeps a hostile file from exhausting the stack.
MAX_YAML_DEPTH = 100
#: How many nodes aliases (``*name``) may add beyond the nodes written in the file. A
#: shared block reused a few times adds little; a "billion laughs" file adds billions.
MAX_ALIAS_EXPANSION = 100_000
#: Longest piece of a user's text echoed back in a message.
CLIP = 80


def clip(text: str, limit: int = CLIP) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, so a one-megabyte key or
    value in a file is never echoed in full."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class SourceText:
    """A file's exact bytes and its decoded, NFC-normalised text."""

    path: str
    raw: bytes
    text: str
    nfd_lines: tuple[int, ...]


def read_text(path: Path, *, error: type[CriteriaError]) -> SourceText:
    """Read ``path`` as UTF-8 and normalise it to NFC, remembering which lines were not NFC."""
    where = Location(path=str(path))
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error("file.not_found", where) from None
    except OSError as exc:
        raise error("file.unreadable", where, reason=exc.strerror or str(exc)) from None
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error("file.not_utf8", Location(path=str(path), line=line), line=line) from None
    return source_text(str(path), raw, decoded)


def source_text(path: str, raw: bytes, decoded: str) -> SourceText:
    """The NFC text of already decoded bytes, remembering which lines were not NFC
    (also used for rule texts read back from the decision store)."""
    decoded = decoded.removeprefix("\ufeff")
    nfd = tuple(number for number, line in enumerate(decoded.splitlines(keepends=True), start=1)
                if not unicodedata.is_normalized("NFC", line))
    text = unicodedata.normalize("NFC", decoded) if nfd else decoded
    return SourceText(path=path, raw=raw, text=text, nfd_lines=nfd)


class _ExactConstructor(RoundTripConstructor):
    """Round-trip constructor that keeps line numbers and reads floats as Decimal."""

    def check_mapping_key(self, node: Any, key_node: Any, mapping: Any, key: Any,
                          value: Any) -> bool:
        # ruamel raises a bare TypeError for a complex key holding a mapping
        # (``? {a: {b: 1}}``)
        _hashable(node, key_node, key)
        return bool(super().check_mapping_key(node, key_node, mapping, key, value))

    def check_set_key(self, node: Any, key_node: Any, setting: Any, key: Any) -> None:
        _hashable(node, key_node, key)
        super().check_set_key(node, key_node, setting, key)


def _hashable(node: Any, key_node: Any, key: Any) -> None:
    try:
        hash(key)
    except TypeError:
        raise ConstructorError("while constructing a mapping", node.start_mark,
                               "found unhashable key", key_node.start_mark) from None


def _construct_exact_float(constructor: _ExactConstructor, node: Any) -> Decimal:
    text = str(constructor.construct_scalar(node))
    try:
        value = Decimal(text.replace("_", ""))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        line = node.start_mark.line + 1
        raise CriteriaError(
            "yaml.not_number", Location(line=line, column=node.start_mark.column + 1),
            text=clip(text)
        )
    return value


_ExactConstructor.add_constructor("tag:yaml.org,2002:float", _construct_exact_float)


def _refusing_bad_values(construct: Any) -> Any:
    """A constructor whose ValueError (``2024-13-45``, a 5000-digit int) becomes a marked
    YAML error, so the user is told the line instead of the engine crashing."""

    def checked(constructor: _ExactConstructor, node: Any) -> Any:
        try:
            return construct(constructor, node)
        except (ValueError, OverflowError) as exc:
            raise ConstructorError(None, None, str(exc), node.start_mark) from None

    return checked


for _tag, _construct in (
    ("tag:yaml.org,2002:int", RoundTripConstructor.construct_yaml_int),
    ("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_timestamp),
):
    _ExactConstructor.add_constructor(_tag, _refusing_bad_values(_construct))


class _BoundedComposer(Composer):
    """A composer that counts what aliases expand to (each ``*name`` stands for a whole
    copy of its anchor's subtree when the data is later walked or validated)."""

    def compose_document(self: Any) -> Any:
        self._sizes: dict[int, int] = {}
        self._written = 0
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        node = super().compose_node(parent, index)
        if id(node) in self._sizes:  # an alias to a node composed before
            return node
        self._written += 1
        size = 1
        if isinstance(node, SequenceNode):
            size += sum(self._sizes.get(id(child), 1) for child in node.value)
        elif isinstance(node, MappingNode):
            size += sum(self._sizes.get(id(key), 1) + self._sizes.get(id(value), 1)
                        for key, value in node.value)
        self._sizes[id(node)] = size
        if size > self._written + MAX_ALIAS_EXPANSION:
            mark = node.start_mark
            raise CriteriaError("yaml.aliases", Location(line=mark.line + 1,
                                                         column=mark.column + 1),
                                limit=MAX_ALIAS_EXPANSION)
        return node


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Composer = _BoundedComposer
    yaml.max_depth = MAX_YAML_DEPTH
    yaml.Constructor = _ExactConstructor
    yaml.allow_duplicate_keys = False
    # a reused anchor is legal YAML; the library reports through errors, not Python warnings
    yaml.composer.warn_double_anchors = False
    return yaml


def _excerpt(text: str, line: int, column: int) -> str:
    """Numbered lines around a fault, with a caret under the column (as dbt shows them).

    Long lines are cut to a window around the column, so a one-line file of a megabyte
    is not echoed whole.
    """
    lines = text.splitlines()
    start = max(0, column - 1 - _EXCERPT_WIDTH // 2)
    # beside a window into a long line, the lines around it would not line up: show it alone
    first, last = (max(1, line - 2), min(len(lines), line + 1)) if not start else (line, line)
    shown = []
    for number in range(first, last + 1):
        content = lines[number - 1]
        window = content[start:start + _EXCERPT_WIDTH]
        if start:
            window = "…" + window
        if len(content) > start + _EXCERPT_WIDTH:
            window += "…"
        shown.append(f"{number:>5} | {window}")
        if number == line:
            caret = column - 1 - start + (1 if start else 0)
            shown.append(" " * 5 + " | " + " " * max(0, caret) + "^")
    return "\n".join(shown)


_EXCERPT_WIDTH = 100


def load_yaml(source: SourceText, *, error: type[CriteriaError]) -> Any:
    """Parse YAML with positions kept; a syntax error names line and column and shows them."""
    try:
        return _yaml().load(source.text)
    except CriteriaError as exc:
        raise error(exc.key, Location(source.path, exc.where.line, exc.where.column),
                    **exc.params) from None
    except MaxDepthExceededError as exc:
        mark = exc.problem_mark
        raise error("yaml.too_deep", Location(source.path, mark.line + 1 if mark else None,
                                              mark.column + 1 if mark else None),
                    limit=MAX_YAML_DEPTH) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problem = yaml_problem(exc.problem or exc.context or "?")
        excerpt = _excerpt(source.text, line, column or 1) if line else ""
        raise error(
            "yaml.syntax", Location(source.path, line, column), problem=problem, excerpt=excerpt
        ) from None
    except ReaderError as exc:
        # a control character (pasted from a word processor): say where, like a syntax error
        line = source.text.count("\n", 0, exc.position) + 1
        column = exc.position - (source.text.rfind("\n", 0, exc.position) + 1) + 1
        problem = yaml_problem(str(exc).split("\n", 1)[0])
        raise error("yaml.syntax", Location(source.path, line, column), problem=problem,
                    excerpt=_excerpt(source.text, line, column)) from None
    except YAMLError as exc:
        raise error("yaml.syntax", Location(source.path), problem=yaml_problem(str(exc)),
                    excerpt="") from None
    except RecursionError:  # a bound above should come first; never a traceback
        raise error("yaml.too_deep", Location(source.path), limit=MAX_YAML_DEPTH) from None


#: ruamel's (and Python's date and int) problems, most common first: a pattern of the
#: English text and the catalogue key that says it in the user's language.
_YAML_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key) for pattern, key in (
        (r"^mapping values are not allowed here", "yaml_problem.mapping_values"),
        (r"^could not find expected ':'", "yaml_problem.expected_colon"),
        (r"^found character '\\t' that cannot start any token", "yaml_problem.tab"),
        (r"^found a tab character", "yaml_problem.tab"),
        (r"^found character '(?P<char>.+)' that cannot start any token",
         "yaml_problem.bad_start"),
        (r"^expected <block end>, but found", "yaml_problem.block_end"),
        (r"^did not find expected (key|'-' indicator)", "yaml_problem.block_end"),
        (r"^found unexpected end of stream", "yaml_problem.end_of_stream"),
        (r"^expected ',' or '(?P<closing>[\]}])', but got", "yaml_problem.flow_end"),
        (r"^found undefined alias '(?P<name>.*)'", "yaml_problem.undefined_alias"),
        (r'^found duplicate key "(?P<key>.*?)" with value', "yaml_problem.duplicate_key"),
        (r"^found unknown escape character '(?P<char>.*)'", "yaml_problem.escape"),
        (r"^but found another document", "yaml_problem.documents"),
        (r"^expected alphabetic or numeric character", "yaml_problem.anchor"),
        (r"^found unhashable key", "yaml_problem.unhashable"),
        (r"^unacceptable character (?P<code>#x[0-9a-fA-F]+)", "yaml_problem.control"),
        (r"^month must be in 1\.\.12", "yaml_problem.month"),
        (r"^day is out of range for month", "yaml_problem.day"),
        (r"^year (?P<year>-?\d+) is out of range", "yaml_problem.year"),
        (r"^(hour|minute|second) must be in", "yaml_problem.time"),
        (r"^Exceeds the limit \((?P<limit>\d+) digits\)", "yaml_problem.digits"),
        (r"^expected the node content, but found '(?P<char>.*)'", "yaml_problem.node_content"),
        (r"^sequence entries are not allowed here", "yaml_problem.sequence_entries"),
        (r"^expected chomping or indentation indicators", "yaml_problem.block_scalar"),
        (r"^expected a comment or a line break", "yaml_problem.line_end"),
    ))


def yaml_problem(problem: str) -> str:
    """A YAML parser's English problem in both languages: the common ones translated, the
    rest as a sentence that quotes the original as a code to search for.

    >>> yaml_problem("mapping values are not allowed here").texts["en"][:21]
    "a ':' where none is a"
    """
    first = problem.strip().splitlines()[0] if problem.strip() else "?"
    for pattern, key in _YAML_PROBLEMS:
        found = pattern.search(first)
        if found:
            return both(key, **{name: clip(value) for name, value in found.groupdict().items()})
    return both("yaml_problem.other", original=clip(first, 160))


def position_of(data: Any, path: Sequence[str | int]) -> tuple[int | None, int | None]:
    """The 1-based (line, column) of the value at ``path`` in a round-trip YAML tree.

    Walks as deep as the tree allows, so a pydantic error on a missing key still
    points at the mapping that should hold it.
    """
    line: int | None = None
    column: int | None = None
    node = data
    for step in path:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(node, dict) and step in node:
                if lc is not None:
                    row, col = lc.value(step)
                    line, column = row + 1, col + 1
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                if lc is not None:
                    row, col = lc.item(step)
                    line, column = row + 1, col + 1
                node = node[step]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    if line is None and getattr(data, "lc", None) is not None:
        line, column = data.lc.line + 1, data.lc.col + 1
    return line, column


def key_position(data: Any, path: Sequence[str | int], key: str) -> tuple[int | None, int | None]:
    """The position of ``key`` itself inside the mapping at ``path`` (for unknown keys)."""
    node = data
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return position_of(data, path)
    lc = getattr(node, "lc", None)
    if lc is not None and isinstance(node, dict) and key in node:
        row, col = lc.key(key)
        return row + 1, col + 1
    return position_of(data, path)


# --- JSON and JSON Lines, read as a stream ----------------------------------------------
#
# A province's file can hold a million records, so JSON is read a chunk at a time and
# handed on one value at a time; nothing here keeps what it has handed on. Keys are
# checked for repeats (a repeated key silently overriding the first is how
# ``"disciplined": true, …, "disciplined": false`` would pass), non-integers become
# Decimal, and values Python cannot hold are marked in place (:class:`Unusable`), so the
# record that holds them is refused, naming the field, and the rest of the file is read.

#: A JSON value (a record) or a JSON Lines line longer than this is refused rather than
#: held in memory: a record is a few hundred characters, so this means a broken file.
MAX_RECORD_CHARS = 4 * 1024 * 1024
#: How many bytes of a JSON file are read at a time; progress is reported once per chunk.
JSON_CHUNK_BYTES = 1024 * 1024
#: Characters before the end of what has been read within which a JSON error may only
#: mean that the value goes on in the next chunk (``tr`` | ``ue``).
_JSON_SLACK = 16

Progress = Callable[[int, int], None]
JsonItem = tuple[int, Any, bool]

_SPACE = re.compile(r"[ \t\n\r]*")
_SEPARATOR = re.compile(r"[ \t\n\r]*(?:(,)|\])[ \t\n\r]*")
_BRACKET_OR_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def _blank_end(text: str, start: int) -> int:
    """The index of the first non-blank character at or after ``start``."""
    match = _SPACE.match(text, start)
    return match.end() if match else start


class DuplicateKeys(dict[str, Any]):
    """A JSON object that repeats a key (the first repeated one is ``key``).

    Kept as a mapping so the parser goes on; the record holding it is refused.
    """

    def __init__(self, pairs: list[tuple[str, Any]], key: str | None = None) -> None:
        super().__init__(pairs)
        seen: set[str] = set()
        self.key = key
        for name, _ in pairs:
            if name in seen and self.key is None:
                self.key = name
            seen.add(name)


class Unusable:
    """A value the reader cannot hand on, with the catalogue key that says why.

    ``NaN`` (not JSON), a number past Python's digit limit, a structure nested past the
    interpreter's recursion limit: each stays in its place, so the record is refused
    naming the field, and the file is read on.
    """

    __slots__ = ("key", "params")

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params

    def __repr__(self) -> str:
        return f"Unusable({self.key!r})"


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    return mapping if len(mapping) == len(pairs) else DuplicateKeys(pairs)


def _constant(text: str) -> Unusable:
    return Unusable("record.not_json_number", text=text)


def _careful_int(text: str) -> int | Unusable:
    try:
        return int(text)
    except ValueError:
        return Unusable("record.number_too_long", digits=len(text.lstrip("-")),
                        limit=sys.get_int_max_str_digits())


def _careful_decimal(text: str) -> Decimal | Unusable:
    try:
        return Decimal(text)
    except ArithmeticError:
        return Unusable("record.number_too_long", digits=len(text), limit=_MAX_EXPONENT)


_MAX_EXPONENT = 999_999_999_999_999_999
#: Ints and floats are parsed by the C scanner itself; only when it meets a number Python
#: refuses is the value parsed again with hooks that mark it instead.
_FAST = json.JSONDecoder(parse_float=Decimal, parse_constant=_constant,
                         object_pairs_hook=_object)
_CAREFUL = json.JSONDecoder(parse_float=_careful_decimal, parse_int=_careful_int,
                            parse_constant=_constant, object_pairs_hook=_object)

#: The C scanner behind ``_FAST.raw_decode``, called directly in the hot loop.
_SCAN: Callable[[str, int], tuple[Any, int]] = _FAST.scan_once  # type: ignore[attr-defined]


def _decode_at(text: str, start: int) -> tuple[Any, int]:
    """One JSON value starting at ``start``: the value and the index after it."""
    try:
        return _FAST.raw_decode(text, start)
    except json.JSONDecodeError:
        raise
    except (ValueError, ArithmeticError):
        return _CAREFUL.raw_decode(text, start)
    except RecursionError:
        return Unusable("record.too_deep", limit=sys.getrecursionlimit()), _skip(text, start)


def _skip(text: str, start: int) -> int:
    """The index after the array or object at ``start``, found without building it."""
    depth = 0
    for found in _BRACKET_OR_STRING.finditer(text, start):
        token = found.group()
        if token in "[{":
            depth += 1
        elif token in "]}":
            depth -= 1
            if depth == 0:
                return found.end()
    raise json.JSONDecodeError("Expecting ',' delimiter", text, len(text))


def json_problem(msg: str) -> str:
    """The JSON parser's English problem in both languages (``Expecting value`` …)."""
    for prefix, key in _JSON_PROBLEMS:
        if msg.startswith(prefix):
            return both(key)
    return both("json_problem.other")


_JSON_PROBLEMS = (
    ("Expecting value", "json_problem.value"),
    ("Expecting property name", "json_problem.key"),
    ("Expecting ':'", "json_problem.colon"),
    ("Expecting ','", "json_problem.comma"),
    ("Unterminated string", "json_problem.unterminated"),
    ("Invalid control character", "json_problem.control"),
    ("Invalid \\uXXXX", "json_problem.escape"),
    ("Invalid \\escape", "json_problem.escape"),
    ("Extra data", "json_problem.extra"),
    ("Illegal trailing comma", "json_problem.value"),
)


class _JsonText:
    """A JSON file decoded one chunk at a time, knowing the line and column of any index.

    ``text[pos:]`` is what is still to be parsed; :meth:`fill` drops what was parsed
    and reads on. ``clean`` says the text in hand is NFC and holds no ``\\u`` escape,
    so no string parsed from it needs normalising.
    """

    def __init__(self, path: str, stream: BinaryIO, size: int, progress: Progress | None,
                 error: type[CriteriaError]) -> None:
        self.path, self.stream, self.size = path, stream, size
        self.progress, self.error = progress, error
        self.text = ""
        self.pos = 0
        self.eof = False
        self.clean = True
        self.done = 0
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._line = 1  # the line of text[_counted]
        self._counted = 0
        self._column = 0  # the 0-based column of text[0] when no newline precedes it in text

    def fill(self, wanted: int) -> bool:
        """Read at least ``wanted`` more characters (one chunk at least); False at the end."""
        if self.eof:
            return False
        self._count_to(self.pos)
        newline = self.text.rfind("\n", 0, self.pos)
        self._column = self.pos - newline - 1 if newline >= 0 else self._column + self.pos
        pieces = [self.text[self.pos:]]
        got = 0
        while True:
            data = self.stream.read(JSON_CHUNK_BYTES)
            self.done += len(data)
            try:
                piece = self._decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                line = (self._line + sum(p.count("\n") for p in pieces)
                        + data[:max(0, exc.start)].count(b"\n"))
                raise self.error("file.not_utf8", Location(self.path, line), line=line) from None
            pieces.append(piece)
            got += len(piece)
            if self.progress is not None:
                self.progress(self.done, max(self.size, self.done))
            if not data:
                self.eof = True
                break
            if got >= wanted:
                break
        self.text = "".join(pieces)
        self.pos = self._counted = 0
        self.clean = "\\u" not in self.text and unicodedata.is_normalized("NFC", self.text)
        return True

    def _count_to(self, index: int) -> None:
        if index > self._counted:
            self._line += self.text.count("\n", self._counted, index)
            self._counted = index

    def line_at(self, index: int) -> int:
        if index >= self._counted:
            self._count_to(index)
            return self._line
        return self._line - self.text.count("\n", index, self._counted)

    def column_at(self, index: int) -> int:
        newline = self.text.rfind("\n", 0, index)
        return index - newline if newline >= 0 else self._column + index + 1

    def next_char(self) -> int:
        """The index of the next non-blank character (reading on as needed), -1 at the end."""
        while True:
            found = _blank_end(self.text, self.pos)
            if found < len(self.text):
                self.pos = found
                return found
            self.pos = found
            if not self.fill(0):
                return -1

    def value(self) -> tuple[Any, int]:
        """The value starting at ``pos`` and its line, reading on until it is whole."""
        while True:
            start = self.pos
            try:
                value, end = _decode_at(self.text, start)
                if end < len(self.text) or self.eof:
                    line = self.line_at(start)
                    self.pos = end
                    return value, line
            except json.JSONDecodeError as exc:
                cut = exc.msg.startswith("Unterminated") or exc.pos >= len(self.text) - _JSON_SLACK
                if self.eof or not cut:
                    raise self.syntax(exc.pos, exc.msg) from None
                if len(self.text) - start >= MAX_RECORD_CHARS:
                    raise self.error("json.too_large", self.where(start),
                                     limit=_size(MAX_RECORD_CHARS)) from None
            self.fill(max(JSON_CHUNK_BYTES, len(self.text) - start))

    def where(self, index: int) -> Location:
        return Location(self.path, self.line_at(index), self.column_at(index))

    def syntax(self, index: int, msg: str) -> CriteriaError:
        return self.error("json.syntax", self.where(index), problem=json_problem(msg))


def _size(chars: int) -> str:
    return f"{chars // (1024 * 1024)} MB"


def iter_json(path: str, stream: BinaryIO, *, size: int, error: type[CriteriaError],
              progress: Progress | None = None) -> Iterator[JsonItem]:
    """Each record of a JSON file, as ``(line, value, clean)``: the elements of a top-level
    array one at a time, or the one top-level value.

    ``clean`` means no string of the value needs NFC normalising. A file that is not
    JSON raises ``error`` where the fault is found (records before it were handed on).
    ``progress(bytes read, file size)`` is called once per chunk read.
    """
    text = _JsonText(path, stream, size, progress, error)
    start = text.next_char()
    if start < 0:
        raise text.syntax(len(text.text), "Expecting value")
    if text.text[start] != "[":
        value, line = text.value()
        yield line, value, text.clean
    else:
        text.pos = start + 1
        start = text.next_char()
        if start < 0:
            raise text.syntax(len(text.text), "Expecting value")
        if text.text[start] == "]":
            text.pos = start + 1
        else:
            yield from _elements(text)
    extra = text.next_char()
    if extra >= 0:
        raise text.syntax(extra, "Extra data")


def _elements(text: _JsonText) -> Iterator[JsonItem]:
    """The elements of an array, from ``text.pos`` (at the first) to its closing bracket.

    The usual element runs on the C scanner and one regular expression for the
    separator; one near the end of what has been read, or one that fails, goes through
    :meth:`_JsonText.value` and :meth:`_JsonText.next_char`, which read on and name the
    fault. Both ways give the same values.
    """
    scan = _SCAN
    while True:
        chunk, start = text.text, text.pos
        try:
            value, end = scan(chunk, start)
            whole = end < len(chunk)
        except (StopIteration, ValueError, ArithmeticError, RecursionError):
            whole = False
        if whole:
            line = text.line_at(start)
        else:
            value, line = text.value()
            chunk, end = text.text, text.pos
        yield line, value, text.clean
        found = _SEPARATOR.match(chunk, end)
        if found is not None and found.end() < len(chunk):
            text.pos = found.end()
            if found.group(1) is None:
                return
            continue
        text.pos = end
        after = text.next_char()
        if after < 0:
            raise text.syntax(len(text.text), "Expecting ',' delimiter")
        text.pos = after + 1
        if text.text[after] == "]":
            return
        if text.text[after] != ",":
            raise text.syntax(after, "Expecting ',' delimiter")
        if text.next_char() < 0:
            raise text.syntax(len(text.text), "Expecting value")


def iter_json_lines(path: str, stream: BinaryIO, *, size: int, error: type[CriteriaError],
                    progress: Progress | None = None) -> Iterator[JsonItem | CriteriaError]:
    """Each non-blank line of a JSON Lines file as ``(line, value, clean)``, or the error
    for that line: a bad line does not stop the others (the caller reports it and goes on).

    ``progress(bytes read, file size)`` is called about once per megabyte.
    """
    done = reported = 0
    number = 0
    while True:
        raw = stream.readline(MAX_RECORD_CHARS + 1)
        if not raw:
            break
        number += 1
        done += len(raw)
        if progress is not None and done - reported >= JSON_CHUNK_BYTES:
            progress(done, max(size, done))
            reported = done
        if len(raw) > MAX_RECORD_CHARS and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(JSON_CHUNK_BYTES)
                done += len(raw)
            yield error("json.too_large", Location(path, number), limit=_size(MAX_RECORD_CHARS))
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield error("file.not_utf8", Location(path, number), line=number)
            continue
        if number == 1:
            line = line.removeprefix("\ufeff")
        start = _blank_end(line, 0)
        if start == len(line):
            continue
        try:
            value, end = _decode_at(line, start)
            end = _blank_end(line, end)
            if end != len(line):
                raise json.JSONDecodeError("Extra data", line, end)
        except json.JSONDecodeError as exc:
            yield error("json.syntax", Location(path, number, exc.pos + 1),
                        problem=json_problem(exc.msg))
            continue
        yield number, value, "\\u" not in line and unicodedata.is_normalized("NFC", line)
    if progress is not None:
        progress(done, max(size, done))
