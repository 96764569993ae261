"""Document: a decoded plist plus everything needed to point back into the file."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from profilesmith.base.findings import Finding, rule_selected
from profilesmith.base.pointers import join_pointer, parent_pointer
from profilesmith.plist.kinds import SERVICE, Kind, KindName, classify
from profilesmith.plist.problems import severity

Format = Literal["xml", "binary", "cms", "json", "unknown"]

# The classes here are plain (no dataclasses): they are created on every lint, and
# generating dataclass methods at import costs a noticeable share of a one-file run.


class SignatureFacts(NamedTuple):
    """What the reader learnt from a CMS wrapper; ``cms`` parses the rest on demand."""

    der: bytes
    content_type: str
    detached: bool
    indefinite_length: bool
    # the asn1crypto ContentInfo the reader loaded, so that the SIG rules parse each
    # structure once per file (None: parse ``der`` again)
    parsed: Any = None


class Directive(NamedTuple):
    """One ``<!-- profilesmith: ignore A,B -->`` comment: where it is and what it names."""

    line: int | None  # of the comment
    rules: frozenset[str]  # rule IDs or prefixes, as written (upper case)
    pointer: str | None  # the member it is attached to ("" for the whole file)


class Suppressions:
    """Inline ``<!-- profilesmith: ignore ... -->`` directives, and which of their rule
    codes suppressed a finding (so that a suppression that suppresses nothing is said)."""

    __slots__ = ("_line_owner", "_pointer_owner", "_whole_owner", "by_line", "by_pointer",
                 "directives", "used", "whole_file")

    def __init__(self) -> None:
        self.whole_file: set[str] = set()
        # pointer of a dict member -> rule IDs ignored for it and everything below it
        self.by_pointer: dict[str, set[str]] = {}
        # line number -> rule IDs ignored for findings on that line
        self.by_line: dict[int, set[str]] = {}
        self.directives: list[Directive] = []
        # (directive index, rule code) that suppressed at least one finding
        self.used: set[tuple[int, str]] = set()
        self._whole_owner: dict[str, int] = {}
        self._line_owner: dict[int, int] = {}
        self._pointer_owner: dict[str, int] = {}

    def __bool__(self) -> bool:
        return bool(self.whole_file or self.by_pointer or self.by_line)

    def add_whole_file(self, rules: set[str], line: int | None) -> None:
        if rules:
            self.directives.append(Directive(line, frozenset(rules), ""))
            self.whole_file |= rules
            for code in rules:
                self._whole_owner.setdefault(code, len(self.directives) - 1)

    def add_before(self, rules: set[str], line: int | None, next_line: int) -> int:
        """A directive on the line(s) before ``next_line``; returns its index, for
        :meth:`attach` once the key it stands before is known."""
        self.directives.append(Directive(line, frozenset(rules), None))
        self.by_line.setdefault(next_line, set()).update(rules)
        self._line_owner[next_line] = len(self.directives) - 1
        return len(self.directives) - 1

    def attach(self, index: int, pointer: str) -> None:
        directive = self.directives[index]
        self.directives[index] = directive._replace(pointer=pointer)
        self.by_pointer[pointer] = set(directive.rules)
        self._pointer_owner[pointer] = index

    def covers(self, finding: Finding) -> bool:
        rule = finding.rule
        if rule_selected(self.whole_file, rule):
            for code in self.whole_file:
                if code == "ALL" or rule.startswith(code):
                    self.used.add((self._whole_owner.get(code, -1), code))
            return True
        on_line = self.by_line.get(finding.line, ()) if finding.line is not None else ()
        if on_line and rule_selected(on_line, rule):
            self._mark(self._line_owner.get(finding.line or 0, -1), on_line, rule)
            return True
        pointer: str | None = finding.pointer
        while pointer is not None:
            rules = self.by_pointer.get(pointer)
            if rules and rule_selected(rules, rule):
                self._mark(self._pointer_owner.get(pointer, -1), rules, rule)
                return True
            pointer = parent_pointer(pointer)
        return False

    def _mark(self, index: int, codes: set[str], rule: str) -> None:
        for code in codes:
            if code == "ALL" or rule.startswith(code):
                self.used.add((index, code))


class Payload:
    """One dictionary of the profile's PayloadContent array."""

    __slots__ = ("index", "pointer", "type", "value")

    def __init__(self, index: int, pointer: str, value: dict[str, Any]) -> None:
        self.index = index
        self.pointer = pointer
        self.value = value
        kind = value.get("PayloadType")
        self.type: str | None = kind if isinstance(kind, str) else None

    def __repr__(self) -> str:
        return f"Payload({self.index}, {self.pointer!r}, {self.type!r})"

    def at(self, *tokens: str | int) -> str:
        return join_pointer(self.pointer, *tokens)


