"""Lines and positions as the Language Server Protocol counts them.

LSP breaks lines at ``\\n``, ``\\r\\n`` and ``\\r`` only (``str.splitlines`` also breaks at
U+2028, U+0085, form feeds, ...) and counts a position's ``character`` in the units of
the negotiated position encoding: UTF-16 code units (the default), UTF-8 bytes or UTF-32
code points. The linter's columns, and Python's string indexes, are code points. A
:class:`LineIndex` is built once per document version and converts both ways.
"""

from __future__ import annotations

import re
from bisect import bisect_right

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
ENCODINGS = (UTF8, UTF16, UTF32)
_BREAK = re.compile(r"\r\n|\r|\n")


def units(text: str, encoding: str) -> int:
    """How many units of ``encoding`` the text takes."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", errors="surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def column_of_units(line: str, count: int, encoding: str) -> int:
    """The code-point column at ``count`` units of ``encoding`` into ``line``; past its
    end, the end (as LSP asks); inside a character, that character's start."""
    if count <= 0:
        return 0
    if encoding == UTF32 or line.isascii():
        return min(count, len(line))
    seen = 0
    for column, char in enumerate(line):
        code = ord(char)
        if encoding == UTF8:
            width = 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
        else:
            width = 2 if code > 0xFFFF else 1
        if seen + width > count:
            return column
        seen += width
    return len(line)


class LineIndex:
    """Where each line of a text starts, for conversions between offsets, code-point
    positions and client positions."""

    __slots__ = ("starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.starts.extend(match.end() for match in _BREAK.finditer(text))

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line(self, number: int) -> str:
        """Line ``number`` (0-based) without its line break ("" past the end)."""
        if not 0 <= number < len(self.starts):
            return ""
        start = self.starts[number]
        end = self.starts[number + 1] if number + 1 < len(self.starts) else len(self.text)
        text = self.text[start:end]
        if text.endswith("\r\n"):
            return text[:-2]
        return text[:-1] if text.endswith(("\n", "\r")) else text

    def offset(self, line: int, column: int) -> int:
        """The offset of a code-point position, clamped to the text and to its line."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        return self.starts[line] + max(0, min(column, len(self.line(line))))

    def position(self, offset: int) -> tuple[int, int]:
        """The 0-based (line, code-point column) of an offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        return line, min(offset - self.starts[line], len(self.line(line)))

    def end(self) -> tuple[int, int]:
        return self.position(len(self.text))

    def to_client(self, line: int, column: int, encoding: str) -> tuple[int, int]:
        """A code-point position as the client counts it."""
        text = self.line(line)
        return line, units(text[:column], encoding)

    def from_client(self, line: int, character: int, encoding: str) -> tuple[int, int]:
        """A client position as a code-point position (clamped to the text)."""
        if line >= len(self.starts):
            return self.end()
        line = max(line, 0)
        return line, column_of_units(self.line(line), character, encoding)

    def client_offset(self, line: int, character: int, encoding: str) -> int:
        return self.offset(*self.from_client(line, character, encoding))

    def client_position(self, offset: int, encoding: str) -> tuple[int, int]:
        return self.to_client(*self.position(offset), encoding)
