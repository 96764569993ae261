"""bytes -> Document, for XML plists, binary plists and CMS-signed profiles.

No exception leaves :func:`read_bytes`: whatever is wrong with the input becomes a
``PAR`` finding with the best position the format offers.
"""

from __future__ import annotations

import os
from typing import Any

from profilesmith.cms.unwrap import first_line
from profilesmith.document import Document
from profilesmith.findings import escape_pointer_token
from profilesmith.xmlplist import decode_xml

# Profiles embed certificates and packages, but nothing legitimate comes near this.
MAX_BYTES = 64 * 1024 * 1024

_UTF8_BOM = b"\xef\xbb\xbf"
_WHITESPACE = b" \t\r\n"


def read_path(path: str, *, display: str | None = None) -> Document:
    """Read a file; OSError (missing, unreadable) is the caller's to report."""
    shown = display if display is not None else path
    size = os.stat(path).st_size
    if size > MAX_BYTES:
        return too_large(shown, size)
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    return read_bytes(data, shown)


def too_large(path: str, size: int) -> Document:
    doc = Document(path=path, format="unknown")
    doc.report("PAR012", "", f"file is {size} bytes; profiles over {MAX_BYTES} bytes are refused")
    return doc


def read_bytes(data: bytes, path: str) -> Document:
    if len(data) > MAX_BYTES:
        return too_large(path, len(data))
    try:
        return _read(data, path, nested=False)
    except Exception as exc:  # the reader's promise: nothing escapes
        doc = Document(path=path, format="unknown", content=data)
        doc.report("PAR002", "", f"unreadable file ({type(exc).__name__}: {exc})")
        return doc


def _read(data: bytes, path: str, *, nested: bool) -> Document:
    if not data.strip(_WHITESPACE):
        doc = Document(path=path, format="unknown", content=data)
        doc.report("PAR010", "", "file is empty", line=1 if data else None)
        return doc
    if data.startswith(b"bplist"):
        return _read_binary(data, path)
    if data[:1] == b"\x30" and not nested:
        return _read_cms(data, path)
    return _read_xml(data, path)


def _read_xml(data: bytes, path: str) -> Document:
    doc = Document(path=path, format="xml", content=data)
    body = data
    offset = 0
    stripped = data.lstrip(_WHITESPACE)
    if stripped is not data and stripped.startswith((b"<?xml", _UTF8_BOM)):
        # lxml refuses an XML declaration that is not at the very start; devices and
        # most editors do not care, so parse what follows and say so.
        offset = data[: len(data) - len(stripped)].count(b"\n")
        body = stripped
        doc.report("PAR011", "", "whitespace before the XML declaration", line=1)
    if body.startswith(_UTF8_BOM) and body[3:].lstrip(_WHITESPACE)[:5] == b"<?xml":
        doc.report("PAR011", "", "byte order mark before the XML declaration", line=1)
    decode_xml(doc, body, offset)
    if doc.root is None and not _looks_like_xml(body):
        doc.format = "unknown"  # random bytes, not XML that went wrong
    return doc


def _looks_like_xml(data: bytes) -> bool:
    """Markup at the start (after a BOM and whitespace), in UTF-8 or UTF-16."""
    for bom in (_UTF8_BOM, b"\xff\xfe", b"\xfe\xff"):
        if data.startswith(bom):
            data = data[len(bom):]
            break
    return data.lstrip(_WHITESPACE + b"\x00")[:1] == b"<"


def _read_binary(data: bytes, path: str) -> Document:
    import plistlib  # only binary plists need it: XML is decoded by xmlplist

    doc = Document(path=path, format="binary", content=data)
    try:
        root = plistlib.loads(data, fmt=plistlib.FMT_BINARY)
    except RecursionError:
        doc.report("PAR002", "", "binary plist nests too deeply")
        return doc
    except Exception as exc:
        doc.report("PAR002", "", f"not a valid binary plist ({first_line(exc)})")
        return doc
    doc.root = _clean_binary(doc, root, "", plistlib.UID)
    return doc


def _clean_binary(doc: Document, value: Any, pointer: str, uid: type) -> Any:
    """Binary plists may hold values that profiles cannot (UIDs, null)."""
    if isinstance(value, dict):
        return {k: _clean_binary(doc, v, f"{pointer}/{escape_pointer_token(k)}", uid)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_binary(doc, v, f"{pointer}/{i}", uid) for i, v in enumerate(value)]
    if value is None or isinstance(value, uid):
        kind = "null" if value is None else "UID"
        doc.report("PAR014", pointer, f"{kind} value: not a property-list type profiles allow")
        doc.unreadable.add(pointer)
        return None
    if isinstance(value, int) and not -(2**63) <= value < 2**64:
        doc.report("PAR007", pointer, "integer outside the 64-bit range devices read")
    return value


def _read_cms(data: bytes, path: str) -> Document:
    from profilesmith.cms.unwrap import CMSError, unwrap

    try:
        facts, content = unwrap(data)
    except CMSError as exc:
        doc = Document(path=path, format="cms", content=b"")
        doc.report("PAR013", "", str(exc))
        return doc
    if content is None:
        return Document(path=path, format="cms", content=b"", signature=facts)
    inner = _read(content, path, nested=True)
    inner.inner_format = inner.format
    inner.format = "cms"
    inner.signature = facts
    return inner
