"""The outline of an XML property list in any state of typing (see
:mod:`profilesmith.lsp.outline`).

A regular-expression scan of the tags, not a parser: an element left open ends where the
next tag begins (or at the end of its line, for a key or a scalar), a stray end tag is
skipped, a container never closed reaches the end of the text, a half-typed tag
(``<ke``) is remembered so that a completion can replace it.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from profilesmith.lsp.outline import Builder, Member, Node

_TOKEN = re.compile(
    r"(?P<comment><!--.*?(?:-->|\Z))"
    r"|(?P<cdata><!\[CDATA\[.*?(?:\]\]>|\Z))"
    r"|<\?.*?(?:\?>|\Z)"
    r"|<![^<>]*>?"
    r"|</\s*(?P<close>[A-Za-z_][\w.\-]*)?\s*>?"
    r"|<(?P<open>[A-Za-z_][\w.\-]*)(?:\s[^<>]*?)?(?P<self>/?)>"
    r"|(?P<partial><[A-Za-z_]?[\w.\-]*)",
    re.DOTALL,
)
_ENTITY = re.compile(r"&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(lt|gt|amp|quot|apos));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_CONTAINERS = ("dict", "array")


class Outline(NamedTuple):
    root: Node | None
    partials: list[tuple[int, int]]  # half-typed tags: (start, end)

    def partial_at(self, offset: int) -> tuple[int, int] | None:
        for start, end in self.partials:
            if start < offset <= end:
                return start, offset
        return None


def unescape(text: str) -> str:
    if "&" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        hexa, decimal, name = match.groups()
        try:
            if hexa:
                return chr(int(hexa, 16))
            if decimal:
                return chr(int(decimal))
        except (ValueError, OverflowError):
            return match.group()
        return _NAMED[name]

    return _ENTITY.sub(replace, text)


def scalar_value(tag: str, text: str) -> Any:
    if tag == "string":
        return unescape(text)
    stripped = text.strip()
    try:
        if tag == "integer":
            return int(stripped, 16) if stripped.lower().startswith("0x") else int(stripped)
        if tag == "real":
            return float(stripped)
    except ValueError:
        return None
    return stripped


class _Scanner(Builder):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.partials: list[tuple[int, int]] = []
        # the key or scalar element being read: (tag, start, start of its text)
        self.open: tuple[str, int, int] | None = None

    def run(self) -> Outline:
        for match in _TOKEN.finditer(self.text):
            if self.open is not None:
                if match.group("comment") is not None or match.group("cdata") is not None:
                    continue
                tag = self.open[0]
                if match.group("close") == tag:
                    self.finish(match.start(), match.end())
                    continue
                self.finish_unclosed(match.start())
            self.token(match)
        if self.open is not None:
            self.finish_unclosed(len(self.text))
        return Outline(self.root, self.partials)

    def token(self, match: re.Match[str]) -> None:
        start, end = match.span()
        name = match.group("open")
        if name is not None:
            closed = bool(match.group("self"))
            if name == "plist":
                return
            if name in _CONTAINERS:
                node = Node("dict" if name == "dict" else "array", name, start,
                            end if closed else -1)
                self.attach(node)
                if not closed:
                    self.stack.append(node)
            elif closed:
                node = Node("scalar", name, start, end)
                node.value = {"true": True, "false": False}.get(name, "")
                if name == "key":
                    self.add_member("", start, end, (end, end))
                else:
                    self.attach(node)
            else:
                self.open = (name, start, end)
            return
        closing = match.group("close")
        if closing in _CONTAINERS:
            for depth in range(len(self.stack) - 1, -1, -1):
                if self.stack[depth].tag == closing:
                    for unclosed in self.stack[depth + 1:]:
                        unclosed.end = start
                    self.stack[depth].end = end
                    del self.stack[depth:]
                    break
        elif closing == "plist":
            for unclosed in self.stack:
                unclosed.end = start
            self.stack.clear()
        elif match.group("partial") is not None:
            self.partials.append((start, end))

    def finish(self, text_end: int, end: int) -> None:
        assert self.open is not None
        tag, start, text_start = self.open
        self.open = None
        raw = self.text[text_start:text_end]
        if tag == "key":
            self.add_member(unescape(raw), start, end, (text_start, text_end))
            return
        node = Node("scalar", tag, start, end)
        node.inner = (text_start, text_end)
        node.value = {"true": True, "false": False}.get(tag) if tag in ("true", "false") \
            else scalar_value(tag, raw)
        self.attach(node)

    def finish_unclosed(self, limit: int) -> None:
        """An element whose end tag never came: it ends at the end of its line (or
        where the next tag starts, if that is sooner)."""
        assert self.open is not None
        text_start = self.open[2]
        newline = self.text.find("\n", text_start, limit)
        end = limit if newline < 0 else newline
        if end > text_start and self.text[end - 1] == "\r":
            end -= 1
        self.finish(end, end)

    def add_member(self, key: str, start: int, end: int, inner: tuple[int, int]) -> None:
        if self.stack and self.stack[-1].shape == "dict":
            self.stack[-1].members.append(Member(key, start, end, inner))

def outline(text: str) -> Outline:
    return _Scanner(text).run()
