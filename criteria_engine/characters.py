"""Characters that can make stored text display as something else, and how to show it.

The audit trail is read by people. A right-to-left override (U+202E) in an actor's
name reorders what follows it on screen, a zero-width space makes two different
names look the same, and a newline or an escape sequence can forge a line or
recolour a terminal. So names (actors) may hold none of these, notes and reasons
may hold newlines but none of the others, and text read back from a store is shown
through :func:`shown`, which writes every such character as a visible escape::

    >>> unsafe_character("Lan\\u202eadmin")
    'U+202E'
    >>> unsafe_character("Biên bản số 12\\nHội đồng", newlines=True) is None
    True
    >>> shown("lan\\u202eadmin\\x1b[31m")
    'lan\\\\u202eadmin\\\\x1b[31m'

A lone surrogate (``\\udcff``) is how Python hands over an argument that was not
valid UTF-8; it is reported as :data:`NOT_UTF8` so the message can say so.
"""

from __future__ import annotations

import unicodedata

__all__ = ["BIDI_CONTROLS", "NOT_UTF8", "ZERO_WIDTH", "shown", "unsafe_character"]

#: Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Zero-width space, non-joiner, joiner, word joiner, byte order mark.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
#: What :func:`unsafe_character` returns for text that came from bytes that were not UTF-8.
NOT_UTF8 = "not-utf-8"

# Cc: C0/C1 controls (newline, tab, escape, …); Cf: format characters (every bidi
# control and zero-width character above is one); Cs: surrogates; Zl, Zp: the line
# and paragraph separators, which break a line like a newline does.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _unsafe(char: str) -> bool:
    return (char in BIDI_CONTROLS or char in ZERO_WIDTH
            or unicodedata.category(char) in _UNSAFE_CATEGORIES)


def unsafe_character(text: str, *, newlines: bool = False) -> str | None:
    """The first character of ``text`` that could mislead a reader (``"U+202E"``), or None.

    ``newlines`` allows ``\\n`` (notes and reasons); no other control or format
    character is ever allowed. Returns :data:`NOT_UTF8` for undecodable bytes.
    """
    if text.isprintable():
        # isprintable() is False for every Cc, Cf, Cs, Zl and Zp character: the fast path.
        return None
    for char in text:
        if newlines and char == "\n":
            continue
        if _unsafe(char):
            if unicodedata.category(char) == "Cs":
                return NOT_UTF8
            return f"U+{ord(char):04X}"
    return None


def shown(text: str) -> str:
    """``text`` for a screen: every control, format or separator character as an escape."""
    if text.isprintable():
        return text
    return "".join(_escape(char) if _unsafe(char) else char for char in text)


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"
