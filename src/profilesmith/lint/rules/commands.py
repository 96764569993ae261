"""CMD: MDM command plists ({"Command": {"RequestType": ...}, "CommandUUID": ...}).

The Command dictionary of a known request type is checked by its schema
(schemas/commands/<RequestType>.schema.json: keys, types, required keys, values). These
rules cover what that path cannot see: a command without a usable RequestType gets no
schema at all, and the CommandUUID sits outside the Command dictionary.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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


_PIN_COMMANDS = ("DeviceLock", "EraseDevice")


def _command(doc: Document, *request_types: str) -> dict[str, Any] | None:
    if doc.kind != "command":
        return None
    command = doc.root["Command"]
    return command if command.get("RequestType") in request_types else None


@rule("CMD004", Severity.ERROR)
def find_my_pin(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The PIN of DeviceLock or EraseDevice is not six characters long.

    Apple (mdm/commands/device.lock.yaml and device.erase.yaml, PIN): "The six-character
    PIN for Find My" (macOS). A Mac cannot be unlocked with a PIN of another length, so
    it is an error. Six characters that are not all digits are a warning: Apple says
    characters, but the lock screen asks for a number. The PIN is never echoed.

    Fails:   <key>PIN</key><string>1234</string>
    Passes:  <key>PIN</key><string>123456</string>
    """
    command = _command(doc, *_PIN_COMMANDS)
    pin = command.get("PIN") if command else None
    if not isinstance(pin, str):
        return
    if len(pin) != 6:
        yield Hit("/Command/PIN", "PIN is not six characters long, as Find My needs")
    elif not (pin.isdecimal() and pin.isascii()):
        yield Hit("/Command/PIN", "PIN is not six digits (the Mac's lock screen asks for a "
                  "number)", severity=Severity.WARNING)


@rule("CMD005", Severity.ERROR)
def lost_mode_message(doc: Document, ctx: Context) -> Iterator[Hit]:
    """EnableLostMode has neither a Message nor a PhoneNumber.

    Apple (mdm/commands/device.lostmode.enable.yaml): "A message or phone number must be
    provided" (each key is optional on its own; the data cannot say "one of them"). The
    device refuses the command.

    Fails:   <dict><key>RequestType</key><string>EnableLostMode</string></dict>
    Passes:  <key>Message</key><string>Please call IT</string>
    """
    command = _command(doc, "EnableLostMode")
    if command is None:
        return
    if not any(isinstance(command.get(k), str) and command[k].strip()
               for k in ("Message", "PhoneNumber")):
        yield Hit("/Command", "EnableLostMode needs a Message or a PhoneNumber")


@rule("CMD006", Severity.WARNING)
def unknown_query(doc: Document, ctx: Context) -> Iterator[Hit]:
    """DeviceInformation asks for a query that Apple's data does not name.

    Apple (mdm/commands/information.device.yaml, Queries) lists the 85 query names;
    a device leaves out of its answer what it does not know, so a misspelt name
    (DeviceName, not Devicename) silently returns nothing. A warning: names newer than
    the data in use are possible (--apple-data reads a newer release).

    Fails:   <key>Queries</key><array><string>Devicename</string></array>
    Passes:  <key>Queries</key><array><string>DeviceName</string></array>
    """
    command = _command(doc, "DeviceInformation")
    queries = command.get("Queries") if command else None
    if not isinstance(queries, list):
        return
    from profilesmith.schema.bundle import load

    parts = load("command-rights.json").get("parts", {}).get("DeviceInformation", {})
    known = list(parts.get("Queries", {}).get("rights", {}))
    if not known:
        return
    for index, name in enumerate(queries):
        if isinstance(name, str) and name not in known:
            hint = did_you_mean(name, known)
            yield Hit(f"/Command/Queries/{index}", f"unknown query {name!r}{hint}")
