"""Binary property lists (``bplist00``) -> Document, through :mod:`.bplist`.

Values shared by many references stay one object in the tree (the decoder bounds what
they would expand to). Binary plists have no lines: findings carry pointers only.
"""

from __future__ import annotations

from profilesmith.base import files
from profilesmith.plist.document import Document


def read_binary(data: bytes, path: str) -> Document:
    from profilesmith.plist.bplist import Corrupt, decode  # only binary plists need it

    doc = Document(path=path, format="binary", content=data)
    try:
        decoded = decode(data, files.MAX_BYTES)
    except Corrupt as exc:
        message = str(exc) if exc.rule != "PAR002" else f"not a valid binary plist ({exc})"
        doc.report(exc.rule, exc.pointer, message)
        return doc
    for pointer, kind in decoded.unsupported:
        doc.report("PAR014", pointer, f"{kind} value: not a property-list type profiles allow")
        doc.unreadable.add(pointer)
    for pointer in decoded.wide:
        doc.report("PAR007", pointer, "integer outside the 64-bit range devices read")
    doc.duplicates.extend(decoded.duplicates)
    doc.root = decoded.root
    return doc
