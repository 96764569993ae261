"""MSG: what a device sends the server (command responses, check-in messages), beyond
what their schemas (schemas/responses, schemas/checkin) check."""

from __future__ import annotations

from collections.abc import Iterator

from profilesmith.base.findings import Hit, Severity
from profilesmith.base.text import did_you_mean
from profilesmith.lint.context import Context
from profilesmith.lint.registry import rule
from profilesmith.plist.document import Document


@rule("MSG001", Severity.ERROR)
def unknown_message_type(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A check-in message has a MessageType that is not one of Apple's.

    The server dispatches check-ins by MessageType (Authenticate, TokenUpdate, CheckOut,
    UserAuthenticate, GetBootstrapToken, SetBootstrapToken, GetToken,
    DeclarativeManagement); it answers one it does not know with an error, and no schema
    applies to the rest of the message. Names are case-sensitive.

    Fails:   <key>MessageType</key><string>Authenticat</string>
    Passes:  <key>MessageType</key><string>Authenticate</string>
    """
    if doc.kind != "checkin":
        return
    from profilesmith.schema.bundle import available, checkin_schema_path

    if checkin_schema_path(doc.type) is None:
        hint = did_you_mean(doc.type or "", sorted(available("checkin")))
        yield Hit("/MessageType", f"unknown MessageType {doc.type!r}{hint}")


@rule("MSG002", Severity.WARNING)
def response_keys_of_no_command(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A command response holds top-level keys that no command's response has.

    A device answers a command with the keys Apple documents for it (and the common
    ones: Status, UDID, CommandUUID, ErrorChain, ...); which command it answers is told
    from those keys. Keys none of Apple's commands returns are a misspelling, a newer
    command than the bundled data, or a relay that added its own: the response is then
    checked against the common keys only. A warning: devices do not care what a server
    stores.

    Fails:   <dict><key>Status</key><string>Acknowledged</string><key>QueryResponse</key>...
    Passes:  <dict><key>Status</key><string>Acknowledged</string><key>QueryResponses</key>...
    """
    if doc.kind != "response":
        return
    from profilesmith.schema import messages

    answer = messages.answer(doc)
    for key in answer.foreign:
        yield Hit(f"/{key}", f"no command's response has the key {key!r} "
                  "(checked against the common response keys only)", at="key")
