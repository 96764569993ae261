"""Decode XML property lists with lxml, seeing what plistlib hides.

plistlib keeps the last of duplicate keys without a word, accepts unknown elements, has
no line numbers and crashes on bad dates; this decoder reports each of those as a
finding. It records no positions: the lxml tree stays with the Document and
positions.XmlLocator finds an element's line and column when a finding needs them. The
loops are written for speed: this is most of the cost of linting a file.
"""

from __future__ import annotations

import binascii
import re
from datetime import datetime
from typing import Any

from lxml import etree

from profilesmith.base.lazyre import lazy
from profilesmith.base.pointers import escape_pointer_token
from profilesmith.base.secrets import NOT_SHOWN, secret_pointer
from profilesmith.plist import scalars
from profilesmith.plist.bounds import MAX_DIGITS
from profilesmith.plist.document import Document
from profilesmith.plist.positions import XmlLocator, element_text, pointer_of
from profilesmith.plist.scalars import directive_rules

__all__ = ["decode_xml", "directive_rules", "locator"]

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

_Comment = etree.Comment
_ENTITY_TYPE = etree._Entity
# text directly inside a <dict> or <array> (not in one of its elements): one pass in C
# rather than a test of every element's tail in the decoding loops
_STRAY_TEXT = etree.XPath("//dict/text()[normalize-space()] | //array/text()[normalize-space()]")


def decode_xml(doc: Document, data: bytes, offset: int) -> None:
    # Refuse entity declarations before libxml2 sees them: its own amplification guard
    # would report a bomb only as a vague syntax error. In well-formed XML "<!ENTITY" can
    # only occur in a DTD (or a comment); UTF-16 input is checked after parsing instead.
    declared = data.find(b"<!ENTITY")
    if declared >= 0:
        doc.report("PAR003", "", "DTD declares entities; refused (entity expansion attacks)",
                   line=data.count(b"\n", 0, declared) + 1 + offset)
        return
    try:
        top = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        doc.report("PAR001", "", _syntax_message(exc), line=line + offset, column=column or None)
        return
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        dtd = top.getroottree().docinfo.internalDTD
        if dtd is not None and any(True for _ in dtd.iterentities()):
            doc.report("PAR003", "", "DTD declares entities; refused (entity expansion attacks)",
                       line=1 + offset)
            return
    decoder = _Decoder(doc, offset)
    decoder.run(top)
    if doc.root is not None:
        decoder.stray_text(top)


def locator(data: bytes, offset: int, content: bytes) -> XmlLocator | None:
    """Positions in an XML plist without decoding it (None if it does not parse, or
    declares entities): what placing a cross-file finding needs of a file that was
    already linted, at a fifth of the cost of reading it again."""
    if b"<!ENTITY" in data:
        return None
    try:
        top = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None
    if top.tag == "plist":
        return XmlLocator(_value_root(top, [c for c in top if isinstance(c.tag, str)]),
                          offset, content)
    return XmlLocator(top, offset, content)


def _value_root(top: Any, values: list[Any]) -> Any:
    """The element positions are counted from: the <plist>'s first value, else itself."""
    return values[0] if values else top


def _syntax_message(exc: etree.XMLSyntaxError) -> str:
    message = str(exc.msg or exc)
    # lxml appends "(<string>, line N)"; the finding carries the position itself
    message = re.sub(r"\s*\(<string>, line \d+\)$", "", message)
    message = re.sub(r"\s*, line \d+, column \d+$", "", message)
    # libxml2's limits name an option of its own API (XML_PARSE_HUGE) that users cannot
    # set; say what the limit is instead
    for pattern, ours in _LIMITS:
        if pattern.search(message):
            return ours
    message = re.sub(r",?\s*(?:try|use) XML_PARSE_HUGE(?: option)?", "", message)
    return f"malformed XML: {' '.join(message.split())}"


_LIMITS = (
    (lazy(r"^Excessive depth in document"), "XML nests deeper than 256 levels (the reader's "
     "limit; no profile comes near it)"),
    (lazy(r"Text node too long|Buffer size limit exceeded|huge text node"),
     "XML holds a text of more than 10000000 bytes (the reader's limit for one value)"),
)


