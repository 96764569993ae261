"""Decode the XML property lists that have nothing to report with expat, keeping what
positions need; hand every other file to the lxml decoder (xmlplist).

Why a second decoder: importing lxml (with the inspect and gzip modules it loads) costs a
one-file lint process 14-19 ms of CPU, as much as a whole plistlib process that reads
the file. expat is the parser plistlib itself uses and comes with Python. What expat
cannot do is say what is wrong in the words users know from libxml2, plutil and Xcode,
so this decoder gives up (``decode`` returns False) at the first thing the lxml decoder
would report, or would number differently, and changes nothing in the Document until it
has succeeded. The two then give the same Document, positions included:
tests/plist/test_expat.py compares them over the fixtures and the real corpus.

Positions: libxml2 numbers an element by the line its start tag ends on and a comment by
the line it ends on; expat reports where they start. The decoder takes the start tags on
one line (anything else goes to lxml) and adds a comment's own line breaks. Columns come
from ``positions.Lines`` as for lxml, from the element's place among the start tags of
its line.
"""

from __future__ import annotations

import pyexpat
from collections.abc import Callable
from typing import Any

from profilesmith.base.pointers import escape_pointer_token
from profilesmith.plist import scalars
from profilesmith.plist.document import Document, Suppressions
from profilesmith.plist.positions import Lines, walk

# above these, the lxml decoder applies libxml2's limits (depth 256, a text of 10 MB)
_MAX_DEPTH = 200
_MAX_BYTES = 9_000_000

# A node of the position tree: [tag, line, ordinal on its line, children], the children
# of a <dict> being {key: (key node, value node)} (the last of duplicate keys wins, as in
# the decoded value), of an <array> a list of nodes, of a scalar None.
Node = list[Any]


class _Unusual(Exception):
    """Something the lxml decoder reports or numbers otherwise: the file goes to it."""


def _plain(data: bytes) -> bool:
    """Whether expat may try ``data``: UTF-8 (not UTF-16), no entity declarations, line
    breaks that both parsers count alike (no lone CR), under libxml2's text limit."""
    return (len(data) <= _MAX_BYTES and data[:2] not in (b"\xff\xfe", b"\xfe\xff")
            and b"\x00" not in data[:4] and b"<!ENTITY" not in data
            and data.count(b"\r") == data.count(b"\r\n"))


def decode(doc: Document, data: bytes, offset: int) -> bool:
    """Fill ``doc`` from ``data`` and return True, or return False (``doc`` unchanged)."""
    if not _plain(data):
        return False
    decoder = _Decoder(data, offset)
    try:
        decoder.parser.Parse(data, True)
    except (_Unusual, pyexpat.ExpatError):
        return False
    finally:
        decoder.parser = None  # its handlers hold the decoder: no cycle left to collect
    if decoder.root_node is None:
        return False
    suppressions = Suppressions()
    for text, line in reversed(decoder.prolog):  # lxml walks them from the root back
        suppressions.add_whole_file(scalars.directive_rules(text), line)
    for replay in decoder.directives:
        replay(suppressions)
    doc.root = decoder.root
    doc.duplicates = decoder.duplicates
    doc.suppressions = suppressions
    doc.locator = TreeLocator(decoder.root_node, offset, doc.content)
    return True


class _Frame:
    """An open <plist>, <dict> or <array>."""

    __slots__ = ("key", "key_node", "node", "pending", "pointer", "tag", "value")

    def __init__(self, tag: str, value: Any, pointer: str, node: Node) -> None:
        self.tag = tag
        self.value = value
        self.pointer = pointer
        self.node = node
        self.key: str | None = None
        self.key_node: Node | None = None
        # the directive before the next key: where replaying it leaves its index
        self.pending: list[int] | None = None


