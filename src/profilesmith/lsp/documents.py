"""Which editor documents are ours, and the bytes the reader gets for them.

Editors start the server for every XML or JSON file (they attach servers by language), so
the server decides from the text: a ``.mobileconfig`` always, other XML when it holds a
``<plist``, JSON when it looks like a DDM document (a ``"Type"`` of ``com.apple.…``, or a
DDM protocol key) or a property list written as JSON (a PayloadContent, PayloadType,
RequestType, MessageType or CommandUUID key). A document once recognised stays ours
until it is closed, so that half-typed text keeps its diagnostics.

Binary plists and CMS-signed profiles reach the editor as mangled text: those are read
from the file on disk instead (diagnostics only; nothing edits them).
"""

from __future__ import annotations

import os
import re
from typing import Literal
from urllib.parse import unquote, urlsplit

Kind = Literal["plist", "json", "binary"]

_PLIST = re.compile(r"<plist[\s>/]|<!DOCTYPE\s+plist")
# a DDM document (a declaration's Type, a protocol document's key), or a plist kind written
# as JSON (convert --to json): a key only Apple's documents have
_APPLE_JSON = re.compile(
    r'"Type"\s*:\s*"com\.apple\.|"(?:StatusItems|SyncTokens|DeclarationsToken|PayloadContent|'
    r'PayloadType|RequestType|MessageType|CommandUUID)"\s*:')
_ENCODING = re.compile(r"""^\ufeff?\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)""")
_LONE_CR = re.compile(r"\r(?!\n)")


def path_of(uri: str) -> str | None:
    """The file system path of a ``file:`` URI (None for other schemes)."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return None
    path = unquote(parts.path)
    if os.name == "nt" and re.match(r"/[A-Za-z]:", path):  # file:///C:/... on Windows
        path = path[1:]
    if parts.netloc and parts.netloc != "localhost":
        path = f"//{parts.netloc}{path}"
    return os.path.normpath(path) if path else None


def looks_binary(text: str) -> bool:
    """Text an editor made of a binary plist or a DER (CMS) file."""
    head = text[:1024]
    if head.startswith("bplist") or "\x00" in head:
        return True
    return head[:1] == "0" and len(head) > 1 and (head[1] == "\ufffd" or
                                                  not head[1].isprintable())


def disk_is_binary(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            start = handle.read(8)
    except OSError:
        return False
    return start.startswith(b"bplist") or start[:1] == b"\x30"


def recognise(uri: str, text: str, language_id: str | None = None) -> Kind | None:
    """What kind of document this is for the server, or None: not ours."""
    path = path_of(uri)
    name = (path or urlsplit(uri).path).lower()
    if looks_binary(text):
        return "binary" if path is not None and disk_is_binary(path) else None
    head = text.lstrip("\ufeff \t\r\n")[:1]
    if name.endswith(".json") or language_id in ("json", "jsonc") or head in ("{", "["):
        return "json" if _APPLE_JSON.search(text) else None
    if name.endswith(".mobileconfig") or _PLIST.search(text):
        return "plist"
    return None


def reader_bytes(text: str) -> bytes:
    """The editor's text as the bytes of a file the reader understands.

    A lone carriage return becomes a newline: LSP counts it as a line break, libxml2 does
    not (and XML reads both as a newline anyway), so lines stay the editor's. A document
    that declares UTF-16 is encoded as UTF-16 (with a byte order mark), as on disk.
    """
    if "\r" in text:
        text = _LONE_CR.sub("\n", text)
    declared = _ENCODING.match(text[:200])
    if declared and declared.group(1).lower().replace("_", "-") in ("utf-16", "utf16"):
        return text.lstrip("\ufeff").encode("utf-16")
    return text.encode("utf-8", errors="surrogatepass")