class _Decoder:
    def __init__(self, doc: Document, offset: int) -> None:
        self.doc = doc
        self.offset = offset
        self.duplicates = doc.duplicates

    def error(self, rule_id: str, pointer: str, message: str, element: Any, *,
              unreadable: bool = True) -> None:
        line, column = self.locator.position(element)
        self.doc.report(rule_id, pointer, message, line=line, column=column)
        if unreadable:
            self.doc.unreadable.add(pointer)

    # -- structure -------------------------------------------------------------------

    def run(self, top: Any) -> None:
        suppressions = self.doc.suppressions
        for sibling in top.itersiblings(preceding=True):
            if sibling.tag is _Comment:
                suppressions.add_whole_file(directive_rules(sibling.text),
                                            self.comment_line(sibling))
        value_element = top
        if top.tag == "plist":
            values: list[Any] = []
            for child in top:
                if child.tag is _Comment:
                    if not values:
                        suppressions.add_whole_file(directive_rules(child.text),
                                                    self.comment_line(child))
                elif isinstance(child.tag, str):
                    values.append(child)
            self.locator = XmlLocator(_value_root(top, values), self.offset,
                                      self.doc.content)
            self.doc.locator = self.locator
            if not values:
                self.error("PAR002", "", "<plist> holds no value", top)
                return
            value_element = values[0]
            self.doc.root = self.value(value_element, "")
            if len(values) > 1:
                self.error("PAR009", "", "<plist> holds more than one value; only the first "
                           "is read", values[1], unreadable=False)
            return
        self.locator = XmlLocator(top, self.offset, self.doc.content)
        self.doc.locator = self.locator
        if top.tag in scalars.VALUE_TAGS:
            self.doc.root = self.value(top, "")
            self.error("PAR015", "", f"root element is <{top.tag}>, not <plist>", top,
                       unreadable=False)
        else:
            self.error("PAR002", "", f"not a property list: the root element is "
                       f"<{_tag_name(top.tag)}>", top)

    def value(self, element: Any, pointer: str) -> Any:
        tag = element.tag
        if tag == "string":
            return element.text or "" if not len(element) else self.text(element, pointer)
        if tag == "dict":
            return self.dictionary(element, pointer)
        if tag == "array":
            return self.array(element, pointer)
        if tag == "integer":
            return self.integer(element, pointer)
        if tag == "true" or tag == "false":
            if len(element) or (element.text and element.text.strip()):
                self.error("PAR008", pointer, f"<{tag}/> must be empty", element,
                           unreadable=False)
            return tag == "true"
        if tag == "data":
            return self.data(element, pointer)
        if tag == "date":
            return self.date(element, pointer)
        if tag == "real":
            return self.real(element, pointer)
        self.error("PAR006", pointer, f"unknown element <{_tag_name(tag)}>", element)
        return None

    def dictionary(self, element: Any, pointer: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        key: str | None = None
        key_element: Any = None
        pending: int | None = None  # the directive before the next key
        for child in element:
            tag = child.tag
            if tag == "key":
                if key is not None:
                    self.missing_value(pointer, key, key_element)
                key = child.text or "" if not len(child) else self.text(child, pointer)
                key_element = child
                continue
            if tag.__class__ is not str:
                if tag is _Comment:
                    found = self.directive(child)
                    pending = pending if found is None else found
                continue
            if key is None:
                self.error("PAR009", pointer, f"<{tag}> in a <dict> without a <key>", child,
                           unreadable=False)
                continue
            if tag == "string" and not len(child):
                value: Any = child.text or ""
            else:
                value = self.value(child, f"{pointer}/{escape_pointer_token(key)}")
            if key in result:
                self.duplicates.append(f"{pointer}/{escape_pointer_token(key)}")
            if pending is not None:
                self.doc.suppressions.attach(pending, f"{pointer}/{escape_pointer_token(key)}")
                pending = None
            result[key] = value
            key = None
        if key is not None:
            self.missing_value(pointer, key, key_element)
        return result

    def directive(self, comment: Any) -> int | None:
        """The index of the directive ``comment`` is (None when it is no directive)."""
        rules = directive_rules(comment.text)
        if not rules:
            return None
        line = self.comment_line(comment)
        end = comment.sourceline + self.offset + (comment.text or "").count("\n")
        return self.doc.suppressions.add_before(rules, line, end + 1)

    def stray_text(self, top: Any) -> None:
        """PAR016 for text between the elements of a <dict> or <array>, which plutil
        refuses and the decoder would otherwise drop without a word."""
        for text in _STRAY_TEXT(top)[:20]:
            holder = text.getparent()  # the element before the text, or the container
            container = holder.getparent() if text.is_tail else holder
            pointer = pointer_of(container, self.locator.root)
            where = holder if text.is_tail else container
            line, column = self.locator.position(where)
            after = f"/{element_text(holder)}" if holder.tag == "key" and text.is_tail else ""
            shown = ("not shown (its key names a secret)" if secret_pointer(pointer + after)
                     else _shown(str(text), pointer))
            self.doc.report("PAR016", pointer, f"text {shown} between the elements "
                            f"of {'an' if container.tag == 'array' else 'a'} <{container.tag}>",
                            line=line, column=column)

    def comment_line(self, comment: Any) -> int | None:
        return comment.sourceline + self.offset if comment.sourceline else None

    def missing_value(self, pointer: str, key: str, key_element: Any) -> None:
        member = f"{pointer}/{escape_pointer_token(key)}"
        self.error("PAR009", member, f"<key>{key}</key> has no value", key_element,
                   unreadable=False)

    def array(self, element: Any, pointer: str) -> list[Any]:
        result: list[Any] = []
        append = result.append
        for child in element:
            tag = child.tag
            if tag == "string" and not len(child):
                append(child.text or "")
            elif tag.__class__ is not str:
                continue
            elif tag == "key":
                self.error("PAR009", pointer, "<key> inside an <array>", child,
                           unreadable=False)
            else:
                append(self.value(child, f"{pointer}/{len(result)}"))
        return result

    # -- scalars ---------------------------------------------------------------------

    def text(self, element: Any, pointer: str) -> str:
        for child in element:
            if isinstance(child, _ENTITY_TYPE):
                self.error("PAR003", pointer, f"entity reference &{child.name}; refused", child)
            elif child.tag is not _Comment:
                self.error("PAR006", pointer,
                           f"unexpected <{_tag_name(child.tag)}> inside <{element.tag}>", child)
        return element_text(element)

    def integer(self, element: Any, pointer: str) -> int | None:
        raw = element.text or "" if not len(element) else self.text(element, pointer)
        number = scalars.integer(raw)
        if number is not None:
            return number
        if len(raw) > MAX_DIGITS and scalars.INTEGER.fullmatch(raw):
            length = len(raw.strip().lstrip("+-"))
            if length > MAX_DIGITS:
                self.error("PAR007", pointer, f"an integer of {length} digits: outside the "
                           "64-bit range devices read", element)
                return None
        number = scalars.parse_integer(raw)
        if number is None:
            self.error("PAR007", pointer,
                       f"<integer> holds {_shown(raw, pointer)}, not an integer", element)
            return None
        if not scalars.INT_MIN <= number < scalars.INT_END:
            self.error("PAR007", pointer, "integer outside the 64-bit range devices read",
                       element, unreadable=False)
        return number

    def real(self, element: Any, pointer: str) -> float | None:
        raw = element_text(element)
        value = scalars.real(raw)
        if value is None:
            self.error("PAR007", pointer, f"<real> holds {_shown(raw, pointer)}, not a number",
                       element)
        return value

    def data(self, element: Any, pointer: str) -> bytes | None:
        raw = element_text(element).translate(scalars.SPACE_TABLE)
        try:
            return binascii.a2b_base64(raw, strict_mode=True)
        except (binascii.Error, ValueError) as exc:
            if secret_pointer(pointer):
                reason = "the details are not shown (its key names a secret)"
            else:
                reason = _base64_problem(raw) or str(exc)
            self.error("PAR004", pointer, f"<data> is not valid base64: {reason}", element)
        try:  # keep what a lenient decoder would see, for the rules below this value
            return binascii.a2b_base64(raw)
        except (binascii.Error, ValueError):
            return None

    def date(self, element: Any, pointer: str) -> datetime | None:
        raw = element_text(element)
        value = scalars.date(raw)
        if value is None:
            self.error("PAR005", pointer, f"<date> holds {_shown(raw, pointer)}; expected "
                       "YYYY-MM-DDTHH:MM:SSZ", element)
        return value


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


def _tag_name(tag: Any) -> str:
    return tag if isinstance(tag, str) else "?"


def _shown(raw: str, pointer: str) -> str:
    """The text for a message, unless the key it sits under names a secret."""
    if secret_pointer(pointer):
        return NOT_SHOWN
    raw = raw.strip()
    return repr(raw if len(raw) <= 40 else raw[:37] + "...")
