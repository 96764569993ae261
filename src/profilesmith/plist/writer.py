"""Value tree -> plist bytes, and atomic file writes (temp file + rename)."""

from __future__ import annotations

import binascii
import plistlib
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from profilesmith.base.pointers import escape_pointer_token
from profilesmith.plist.json_projection import format_date

if TYPE_CHECKING:
    from profilesmith.plist.document import Suppressions


def dumps_xml(value: Any) -> bytes:
    """Deterministic XML plist: keys sorted, tab indentation, as plistlib writes it."""
    return plistlib.dumps(value, fmt=plistlib.FMT_XML, sort_keys=True)


def dumps_binary(value: Any) -> bytes:
    return plistlib.dumps(value, fmt=plistlib.FMT_BINARY, sort_keys=True)


# -- canonical XML (format, convert, build) ----------------------------------------------

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
    '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
)
# Characters XML 1.0 cannot carry at all, escaped or not.
_NOT_XML_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_NOT_XML = re.compile(f"[{_NOT_XML_CHARS}]")
# ...and those xml_text escapes: a string without any is written as it is
_NOT_PLAIN = re.compile(f"[&<>\r{_NOT_XML_CHARS}]")


class NotRepresentable(ValueError):
    """A value an XML property list cannot hold (control characters, null, ...)."""


def carries(text: str) -> bool:
    """Whether XML can carry ``text`` (xml_text would not refuse it)."""
    return _NOT_XML.search(text) is None


def xml_text(text: str, pointer: str = "") -> str:
    """Escape a string for element content; refuse characters XML cannot carry.

    Unlike plistlib, a carriage return is written as ``&#13;`` so that it survives the
    XML parser's line-end normalisation and reads back as itself.
    """
    if _NOT_PLAIN.search(text) is None:
        return text  # most strings: one scan, not the five below (~0.1 µs each)
    bad = _NOT_XML.search(text)
    if bad is not None:
        where = f" at {pointer}" if pointer else ""
        raise NotRepresentable(
            f"string{where} contains U+{ord(bad.group()):04X}, which XML cannot carry"
        )
    # str.replace, not str.translate: translate looks every character up in a dict
    # (~1 µs a string, a tenth of a build's rendering); replace returns the string itself
    # when there is nothing to replace
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        "\r", "&#13;")


def directive(rules: Iterable[str]) -> str:
    return f"<!-- profilesmith: ignore {','.join(sorted(rules))} -->"


class Comments:
    """The comments of an XML file, by where they go (texts between ``<!--`` and ``-->``):
    before a dict member or array item (by its pointer), at the end of a container (by
    the container's pointer), and around the root value: before ``<plist>``, inside it
    before and after the value, after ``</plist>``."""

    __slots__ = ("before", "end", "inner_head", "inner_tail", "outer_head", "outer_tail")

    def __init__(self) -> None:
        self.before: dict[str, list[str]] = {}
        self.end: dict[str, list[str]] = {}
        self.outer_head: list[str] = []
        self.inner_head: list[str] = []
        self.inner_tail: list[str] = []
        self.outer_tail: list[str] = []


def dumps_canonical(value: Any, *, suppressions: Suppressions | None = None,
                    comments: Comments | None = None, sort_keys: bool = True) -> bytes:
    """The canonical XML form: exactly what :func:`dumps_xml` (plistlib, sorted keys,
    tabs) writes, plus the ``profilesmith: ignore`` directives of ``suppressions`` —
    the file-wide ones after the DOCTYPE, the others on the line before their key — and
    carriage returns kept as ``&#13;``.

    ``comments`` (``format``): a file's own comments, each kept where it was, at the
    indentation of what follows it (they include its directives: give no suppressions
    then). ``sort_keys=False`` keeps the keys in the order the value has them."""
    lines = [_HEADER.rstrip("\n")]
    if suppressions is not None and suppressions.whole_file:
        lines.append(directive(suppressions.whole_file))
    kept = comments if comments is not None else Comments()
    lines.extend(f"<!--{text}-->" for text in kept.outer_head)
    lines.append('<plist version="1.0">')
    lines.extend(f"<!--{text}-->" for text in kept.inner_head)
    by_pointer = suppressions.by_pointer if suppressions is not None else {}
    if comments is not None or by_pointer or not _plain_into(lines, value, sort_keys):
        _CanonicalWriter(lines, by_pointer, kept, sort_keys=sort_keys).value(value, "", 0)
    lines.extend(f"<!--{text}-->" for text in kept.inner_tail)
    lines.append("</plist>")
    lines.extend(f"<!--{text}-->" for text in kept.outer_tail)
    lines.append("")
    return "\n".join(lines).encode("utf-8")


def _plain_into(lines: list[str], value: Any, sort_keys: bool) -> bool:
    """Write ``value`` as _CanonicalWriter does when there are no comments or directives to
    place, without the JSON pointers that only placing them and messages need (a third
    of the writing). False, with nothing written, for a value it cannot write: the
    writer then says why and where."""
    body: list[str] = []
    try:
        _plain(value, 0, body, sort_keys)
    except NotRepresentable:
        return False
    lines.extend(body)
    return True


