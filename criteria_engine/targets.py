"""Files tdkt is asked to write: checked before any work starts.

A secretary who mistypes ``-o ket-qua/2025.xlsx`` should learn it in the first
second, not after a ten-minute run whose decisions are already recorded. So every
command that writes a file calls :func:`check_write_target` first; the check opens
the file for appending (which also catches a workbook locked by Excel on Windows
and a read-only file) and removes it again if it did not exist before.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from criteria_engine.errors import Location, OutputError

__all__ = ["check_write_target"]

#: System error codes that have their own sentence; others are shown by code (EINVAL …).
_KEYS = {"EACCES": "output.denied", "EPERM": "output.denied", "EROFS": "output.denied",
         "ETXTBSY": "output.denied", "ENOSPC": "output.no_space", "EDQUOT": "output.no_space"}


def check_write_target(path: Path) -> None:
    """Raise :class:`OutputError` (one line: where and what to do) if ``path`` can't be written.

    >>> check_write_target(Path("/no/such/folder/out.xlsx"))  # doctest: +SKIP
    OutputError: /no/such/folder/out.xlsx: cannot write the file: folder '/no/such/folder' …
    """
    where = Location(path=str(path))
    if str(path) == "-":
        return
    if path.is_dir():
        raise OutputError("output.is_folder", where, path=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError("output.no_folder", where, folder=str(folder))
    existed = path.exists()
    try:
        with path.open("ab"):
            pass
    except OSError as exc:
        code = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
        key = _KEYS.get(code, "output.not_writable")
        raise OutputError(key, where, reason=code) from None
    if not existed:
        with contextlib.suppress(OSError):
            os.remove(path)
