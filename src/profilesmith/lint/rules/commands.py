"""CMD: MDM command plists ({"Command": {"RequestType": ...}, "CommandUUID": ...}).

The Command dictionary of a known request type is checked by its schema
(schemas/commands/<RequestType>.schema.json: keys, types, required keys, values). These
rules cover what that path cannot see: a command without a usable RequestType gets no
schema at all, and the CommandUUID sits outside the Command dictionary.
"""

from __future__ import annotations

from collections.abc import Iterator

from profilesmith.base.findings import Hit, Severity
from profilesmith.base.text import did_you_mean
from profilesmith.lint.context import Context
from profilesmith.lint.registry import rule
from profilesmith.plist.document import Document


@rule("CMD001", Severity.ERROR)
def request_type_missing(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The Command dictionary has no RequestType string.

    Apple: every command carries RequestType (a string naming the command); it is how
    the device knows what to do, so a command without it cannot work. Without it no
    schema applies either, so nothing else in the Command dictionary is checked.

    Fails:   <key>Command</key><dict><key>Message</key><string>Hi</string></dict>
    Passes:  <key>Command</key><dict><key>RequestType</key><string>DeviceLock</string></dict>
    """
    if doc.kind != "command":
        return
    value = doc.root["Command"].get("RequestType")
    if value is None:
        yield Hit("/Command/RequestType", "the Command dictionary has no RequestType")
    elif not isinstance(value, str):
        yield Hit("/Command/RequestType", "RequestType must be a string")


@rule("CMD002", Severity.ERROR)
def request_type_unknown(doc: Document, ctx: Context) -> Iterator[Hit]:
    """RequestType is not a command in Apple's data.

    Usually a misspelling (Devicelock, DeviceLocks): the device answers an unknown
    command with an error (RequestType is case-sensitive), so it is an error. A command
    newer than the bundled data is reported too: pass a newer copy of Apple's data, or
    ignore CMD002 for it. The schema checks of the Command dictionary need a known
    request type, so none run.

    Fails:   <key>RequestType</key><string>Devicelock</string>
    Passes:  <key>RequestType</key><string>DeviceLock</string>
    """
    if doc.kind != "command":
        return
    value = doc.root["Command"].get("RequestType")
    if not isinstance(value, str):
        return
    from profilesmith.schema.bundle import command_schema_path

    if command_schema_path(value) is not None:
        return
    from profilesmith.mdm import rights

    hint = did_you_mean(value, rights.request_types())
    yield Hit("/Command/RequestType", f"unknown RequestType {value!r}{hint}")


@rule("CMD003", Severity.ERROR)
def command_uuid(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The command has no CommandUUID string.

    Apple: CommandUUID (a string, next to the Command dictionary) identifies the
    command; the device sends it back with its result, which is how the server matches
    results to commands. Missing or not a string is an error. A blank one is a warning
    (our policy: Apple does not say what a device does with it, but it identifies
    nothing). Any unique string will do (Apple's own examples use 0001_DeviceLock);
    profilesmith command writes an upper-case UUID.

    Fails:   <dict><key>Command</key><dict>...</dict></dict>   (no CommandUUID)
    Passes:  <key>CommandUUID</key><string>0B4C5A8E-1D7E-4F0B-9A52-3C1F2E4D5A6B</string>
    """
    if doc.kind != "command":
        return
    value = doc.root.get("CommandUUID")
    if value is None:
        yield Hit("/CommandUUID", "the command has no CommandUUID")
    elif not isinstance(value, str):
        yield Hit("/CommandUUID", "CommandUUID must be a string")
    elif not value.strip():
        yield Hit("/CommandUUID", "CommandUUID is blank", severity=Severity.WARNING)