class Document:
    """A decoded file: its value tree and what the reader learnt about it."""

    def __init__(
        self,
        *,
        path: str,
        format: Format,
        root: Any = None,
        content: bytes = b"",
        signature: SignatureFacts | None = None,
    ) -> None:
        self.path = path
        self.format: Format = format
        self.root = root
        self.findings: list[Finding] = []
        # the plist bytes: the file itself, or the content a CMS signature wraps
        self.content = content
        self.inner_format: Format | None = None
        self.signature = signature
        self.suppressions = Suppressions()
        # pointers whose values the reader could not decode (already reported)
        self.unreadable: set[str] = set()
        # pointer of a member, once per extra occurrence of its key in the same <dict>
        self.duplicates: list[str] = []
        # positions.XmlLocator for XML documents; None for binary plists (no lines)
        self.locator: Any = None
        # facts other layers derive from the tree, computed once (which command a
        # response answers, ...)
        self.derived: dict[str, Any] = {}
        self._payloads: list[Payload] | None = None
        self._holders: list[tuple[str, dict[str, Any]]] | None = None
        self._kind: tuple[Any, Kind] | None = None

    def __repr__(self) -> str:
        return f"<Document {self.path!r} {self.format}>"

    def report(self, rule_id: str, pointer: str, message: str, *, line: int | None = None,
               column: int | None = None) -> None:
        """Record a reader finding (PAR) at ``line`` or, when not given, where the
        pointer's value is; its severity is the reader's (plist.problems)."""
        if line is None and self.locator is not None:
            line, column = self.locate(pointer)
        self.findings.append(Finding(self.path, line, column, pointer, rule_id,
                                     severity(rule_id), message))

    # -- positions -------------------------------------------------------------------

    def locate(self, pointer: str, *, at: str = "value") -> tuple[int | None, int | None]:
        """Line and column for a pointer; a missing member reports its enclosing dict,
        ``at="key"`` the member's <key> element."""
        if self.locator is None:
            return None, None
        position: tuple[int | None, int | None] = self.locator.locate(pointer, at=at)
        return position

    # -- profile structure -----------------------------------------------------------

    @property
    def is_signed(self) -> bool:
        return self.signature is not None

    @property
    def is_encrypted(self) -> bool:
        return isinstance(self.root, dict) and self.root.get("IsEncrypted") is True

    @property
    def classification(self) -> Kind:
        """What the root is (plist.kinds), worked out once when the reader is done (rules
        ask for it again and again) and again only if the root is replaced."""
        if self._kind is None or self._kind[0] is not self.root:
            self._kind = (self.root, classify(self.root))
        return self._kind[1]

    @property
    def kind(self) -> KindName:
        """profile, command, response, checkin, declaration, ddm-protocol or unknown."""
        return self.classification.kind

    @property
    def type(self) -> str | None:
        """The PayloadType, RequestType, MessageType or declaration Type, where known."""
        return self.classification.type

    @property
    def is_configuration(self) -> bool:
        """A configuration profile (payloads in PayloadContent), not a Profile Service."""
        kind = self.classification
        return kind.kind == "profile" and kind.type != SERVICE

    def holders(self) -> list[tuple[str, dict[str, Any]]]:
        """A profile's top-level dictionary and every payload dictionary, with their
        pointers: where PayloadIdentifier and PayloadUUID live (worked out once, as
        payloads() is)."""
        if self._holders is None:
            self._holders = [("", self.root), *((p.pointer, p.value) for p in self.payloads())
                             ] if self.is_configuration else []
        return self._holders

    def payloads(self) -> list[Payload]:
        """The dictionaries of a profile's PayloadContent array (none for other kinds).

        Computed once: rules ask for it many times, and the tree does not change after
        the reader is done.
        """
        if self._payloads is None:
            found: list[Payload] = []
            content = self.root.get("PayloadContent") if self.is_configuration else None
            if isinstance(content, list):
                found = [
                    Payload(index, f"/PayloadContent/{index}", item)
                    for index, item in enumerate(content)
                    if isinstance(item, dict)
                ]
            self._payloads = found
        return self._payloads

    def payload_with_uuid(self, value: Any) -> tuple[Payload, bool] | None:
        """The first payload whose PayloadUUID is ``value`` (True: an exact match), else
        the first whose PayloadUUID equals it when letter case is ignored (False), else
        None."""
        folded = value.casefold() if isinstance(value, str) else None
        loose = None
        for payload in self.payloads():
            uuid = payload.value.get("PayloadUUID")
            if uuid == value:
                return payload, True
            if (loose is None and folded is not None and isinstance(uuid, str)
                    and uuid.casefold() == folded):
                loose = payload
        return None if loose is None else (loose, False)
