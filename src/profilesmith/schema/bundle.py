"""The bundled JSON Schemas: loading them, compiling validators, the catalogue.

Schemas live in ``schemas/`` at the top of the repository and ship in the wheel
(:mod:`profilesmith.base.resources` knows where). The lint path reads them one file at a
time, only when a document needs it, and compiles each once per process
(:mod:`profilesmith.schema.validator`); :mod:`profilesmith.schema.check` is what the lint
engine calls. The catalogue (``profilesmith schema``) lists the directory.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from profilesmith.base import resources
from profilesmith.base.lazyre import lazy
from profilesmith.schema.validator import Validator
from profilesmith.schema.validator.compiler import Compiler

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

# -- loading ---------------------------------------------------------------------------------

# what a PayloadType or RequestType may look like to be looked up as a file name: no path
# separators, so a type never reaches outside the schema directory
_TYPE_NAME = lazy(r"[A-Za-z0-9_.()\- ]{1,200}")


class SourceError(Exception):
    """A data or schema directory cannot be used (a usage error: the message says why)."""


class Layout(NamedTuple):
    """What the schemas are read from (profilesmith.schema.sources builds it)."""

    apple: str | None = None  # the generated cache directory of --apple-data
    apple_source: str | None = None  # the --apple-data directory itself
    user: tuple[str, ...] = ()  # --schemas directories
    manifests: str | None = None  # --manifests directory


# what is read: the bundled schemas unless profilesmith.schema.sources.activate said
# otherwise (the cache of a newer copy of Apple's data; the user's schemas and manifests,
# through the two functions it hands over: payload schema by path, payload types)
_LAYOUT: list[Layout] = []
_EXTRA: list[tuple[Callable[[str], Mapping[str, Any]], Callable[[], frozenset[str]]]] = []


def use(layout: Layout, extra: tuple[Callable[[str], Mapping[str, Any]],
                                     Callable[[], frozenset[str]]] | None = None) -> None:
    """Read the schemas of ``layout`` from now on (profilesmith.schema.sources.activate)."""
    _LAYOUT[:] = [layout] if layout.apple or layout.user or layout.manifests else []
    _EXTRA[:] = [extra] if extra is not None else []
    for cached in (_compiler, _schema_for, available):
        cached.cache_clear()


RELEASE_FILE = "release.json"  # in a generated cache: which data it came from
_MARKER_COMMIT = lazy(r"apple/device-management (\S+)")


def data_info() -> dict[str, Any]:
    """What the report says about the data in use: the source ("bundled" or the
    --apple-data directory), Apple's commit, for a copy of the data its release hash; and
    the user's schema and manifest directories."""
    info: dict[str, Any]
    current = _LAYOUT[0] if _LAYOUT else Layout()
    if current.apple is None:
        marker = str(load("profile.schema.json").get("x-generated", ""))
        match = _MARKER_COMMIT.search(marker)
        info = {"source": "bundled", "apple": match.group(1) if match else None}
    else:
        stored = json.loads(base_bytes(RELEASE_FILE))
        info = {"source": current.apple_source, "apple": stored.get("apple"),
                "release": stored.get("release")}
    if current.user:
        info["schemas"] = list(current.user)
    if current.manifests:
        info["manifests"] = current.manifests
    return info


def active() -> bool:
    """Whether anything but the bundled schemas is in use."""
    return bool(_LAYOUT)


def base_bytes(relative: str) -> bytes:
    """One file of the bundled schemas, or of the generated cache in use."""
    if _LAYOUT and _LAYOUT[0].apple is not None:
        if ".." in relative.split("/"):
            raise FileNotFoundError(relative)
        with open(os.path.join(_LAYOUT[0].apple, *relative.split("/")), "rb") as handle:
            return handle.read()
    return resources.read_bytes("schemas", relative)


def read_bytes(relative: str) -> bytes:
    """One file, ``relative`` to the schemas directory (``payloads/x.schema.json``)."""
    if _EXTRA and relative.startswith("payloads/"):
        return json.dumps(_EXTRA[0][0](relative)).encode()
    return base_bytes(relative)


def read_text(relative: str) -> str:
    return read_bytes(relative).decode("utf-8")


def load(relative: str) -> Mapping[str, Any]:
    """One schema file, parsed."""
    data = json.loads(read_bytes(relative))
    if not isinstance(data, dict):
        raise ValueError(f"{relative}: a schema file must hold a JSON object")
    return data


@cache
def _compiler() -> Compiler:
    # the user's schemas and manifests are compiled as JSON Schema does: unknown keywords
    # are annotations (ours are compiled strictly, so that a typo is an error). The
    # bundled schemas alone, which the tests compile whole, wait for a value to compile a
    # property's schema
    return Compiler(load, lenient=bool(_EXTRA), deferred=not _LAYOUT)


def validator(relative: str) -> Validator:
    """The compiled validator of one schema file (compiled on first use)."""
    return _compiler().file(relative)


def document_schema(relative: str) -> Mapping[str, Any]:
    return _compiler().document(relative)


