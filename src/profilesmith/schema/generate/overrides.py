"""Corrections to Apple's data (structure only; each says why), keyed by owner and path."""

from __future__ import annotations

import re
from collections.abc import Callable

from profilesmith.schema.generate.common import Schema

# -- corrections to Apple's data (structure only; each says why) -----------------------


def _dictionary_of_strings(schema: Schema) -> Schema:
    # TopLevel.yaml nests a "ConsentTextItem" dictionary, but ConsentText maps language
    # codes straight to strings: {"default": "...", "en": "..."}.
    return _annotated(schema, {
        "type": "object", "x-plist-type": "dictionary",
        "additionalProperties": {"type": "string", "x-plist-type": "string"},
    })


def _any_key(schema: Schema) -> Schema:
    # The YAML names the one member after what it holds ("Printer"), but the dictionary is
    # keyed by arbitrary names (one entry per printer).
    members = schema.get("properties", {})
    (only,) = members.values()
    result = {k: v for k, v in schema.items() if k not in ("properties", "required",
                                                          "additionalProperties")}
    result["additionalProperties"] = only
    return result


def _annotated(old: Schema, new: Schema) -> Schema:
    for key in ("x-platforms", "default"):
        if key in old:
            new[key] = old[key]
    return new


def _available_on_macos(schema: Schema) -> Schema:
    # com.apple.system.logging is a macOS payload, yet the data marks each of its three keys
    # "introduced: n/a" on macOS (so every use was an AVL002 warning with --platform macos).
    # Real profiles use them (Kandji's Enable_Private_Data_For_System/_Open_Directory in
    # shared/corpus/real-world) and macOS applies them: the key has the payload's platforms.
    platforms = {p: f for p, f in schema.get("x-platforms", {}).items() if p != "macOS"}
    result = {k: v for k, v in schema.items() if k != "x-platforms"}
    if platforms:
        result["x-platforms"] = platforms
    return result


def _introduced_as_the_payload(schema: Schema) -> Schema:
    # loginwindow.yaml gives its one key "introduced: 'all'" on macOS, which is no version:
    # the key is available as its payload is (macOS 10.7).
    platforms = {p: {k: v for k, v in f.items() if not (k == "introduced" and v == "all")}
                 for p, f in schema.get("x-platforms", {}).items()}
    result = {k: v for k, v in schema.items() if k != "x-platforms"}
    platforms = {p: f for p, f in platforms.items() if f}
    if platforms:
        result["x-platforms"] = platforms
    return result


def _with_login_items_suppression(schema: Schema) -> Schema:
    # DisableLoginItemsSuppression is a preference of the com.apple.loginwindow domain, yet
    # the data describes it only under a payload type "loginwindow" of its own; real
    # profiles set it in com.apple.loginwindow (rtrouton's OpenSafariAtLogin in
    # shared/corpus/real-world, an SCH005 warning before this).
    member = {"type": "boolean", "x-plist-type": "boolean", "default": False}
    return {**schema, "properties": {**schema["properties"],
                                     "DisableLoginItemsSuppression": member}}


def _with_alert(schema: Schema) -> Schema:
    # Apple's list of media actions lacks "alert", which macOS has long accepted next to
    # "eject" (Microsoft's Intune samples and the macOS Security Compliance Project use it).
    return {**schema, "enum": [*schema["enum"], "alert"]}


def _allowed_or_authorization(schema: Schema) -> Schema:
    # TCC: "Every payload needs to include either Authorization or Allowed": Allowed is
    # required only when Authorization (macOS 11+) is absent.
    required = [k for k in schema.get("required", []) if k != "Allowed"]
    result = {k: v for k, v in schema.items() if k != "required"}
    if required:
        result["required"] = required
    result["if"] = {"required": ["Authorization"]}
    result["else"] = {"required": ["Allowed"]}
    return result


# -- what devices send, where Apple's data is wrong about real messages ------------------
# (found by validating shared/corpus/messages: check-ins and responses captured from devices)


def _string(**extra: object) -> Schema:
    return {"type": "string", "x-plist-type": "string", **extra}


def _strings() -> Schema:
    return {"type": "array", "x-plist-type": "array", "items": _string()}


def _with_members(members: dict[str, Schema], *, complete: bool = True
                  ) -> Callable[[Schema], Schema]:
    """Members the data lacks; ``complete=False``: the dictionary holds others too."""
    def fix(schema: Schema) -> Schema:
        result = {**schema, "properties": {**schema.get("properties", {}), **members}}
        if not complete:
            result.pop("additionalProperties", None)
        return result
    return fix


def _authenticate_challenge(schema: Schema) -> Schema:
    # macOS 10.11 and 10.12 send a Challenge <data> in Authenticate (commandment's 10.11.x and
    # 10.12.2 captures, nanomdm's Authenticate.2.plist); Apple's data does not list it.
    return _with_members({"Challenge": {"$ref": "../plist.schema.json#/$defs/data",
                                        "x-plist-type": "data", "x-secret": True}})(schema)


def _query_responses(schema: Schema) -> Schema:
    # Real macOS answers hold keys Apple's data does not list: Languages and Locales (macOS
    # 10.11, 10.13; older protocol documentation had them), CurrentConsoleManagedUser (macOS
    # 10.11; the data names it only in the prose of ActiveManagedUsers). A device answers with
    # more than the data lists, so the dictionary is left open.
    return _with_members({"Languages": _strings(), "Locales": _strings(),
                          "CurrentConsoleManagedUser": _string()}, complete=False)(schema)


