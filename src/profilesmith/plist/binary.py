"""Binary property lists (``bplist00``) -> Document."""

from __future__ import annotations

from typing import Any

from profilesmith.base.pointers import escape_pointer_token
from profilesmith.base.text import first_line
from profilesmith.plist.document import Document


def read_binary(data: bytes, path: str) -> Document:
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
