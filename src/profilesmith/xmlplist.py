"""Decode XML property lists with lxml, keeping positions and seeing what plistlib hides.

plistlib keeps the last of duplicate keys without a word, accepts unknown elements, has
no line numbers and crashes on bad dates; this decoder reports each of those as a
finding and records where every value and key came from.
"""

from __future__ import annotations

import binascii
import re
from datetime import datetime
from typing import Any

from lxml import etree

from profilesmith.document import Document, RawPosition

# Hardened: no entity substitution, no DTD or network access, libxml2's default depth
# and size limits (no huge_tree), comments kept because they carry suppressions.
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=False,
    remove_pis=True,
)

_VALUE_TAGS = frozenset(
    ("dict", "array", "string", "integer", "real", "true", "false", "data", "date")
)
_INTEGER = re.compile(r"\s*[+-]?(?:0[xX][0-9a-fA-F]+|\d+)\s*")
_REAL = re.compile(
    r"\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf|infinity)\s*", re.IGNORECASE
)
_DATE = re.compile(
    r"\s*(\d{4})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d)(?::(\d\d)(?::(\d\d))?)?)?)?)?Z\s*"
)
_DIRECTIVE = re.compile(r"\s*profilesmith:\s*ignore\s+([A-Za-z0-9_,\s]+?)\s*$")
_SPACE_TABLE = str.maketrans("", "", " \t\r\n")
_INT_MIN, _INT_END = -(2**63), 2**64


def directive_rules(comment: str | None) -> set[str]:
    """Rule IDs named by a ``profilesmith: ignore A,B`` comment (empty if not one)."""
    match = _DIRECTIVE.match(comment or "")
    if not match:
        return set()
    return {part.upper() for part in re.split(r"[\s,]+", match.group(1)) if part}


def decode_xml(doc: Document, data: bytes, offset: int) -> None:
    from profilesmith.reader import add

    # Refuse entity declarations before libxml2 sees them: its own amplification guard
    # would report a bomb only as a vague syntax error. In well-formed XML "<!ENTITY" can
    # only occur in a DTD (or a comment); UTF-16 input is caught after parsing instead.
    declared = data.find(b"<!ENTITY")
    if declared >= 0:
        add(doc, "PAR003", "", "DTD declares entities; refused (entity expansion attacks)",
            line=data.count(b"\n", 0, declared) + 1 + offset)
        return
    try:
        top = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        add(doc, "PAR001", "", _syntax_message(exc), line=line + offset, column=column or None)
        return
    dtd = top.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        add(doc, "PAR003", "", "DTD declares entities; refused (entity expansion attacks)",
            line=1 + offset)
        return
    _Decoder(doc, offset).run(top)


def _syntax_message(exc: etree.XMLSyntaxError) -> str:
    message = str(exc.msg or exc)
    # lxml appends "(<string>, line N)"; the finding carries the position itself
    message = re.sub(r"\s*\(<string>, line \d+\)$", "", message)
    message = re.sub(r", line \d+, column \d+$", "", message)
    return f"malformed XML: {message}"


