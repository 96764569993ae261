"""DDM: the MDM messages that carry Declarative Device Management: the DeclarativeManagement
command (its Data: the server's synchronization tokens) and check-in (its Endpoint, and for
``status`` the status report in Data). The JSON inside Data is read and validated by
profilesmith.ddm.embedded; findings point at the Data value and name the place inside the
decoded JSON in their message."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from profilesmith.base.findings import Hit, Severity
from profilesmith.lint.context import Context
from profilesmith.lint.registry import RULES, rule
from profilesmith.plist.document import Document

if TYPE_CHECKING:
    from profilesmith.ddm.embedded import Problem

DECLARATIVE = "DeclarativeManagement"


def _data(doc: Document) -> tuple[str, object, str | None] | None:
    """(pointer, value, the protocol document it must hold) of a DeclarativeManagement
    message's Data, or None for other documents."""
    if doc.type != DECLARATIVE or not isinstance(doc.root, dict):
        return None
    from profilesmith.ddm import embedded

    if doc.kind == "command":
        command = doc.root.get("Command")
        if isinstance(command, dict) and "Data" in command:
            return "/Command/Data", command["Data"], embedded.COMMAND_DATA
    elif doc.kind == "checkin" and "Data" in doc.root:
        endpoint = doc.root.get("Endpoint")
        expected = embedded.CHECKIN_DATA.get(endpoint) if isinstance(endpoint, str) else None
        return "/Data", doc.root["Data"], expected
    return None


def _problems(doc: Document, ctx: Context) -> tuple[str, list[Problem]] | None:
    """(pointer of Data, what is wrong in it), worked out once per document."""
    found = _data(doc)
    if found is None or not isinstance(found[1], bytes):
        return None  # absent, or not <data>: SCH001
    if "ddm.embedded" not in ctx.cache:
        from profilesmith.ddm import embedded

        pointer, data, expected = found
        assert isinstance(data, bytes)
        ctx.cache["ddm.embedded"] = (pointer, list(
            embedded.inspect(data, expected, ctx.options.platforms)))
    cached: tuple[str, list[Problem]] = ctx.cache["ddm.embedded"]
    return cached


@rule("DDM040", Severity.ERROR)
def declarative_data_not_json(doc: Document, ctx: Context) -> Iterator[Hit]:
    """DeclarativeManagement Data is not the JSON document it should hold.

    Data is the bytes of a JSON document: in the command, the server's synchronization
    tokens (a TokensResponse, ``{"SyncTokens": {"DeclarationsToken": ...}}``); in a
    check-in for the ``status`` endpoint, the device's status report. Bytes that are not
    UTF-8 JSON, JSON that is not an object, or another document than the one expected
    cannot be read by the other side. The message gives the line and column inside the
    decoded JSON. (For the other endpoints the device sends no Data; when there is some,
    it must still be a JSON object.)

    Fails:   <key>Data</key><data>bm90IGpzb24=</data>  (the bytes "not json")
    Passes:  <key>Data</key><data>eyJTeW5jVG9rZW5zIjp7IkRlY2xhcmF0aW9uc1Rva2VuIjoiMSJ9fQ==</data>
    """
    found = _problems(doc, ctx)
    for problem in found[1] if found else ():
        if problem.rule is None:
            yield Hit(found[0] if found else "", problem.message)


@rule("DDM041", Severity.ERROR)
def declarative_data_breaks_schema(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The JSON in DeclarativeManagement Data breaks its schema.

    The tokens of the command are validated against
    schemas/ddm-protocol/TokensResponse.schema.json, a status check-in's report against
    StatusReport.schema.json, with the same machinery and device tolerances as a document
    of its own, and the severity each finding would have there (a missing required key an
    error, an unknown key a warning), as would a duplicate key. The finding points at
    Data; its message names the rule it would be (SCH002, ...), the pointer inside the
    decoded JSON and its line and column there.

    Fails:   Data holding {"SyncTokens": {"Timestamp": "2024-01-01T00:00:00Z"}}
    Passes:  Data holding {"SyncTokens": {"DeclarationsToken": "8f6f...", "Timestamp": "..."}}
    """
    found = _problems(doc, ctx)
    if found is None:
        return
    pointer, problems = found
    for problem in problems:
        if problem.rule is not None:
            inner = RULES.get(problem.rule)
            severity = problem.severity or (inner.severity if inner else Severity.ERROR)
            yield Hit(pointer, f"{problem.message} ({problem.rule})", severity=severity)


@rule("DDM042", Severity.ERROR)
def declarative_checkin_endpoint(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A DeclarativeManagement check-in's Endpoint is not Apple's, or a status one lacks Data.

    The server answers a check-in by its Endpoint: ``tokens`` (the synchronization
    tokens), ``declaration-items`` (the manifest), ``declaration/<category>/<identifier>``
    (one declaration: category activation, asset, configuration or management) or
    ``status`` (the device's status report, which it sends in Data). Anything else has no
    answer; a status check-in without Data reports nothing.

    Fails:   <key>Endpoint</key><string>declaration/configurations/com.example.passcode</string>
    Passes:  <key>Endpoint</key><string>declaration/configuration/com.example.passcode</string>
    """
    if doc.kind != "checkin" or doc.type != DECLARATIVE or not isinstance(doc.root, dict):
        return
    from profilesmith.ddm import embedded

    endpoint = doc.root.get("Endpoint")
    if not isinstance(endpoint, str):
        return  # missing or not a string: SCH002, SCH001
    problem = embedded.endpoint_problem(endpoint)
    if problem is not None:
        yield Hit("/Endpoint", f"Endpoint {endpoint!r} {problem}")
    elif endpoint in embedded.CHECKIN_DATA and "Data" not in doc.root:
        wanted = embedded.DATA_NAMES[embedded.CHECKIN_DATA[endpoint]]
        yield Hit("/Data", f"a {endpoint} check-in carries {wanted} in Data, and this one "
                  "has none")
