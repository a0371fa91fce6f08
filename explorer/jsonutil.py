"""Helpers shared by the loaders of user JSON files (sessions, scenarios): data only.

* :func:`read_regular_file` opens a path without ever blocking (a FIFO, a device or a socket is
  refused, not read) and reads at most a size limit.
* :func:`parse_json` parses strict JSON: numbers that overflow, ``NaN``/``Infinity`` and integers
  with thousands of digits are not turned into values but into markers that :func:`check_values`
  reports with the key path of the field (``model.training.w0: ...``).
* :func:`check_values` walks a parsed document once, without recursion, and refuses what no
  loader should pass on: nesting deeper than a limit, numbers beyond :data:`MAX_NUMBER`, and text
  that is not valid Unicode (a lone surrogate such as ``"\\ud800"``, which cannot be written back
  as UTF-8).

Every refusal is an :class:`explorer.core.errors.InputError` whose template starts with
``{file}:`` so the interface can show it in the user's language.
"""
from __future__ import annotations

import json
import math
import os
import re
import stat

from explorer.core.errors import InputError

#: Largest magnitude accepted for any number in a user file.  No field of a session or a
#: scenario comes near it (the largest are seeds < 2**31 and coordinates of ±1e6); above it,
#: integers stop being exact as floats and squares overflow.
MAX_NUMBER = 1e15
#: Longest integer literal parsed at all (Python refuses more than 4300 digits anyway).
MAX_INT_DIGITS = 40
_SURROGATE = re.compile("[\ud800-\udfff]")


def json_type_name(value) -> str:
    """How a JSON value's type reads in an error message ("text", "a list", ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# ---------------------------------------------------------------------------------- files
def read_regular_file(path, limit: int) -> bytes:
    """The bytes of *path*, which must be a regular file of at most *limit* bytes.

    The file is opened non-blocking and checked with ``fstat`` on the open descriptor, so a
    FIFO (which would block ``open`` until a writer comes), a device or a socket is refused
    without waiting, and a file swapped after a check cannot slip through.  At most
    ``limit + 1`` bytes are read: a size the file system reports wrongly cannot make it read
    more.  Raises :class:`OSError` (missing file, no permission) or :class:`InputError`."""
    name = os.path.basename(os.fspath(path)) or os.fspath(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise InputError("{file}: is a folder, not a file", file=name) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError("{file}: is a folder, not a file", file=name)
        if not stat.S_ISREG(st.st_mode):
            raise InputError("{file}: not a regular file (a pipe, a device or a socket cannot be "
                             "opened)", file=name)
        if st.st_size > limit:
            raise InputError("{file}: the file is too large ({size}; the limit is {limit})",
                             file=name, size=human_size(st.st_size), limit=human_size(limit))
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > limit:
        raise InputError("{file}: the file is too large (the limit is {limit})",
                         file=name, limit=human_size(limit))
    return b"".join(chunks)


def human_size(n: int) -> str:
    """``1.0 GB``, ``5.0 MB``, ``12.0 kB`` or ``300 bytes``."""
    for unit, div in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= div:
            return f"{n / div:.1f} {unit}"
    return f"{n} bytes"


def is_special_file(path) -> bool:
    """True if *path* exists and is neither a regular file nor a folder (FIFO, device, socket).
    For dialogs that must not hand such a path to a reader; the readers check again."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8 text, a leading byte-order mark (as Windows editors write) dropped."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("{file}: not a text (UTF-8) file", file=name) from None


# ---------------------------------------------------------------------------------- parsing
class BadNumber:
    """A number literal :func:`parse_json` did not turn into a value (reported by
    :func:`check_values` with its key path)."""

    __slots__ = ("text", "why")

    def __init__(self, text: str, why: str):
        self.text, self.why = text, why

    def shown(self) -> str:
        """The literal for a message; a long integer in scientific notation (``9.999e+4999``)."""
        t = self.text
        digits = t.lstrip("-")
        if len(t) <= 24 or not digits.isdigit():
            return t if len(t) <= 24 else t[:24] + "…"
        return f"{t[:len(t) - len(digits)]}{digits[0]}.{digits[1:4]}e+{len(digits) - 1}"


