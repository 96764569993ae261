"""The JSON documents inside MDM messages: the Data of a DeclarativeManagement command
(a TokensResponse: the server's synchronization tokens) and of a DeclarativeManagement
check-in (for the ``status`` endpoint, the device's status report).

Data is a property list <data>: the bytes of a JSON document. They are read with the JSON
reader and validated against the DDM protocol schema the message calls for, with the same
machinery as a document of their own. What is wrong is said about the Data value itself
(the finding's pointer is the message's /Command/Data or /Data, its line the <data>
element): the message names the pointer inside the decoded JSON, and its line and column
there, as no position in the file holds them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from profilesmith.base.findings import Hit, Severity
from profilesmith.base.pointers import unescape_pointer_token
from profilesmith.plist.document import Document
from profilesmith.plist.json_reader import read_json

# the check-in's Endpoint values (Apple: DeclarativeManagement check-in, Endpoint)
ENDPOINTS = ("tokens", "declaration-items", "status")
DECLARATION_ENDPOINT = "declaration/<activation|asset|configuration|management>/<identifier>"
# what Data holds: the command's, and the check-in's for each endpoint that carries one
COMMAND_DATA = "TokensResponse"
CHECKIN_DATA = {"status": "StatusReport"}
DATA_NAMES = {"StatusReport": "the device's status report"}
_LABELS = {"TokensResponse": "a TokensResponse (synchronization tokens)",
           "StatusReport": "a status report"}


class Problem(NamedTuple):
    """``rule``: None when the bytes are no JSON document of the expected kind at all,
    else the rule the finding would have in a document of its own (SCH002, STR001...)."""

    rule: str | None
    message: str
    severity: Severity | None = None  # a schema hit's own, when it has one


def endpoint_problem(endpoint: str) -> str | None:
    """Why a check-in's Endpoint is none of Apple's (None when it is one)."""
    from profilesmith.ddm.catalogue import CATEGORIES

    if endpoint in ENDPOINTS:
        return None
    parts = endpoint.split("/", 2)  # an identifier may hold a slash
    if len(parts) == 3 and parts[0] == "declaration":
        if parts[1] not in CATEGORIES:
            return (f"names the category {parts[1]!r}: a declaration endpoint is "
                    f"{DECLARATION_ENDPOINT}")
        if not parts[2]:
            return "names no identifier"
        return None
    return (f"is none of Apple's endpoints ({', '.join(ENDPOINTS)}, "
            f"{DECLARATION_ENDPOINT})")


def inspect(data: bytes, expected: str | None,
            platforms: Iterable[str] = ()) -> Iterator[Problem]:
    """What is wrong with ``data`` as the JSON document ``expected`` (a DDM protocol
    document name; None: any JSON object)."""
    from profilesmith.schema.bundle import ddm_protocol_schema_path
    from profilesmith.schema.check import Target, check_targets
    from profilesmith.schema.navigate import json_type

    inner = read_json(data, "Data")
    what = _LABELS.get(expected or "", "a JSON object")
    for finding in inner.findings:  # the reader's: not UTF-8, malformed, too deep
        where = f" (line {finding.line} column {finding.column} of the decoded JSON)" \
            if finding.line is not None and finding.column is not None else ""
        yield Problem(None, f"Data should hold {what}: {finding.message}{where}")
    if inner.root is None:
        return
    if not isinstance(inner.root, dict):
        yield Problem(None, f"Data should hold {what}, not a JSON {json_type(inner.root)}")
        return
    for pointer in dict.fromkeys(inner.duplicates):
        key = unescape_pointer_token(pointer.rsplit("/", 1)[-1])
        yield Problem("STR001", f"the JSON in Data: duplicate key {key!r}, JSON readers "
                      f"disagree on which value wins{_at(inner, pointer, 'key')}")
    if expected is None:
        return
    kind = inner.kind
    if kind not in ("ddm-protocol", "unknown") or (kind == "ddm-protocol"
                                                    and inner.type != expected):
        found = f"{kind} ({inner.type})" if inner.type else kind
        yield Problem(None, f"Data should hold {what}, but holds a {found}")
        return
    schema = ddm_protocol_schema_path(expected)
    if schema is None:
        return
    target = Target(schema, "", inner.root, f"the {expected} in Data", "message")
    for rule_id, hit in check_targets([target], platforms):
        yield Problem(rule_id, _inner_message(inner, hit), hit.severity)


def _inner_message(inner: Document, hit: Hit) -> str:
    return f"the JSON in Data: {hit.message}{_at(inner, hit.pointer, hit.at)}"


def _at(inner: Document, pointer: str, at: str) -> str:
    """Where ``pointer`` is in the decoded JSON, for the end of a message."""
    line, column = inner.locate(pointer, at=at)
    place = f", line {line} column {column} of the decoded JSON" if line is not None else ""
    return f" (at {pointer or '/'}{place})"
