"""Document: a decoded plist plus everything needed to point back into the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from profilesmith.findings import Finding, join_pointer, parent_pointer

Format = Literal["xml", "binary", "cms", "unknown"]

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
    # pointer of a member, once per extra occurrence of its key in the same <dict>
    duplicates: list[str] = field(default_factory=list)
    # positions.XmlLocator for XML documents; None for binary plists (they have no lines)
    locator: Any = field(default=None, repr=False)
    _payloads: list[Payload] | None = field(default=None, repr=False, compare=False)

    # -- positions -------------------------------------------------------------------

    def locate(self, pointer: str, *, at: str = "value") -> tuple[int | None, int | None]:
        """Line and column for a pointer; a missing member reports its enclosing dict,
        ``at="key"`` the member's <key> element."""
        if self.locator is None:
            return None, None
        position: tuple[int | None, int | None] = self.locator.locate(pointer, at=at)
        return position

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

    def payloads(self) -> list[Payload]:
        """The dictionaries of a profile's PayloadContent array (none for other kinds).

        Computed once: rules ask for it many times, and the tree does not change after
        the reader is done.
        """
        if self._payloads is None:
            found: list[Payload] = []
            content = self.root.get("PayloadContent") if self.kind == "profile" else None
            if isinstance(content, list):
                found = [
                    Payload(index, f"/PayloadContent/{index}", item)
                    for index, item in enumerate(content)
                    if isinstance(item, dict)
                ]
            self._payloads = found
        return self._payloads