class _Decoder:
    def __init__(self, data: bytes, offset: int) -> None:
        self.data = data
        self.offset = offset
        self.stack: list[_Frame] = []
        self.scalar: Node | None = None  # the open scalar element (or <key>)
        self.text: list[str] = []
        self.root: Any = None
        self.root_node: Node | None = None
        self.started = False
        self.duplicates: list[str] = []
        self.prolog: list[tuple[str, int]] = []  # comments before the root element
        # the suppressions, replayed into the Document's once the whole file is read
        self.directives: list[Callable[[Suppressions], Any]] = []
        self.line = 0
        self.on_line = 0
        parser = pyexpat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters
        parser.CommentHandler = self.comment
        parser.ProcessingInstructionHandler = self.instruction
        parser.XmlDeclHandler = self.declaration
        parser.StartDoctypeDeclHandler = self.doctype
        parser.SkippedEntityHandler = self.refuse
        parser.EntityDeclHandler = self.refuse
        self.parser: Any = parser

    # -- handlers --------------------------------------------------------------------

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        parser = self.parser
        line = parser.CurrentLineNumber
        at = parser.CurrentByteIndex
        data = self.data
        if data.find(b"\n", at, data.find(b">", at)) >= 0:
            raise _Unusual("a start tag across lines")
        if attributes and (tag != "plist" or set(attributes) != {"version"}
                           or ">" in attributes["version"]):
            raise _Unusual("attributes")  # xmlns would change the tag for lxml
        if line == self.line:
            ordinal = self.on_line
            self.on_line += 1
        else:
            self.line, ordinal, self.on_line = line, 0, 1
        node: Node = [tag, line, ordinal, None]
        if self.scalar is not None or len(self.stack) > _MAX_DEPTH:
            raise _Unusual("an element inside a scalar")
        if not self.stack:
            if tag != "plist":
                raise _Unusual("the root is not <plist>")
            self.started = True
            self.stack.append(_Frame(tag, None, "", node))
            return
        frame = self.stack[-1]
        if frame.tag == "dict":
            if tag == "key":
                if frame.key is not None:
                    raise _Unusual("a key without a value")
                self.open_scalar(node)
                return
            if frame.key is None:
                raise _Unusual("a value without a key")
            pointer = f"{frame.pointer}/{escape_pointer_token(frame.key)}"
        elif frame.tag == "array":
            pointer = f"{frame.pointer}/{len(frame.value)}"
        else:  # the <plist>
            if self.root_node is not None:
                raise _Unusual("more than one value")
            pointer = ""
        if tag == "dict":
            node[3] = {}
            self.stack.append(_Frame(tag, {}, pointer, node))
        elif tag == "array":
            node[3] = []
            self.stack.append(_Frame(tag, [], pointer, node))
        elif tag in scalars.VALUE_TAGS:
            self.open_scalar(node)
        else:
            raise _Unusual("an unknown element")

    def open_scalar(self, node: Node) -> None:
        self.scalar = node
        self.text = []

    def end(self, tag: str) -> None:
        node = self.scalar
        if node is not None:
            self.scalar = None
            text = "".join(self.text)
            if tag == "key":
                frame = self.stack[-1]
                frame.key, frame.key_node = text, node
                return
            self.place(_scalar(tag, text), node)
            return
        frame = self.stack.pop()
        if frame.tag == "plist":
            if self.root_node is None:
                raise _Unusual("<plist> holds no value")
            return
        if frame.key is not None:
            raise _Unusual("a key without a value")
        self.place(frame.value, frame.node)

    def place(self, value: Any, node: Node) -> None:
        frame = self.stack[-1]
        if frame.tag == "dict":
            key = frame.key
            assert key is not None
            assert frame.key_node is not None
            frame.node[3][key] = (frame.key_node, node)
            members = frame.value
            if key in members or frame.pending is not None:
                member = f"{frame.pointer}/{escape_pointer_token(key)}"
                if key in members:
                    self.duplicates.append(member)
                if frame.pending is not None:
                    cell = frame.pending
                    self.directives.append(lambda s: s.attach(cell[0], member))
                    frame.pending = None
            members[key] = value
            frame.key = None
        elif frame.tag == "array":
            frame.value.append(value)
            frame.node[3].append(node)
        else:
            self.root, self.root_node = value, node

    def characters(self, text: str) -> None:
        if self.scalar is not None:
            self.text.append(text)
        elif self.stack and self.stack[-1].tag != "plist" and text.strip(" \t\r\n"):
            raise _Unusual("text between the elements of a container")  # PAR016

    def comment(self, text: str) -> None:
        # libxml2 numbers a comment by the line it ends on
        line = self.parser.CurrentLineNumber + text.count("\n") + self.offset
        if self.scalar is not None:
            if self.scalar[0] in ("true", "false"):
                raise _Unusual("a comment inside <true/> or <false/>")  # PAR008
            return
        if not self.stack:
            if not self.started:
                self.prolog.append((text, line))
            return
        frame = self.stack[-1]
        rules = scalars.directive_rules(text)
        if not rules:
            return
        if frame.tag == "plist":
            if self.root_node is None:
                self.directives.append(lambda s: s.add_whole_file(rules, line))
        elif frame.tag == "dict":
            after = line + text.count("\n") + 1
            cell: list[int] = []
            self.directives.append(lambda s: cell.append(s.add_before(rules, line, after)))
            frame.pending = cell

    def instruction(self, target: str, data: str) -> None:
        raise _Unusual("a processing instruction")  # libxml2 is stricter about targets

    def declaration(self, version: str, encoding: str | None, standalone: int) -> None:
        if version != "1.0":
            raise _Unusual("an XML version other than 1.0")  # libxml2 refuses some
        if encoding is not None and encoding.lower() != "utf-8":
            raise _Unusual("an encoding other than UTF-8")

    def doctype(self, name: str, system: str | None, public: str | None,
                internal: int) -> None:
        if internal:
            raise _Unusual("a DTD internal subset")

    def refuse(self, *args: Any) -> None:
        raise _Unusual("an entity")


def _scalar(tag: str, text: str) -> Any:
    if tag == "string":
        return text
    if tag == "integer":
        value: Any = scalars.integer(text)
    elif tag == "true" or tag == "false":
        if text.strip():
            raise _Unusual("<true/> or <false/> with content")
        return tag == "true"
    elif tag == "data":
        value = scalars.data(text)
    elif tag == "date":
        value = scalars.date(text)
    else:
        value = scalars.real(text)
    if value is None:
        raise _Unusual(f"a malformed <{tag}>")
    return value


def _step(node: Node, token: str) -> tuple[Node, Node | None] | None:
    tag, children = node[0], node[3]
    if tag == "dict":
        pair = children.get(token)
        return None if pair is None else (pair[1], pair[0])
    if tag == "array" and token.isdecimal() and int(token) < len(children):
        return children[int(token)], None
    return None


class TreeLocator:
    """XmlLocator's answers from the nodes the expat decoder kept."""

    __slots__ = ("lines", "offset", "root")

    def __init__(self, root: Node, offset: int, content: bytes) -> None:
        self.root = root
        self.offset = offset
        self.lines = Lines(content)

    def element(self, pointer: str, *, at: str = "value") -> Node:
        node: Node = walk(self.root, pointer, at, _step)
        return node

    def locate(self, pointer: str, *, at: str = "value") -> tuple[int | None, int | None]:
        return self.position(self.element(pointer, at=at))

    def position(self, node: Node) -> tuple[int | None, int | None]:
        line = node[1] + self.offset
        return line, self.lines.column(line, node[2], node[0])
