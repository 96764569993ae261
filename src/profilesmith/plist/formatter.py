"""``format``: a profile rewritten in the canonical layout (tabs, plistlib's element style,
binary turned into XML), keeping what a person wrote that the layout does not decide.

- comments stay where they were, at the indentation of what follows them (directives
  ``profilesmith: ignore`` among them): only a comment inside a value (``<string>a<!--
  x -->b</string>``) cannot be kept, and the message says so;
- keys keep their order, unless ``sort_keys`` (plistlib's order, what ``build`` writes);
- a signed file is left alone: rewriting it would break its signature. A file the reader
  cannot open (malformed XML, a damaged CMS structure) is refused, never rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from profilesmith.base.pointers import escape_pointer_token
from profilesmith.plist.document import Document
from profilesmith.plist.positions import element_text
from profilesmith.plist.writer import Comments, NotRepresentable


@dataclass
class Formatted:
    """What ``format`` does with one file."""

    status: Literal["unchanged", "changed", "signed", "refused", "skipped"]
    data: bytes = b""
    message: str = ""  # why a file is left alone (signed, refused)
    dropped: int = 0  # comments inside values, which the new layout cannot keep


def format_bytes(
    data: bytes, path: str, *, only_profiles: bool = False, size: int | None = None,
    sort_keys: bool = False,
) -> Formatted:
    """``only_profiles``: skip anything that is not a profile (a ``.plist`` met in a
    directory walk). ``size``: the file's length when ``data`` holds only its first
    MAX_BYTES + 1 bytes (a file that large is refused, naming its length)."""
    from profilesmith.base import files
    from profilesmith.plist.bounds import XML, TooLarge, check_output, output_limit
    from profilesmith.plist.convert import unusable
    from profilesmith.plist.reader import read_bytes, too_large
    from profilesmith.plist.writer import dumps_canonical

    size = len(data) if size is None else size
    doc = (too_large(path, size) if size > files.MAX_BYTES
           else read_bytes(data, path, tree=True))  # it walks the lxml tree
    if only_profiles and (doc.kind != "profile" or doc.format == "json"):
        return Formatted("skipped")
    if doc.format == "json":
        return Formatted("refused", message=f"{path}: a JSON document, not a property list; "
                         "left untouched (`profilesmith convert --to xml` converts it)")
    if doc.format == "cms" and doc.signature is not None:
        return Formatted("signed", message=f"{path}: signed; left untouched "
                         "(reformatting would break the signature)")
    reason = unusable(doc)
    if reason is not None:
        return Formatted("refused", message=f"{reason}; left untouched")
    comments, dropped = _comments(doc)
    try:
        check_output(doc.root, f"{path}: the formatted file", output_limit(size), layout=XML)
    except TooLarge as exc:
        return Formatted("refused", message=f"{exc}; left untouched")
    try:
        formatted = dumps_canonical(doc.root, comments=comments, sort_keys=sort_keys,
                                    suppressions=doc.suppressions if comments is None else None)
    except NotRepresentable as exc:
        return Formatted("refused", message=f"{path}: {exc}; left untouched")
    if len(formatted) > files.MAX_BYTES:
        return Formatted("refused", message=f"{path}: the formatted file would be "
                         f"{len(formatted)} bytes, more than the {files.MAX_BYTES} bytes the "
                         "reader accepts; left untouched")
    if formatted == data:
        return Formatted("unchanged", formatted)
    return Formatted("changed", formatted, dropped=dropped)


def _comments(doc: Document) -> tuple[Comments | None, int]:
    """The comments of an XML document, and how many cannot be kept (inside values);
    (None, 0) for a document without an XML tree (binary)."""
    from lxml import etree

    locator = doc.locator
    if locator is None or doc.format != "xml":
        return None, 0
    found = Comments()
    value = locator.root
    parent = value.getparent()
    top = parent if parent is not None and parent.tag == "plist" else value
    found.outer_head = [c.text or "" for c in reversed(list(top.itersiblings(preceding=True)))
                        if c.tag is etree.Comment]
    found.outer_tail = [c.text or "" for c in top.itersiblings() if c.tag is etree.Comment]
    if top is not value:
        seen_value = False
        for child in top:
            if child is value:
                seen_value = True
            elif child.tag is etree.Comment:
                (found.inner_tail if seen_value else found.inner_head).append(child.text or "")
    dropped = _walk(value, "", found, etree.Comment)
    return found, dropped


def _walk(element: Any, pointer: str, found: Comments, comment: Any) -> int:
    """Record the comments of a container's children; returns the comments inside
    scalar values, which cannot be kept."""
    tag = element.tag
    if tag not in ("dict", "array"):
        return sum(1 for child in element.iter() if child.tag is comment)
    dropped = 0
    pending: list[str] = []
    if tag == "dict":
        key: str | None = None
        for child in element:
            if child.tag is comment:
                pending.append(child.text or "")
            elif child.tag == "key":
                key = element_text(child)
                dropped += sum(1 for c in child if c.tag is comment)
            elif isinstance(child.tag, str) and key is not None:
                member = f"{pointer}/{escape_pointer_token(key)}"
                if pending:
                    found.before[member], pending = pending, []
                dropped += _walk(child, member, found, comment)
                key = None
    else:
        index = 0
        for child in element:  # the items array_items yields, with the comments between
            if child.tag is comment:
                pending.append(child.text or "")
            elif isinstance(child.tag, str) and child.tag != "key":
                item = f"{pointer}/{index}"
                if pending:
                    found.before[item], pending = pending, []
                dropped += _walk(child, item, found, comment)
                index += 1
    if pending:
        found.end[pointer] = pending
    return dropped
