"""What a document is (plist.kinds): each kind, its type, and for anything else what it
looks like instead."""

from __future__ import annotations

from typing import Any

import pytest

from profilesmith.plist.kinds import classify

EXPECTED = ("expected a configuration profile (PayloadType Configuration with "
            "PayloadContent), an MDM command (Command), a command response (Status), a "
            "check-in message (MessageType) or a DDM declaration (Type, Identifier, Payload)")


@pytest.mark.parametrize(("root", "kind", "type_"), [
    ({"PayloadType": "Configuration", "PayloadContent": []}, "profile", "Configuration"),
    ({"PayloadType": "Profile Service", "PayloadContent": {"URL": "x"}}, "profile",
     "Profile Service"),
    ({"PayloadContent": [], "PayloadIdentifier": "x"}, "profile", None),
    ({"PayloadType": "Configuration", "IsEncrypted": True}, "profile", "Configuration"),
    ({"Command": {"RequestType": "DeviceLock"}, "CommandUUID": "1"}, "command", "DeviceLock"),
    ({"Command": {}, "CommandUUID": "1"}, "command", None),
    ({"MessageType": "Authenticate", "UDID": "u"}, "checkin", "Authenticate"),
    ({"Status": "Acknowledged", "CommandUUID": "1", "UDID": "u"}, "response", None),
    ({"Status": "Idle", "UDID": "u"}, "response", None),
    ({"Type": "com.apple.configuration.passcode.settings", "Identifier": "p", "Payload": {}},
     "declaration", "com.apple.configuration.passcode.settings"),
    ({"Type": "com.apple.activation.simple", "Identifier": "a", "ServerToken": "1"},
     "declaration", "com.apple.activation.simple"),
    # a declaration without its Identifier is still one (SCH002 says what is missing)
    ({"Type": "com.apple.configuration.passcode.settings", "Payload": {}},
     "declaration", "com.apple.configuration.passcode.settings"),
    ({"Type": "com.apple.asset.data", "ServerToken": "1"}, "declaration", "com.apple.asset.data"),
    ({"StatusItems": {}, "Errors": []}, "ddm-protocol", "StatusReport"),
    ({"SyncTokens": {}}, "ddm-protocol", "TokensResponse"),
    ({"Declarations": {}, "DeclarationsToken": "t"}, "ddm-protocol",
     "DeclarationItemsResponse"),
])
def test_kinds(root: dict[str, Any], kind: str, type_: str | None) -> None:
    found = classify(root)
    assert (found.kind, found.type, found.problem) == (kind, type_, None)


@pytest.mark.parametrize(("root", "problem"), [
    ({"PayloadTyp": "Configuration", "PayloadContents": []},
     "no key of an Apple message at the top; near misses: 'PayloadTyp' (did you mean "
     "PayloadType?), 'PayloadContents' (did you mean PayloadContent?)"),
    ({"payloadtype": "Configuration", "payloadcontent": []},
     "all keys are lowercase (payloadtype, payloadcontent): Apple's keys are case-sensitive "
     "(PayloadType, PayloadContent, ...)"),
    ({"payloadtyp": 1}, f"all keys are lowercase and none is an Apple message key: {EXPECTED}"),
    ({"PayloadType": "com.apple.dock", "PayloadIdentifier": "d"},
     "a com.apple.dock payload, not a profile: wrap it in a Configuration profile (its "
     "PayloadContent array)"),
    ({"PayloadType": "com.apple.security.scep", "PayloadContent": {"URL": "https://s"}},
     "a com.apple.security.scep payload, not a profile: wrap it in a Configuration profile "
     "(its PayloadContent array)"),
    ({"RequestType": "DeviceLock", "PIN": "123456"},
     "an MDM command without its Command dictionary: put RequestType and the command's keys "
     "in <key>Command</key><dict>...</dict>, beside CommandUUID"),
    ({"CFBundleIdentifier": "com.example.app", "CFBundleVersion": "1"},
     f"none of its top-level keys (CFBundleIdentifier, CFBundleVersion) is expected: {EXPECTED}"),
    ({"Type": "Feature", "Payload": {}},
     f"none of its top-level keys (Payload, Type) is expected: {EXPECTED}"),
    ({}, f"an empty dictionary: {EXPECTED}"),
    (["Configuration"], f"the root is an array, not a dictionary: {EXPECTED}"),
    ("Configuration", f"the root is a string, not a dictionary: {EXPECTED}"),
])
def test_unknown_documents_say_what_they_look_like(root: Any, problem: str) -> None:
    assert classify(root) == ("unknown", None, problem)
