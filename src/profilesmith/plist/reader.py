"""bytes -> Document, for XML plists, binary plists, CMS-signed profiles and JSON (DDM
declarations, and the JSON projection of property lists).

No exception leaves :func:`read_bytes`: whatever is wrong with the input becomes a
``PAR`` finding with the best position the format offers.
"""

from __future__ import annotations

from collections.abc import Callable

from profilesmith.base import files
from profilesmith.plist import expatplist
from profilesmith.plist.binary import read_binary
from profilesmith.plist.document import Document

_UTF8_BOM = b"\xef\xbb\xbf"
_WHITESPACE = b" \t\r\n"


def read_path(path: str, *, display: str | None = None, tree: bool = False) -> Document:
    """Read a file; OSError (missing, unreadable) is the caller's to report."""
    shown = display if display is not None else path
    try:
        data = files.read_limited(path)
    except files.TooLarge as exc:
        return too_large(shown, exc.size)
    return read_bytes(data, shown, tree=tree)


def too_large(path: str, size: int) -> Document:
    doc = Document(path=path, format="unknown")
    doc.report("PAR012", "",
               f"file is {size} bytes; profiles over {files.MAX_BYTES} bytes are refused")
    return doc


def read_bytes(data: bytes, path: str, *, tree: bool = False) -> Document:
    """The Document of ``data``. ``tree``: an XML plist is decoded by lxml and
    ``doc.locator.root`` is its lxml element (what the formatter and the editor's fixes
    walk); otherwise expat decodes the files that have nothing to report."""
    if len(data) > files.MAX_BYTES:
        return too_large(path, len(data))
    try:
        return _read(data, path, nested=False, tree=tree)
    except Exception as exc:  # the reader's promise: nothing escapes
        doc = Document(path=path, format="unknown", content=data)
        doc.report("PAR002", "", f"unreadable file ({type(exc).__name__}: {exc})")
        return doc


def _read(data: bytes, path: str, *, nested: bool, tree: bool) -> Document:
    if not data.strip(_WHITESPACE):
        doc = Document(path=path, format="unknown", content=data)
        doc.report("PAR010", "", "file is empty", line=1 if data else None)
        return doc
    if data.startswith(b"bplist"):
        return read_binary(data, path)
    if data[:1] == b"\x30" and not nested:
        return _read_cms(data, path, tree)
    head = data.lstrip(_UTF8_BOM + _WHITESPACE)[:1]
    if head in (b"{", b"["):
        from profilesmith.plist.json_reader import read_json

        return read_json(data, path)
    if head != b"<" and path.lower().endswith((".yaml", ".yml")):
        doc = Document(path=path, format="unknown", content=data)
        doc.report("PAR002", "", "a YAML file, not a property list: lint reads XML, binary "
                   "and signed property lists and JSON (convert it first: profilesmith "
                   "convert FILE -o OUT.mobileconfig --to xml)", line=1)
        return doc
    return _read_xml(data, path, tree)


def _read_xml(data: bytes, path: str, tree: bool) -> Document:
    doc = Document(path=path, format="xml", content=data)
    body, offset = _xml_body(data)
    if body is not data:
        doc.report("PAR011", "", "whitespace before the XML declaration", line=1)
    if body.startswith(_UTF8_BOM) and body[3:].lstrip(_WHITESPACE)[:5] == b"<?xml":
        doc.report("PAR011", "", "byte order mark before the XML declaration", line=1)
    if tree or not expatplist.decode(doc, body, offset):
        from profilesmith.plist.xmlplist import decode_xml

        decode_xml(doc, body, offset)
    if doc.root is None and not _looks_like_xml(body):
        doc.format = "unknown"  # random bytes, not XML that went wrong
    return doc


def _xml_body(data: bytes) -> tuple[bytes, int]:
    """What the XML parser is given, and how many lines were stripped before it."""
    stripped = data.lstrip(_WHITESPACE)
    if stripped is not data and stripped.startswith((b"<?xml", _UTF8_BOM)):
        # lxml refuses an XML declaration that is not at the very start; devices and
        # most editors do not care, so parse what follows and say so.
        return stripped, data[: len(data) - len(stripped)].count(b"\n")
    return data, 0


def locator_for(path: str, *, tree: bool) -> Callable[[str], tuple[int | None, int | None]]:
    """Line and column of a pointer in a file that was already linted. With ``tree``, an
    XML plist (signed or not) is parsed by lxml but not decoded again; otherwise, and
    for other formats, the file is read again. OSError is the caller's to report."""
    data = files.read_limited(path)
    if not tree:
        return read_bytes(data, path).locate
    content = data
    if data[:1] == b"\x30":
        from profilesmith.plist.cmswrap import CMSError, unwrap

        try:
            content = unwrap(data)[1] or b""
        except CMSError:
            content = b""
    head = content.lstrip(_UTF8_BOM + _WHITESPACE)[:1]
    if head == b"<":
        body, offset = _xml_body(content)
        from profilesmith.plist.xmlplist import locator

        found = locator(body, offset, content)
        if found is not None:
            return found.locate
    return read_bytes(data, path).locate


def _looks_like_xml(data: bytes) -> bool:
    """Markup at the start (after a BOM and whitespace), in UTF-8 or UTF-16."""
    for bom in (_UTF8_BOM, b"\xff\xfe", b"\xfe\xff"):
        if data.startswith(bom):
            data = data[len(bom):]
            break
    return data.lstrip(_WHITESPACE + b"\x00")[:1] == b"<"


def _read_cms(data: bytes, path: str, tree: bool) -> Document:
    from profilesmith.plist.cmswrap import CMSError, unwrap

    try:
        facts, content = unwrap(data)
    except CMSError as exc:
        doc = Document(path=path, format="cms", content=b"")
        doc.report("PAR013", "", str(exc))
        return doc
    if content is None:
        return Document(path=path, format="cms", content=b"", signature=facts)
    inner = _read(content, path, nested=True, tree=tree)
    inner.inner_format = inner.format
    inner.format = "cms"
    inner.signature = facts
    return inner
