"""Reading user files: UTF-8 and NFC checked, numbers kept exact, positions kept.

Rule files and nominee files are written by people with ordinary editors. Three
things go wrong often enough to deserve a precise answer: the file is saved in a
legacy encoding, Vietnamese letters arrive decomposed (NFD, from macOS or some
Unikey settings), and a number such as ``0.95`` silently becomes a binary float.
This module is the only place that reads such files, so the rest of the engine
can rely on NFC text and :class:`~decimal.Decimal` numbers.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import simplejson
from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from criteria_engine.errors import CriteriaError, Location

__all__ = [
    "SourceText",
    "load_json",
    "load_json_lines",
    "load_yaml",
    "position_of",
    "read_text",
    "source_text",
]


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
            "yaml.not_number", Location(line=line, column=node.start_mark.column + 1), text=text
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


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _ExactConstructor
    yaml.allow_duplicate_keys = False
    # a reused anchor is legal YAML; the library reports through errors, not Python warnings
    yaml.composer.warn_double_anchors = False
    return yaml


def _excerpt(text: str, line: int, column: int) -> str:
    """Numbered lines around a fault, with a caret under the column (as dbt shows them)."""
    lines = text.splitlines()
    first = max(1, line - 2)
    shown = []
    for number in range(first, min(len(lines), line + 1) + 1):
        shown.append(f"{number:>5} | {lines[number - 1]}")
        if number == line:
            shown.append(" " * 5 + " | " + " " * max(0, column - 1) + "^")
    return "\n".join(shown)


def load_yaml(source: SourceText, *, error: type[CriteriaError]) -> Any:
    """Parse YAML with positions kept; a syntax error names line and column and shows them."""
    try:
        return _yaml().load(source.text)
    except CriteriaError as exc:
        raise error(exc.key, Location(source.path, exc.where.line, exc.where.column),
                    **exc.params) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "?"
        excerpt = _excerpt(source.text, line, column or 1) if line else ""
        raise error(
            "yaml.syntax", Location(source.path, line, column), problem=problem, excerpt=excerpt
        ) from None
    except ReaderError as exc:
        # a control character (pasted from a word processor): say where, like a syntax error
        line = source.text.count("\n", 0, exc.position) + 1
        column = exc.position - (source.text.rfind("\n", 0, exc.position) + 1) + 1
        problem = str(exc).split("\n", 1)[0]
        raise error("yaml.syntax", Location(source.path, line, column), problem=problem,
                    excerpt=_excerpt(source.text, line, column)) from None
    except YAMLError as exc:
        raise error("yaml.syntax", Location(source.path), problem=str(exc), excerpt="") from None


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


def load_json(source: SourceText, *, error: type[CriteriaError]) -> Any:
    """Parse JSON with every non-integer number as Decimal."""
    try:
        return simplejson.loads(source.text, use_decimal=True)
    except simplejson.JSONDecodeError as exc:
        raise error("json.syntax", Location(source.path, exc.lineno, exc.colno),
                    problem=exc.msg) from None
    except ValueError as exc:  # a number past Python's 4300-digit limit
        raise error("json.syntax", Location(source.path), problem=str(exc)) from None


def load_json_lines(source: SourceText, *, error: type[CriteriaError]) -> Iterator[
        tuple[int, Any] | CriteriaError]:
    """Each non-blank line of a JSON Lines file with its line number, or the error for that line.

    A bad line does not stop the others: the caller reports it and goes on.
    """
    for number, line in enumerate(source.text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, simplejson.loads(line, use_decimal=True)
        except simplejson.JSONDecodeError as exc:
            yield error("json.syntax", Location(source.path, number, exc.colno), problem=exc.msg)
        except ValueError as exc:
            yield error("json.syntax", Location(source.path, number), problem=str(exc))