@cache
def _schema_for(folder: str, key: str, name: str) -> str | None:
    if _TYPE_NAME.fullmatch(name) is None or name.strip(".") == "":
        return None
    relative = f"{folder}/{name}.schema.json"
    try:
        data = document_schema(relative)
    except OSError:
        return None
    # on a case-insensitive file system COM.APPLE.DOCK finds com.apple.dock's file: it is
    # that type's schema only if it says so
    declared = data.get("properties", {}).get(key, {}).get("const", name)
    return relative if declared == name else None


def payload_schema_path(payload_type: Any) -> str | None:
    if not isinstance(payload_type, str):
        return None
    return _schema_for("payloads", "PayloadType", payload_type)


def command_schema_path(request_type: Any) -> str | None:
    if not isinstance(request_type, str):
        return None
    return _schema_for("commands", "RequestType", request_type)


def checkin_schema_path(message_type: Any) -> str | None:
    if not isinstance(message_type, str):
        return None
    return _schema_for("checkin", "MessageType", message_type)


def declaration_schema_path(declaration_type: Any) -> str | None:
    if not isinstance(declaration_type, str):
        return None
    return _schema_for("declarations", "Type", declaration_type)


def ddm_protocol_schema_path(name: Any) -> str | None:
    """The schema of a DDM protocol document (StatusReport, TokensResponse,
    DeclarationItemsResponse)."""
    if not isinstance(name, str):
        return None
    return _schema_for("ddm-protocol", "", name)


# -- the catalogue (profilesmith schema list/show/export) -------------------------------------


class Entry(NamedTuple):
    kind: str  # "profile", "payload", "command", "response", ... (see FOLDERS), "shared"
    origin: str  # "generated" | "curated"
    name: str  # the payload or request type ("profile", "profile-service", "plist")
    path: str  # relative to the schemas directory


_TOP_FILES = {"profile": "profile", "profile-service": "profile", "plist": "shared",
              "response-envelope": "response", "declaration-envelope": "declaration"}


def schema_root() -> Traversable:
    """The schemas directory: the repository's in a checkout, the wheel's when installed,
    the generated cache with --apple-data."""
    if _LAYOUT and _LAYOUT[0].apple is not None:
        from pathlib import Path

        return Path(_LAYOUT[0].apple)
    return resources.root("schemas")


@cache
def available(folder: str) -> frozenset[str]:
    """The types with a schema in one of the FOLDERS (``payloads``, ``commands``, ...)."""
    suffix = ".schema.json"
    directory = schema_root().joinpath(folder)
    found = frozenset() if not directory.is_dir() else frozenset(
        entry.name[: -len(suffix)] for entry in directory.iterdir()
        if entry.name.endswith(suffix))
    if folder == "payloads" and _EXTRA:
        found |= _EXTRA[0][1]()
    return found


# schema folder -> the catalogue's kind for its files, in listing (and look-up) order
FOLDERS = (("payloads", "payload"), ("commands", "command"), ("responses", "response"),
           ("checkin", "checkin"), ("checkin-responses", "checkin-response"),
           ("errors", "error"), ("declarations", "declaration"),
           ("ddm-credentials", "credential"), ("ddm-protocol", "ddm-protocol"))


def _files() -> list[tuple[str, str, str]]:
    """(kind, name, path) of every bundled schema: top-level files first, then each folder
    of FOLDERS."""
    found = [(kind, name, f"{name}.schema.json") for name, kind in _TOP_FILES.items()]
    for folder, kind in FOLDERS:
        found.extend((kind, name, f"{folder}/{name}.schema.json")
                     for name in sorted(available(folder)))
    return found


def names() -> list[str]:
    """The name of every bundled schema (what ``schema show`` takes), no file read."""
    return [name for _, name, _ in _files()]


def _entry(kind: str, name: str, path: str) -> Entry:
    origin = "generated" if "x-generated" in load(path) else "curated"
    return Entry(kind, origin, name, path)


def entries() -> list[Entry]:
    """Every bundled schema, top-level files first, then each folder of FOLDERS."""
    return [_entry(kind, name, path) for kind, name, path in _files()]


def paths() -> list[str]:
    """The path of every bundled schema, in the order of :func:`entries` (no file read)."""
    return [path for _, _, path in _files()]


def _locate(name: str) -> tuple[str, str] | None:
    """(kind, path) of the schema called ``name``: a top-level file, else the first folder
    of FOLDERS that has it; ``KIND:NAME`` (``response:DeviceLock``) picks the folder."""
    kind = _TOP_FILES.get(name)
    if kind is not None:
        return kind, f"{name}.schema.json"
    wanted, colon, rest = name.partition(":")
    for folder, kind in FOLDERS:
        if colon and wanted == kind and rest in available(folder):
            return kind, f"{folder}/{rest}.schema.json"
        if not colon and name in available(folder):
            return kind, f"{folder}/{name}.schema.json"
    return None


def kinds_of(name: str) -> list[str]:
    """Every catalogue kind with a schema called ``name`` (a request type has a command
    and a response schema)."""
    return [kind for folder, kind in FOLDERS if name in available(folder)]


def locate(name: str) -> str | None:
    """The path of the schema called ``name`` (as :func:`find`, without reading it)."""
    found = _locate(name)
    return None if found is None else found[1]


def find(name: str) -> Entry | None:
    """The catalogue entry of ``name``; reads only that schema's file."""
    found = _locate(name)
    return None if found is None else _entry(found[0], name, found[1])
