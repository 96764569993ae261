"""Document: a decoded plist plus everything needed to point back into the file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from profilesmith.findings import Finding, join_pointer, parent_pointer

Format = Literal["xml", "binary", "cms", "unknown"]

# A position is recorded as (line, ordinal): the ordinal counts element start tags seen
# earlier on the same line.  lxml reports no columns, so the column is worked out from
# the line's text only when a finding needs it.
RawPosition = tuple[int, int]

_START_TAG = re.compile(r"<([A-Za-z_][\w.\-]*)")


@dataclass
class SignatureFacts:
    """What the reader learnt from a CMS wrapper; ``cms`` parses the rest on demand."""

    der: bytes
    content_type: str
    detached: bool
    indefinite_length: bool


@dataclass
class Suppressions:
    """Inline ``<!-- profilesmith: ignore ... -->`` directives."""

    whole_file: set[str] = field(default_factory=set)
    # pointer of a dict member -> rule IDs ignored for it and everything below it
    by_pointer: dict[str, set[str]] = field(default_factory=dict)
    # line number -> rule IDs ignored for findings on that line
    by_line: dict[int, set[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.whole_file or self.by_pointer or self.by_line)

    def covers(self, finding: Finding) -> bool:
        if _matches(self.whole_file, finding.rule):
            return True
        if finding.line is not None and _matches(self.by_line.get(finding.line, ()), finding.rule):
            return True
        pointer: str | None = finding.pointer
        while pointer is not None:
            rules = self.by_pointer.get(pointer)
            if rules and _matches(rules, finding.rule):
                return True
            pointer = parent_pointer(pointer)
        return False


def _matches(rules: set[str] | tuple[()], rule_id: str) -> bool:
    return any(rule_id.startswith(r) or r == "ALL" for r in rules)


def _decode_text(content: bytes) -> str:
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = content.decode("utf-16", errors="replace")
    else:
        text = content.decode("utf-8-sig", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _tag_of(value: Any) -> str:
    """The plist element a decoded value came from ("" when unknown)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    for kind, tag in _TAGS:
        if isinstance(value, kind):
            return tag
    return ""


_TAGS: tuple[tuple[type, str], ...] = (
    (dict, "dict"),
    (list, "array"),
    (str, "string"),
    (int, "integer"),
    (float, "real"),
    (bytes, "data"),
    (datetime, "date"),
)


@dataclass(frozen=True)
class Payload:
    """One dictionary of the profile's PayloadContent array."""

    index: int
    pointer: str
    value: dict[str, Any]

    @property
    def type(self) -> str | None:
        kind = self.value.get("PayloadType")
        return kind if isinstance(kind, str) else None

    def at(self, *tokens: str | int) -> str:
        return join_pointer(self.pointer, *tokens)


@dataclass
class Document:
    path: str
    format: Format
    root: Any = None
    findings: list[Finding] = field(default_factory=list)
    # the plist bytes: the file itself, or the content a CMS signature wraps
    content: bytes = b""
    inner_format: Format | None = None
    signature: SignatureFacts | None = None
    suppressions: Suppressions = field(default_factory=Suppressions)
    # pointers whose values the reader could not decode (already reported)
    unreadable: set[str] = field(default_factory=set)
    # (pointer of the member, position of its second <key>) for each duplicate key
    duplicates: list[tuple[str, RawPosition | None]] = field(default_factory=list)
    positions: dict[str, RawPosition] = field(default_factory=dict)
    key_positions: dict[str, RawPosition] = field(default_factory=dict)
    _lines: list[str] | None = field(default=None, repr=False)

    # -- positions -------------------------------------------------------------------

    def locate(self, pointer: str, *, at: str = "value") -> tuple[int | None, int | None]:
        """Line and column for a pointer; a missing member reports its enclosing dict."""
        raw: RawPosition | None = None
        if at == "key":
            raw = self.key_positions.get(pointer)
        current: str | None = pointer
        while raw is None and current is not None:
            raw = self.positions.get(current)
            if raw is None:
                current = parent_pointer(current)
        if raw is None:
            return None, None
        if at == "key" and pointer in self.key_positions:
            tag = "key"
        else:
            tag = _tag_of(self.resolve(current or ""))
        return raw[0], self._column(raw, tag)

    def _column(self, raw: RawPosition, tag: str) -> int | None:
        if self._lines is None:
            self._lines = _decode_text(self.content).split("\n")
        line_no, ordinal = raw
        if not 1 <= line_no <= len(self._lines):
            return None
        for seen, match in enumerate(_START_TAG.finditer(self._lines[line_no - 1])):
            if seen == ordinal:
                return match.start() + 1 if not tag or match.group(1) == tag else None
        return None

    def resolve(self, pointer: str) -> Any:
        """The value at a pointer, or None when there is none."""
        value = self.root
        if not pointer:
            return value
        for token in pointer[1:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            if isinstance(value, dict):
                value = value.get(token)
            elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
                value = value[int(token)]
            else:
                return None
        return value

    # -- profile structure -----------------------------------------------------------

    @property
    def is_signed(self) -> bool:
        return self.signature is not None

    @property
    def is_encrypted(self) -> bool:
        return isinstance(self.root, dict) and self.root.get("IsEncrypted") is True

    @property
    def kind(self) -> Literal["profile", "service", "command", "other"]:
        """What the root dictionary is: a profile, a Profile Service, an MDM command."""
        root = self.root
        if not isinstance(root, dict):
            return "other"
        payload_type = root.get("PayloadType")
        if payload_type == "Profile Service":
            return "service"
        if payload_type == "Configuration" or "PayloadContent" in root:
            return "profile"
        if isinstance(root.get("Command"), dict):
            return "command"
        return "other"

    def payloads(self) -> Iterator[Payload]:
        """The dictionaries of a profile's PayloadContent array (none for other kinds)."""
        if self.kind != "profile":
            return
        content = self.root.get("PayloadContent")
        if not isinstance(content, list):
            return
        for index, item in enumerate(content):
            if isinstance(item, dict):
                yield Payload(index, f"/PayloadContent/{index}", item)