def _scalar(value: Any, tabs: str, pointer: str = "") -> str | None:
    """The line of a string, boolean, number or date (None for anything else), for both
    writers; NotRepresentable for an integer beyond 64 bits or a string XML cannot carry."""
    if isinstance(value, str):
        return f"{tabs}<string>{xml_text(value, pointer)}</string>"
    if value is True:
        return f"{tabs}<true/>"
    if value is False:
        return f"{tabs}<false/>"
    if isinstance(value, int):
        if not -(1 << 63) <= value < 1 << 64:
            raise NotRepresentable(f"integer at {pointer or '/'} is outside 64 bits")
        return f"{tabs}<integer>{value:d}</integer>"
    if isinstance(value, float):
        return f"{tabs}<real>{value!r}</real>"
    if isinstance(value, datetime):
        return f"{tabs}<date>{format_date(value)}</date>"
    return None


def _plain(value: Any, depth: int, out: list[str], sort_keys: bool) -> None:
    tabs = "\t" * depth
    line = _scalar(value, tabs)
    if line is not None:
        out.append(line)
    elif isinstance(value, dict):
        if not value:
            out.append(f"{tabs}<dict/>")
            return
        out.append(f"{tabs}<dict>")
        inner = tabs + "\t"
        for key in sorted(value) if sort_keys else value:
            if not isinstance(key, str):
                raise NotRepresentable("a key that is not a string")
            out.append(f"{inner}<key>{xml_text(key)}</key>")
            _plain(value[key], depth + 1, out, sort_keys)
        out.append(f"{tabs}</dict>")
    elif isinstance(value, list | tuple):
        if not value:
            out.append(f"{tabs}<array/>")
            return
        out.append(f"{tabs}<array>")
        for item in value:
            _plain(item, depth + 1, out, sort_keys)
        out.append(f"{tabs}</array>")
    elif isinstance(value, bytes | bytearray):
        _CanonicalWriter(out, {}).data(bytes(value), depth)
    else:
        raise NotRepresentable("a value without a property-list form")


class _CanonicalWriter:
    def __init__(self, lines: list[str], directives: Mapping[str, Iterable[str]],
                 kept: Comments | None = None, *, sort_keys: bool = True) -> None:
        self.out = lines
        self.comments = directives
        self.kept = kept if kept is not None else Comments()
        self.sort_keys = sort_keys

    def own(self, texts: Iterable[str] | None, indent: str) -> None:
        for text in texts or ():
            self.out.append(f"{indent}<!--{text}-->")

    def value(self, value: Any, pointer: str, depth: int) -> None:
        tabs = "\t" * depth
        out = self.out
        line = _scalar(value, tabs, pointer)
        if line is not None:
            out.append(line)
        elif isinstance(value, dict):
            self.dictionary(value, pointer, depth)
        elif isinstance(value, list | tuple):
            end = self.kept.end.get(pointer)
            if not value and not end:
                out.append(f"{tabs}<array/>")
                return
            out.append(f"{tabs}<array>")
            for index, item in enumerate(value):
                self.own(self.kept.before.get(f"{pointer}/{index}"), tabs + "\t")
                self.value(item, f"{pointer}/{index}", depth + 1)
            self.own(end, tabs + "\t")
            out.append(f"{tabs}</array>")
        elif isinstance(value, bytes | bytearray):
            self.data(bytes(value), depth)
        elif value is None:
            raise NotRepresentable(f"null at {pointer or '/'} has no property-list form")
        else:
            raise NotRepresentable(f"{type(value).__name__} at {pointer or '/'} "
                                   "has no property-list form")

    def dictionary(self, value: dict[Any, Any], pointer: str, depth: int) -> None:
        tabs = "\t" * depth
        end = self.kept.end.get(pointer)
        if not value and not end:
            self.out.append(f"{tabs}<dict/>")
            return
        self.out.append(f"{tabs}<dict>")
        inner = tabs + "\t"
        for key in sorted(value) if self.sort_keys else value:
            if not isinstance(key, str):
                raise NotRepresentable(f"key {key!r} at {pointer or '/'} is not a string")
            member = f"{pointer}/{escape_pointer_token(key)}"
            self.own(self.kept.before.get(member), inner)
            rules = self.comments.get(member)
            if rules:
                self.out.append(inner + directive(rules))
            self.out.append(f"{inner}<key>{xml_text(key, member)}</key>")
            self.value(value[key], member, depth + 1)
        self.own(end, inner)
        self.out.append(f"{tabs}</dict>")

    def data(self, data: bytes, depth: int) -> None:
        # plistlib's layout: base64 lines at the element's own indentation, narrower as
        # the indentation (a tab counting 8 columns) grows
        tabs = "\t" * depth
        width = max(16, 76 - 8 * depth)
        chunk = (width // 4) * 3
        self.out.append(f"{tabs}<data>")
        for start in range(0, len(data), chunk):
            line = binascii.b2a_base64(data[start : start + chunk], newline=False)
            self.out.append(tabs + line.decode("ascii"))
        self.out.append(f"{tabs}</data>")


def fragment(value: Any) -> str:
    """One value as a typed XML plist element (what a template's ``plist`` filter emits)."""
    if type(value) is str:  # most of a template's values: no writer needed for one line
        return f"<string>{xml_text(value)}</string>"
    lines: list[str] = []
    if not _plain_into(lines, value, True):  # no comments here: no pointers needed
        _CanonicalWriter(lines, {}).value(value, "", 0)  # raises, saying why and where
    return "\n".join(lines)