def _integer(schema: Schema) -> Schema:
    # The data says <string>, but macOS 10.11 and 10.13 send <integer>0.
    return {**schema, "type": "integer", "x-plist-type": "integer"}


def _build_on_ios(schema: Schema) -> Schema:
    # An update's Build is required by the data, but macOS 10.12 and 10.13 list updates
    # without one (identified by ProductKey): required only where a device reports it.
    required = [k for k in schema.get("required", []) if k != "Build"]
    result = {k: v for k, v in schema.items() if k != "required"}
    if required:
        result["required"] = required
    result["x-conditionally-required"] = [*schema.get("x-conditionally-required", []), "Build"]
    return result


def _sync_tokens(schema: Schema) -> Schema:
    # TokensResponse: the data names SyncTokens' subkeytype (SynchronizationTokens) but
    # lists no subkeys. Devices compare DeclarationsToken (Apple's documentation of
    # SynchronizationTokens also lists a Timestamp, which servers such as kmfddm send and
    # others leave out); anything else is left open.
    fixed = _with_members({"DeclarationsToken": _string(), "Timestamp": _string()},
                          complete=False)(schema)
    return {**fixed, "required": ["DeclarationsToken"]}


# Every correction to Apple's data, in one table: (payload or request type, regular
# expression matched against the key path) -> fix. Responses are owned by
# "<RequestType>Response", check-ins by their MessageType; the path "" is a document's top
# level (a payload schema's, a message's). tests/schema/test_overrides.py has one test per
# entry: that Apple's data still has the fault, and that the schema has the fix.
#
# Faults handled elsewhere, deliberately: a key unavailable where its payload is
# (vpn.managed's IKEv2 on watchOS, app.managed's License removed on macOS) says nothing
# more, as the availability rules never repeat a payload's unavailability for its keys; a
# key "introduced" earlier than its payload (airplay AllowListItem, TCC Authorization) is
# as old as the payload; a merged type (com.apple.MCX, whose files disagree on "multiple")
# may appear several times if any file says so (common.merge_platforms); "removed: '0'"
# (other/manifesturl.yaml, which no schema comes from) would read as never available.
OVERRIDES: list[tuple[str, str, Callable[[Schema], Schema]]] = [
    ("Authenticate", r"", _authenticate_challenge),
    ("DeviceInformationResponse", r"/QueryResponses", _query_responses),
    ("DeviceInformationResponse", r"/QueryResponses/OSUpdateSettings/PreviousScanResult",
     _integer),
    ("AvailableOSUpdatesResponse", r"/AvailableOSUpdates/AvailableOSUpdatesItem",
     _build_on_ios),
    ("TokensResponse", r"/SyncTokens", _sync_tokens),
    ("TopLevel", r"/ConsentText", _dictionary_of_strings),
    ("com.apple.mcxprinting", r"/UserPrinterList", _any_key),
    ("loginwindow", r"/DisableLoginItemsSuppression", _introduced_as_the_payload),
    ("com.apple.loginwindow", r"", _with_login_items_suppression),
    ("com.apple.systemuiserver", r"/[^/]+/[^/]+/ActionStringItem", _with_alert),
    ("com.apple.system.logging", r"/(Processes|Subsystems|System)", _available_on_macos),
    ("com.apple.TCC.configuration-profile-policy", r"/Services/[^/]+/[^/]+",
     _allowed_or_authorization),
]


def override_for(kind: str, path: str) -> Callable[[Schema], Schema] | None:
    for owner, pattern, fix in OVERRIDES:
        if owner == kind and re.fullmatch(pattern, path):
            return fix
    return None


# -- YAML -> schema ----------------------------------------------------------------------



# -- references between DDM documents (x-references) ---------------------------------------
# Apple's data marks asset references (assettypes: the generator adds "x-references":
# "asset" there); these other keys hold identifiers too, which the data shows only in prose.
# A value names what the key's value (an array: each item) refers to: a declaration
# category (the Identifier of a declaration of that category), "status-item" (a status item
# name, a key of schemas/ddm/status-items.json), or "<declaration type>#/Payload/<key>" (the
# value of that key in a declaration of that type).
REFERENCES: list[tuple[str, str, str]] = [
    # an activation lists the configurations it installs
    ("com.apple.activation.simple", r"/StandardConfigurations", "configuration"),
    # a subscription names status items
    ("com.apple.configuration.management.status-subscriptions", r"/StatusItems/[^/]+/Name",
     "status-item"),
    # a group lists connections by the ConnectionUUID of screen-sharing connections
    ("com.apple.configuration.screensharing.connection.group", r"/Members",
     "com.apple.configuration.screensharing.connection#/Payload/ConnectionUUID"),
    # the server's manifest and the device's declarations status list declarations by
    # category
    *[("DeclarationItemsResponse", rf"/Declarations/{group}/[^/]+/Identifier",
       group.lower().rstrip("s")) for group in ("Activations", "Configurations", "Assets",
                                                "Management")],
    *[("management.declarations", rf"/management\.declarations/{group}/[^/]+/identifier",
       group.rstrip("s")) for group in ("activations", "configurations", "assets",
                                        "management")],
    # a status report's errors name status items
    ("StatusReport", r"/Errors/[^/]+/StatusItem", "status-item"),
]


def reference_for(kind: str, path: str) -> str | None:
    for owner, pattern, target in REFERENCES:
        if owner == kind and re.fullmatch(pattern, path):
            return target
    return None
