"""A tolerant outline of an editor's text: dictionaries, arrays, keys and scalars with
their offsets, and where a cursor is in it.

The reader refuses malformed XML (rightly: a device would too), but while the admin
types, the text is malformed most of the time: ``<key>Acc`` with nothing after it.
Hover and completion only need to know the keys around the cursor, so
:mod:`~profilesmith.lsp.xmloutline` and :mod:`~profilesmith.lsp.jsonoutline` build this
outline from text in any state, never raising. Diagnostics never use it.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from profilesmith.base.pointers import join_pointer

Shape = Literal["dict", "array", "scalar"]


class Node:
    """A value: ``start``/``end`` cover its markup (``end`` is the text's end while it is
    not closed); a scalar's ``inner`` is the span of its text (inside the quotes for
    JSON); ``tag`` is the XML element or the JSON type."""

    __slots__ = ("end", "inner", "items", "members", "shape", "start", "tag", "value")

    def __init__(self, shape: Shape, tag: str, start: int, end: int = -1) -> None:
        self.shape = shape
        self.tag = tag
        self.start = start
        self.end = end
        self.inner: tuple[int, int] | None = None
        self.value: Any = None
        self.members: list[Member] = []
        self.items: list[Node] = []

    def __repr__(self) -> str:
        return f"Node({self.shape}, {self.tag!r}, {self.start}, {self.end})"

    def member(self, key: str) -> Member | None:
        found = None
        for member in self.members:
            if member.key == key:
                found = member  # the last one wins, as in the reader
        return found


class Member:
    """A dictionary member: its key's markup (``start``/``end``), the key's text span
    (``inner``), and its value once one follows."""

    __slots__ = ("end", "inner", "key", "start", "value")

    def __init__(self, key: str, start: int, end: int, inner: tuple[int, int]) -> None:
        self.key = key
        self.start = start
        self.end = end
        self.inner = inner
        self.value: Node | None = None

    def __repr__(self) -> str:
        return f"Member({self.key!r}, {self.start}, {self.end})"


class Builder:
    """What the XML and JSON scanners share: the open containers, and how a finished
    value joins the tree."""

    def __init__(self) -> None:
        self.root: Node | None = None
        self.stack: list[Node] = []

    def attach(self, node: Node) -> None:
        if not self.stack:
            if self.root is None:
                self.root = node
            return
        parent = self.stack[-1]
        if parent.shape == "array":
            parent.items.append(node)
        elif parent.members and parent.members[-1].value is None:
            parent.members[-1].value = node


Where = Literal["key", "value", "key-slot", "value-slot", "item-slot"]


class Cursor(NamedTuple):
    """Where an offset is: on a key (``key``), on a scalar value (``value``), between the
    members of a dictionary (``key-slot``), after a key that has no value yet
    (``value-slot``) or between the items of an array (``item-slot``).

    ``tokens`` lead to the dictionary (key, key-slot), the member or item (value,
    value-slot) or the array (item-slot); ``replace`` is the text a completion replaces:
    the key's or the value's text (when the cursor is in it), a half-typed tag, or
    nothing at the cursor; ``inside`` says whether the cursor is in that text (not on
    the markup around it); ``node`` is the dictionary or array around the cursor,
    ``member`` the member it is on. ``closer`` is what the key or value still lacks when
    it is not closed yet (``</key>``, ``</string>``, a quote), for a completion to add."""

    where: Where
    tokens: tuple[str, ...]
    replace: tuple[int, int]
    node: Node
    member: Member | None = None
    inside: bool = True
    closer: str = ""

    @property
    def pointer(self) -> str:
        return join_pointer("", *self.tokens)


def locate(root: Node | None, offset: int, partial: tuple[int, int] | None = None
           ) -> Cursor | None:
    """The cursor at ``offset``; ``partial`` is a half-typed tag that ends at the cursor
    (``<ke``), which a completion replaces."""
    if root is None or offset < root.start or offset > _end(root):
        return None
    node: Node = root
    tokens: tuple[str, ...] = ()
    here = (offset, offset) if partial is None else partial
    while True:
        if node.shape == "dict":
            previous = None
            for member in node.members:
                if member.inner[0] <= offset <= member.inner[1]:
                    closer = "" if member.end > member.inner[1] else (
                        '": ' if node.tag == "object" else "</key>")
                    return Cursor("key", tokens, member.inner, node, member, closer=closer)
                if member.start < offset < member.end:
                    return Cursor("key", tokens, member.inner, node, member, inside=False)
                value = member.value
                if value is not None:
                    inner = _within(value, offset)
                    if inner is not None:
                        return Cursor("value", (*tokens, member.key), inner[0], node, member,
                                      inside=inner[1], closer=_closer(value))
                    if value.shape != "scalar" and value.start < offset < _end(value):
                        node, tokens = value, (*tokens, member.key)
                        break
                if member.end <= offset:
                    previous = member
            else:
                if previous is not None and previous.value is None:
                    return Cursor("value-slot", (*tokens, previous.key), here, node, previous)
                return Cursor("key-slot", tokens, here, node)
        elif node.shape == "array":
            for number, item in enumerate(node.items):
                inner = _within(item, offset)
                if inner is not None:
                    return Cursor("value", (*tokens, str(number)), inner[0], node,
                                  inside=inner[1], closer=_closer(item))
                if item.shape != "scalar" and item.start < offset < _end(item):
                    node, tokens = item, (*tokens, str(number))
                    break
            else:
                return Cursor("item-slot", tokens, here, node)
        else:
            return None


def _closer(node: Node) -> str:
    """What an unclosed scalar lacks: its end tag, or the closing quote of a JSON string."""
    if node.inner is None or node.end > node.inner[1] or node.tag in ("number", "literal"):
        return ""
    return '"' if node.tag == "string" and node.start + 1 == node.inner[0] else \
        f"</{node.tag}>"


def _within(node: Node, offset: int) -> tuple[tuple[int, int], bool] | None:
    """For a scalar: (the span a completion replaces, whether the offset is in its text)
    when the offset is on it; None otherwise."""
    if node.shape != "scalar":
        return None
    if node.inner is not None and node.inner[0] <= offset <= node.inner[1]:
        return node.inner, True
    if node.start < offset < node.end:
        return (node.start, node.end), False
    return None


def _end(node: Node) -> int:
    """A node's end; an unclosed one reaches the end of the text."""
    return node.end if node.end >= 0 else 1 << 62


def to_value(node: Node | None, depth: int = 0) -> Any:
    """The outline as a value tree (what the reader would have decoded, as far as the
    text says), for telling what the document is."""
    if node is None or depth > 64:
        return None
    if node.shape == "dict":
        return {m.key: to_value(m.value, depth + 1) for m in node.members}
    if node.shape == "array":
        return [to_value(item, depth + 1) for item in node.items]
    return node.value


def find(root: Node | None, tokens: tuple[str, ...] | list[str]) -> Node | None:
    """The node at ``tokens``."""
    node = root
    for token in tokens:
        if node is None:
            return None
        if node.shape == "dict":
            member = node.member(token)
            node = member.value if member is not None else None
        elif node.shape == "array" and token.isdigit() and int(token) < len(node.items):
            node = node.items[int(token)]
        else:
            return None
    return node
