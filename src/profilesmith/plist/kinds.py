"""What a decoded document is: a configuration profile, an MDM command, a command
response, a check-in message, a DDM declaration or protocol document — or none of them,
and then what it looks like instead.

Decided from the root's shape alone (the keys Apple's protocols put at the top), so that a
file is never skipped unchecked because a key is misspelt: a near miss is named, with
what was expected.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from profilesmith.base.lazyre import lazy
from profilesmith.base.text import close_names

KindName = Literal["profile", "command", "response", "checkin", "declaration", "ddm-protocol",
                   "unknown"]
KINDS: tuple[KindName, ...] = ("profile", "command", "response", "checkin", "declaration",
                               "ddm-protocol", "unknown")
SERVICE = "Profile Service"  # the type of a UDID-collection profile

# the keys that make a root one of the kinds (case matters: devices compare exactly)
_PROFILE_KEYS = ("PayloadType", "PayloadContent", "PayloadIdentifier", "PayloadUUID",
                 "PayloadVersion", "PayloadDisplayName")
_RESPONSE_KEYS = ("Status", "CommandUUID", "UDID", "EnrollmentID", "ErrorChain")
_TOP_KEYS = (*_PROFILE_KEYS, "Command", "CommandUUID", "RequestType", "MessageType", "Status",
             "UDID", "Type", "Identifier", "ServerToken", "Payload", "StatusItems",
             "SyncTokens", "Declarations", "DeclarationsToken")
# a DDM declaration's Type: com.apple.<category>.<name> (and the rest of its envelope)
_APPLE_DECLARATION = lazy(r"com\.apple\.(activation|asset|configuration|management)\.")
_ENVELOPE = ("Identifier", "ServerToken", "Payload")
# DDM protocol documents: a key only each one has -> its name (the schema's file name)
_DDM_PROTOCOL = {"StatusItems": "StatusReport", "SyncTokens": "TokensResponse",
                 "Declarations": "DeclarationItemsResponse"}


class Kind(NamedTuple):
    """``kind`` and ``type`` go into the report's files[] entries; ``problem`` says, for
    ``unknown``, what the root looks like and what was expected."""

    kind: KindName
    type: str | None = None
    problem: str | None = None


def classify(root: Any) -> Kind:
    if not isinstance(root, dict):
        return Kind("unknown", problem=_not_a_dictionary(root))
    payload_type = _text(root.get("PayloadType"))
    if payload_type == SERVICE:
        return Kind("profile", SERVICE)
    if payload_type == "Configuration" or isinstance(root.get("PayloadContent"), list) or (
            payload_type is None and "PayloadContent" in root):
        return Kind("profile", payload_type)
    command = root.get("Command")
    if isinstance(command, dict):
        return Kind("command", _text(command.get("RequestType")))
    if isinstance(root.get("MessageType"), str):
        return Kind("checkin", root["MessageType"])
    if isinstance(root.get("Status"), str) and any(k in root for k in _RESPONSE_KEYS[1:]):
        return Kind("response")  # which command it answers is the schema layer's to tell
    declaration_type = _text(root.get("Type"))
    if declaration_type is not None and (
            ("Identifier" in root and ("Payload" in root or "ServerToken" in root))
            # an Apple declaration type with a key of the envelope: a declaration that lacks
            # its Identifier is checked, not skipped as no document at all
            or (_APPLE_DECLARATION.match(declaration_type) is not None
                and any(k in root for k in _ENVELOPE))):
        return Kind("declaration", declaration_type)
    for key, name in _DDM_PROTOCOL.items():
        if key in root:
            return Kind("ddm-protocol", name)
    return Kind("unknown", problem=_looks_like(root, payload_type))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


_EXPECTED = ("expected a configuration profile (PayloadType Configuration with "
             "PayloadContent), an MDM command (Command), a command response (Status), a "
             "check-in message (MessageType) or a DDM declaration (Type, Identifier, Payload)")


def _not_a_dictionary(root: Any) -> str:
    what = {list: "an array", str: "a string", bool: "a boolean", int: "an integer",
            float: "a real", bytes: "data"}.get(type(root), "a date")
    return f"the root is {what}, not a dictionary: {_EXPECTED}"


def _looks_like(root: dict[str, Any], payload_type: str | None) -> str:
    keys = [k for k in root if isinstance(k, str)]
    if payload_type is not None and not isinstance(root.get("PayloadContent"), list):
        return (f"a {payload_type} payload, not a profile: wrap it in a Configuration "
                "profile (its PayloadContent array)")
    if "RequestType" in root:
        return ("an MDM command without its Command dictionary: put RequestType and the "
                "command's keys in <key>Command</key><dict>...</dict>, beside CommandUUID")
    lowered = {k.casefold() for k in _TOP_KEYS}
    if keys and all(k == k.lower() for k in keys):
        hits = [k for k in keys if k.casefold() in lowered]
        if hits:
            return (f"all keys are lowercase ({', '.join(hits[:3])}): Apple's keys are "
                    "case-sensitive (PayloadType, PayloadContent, ...)")
        return f"all keys are lowercase and none is an Apple message key: {_EXPECTED}"
    near = []
    for key in keys:
        if key in _TOP_KEYS:
            continue
        # a misspelling, not another vocabulary: CFBundleIdentifier is no Identifier
        close = close_names(key, _TOP_KEYS, cutoff=0.85)
        if close:
            near.append(f"{key!r} (did you mean {close[0]}?)")
    if near:
        return f"no key of an Apple message at the top; near misses: {', '.join(near[:4])}"
    if not keys:
        return f"an empty dictionary: {_EXPECTED}"
    return f"none of its top-level keys ({', '.join(sorted(keys)[:5])}) is expected: {_EXPECTED}"
