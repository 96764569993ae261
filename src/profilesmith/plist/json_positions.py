"""Lines and columns for JSON Pointers in a JSON document, found only when a finding
needs one (as :mod:`profilesmith.plist.positions` does for XML).

Python's json module records no positions, and recording one per value while parsing
would cost as much as the parse; a finding is rare, so the text is scanned again to the
pointer's value. The scanner follows the JSON grammar far enough to step over values:
strings (with escapes), numbers, literals, and nested containers.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Callable

from profilesmith.base.pointers import pointer_tokens

_SPACE = " \t\r\n"
# the C string scanner json.loads itself uses (public in the module, absent from typeshed)
_scanstring: Callable[[str, int, bool], tuple[str, int]] = vars(json.decoder)["scanstring"]


class JsonLocator:
    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts: list[int] | None = None

    def locate(self, pointer: str, *, at: str = "value") -> tuple[int | None, int | None]:
        """The line and column (1-based, in characters) of the value ``pointer`` names;
        for a missing member its enclosing container, ``at="key"`` the member's key."""
        try:
            offset = self._find(pointer_tokens(pointer), at == "key")
        except (IndexError, ValueError):
            return None, None  # text that no longer parses: no position rather than a wrong one
        return self.position(offset)

    def position(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            at = find("\n")
            while at >= 0:
                starts.append(at + 1)
                at = find("\n", at + 1)
            self._line_starts = starts
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def _find(self, tokens: list[str], key: bool) -> int:
        text = self.text
        at = _skip_space(text, 0)
        key_at = at
        for token in tokens:
            found = None
            if text[at] == "{":
                for member_key, member_key_at, value_at in _members(text, at):
                    if member_key == token:  # the last one wins, as in the decoded value
                        found, key_at = value_at, member_key_at
            elif text[at] == "[" and token.isdigit():
                for index, value_at in enumerate(_items(text, at)):
                    if index == int(token):
                        found = value_at
                        break
            if found is None:
                return at  # a missing member: its container
            at = found
        return key_at if key and tokens else at


def _skip_space(text: str, at: int) -> int:
    while text[at] in _SPACE:
        at += 1
    return at


def _members(text: str, at: int) -> list[tuple[str, int, int]]:
    """(key, key offset, value offset) of the object starting at ``at``."""
    found: list[tuple[str, int, int]] = []
    at = _skip_space(text, at + 1)
    if text[at] == "}":
        return found
    while True:
        key_at = at
        key, at = _scanstring(text, at + 1, True)
        at = _skip_space(text, at)
        at = _skip_space(text, at + 1)  # the colon
        found.append((key, key_at, at))
        at = _skip_space(text, _skip_value(text, at))
        if text[at] == "}":
            return found
        at = _skip_space(text, at + 1)  # the comma


def _items(text: str, at: int) -> list[int]:
    found: list[int] = []
    at = _skip_space(text, at + 1)
    if text[at] == "]":
        return found
    while True:
        found.append(at)
        at = _skip_space(text, _skip_value(text, at))
        if text[at] == "]":
            return found
        at = _skip_space(text, at + 1)


def _skip_value(text: str, at: int) -> int:
    """The offset just after the value starting at ``at``."""
    char = text[at]
    if char == '"':
        return int(_scanstring(text, at + 1, True)[1])
    if char in "{[":
        close = "}" if char == "{" else "]"
        depth = 0
        while True:
            char = text[at]
            if char == '"':
                at = _scanstring(text, at + 1, True)[1]
                continue
            if char in "{[":
                depth += 1
            elif char in "}]":
                depth -= 1
                if depth == 0:
                    if char != close:
                        raise ValueError("mismatched brackets")
                    return at + 1
            at += 1
    end = at
    while end < len(text) and text[end] not in ",]} \t\r\n":
        end += 1
    return end
