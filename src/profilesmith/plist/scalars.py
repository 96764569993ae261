"""What both XML plist decoders share: the grammar of the scalar elements, the values of
well-formed ones, and the suppression directive comments.

The functions here give a scalar's value only when it is well formed and in range, and
None otherwise: the lxml decoder (xmlplist) then works out what exactly is wrong, the
expat decoder (expatplist) hands the file to it.
"""

from __future__ import annotations

import binascii
import re
from datetime import datetime

from profilesmith.base.lazyre import lazy
from profilesmith.plist.bounds import MAX_DIGITS

VALUE_TAGS = frozenset(
    ("dict", "array", "string", "integer", "real", "true", "false", "data", "date")
)
INTEGER = lazy(r"\s*[+-]?(?:0[xX][0-9a-fA-F]+|\d+)\s*")
REAL = lazy(
    r"\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf|infinity)\s*", re.IGNORECASE
)
DATE = lazy(
    r"\s*(\d{4})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d)(?::(\d\d)(?::(\d\d))?)?)?)?)?Z\s*"
)
_DIRECTIVE = lazy(r"\s*profilesmith:\s*ignore\s+([A-Za-z0-9_,\s]+?)\s*$")
SPACE_TABLE = str.maketrans("", "", " \t\r\n")
INT_MIN, INT_END = -(2**63), 2**64


def directive_rules(comment: str | None) -> set[str]:
    """Rule IDs named by a ``profilesmith: ignore A,B`` comment (empty if not one)."""
    match = _DIRECTIVE.match(comment or "")
    if not match:
        return set()
    return {part.upper() for part in re.split(r"[\s,]+", match.group(1)) if part}


def integer(raw: str) -> int | None:
    if len(raw) > MAX_DIGITS:
        return None  # perhaps too many digits: the lxml decoder says
    number = parse_integer(raw)
    return number if number is not None and INT_MIN <= number < INT_END else None


def parse_integer(raw: str) -> int | None:
    """The number an <integer> spells, decimal or 0x hexadecimal, in any range."""
    if raw.isascii() and raw.isdigit():
        return int(raw)
    if not INTEGER.fullmatch(raw):
        return None
    stripped = raw.strip()
    digits = stripped.lstrip("+-")
    number = int(digits, 16) if digits[:2] in ("0x", "0X") else int(digits)
    return -number if stripped.startswith("-") else number


def real(raw: str) -> float | None:
    return float(raw) if REAL.fullmatch(raw) else None


def data(raw: str) -> bytes | None:
    try:
        return binascii.a2b_base64(raw.translate(SPACE_TABLE), strict_mode=True)
    except (binascii.Error, ValueError):
        return None


def date(raw: str) -> datetime | None:
    match = DATE.fullmatch(raw)
    if not match:
        return None
    defaults = (0, 1, 1, 0, 0, 0)
    year, month, day, hour, minute, second = (
        int(p) if p else d for p, d in zip(match.groups(), defaults, strict=True)
    )
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
