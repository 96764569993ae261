"""JSON -> Document: DDM declarations and protocol documents, and the JSON projection of
property lists that ``convert --to json`` writes.

The same Document as the plist readers: values, JSON Pointers, lines and columns found
lazily (:mod:`profilesmith.plist.json_positions`), duplicate keys recorded (JSON parsers
disagree on which one wins; this reader keeps the last, as plistlib does), and whatever
is wrong as a PAR finding with its position. Python's json module does the parsing (it is
C); its limits are turned into findings in plain words: nesting too deep, integers too
long, NaN and Infinity (not JSON).

A document that is a plist kind (a profile, a command, a response, a check-in) is read as
the projection: ``{"$data": base64}`` and ``{"$date": ISO-8601}`` become data and dates,
and null, which no property list can hold, is reported. DDM documents stay JSON values.
"""

from __future__ import annotations

import json
from typing import Any

from profilesmith.base.pointers import escape_pointer_token
from profilesmith.plist.bounds import MAX_DIGITS, NESTING_LIMIT, too_deep
from profilesmith.plist.document import Document
from profilesmith.plist.json_positions import JsonLocator

_PLIST_KINDS = ("profile", "command", "response", "checkin")
_TOO_DEEP = f"JSON nests deeper than {NESTING_LIMIT} levels (the reader's limit, as for XML)"


class _HugeInteger(str):
    """An integer literal too long to be a value any device reads (reported, then None)."""


def read_json(data: bytes, path: str) -> Document:
    doc = Document(path=path, format="json", content=data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        doc.report("PAR017", "", f"JSON that is not UTF-8 (invalid byte at offset {exc.start})",
                   line=line)
        return doc
    duplicates: list[tuple[dict[str, Any], str]] = []
    huge: list[bool] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) != len(items):
            seen: set[str] = set()
            for key, _value in items:
                if key in seen:
                    duplicates.append((result, key))
                seen.add(key)
        return result

    def integer(literal: str) -> int | str:
        digits = len(literal.lstrip("-"))
        if digits > MAX_DIGITS:
            huge.append(True)
            return _HugeInteger(literal)
        return int(literal)

    try:
        root = json.loads(text, object_pairs_hook=pairs, parse_int=integer,
                          parse_constant=_not_json)
    except json.JSONDecodeError as exc:
        doc.report("PAR017", "", f"malformed JSON: {exc.msg}", line=exc.lineno,
                   column=exc.colno)
        return doc
    except _NotJSON as exc:
        doc.report("PAR017", "", f"malformed JSON: {exc} is not a JSON value")
        return doc
    except RecursionError:
        doc.report("PAR017", "", _TOO_DEEP)
        return doc
    doc.locator = JsonLocator(text)
    deep = too_deep(root)
    if deep is not None:  # every later walk recurses: stop here
        doc.report("PAR017", deep, _TOO_DEEP)
        return doc
    if duplicates:
        _record_duplicates(doc, root, duplicates)
    doc.root = root
    if huge or doc.kind in _PLIST_KINDS:
        doc.root = _Values(doc, project=doc.kind in _PLIST_KINDS).clean(root, "")
    return doc


class _NotJSON(ValueError):
    pass


def _not_json(name: str) -> Any:
    raise _NotJSON(name)


def _record_duplicates(doc: Document, root: Any,
                       duplicates: list[tuple[dict[str, Any], str]]) -> None:
    """The pointer of each duplicated member (of the dictionaries that have one)."""
    wanted = {id(holder) for holder, _ in duplicates}
    where: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack and len(where) < len(wanted):
        value, pointer = stack.pop()
        if isinstance(value, dict):
            if id(value) in wanted:
                where[id(value)] = pointer
            stack.extend((v, f"{pointer}/{escape_pointer_token(k)}") for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, f"{pointer}/{i}") for i, v in enumerate(value))
    for holder, key in duplicates:
        if id(holder) in where:
            doc.duplicates.append(f"{where[id(holder)]}/{escape_pointer_token(key)}")


class _Values:
    """The second look at a parsed tree: over-long integers, and for plist kinds the
    projection's $data/$date and the nulls a property list cannot hold."""

    def __init__(self, doc: Document, *, project: bool) -> None:
        self.doc = doc
        self.project = project

    def bad(self, rule_id: str, pointer: str, message: str) -> None:
        self.doc.report(rule_id, pointer, message)
        self.doc.unreadable.add(pointer)

    def clean(self, value: Any, pointer: str) -> Any:
        if isinstance(value, dict):
            if self.project and len(value) == 1 and ("$data" in value or "$date" in value):
                return self.wrapped(value, pointer)
            return {k: self.clean(v, f"{pointer}/{escape_pointer_token(k)}")
                    for k, v in value.items()}
        if isinstance(value, list):
            return [self.clean(v, f"{pointer}/{i}") for i, v in enumerate(value)]
        if isinstance(value, _HugeInteger):
            self.bad("PAR007", pointer, f"an integer of {len(value.lstrip('-'))} digits: "
                     "outside the 64-bit range devices read")
            return None
        if value is None and self.project:
            self.bad("PAR014", pointer, "null: no property list can hold it")
        return value

    def wrapped(self, value: dict[str, Any], pointer: str) -> Any:
        from profilesmith.plist.json_projection import ProjectionError, from_json

        try:
            return from_json(value, pointer)
        except ProjectionError as exc:
            rule_id = "PAR004" if "$data" in value else "PAR005"
            message = str(exc).partition(": ")[2] or str(exc)
            self.bad(rule_id, pointer, message)
            return None
