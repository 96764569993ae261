"""Code actions: the findings with a mechanical fix, and canonical formatting.

Each fix edits the smallest stretch of text that makes the finding go away:

- MDM101 (AccessRights lacks a right another one depends on): the integer becomes the
  value the message proposes (:func:`profilesmith.mdm.rights.with_dependencies`);
- MDM103 (ServerURL / CheckInURL not https) when the URL is ``http://``, and SCP102 (the
  SCEP URL uses plain http): ``http`` becomes ``https``;
- SCH002 for a missing PayloadUUID: a new upper-case UUID is inserted into that
  dictionary, in key order when its keys are sorted, with its indentation.

Fixes are worked out from the Document the lint read (its lxml tree knows where each
element is), for XML plists only: a signed or binary file is never edited. Formatting is
``profilesmith format``'s canonical XML, sent as the changed lines only.
"""

from __future__ import annotations

import difflib
import re
import uuid
from typing import Any, NamedTuple

from profilesmith.base.findings import Finding
from profilesmith.base.pointers import parent_pointer, pointer_tokens
from profilesmith.lsp.text import LineIndex
from profilesmith.plist.document import Document
from profilesmith.plist.positions import dict_members

_SCHEME = re.compile(r"\s*(http)(?=://)", re.IGNORECASE)
MAX_DIFF_LINES = 20000  # beyond this, formatting replaces the whole text


class Edit(NamedTuple):
    start: int  # offsets into the text
    end: int
    text: str


class Fix(NamedTuple):
    title: str
    edits: list[Edit]


def value_at(root: Any, pointer: str) -> Any:
    value = root
    for token in pointer_tokens(pointer):
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


def fix_for(doc: Document, index: LineIndex, finding: Finding, start: int) -> Fix | None:
    """The fix of one finding of an XML document (``start``: its offset), or None."""
    if doc.locator is None or doc.format != "xml" or finding.line is None:
        return None
    try:
        if finding.rule == "MDM101":
            return _access_rights(doc, index.text, finding, start)
        if finding.rule in ("MDM103", "SCP102"):
            return _https(doc, index.text, finding, start)
        if finding.rule == "SCH002" and finding.pointer.endswith("/PayloadUUID"):
            return _payload_uuid(doc, index, finding, start)
    except ValueError:  # the text is not where the finding says: offer nothing
        return None
    return None


def _content(text: str, start: int, tag: str) -> tuple[int, int]:
    """The offsets of the character data of the element ``<tag>`` that starts at
    ``start`` (ValueError when it is not there or holds markup)."""
    if not text.startswith(f"<{tag}", start):
        raise ValueError(tag)
    begin = text.index(">", start) + 1
    end = text.index("<", begin)
    if not text.startswith(f"</{tag}", end):
        raise ValueError(tag)
    return begin, end


def _access_rights(doc: Document, text: str, finding: Finding, start: int) -> Fix | None:
    from profilesmith.mdm.rights import with_dependencies

    value = value_at(doc.root, finding.pointer)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        return None
    wanted = with_dependencies(value)
    if wanted == value:
        return None
    begin, end = _content(text, start, "integer")
    return Fix(f"Set AccessRights to {wanted} (adds the rights it depends on)",
               [Edit(begin, end, str(wanted))])


def _https(doc: Document, text: str, finding: Finding, start: int) -> Fix | None:
    from profilesmith.mdm.urls import parse

    value = value_at(doc.root, finding.pointer)
    if not isinstance(value, str) or parse(value).scheme != "http":
        return None
    begin, end = _content(text, start, "string")
    scheme = _SCHEME.match(text, begin, end)
    if scheme is None:
        return None
    key = pointer_tokens(finding.pointer)[-1]
    return Fix(f"Use https:// for {key}", [Edit(scheme.start(1), scheme.end(1), "https")])


def _payload_uuid(doc: Document, index: LineIndex, finding: Finding, start: int) -> Fix | None:
    text = index.text
    holder = parent_pointer(finding.pointer)
    assert holder is not None
    if not isinstance(value_at(doc.root, holder), dict) or not text.startswith("<dict", start):
        return None
    tag_end = text.index(">", start) + 1
    if text[tag_end - 2] == "/":  # <dict/>: nothing to insert into
        return None
    new = str(uuid.uuid4()).upper()
    pair = f"<key>PayloadUUID</key>{{sep}}<string>{new}</string>"
    title = "Add a PayloadUUID"
    newline = "\r\n" if "\r\n" in text else "\n"
    keys = []
    for key, key_element, _ in dict_members(doc.locator.element(holder)):
        line, column = doc.locator.position(key_element)
        if line is None or column is None:
            return None
        keys.append((key, index.offset(line - 1, column - 1)))
    names = [key for key, _ in keys]
    later = [offset for key, offset in keys if key > "PayloadUUID"]
    if later and names == sorted(names):
        at = later[0]
        line, column = index.position(at)
        indent = index.line(line)[:column]
        if not indent.strip():  # the key starts its line: two lines of their own before it
            line_start = at - column
            inserted = indent + pair.replace("{sep}", newline + indent) + newline
            return Fix(title, [Edit(line_start, line_start, inserted)])
        return Fix(title, [Edit(at, at, pair.replace("{sep}", ""))])
    if keys and index.position(keys[0][1])[0] > index.position(tag_end)[0]:
        line, column = index.position(keys[0][1])
        indent = index.line(line)[:column]
        if not indent.strip():
            sep = newline + indent
            return Fix(title, [Edit(tag_end, tag_end, sep + pair.replace("{sep}", sep))])
    return Fix(title, [Edit(tag_end, tag_end, pair.replace("{sep}", ""))])


# -- formatting ----------------------------------------------------------------------------


class Formatted(NamedTuple):
    edits: list[Edit] | None  # None: not formatted (``message`` says why)
    message: str | None = None


def format_text(text: str, path: str) -> Formatted:
    """The edits that turn the text into its canonical XML form."""
    from profilesmith.lsp.documents import reader_bytes
    from profilesmith.plist.formatter import format_bytes

    outcome = format_bytes(reader_bytes(text), path)
    if outcome.status == "unchanged":
        return Formatted([])
    if outcome.status != "changed":  # signed, refused
        return Formatted(None, outcome.message or f"{path}: not formatted")
    canonical = outcome.data.decode("utf-8")
    if canonical == text:
        return Formatted([])
    note = (f"{outcome.dropped} comment(s) inside values could not be kept"
            if outcome.dropped else None)
    return Formatted(line_edits(text, canonical), note)


def line_edits(old: str, new: str) -> list[Edit]:
    """Edits (whole lines) that turn ``old`` into ``new``."""
    before = old.splitlines(keepends=True)
    after = new.splitlines(keepends=True)
    if len(before) > MAX_DIFF_LINES or len(after) > MAX_DIFF_LINES:
        return [Edit(0, len(old), new)]
    starts = [0]
    for line in before:
        starts.append(starts[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [Edit(starts[i1], starts[i2], "".join(after[j1:j2]))
            for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