class _Decoder:
    def __init__(self, doc: Document, offset: int) -> None:
        self.doc = doc
        self.offset = offset
        self.last_line = -1
        self.ordinal = 0
        self.positions = doc.positions
        self.key_positions = doc.key_positions

    # -- bookkeeping -----------------------------------------------------------------

    def pos(self, element: Any) -> RawPosition:
        line = (element.sourceline or 0) + self.offset
        if line == self.last_line:
            self.ordinal += 1
        else:
            self.last_line = line
            self.ordinal = 0
        return line, self.ordinal

    def error(
        self,
        rule_id: str,
        pointer: str,
        message: str,
        *,
        unreadable: bool = True,
        line: int | None = None,
    ) -> None:
        from profilesmith.reader import add

        add(self.doc, rule_id, pointer, message, line=line)
        if unreadable:
            self.doc.unreadable.add(pointer)

    def suppress_file(self, comment: Any) -> None:
        self.doc.suppressions.whole_file |= directive_rules(comment.text)

    # -- structure -------------------------------------------------------------------

    def run(self, top: Any) -> None:
        for sibling in top.itersiblings(preceding=True):
            if sibling.tag is etree.Comment:
                self.suppress_file(sibling)
        line = top.sourceline + self.offset
        if top.tag in _VALUE_TAGS:
            self.doc.root = self.value(top, "")
            self.error("PAR015", "", f"root element is <{top.tag}>, not <plist>", unreadable=False)
            return
        if top.tag != "plist":
            name = _tag_name(top.tag)
            self.error("PAR002", "", f"not a property list: the root element is <{name}>",
                       line=line)
            return
        self.pos(top)
        values: list[Any] = []
        for child in top:
            if child.tag is etree.Comment:
                if not values:
                    self.suppress_file(child)
            elif isinstance(child.tag, str):
                values.append(child)
        if not values:
            self.error("PAR002", "", "<plist> holds no value", line=line)
            return
        self.doc.root = self.value(values[0], "")
        if len(values) > 1:
            self.error("PAR009", "", "<plist> holds more than one value; only the first is read",
                       unreadable=False, line=values[1].sourceline + self.offset)

    def value(self, element: Any, pointer: str) -> Any:
        self.positions[pointer] = self.pos(element)
        tag = element.tag
        if tag == "string":
            return self.text(element, pointer)
        if tag == "dict":
            return self.dictionary(element, pointer)
        if tag == "array":
            return self.array(element, pointer)
        if tag == "integer":
            return self.integer(element, pointer)
        if tag in ("true", "false"):
            if len(element) or (element.text and element.text.strip()):
                self.error("PAR008", pointer, f"<{tag}/> must be empty", unreadable=False)
            return tag == "true"
        if tag == "data":
            return self.data(element, pointer)
        if tag == "date":
            return self.date(element, pointer)
        if tag == "real":
            return self.real(element, pointer)
        self.error("PAR006", pointer, f"unknown element <{_tag_name(tag)}>")
        return None

    def dictionary(self, element: Any, pointer: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        key: str | None = None
        key_pos: RawPosition = (0, 0)
        pending: set[str] = set()
        suppressions = self.doc.suppressions
        for child in element:
            tag = child.tag
            if tag is etree.Comment:
                rules = directive_rules(child.text)
                if rules:
                    pending = rules
                    end = child.sourceline + self.offset + (child.text or "").count("\n")
                    suppressions.by_line.setdefault(end + 1, set()).update(rules)
                continue
            if not isinstance(tag, str):
                continue
            if tag == "key":
                if key is not None:
                    self.missing_value(pointer, key, key_pos)
                key_pos = self.pos(child)
                key = self.text(child, pointer)
                continue
            if key is None:
                line = self.pos(child)[0]
                self.error("PAR009", pointer, f"<{_tag_name(tag)}> in a <dict> without a <key>",
                           unreadable=False, line=line)
                continue
            member = f"{pointer}/{_escape(key)}"
            if key in result:
                self.doc.duplicates.append((member, key_pos))
            self.key_positions[member] = key_pos
            if pending:
                suppressions.by_pointer[member] = pending
                pending = set()
            result[key] = self.value(child, member)
            key = None
        if key is not None:
            self.missing_value(pointer, key, key_pos)
        return result

    def missing_value(self, pointer: str, key: str, key_pos: RawPosition) -> None:
        member = f"{pointer}/{_escape(key)}"
        self.key_positions[member] = key_pos
        from profilesmith.reader import add

        line, column = self.doc.locate(member, at="key")
        add(self.doc, "PAR009", member, f"<key>{key}</key> has no value", line=line, column=column)

    def array(self, element: Any, pointer: str) -> list[Any]:
        result: list[Any] = []
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            item = f"{pointer}/{len(result)}"
            if tag == "key":
                line = self.pos(child)[0]
                self.error("PAR009", pointer, "<key> inside an <array>",
                           unreadable=False, line=line)
                continue
            result.append(self.value(child, item))
        return result

    # -- scalars ---------------------------------------------------------------------

    def text(self, element: Any, pointer: str) -> str:
        if not len(element):
            return element.text or ""
        parts = [element.text or ""]
        for child in element:
            if isinstance(child, etree._Entity):
                self.error("PAR003", pointer, f"entity reference &{child.name}; refused")
            elif child.tag is not etree.Comment:
                self.error("PAR006", pointer,
                           f"unexpected <{_tag_name(child.tag)}> inside <{element.tag}>")
            parts.append(child.tail or "")
        return "".join(parts)

    def integer(self, element: Any, pointer: str) -> int | None:
        raw = self.text(element, pointer)
        if not _INTEGER.fullmatch(raw):
            self.error("PAR007", pointer, f"<integer> holds {_shown(raw)}, not an integer")
            return None
        stripped = raw.strip()
        digits = stripped.lstrip("+-")
        number = int(digits, 16) if digits[:2] in ("0x", "0X") else int(digits)
        if stripped.startswith("-"):
            number = -number
        if not _INT_MIN <= number < _INT_END:
            self.error("PAR007", pointer, "integer outside the 64-bit range devices read",
                       unreadable=False)
        return number

    def real(self, element: Any, pointer: str) -> float | None:
        raw = self.text(element, pointer)
        if not _REAL.fullmatch(raw):
            self.error("PAR007", pointer, f"<real> holds {_shown(raw)}, not a number")
            return None
        return float(raw)

    def data(self, element: Any, pointer: str) -> bytes | None:
        raw = self.text(element, pointer).translate(_SPACE_TABLE)
        try:
            return binascii.a2b_base64(raw, strict_mode=True)
        except (binascii.Error, ValueError) as exc:
            reason = _base64_problem(raw) or str(exc)
            self.error("PAR004", pointer, f"<data> is not valid base64: {reason}")
        try:  # keep what a lenient decoder would see, for the rules below this value
            return binascii.a2b_base64(raw)
        except (binascii.Error, ValueError):
            return None

    def date(self, element: Any, pointer: str) -> datetime | None:
        raw = self.text(element, pointer)
        match = _DATE.fullmatch(raw)
        if match:
            defaults = (0, 1, 1, 0, 0, 0)
            year, month, day, hour, minute, second = (
                int(p) if p else d for p, d in zip(match.groups(), defaults, strict=True)
            )
            try:
                return datetime(year, month, day, hour, minute, second)
            except ValueError:
                pass
        self.error("PAR005", pointer,
                   f"<date> holds {_shown(raw)}; expected YYYY-MM-DDTHH:MM:SSZ")
        return None


def _base64_problem(raw: str) -> str:
    for index, char in enumerate(raw):
        if not (char.isascii() and (char.isalnum() or char in "+/=")):
            return f"character {char!r} at offset {index} is outside the base64 alphabet"
    stripped = raw.rstrip("=")
    if "=" in stripped:
        return "padding '=' in the middle of the data"
    if len(stripped) % 4 == 1:
        return "length is not a whole number of base64 groups"
    if len(raw) % 4:
        return "missing '=' padding"
    return ""


def _escape(key: str) -> str:
    if "~" in key or "/" in key:
        return key.replace("~", "~0").replace("/", "~1")
    return key


def _tag_name(tag: Any) -> str:
    return tag if isinstance(tag, str) else "?"


def _shown(raw: str) -> str:
    raw = raw.strip()
    return repr(raw if len(raw) <= 40 else raw[:37] + "...")