def int_text(value: int) -> str:
    """An integer for a message: in full up to 24 digits, else in scientific notation (Python
    refuses to print more than 4300 digits at all)."""
    if abs(value) < 10**24:
        return str(value)
    if value.bit_length() < 14000:
        return BadNumber(str(value), "").shown()
    return f"{'-' if value < 0 else ''}≈1e+{int(abs(value).bit_length() * math.log10(2))}"


def _parse_float(text: str):
    value = float(text)
    return value if math.isfinite(value) else BadNumber(text, "large")


def _parse_int(text: str):
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        return BadNumber(text, "large")
    return int(text)


def _parse_constant(text: str):
    return BadNumber(text, "constant")


def parse_json(text: str, name: str):
    """Parse *text* as JSON data only; malformed JSON or nesting too deep for the parser raise
    :class:`InputError`.  Numbers that are not plain finite values come back as
    :class:`BadNumber` markers: call :func:`check_values` before using the result."""
    try:
        return json.loads(text, parse_float=_parse_float, parse_int=_parse_int,
                          parse_constant=_parse_constant)
    except json.JSONDecodeError as exc:
        raise InputError("{file}: not valid JSON ({reason} at line {line}, column {column})",
                         file=name, reason=exc.msg, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise InputError("{file}: nested too deeply to be read", file=name) from None


def _key_path(parts) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def check_values(doc, name: str, *, max_depth: int, max_number: float = MAX_NUMBER) -> None:
    """Refuse, naming the field, anything in *doc* a loader must not pass on: nesting deeper
    than *max_depth*, :class:`BadNumber` markers, numbers beyond ±*max_number*, and text (values
    or keys) holding lone surrogates.  Iterative: any depth is safe to check."""
    stack = [(doc, (), 1)]
    while stack:
        value, path, depth = stack.pop()
        if depth > max_depth:
            raise InputError("{file}: nested too deeply (at most {depth} levels)",
                             file=name, depth=max_depth)
        if isinstance(value, dict):
            for key, sub in value.items():
                if _SURROGATE.search(key):
                    raise InputError("{file}: {field}: a key holds an invalid character (a lone "
                                     "surrogate {code}); the file is not valid Unicode text",
                                     file=name, field=_key_path(path) if path else "(top level)",
                                     code=_surrogate_code(key))
                stack.append((sub, path + (key,), depth + 1))
        elif isinstance(value, list):
            stack.extend((sub, path + (i,), depth + 1) for i, sub in enumerate(value))
        elif isinstance(value, str):
            if _SURROGATE.search(value):
                raise InputError("{file}: {field}: the text holds an invalid character (a lone "
                                 "surrogate {code}); the file is not valid Unicode text",
                                 file=name, field=_key_path(path), code=_surrogate_code(value))
        elif isinstance(value, BadNumber):
            if value.why == "constant":
                raise InputError("{file}: {field}: {number} is not allowed (only finite numbers)",
                                 file=name, field=_key_path(path), number=value.text)
            raise InputError("{file}: {field}: the number {number} is too large (at most "
                             "±{limit:g})", file=name, field=_key_path(path),
                             number=value.shown(), limit=max_number)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if abs(value) > max_number:
                shown = f"{value:g}" if isinstance(value, float) else int_text(value)
                raise InputError("{file}: {field}: the number {number} is too large (at most "
                                 "±{limit:g})", file=name, field=_key_path(path), number=shown,
                                 limit=max_number)


def _surrogate_code(text: str) -> str:
    return "\\u%04x" % ord(_SURROGATE.search(text).group(0))


def without_surrogates(text: str) -> str:
    """*text* with every lone surrogate replaced by U+FFFD (what Qt draws for one), so it can be
    written as UTF-8."""
    return _SURROGATE.sub("\ufffd", text)


__all__ = ["MAX_NUMBER", "BadNumber", "check_values", "decode_text", "human_size",
           "is_special_file", "json_type_name", "parse_json", "read_regular_file",
           "without_surrogates"]
