"""``convert`` between XML, binary, JSON and YAML (``format`` is :mod:`.formatter`).

Types survive every conversion: JSON uses the plistjson projection (``{"$data"}``,
``{"$date"}``; reals always carry a decimal point or an exponent with one, integers
never do), YAML uses ``!!binary`` and ``!!timestamp``
(see :mod:`profilesmith.plist.yaml_projection`).
XML output is the canonical form of :func:`profilesmith.plist.writer.dumps_canonical`.

Signed input: ``convert`` converts the signed content and says that the signature is
not carried over (the output is unsigned).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from profilesmith.base.findings import Severity
from profilesmith.plist.document import Document, Suppressions
from profilesmith.plist.writer import NotRepresentable

Target = Literal["xml", "binary", "json", "yaml"]


class ConvertError(Exception):
    """Input that cannot be converted, with the reason (one line)."""


@dataclass
class Loaded:
    root: Any
    path: str = ""
    suppressions: Suppressions = field(default_factory=Suppressions)
    notes: list[str] = field(default_factory=list)
    size: int = 0  # the bytes it was read from (0: unknown, the reader's limit applies)


def sniff(data: bytes, path: str) -> str:
    """``plist`` (the reader's: XML, binary, CMS), ``json``, ``yaml``, or ``unknown``
    (bytes that are none of them: a NUL byte outside UTF-16 XML)."""
    lowered = path.lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith((".yaml", ".yml")):
        return "yaml"
    head = data.lstrip(b" \t\r\n\xef\xbb\xbf")[:1]
    if data.startswith(b"bplist") or data[:1] == b"\x30" or head == b"<" or _utf16(data):
        return "plist"
    if b"\x00" in data:
        return "unknown"
    if head in (b"{", b"["):
        return "json"
    return "yaml"


def _utf16(data: bytes) -> bool:
    """UTF-16 markup, with or without a byte order mark (XML's own detection)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    for start in (0, 1):  # big-endian: NUL first; little-endian: NUL second
        text = data[start::2][:64]
        if data[1 - start::2][:64].strip(b"\x00") == b"" and text.lstrip(b" \t\r\n")[:1] == b"<":
            return True
    return False


def load(data: bytes, path: str) -> Loaded:
    kind = sniff(data, path)
    if kind == "unknown":
        at = data.index(b"\x00")
        raise ConvertError(f"{path}: not a property list, JSON or YAML (binary data: a NUL "
                           f"byte at offset {at})")
    if kind in ("json", "yaml"):
        value = _from_json(data, path) if kind == "json" else _from_yaml(data, path)
        if not isinstance(value, dict | list):
            # any text is a YAML scalar: writing it out as a <string> plist converts nothing
            raise ConvertError(f"{path}: not a property list: the text reads as "
                               f"{'a JSON' if kind == 'json' else 'a YAML'} "
                               f"{_scalar_name(value)}, not a mapping or a list")
        return Loaded(value, path, size=len(data))
    from profilesmith.plist.reader import read_bytes

    doc = read_bytes(data, path)
    reason = unusable(doc)
    if reason is not None:
        raise ConvertError(reason)
    loaded = Loaded(doc.root, path, suppressions=doc.suppressions, size=len(data))
    if doc.signature is not None:
        loaded.notes.append(f"{path} is signed: the output holds its content, unsigned "
                            "(the signature is not carried over)")
    return loaded


def _scalar_name(value: Any) -> str:
    names = {str: "string", bool: "boolean", int: "integer", float: "number",
             bytes: "binary value"}
    return names.get(type(value), "date")


def unusable(doc: Document) -> str | None:
    """Why a document cannot be rewritten without losing or inventing something."""
    for finding in doc.findings:
        if finding.severity is Severity.ERROR:
            line = f":{finding.line}" if finding.line is not None else ""
            return f"{doc.path}{line}: {finding.message} ({finding.rule})"
    if doc.signature is not None and doc.root is None:
        return f"{doc.path}: signed without content (detached signature)"
    if doc.root is None:
        return f"{doc.path}: nothing to convert"
    if doc.unreadable or doc.duplicates:
        return f"{doc.path}: holds values the reader could not decode or duplicate keys"
    return None


def _text(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConvertError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None


def _from_json(data: bytes, path: str) -> Any:
    from profilesmith.plist.bounds import NESTING_LIMIT, too_deep
    from profilesmith.plist.json_projection import ProjectionError, from_json

    deep = f"JSON nests deeper than {NESTING_LIMIT} levels"
    try:
        value = json.loads(_text(data, path), parse_constant=_no_constant,
                           parse_int=_integer)
    except json.JSONDecodeError as exc:
        raise ConvertError(f"{path}:{exc.lineno}: invalid JSON ({exc.msg})") from None
    except ValueError as exc:
        raise ConvertError(f"{path}: {exc}") from None
    except RecursionError:
        raise ConvertError(f"{path}: {deep}") from None
    where = too_deep(value)
    if where is not None:
        raise ConvertError(f"{path}: {deep} (at {where})")
    try:
        return from_json(value)
    except ProjectionError as exc:
        raise ConvertError(f"{path}: {exc}") from None


def _integer(literal: str) -> int:
    from profilesmith.plist.bounds import MAX_DIGITS

    digits = len(literal.lstrip("-"))
    if digits > MAX_DIGITS:
        raise ValueError(f"an integer of {digits} digits: outside the 64-bit range property "
                         "lists hold")
    return int(literal)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (and has no portable plist form)")


def _from_yaml(data: bytes, path: str) -> Any:
    from profilesmith.plist import yaml_projection as yamlplist

    try:
        value = yamlplist.loads(_text(data, path))
    except yamlplist.YAMLError as exc:
        line = f":{exc.line}" if exc.line else ""
        raise ConvertError(f"{path}{line}: {exc}") from None
    null = _find_null(value, "")
    if null is not None:
        raise ConvertError(f"{path}: null at {null or '/'} has no property-list equivalent")
    return value


def _find_null(value: Any, pointer: str) -> str | None:
    if value is None:
        return pointer
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _find_null(item, f"{pointer}/{key}")
        if found is not None:
            return found
    return None


def dump(loaded: Loaded, target: Target) -> bytes:
    """The converted bytes; ConvertError for a value the target cannot hold, or output
    beyond :func:`bounds.output_limit` of the input (at most what the reader would
    accept back)."""
    from profilesmith.plist import bounds

    what = f"{loaded.path or '-'}: the {_NAMES[target]} output"
    limit = bounds.output_limit(loaded.size) if loaded.size else bounds.OUTPUT_LIMIT
    try:
        # binary too: it writes a shared value once, but the reader measures it expanded
        bounds.check_output(loaded.root, what, limit)
        layout = {"xml": bounds.XML, "json": bounds.JSON}.get(target)
        if layout is not None:  # indented: the same tree costs more, measured before writing
            bounds.check_output(loaded.root, what, limit, layout=layout)
        converted = _dump(loaded, target)
    except bounds.TooLarge as exc:
        raise ConvertError(f"{exc}; refused") from None
    if len(converted) > limit:
        raise ConvertError(f"{what} would be {len(converted)} bytes, more than {limit} "
                           f"({bounds.limit_reason(limit)}); refused")
    return converted


_NAMES = {"xml": "XML", "binary": "binary", "json": "JSON", "yaml": "YAML"}


def _dump(loaded: Loaded, target: Target) -> bytes:
    from profilesmith.plist import writer

    try:
        if target == "xml":
            return writer.dumps_canonical(loaded.root, suppressions=loaded.suppressions)
        if target == "binary":
            return _binary(loaded.root)
        if loaded.suppressions:
            loaded.notes.append(f"{target.upper()} cannot hold the profilesmith: ignore "
                                "comments; they are not carried over")
        if target == "json":
            return (dumps_json(loaded.root) + "\n").encode("utf-8")
        from profilesmith.plist.yaml_projection import dumps

        return dumps(loaded.root).encode("utf-8")
    except NotRepresentable as exc:
        raise ConvertError(f"cannot write {target}: {exc}") from None


def _binary(root: Any) -> bytes:
    from profilesmith.plist.writer import dumps_binary

    try:
        return dumps_binary(root)
    except (OverflowError, TypeError) as exc:
        raise NotRepresentable(str(exc)) from None


def dumps_json(value: Any, indent: str = "") -> str:
    """Pretty JSON of the plistjson projection; a real always shows it is a real."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        members = [f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {dumps_json(v, inner)}"
                   for k, v in value.items()]
        return "{\n" + ",\n".join(members) + "\n" + indent + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + dumps_json(v, inner) for v in value) + "\n" + indent + "]"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NotRepresentable(f"the real {value!r} has no JSON form")
        text = repr(value)
        if "e" in text and "." not in text.split("e")[0]:
            text = text.replace("e", ".0e", 1)
        return text
    from datetime import datetime

    if isinstance(value, bytes | datetime):
        from profilesmith.plist.json_projection import to_json

        return json.dumps(to_json(value))  # {"$data": base64} or {"$date": ISO 8601}
    return json.dumps(value, ensure_ascii=False)
