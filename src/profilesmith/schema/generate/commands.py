"""MDM commands: commands/ and command-rights.json."""

from __future__ import annotations

from typing import Any

from profilesmith.schema.generate.common import (
    BASE_ID,
    DIALECT,
    MARKER,
    GenerateError,
    Schema,
    platforms_of,
)
from profilesmith.schema.generate.keys import Generator


def command_schema(data: dict[str, Any]) -> Schema:
    request_type = data["payload"]["requesttype"]
    keys = list(data.get("payloadkeys") or [])
    gen = Generator(request_type, keys)
    properties, required, additional = gen.members(keys, "")
    properties = {"RequestType": {"type": "string", "x-plist-type": "string",
                                  "const": request_type}, **properties}
    schema: Schema = {
        "$schema": DIALECT,
        "$id": f"{BASE_ID}commands/{request_type}.schema.json",
        "type": "object",
        "x-plist-type": "dictionary",
        "x-platforms": platforms_of(data["payload"].get("supportedOS"), partial=False),
        "properties": properties,
        "required": ["RequestType", *required],
    }
    if additional is not None:
        schema["additionalProperties"] = additional
    if gen.defs:
        schema["$defs"] = gen.defs
    return schema


# -- command -> access right (profilesmith rights / command) ------------------------------

RIGHTS_FILE = "command-rights.json"


def platform_rights(supported: dict[str, Any] | None) -> dict[str, str | None]:
    """platform -> Apple's ``accessrights`` text, for every listed platform where the
    thing is available; None where Apple's data states no right."""
    result: dict[str, str | None] = {}
    for platform, facts in sorted((supported or {}).items()):
        facts = facts or {}
        if facts.get("introduced") == "n/a":
            continue
        right = facts.get("accessrights")
        result[platform] = None if right is None else str(right)
    return result


def _states_rights(key: dict[str, Any]) -> bool:
    return any(isinstance(facts, dict) and "accessrights" in facts
               for facts in (key.get("supportedOS") or {}).values())


def command_parts(request_type: str, keys: list[dict[str, Any]]) -> dict[str, Any]:
    """Parts of a command that need rights of their own, by the array that holds them:
    the values of an array of strings (DeviceInformation's Queries) or the Item-tagged
    dictionaries of an array (Settings). Rights anywhere else stop the generator: the
    runtime would not know how to find such a part in a command."""
    parts: dict[str, Any] = {}
    known: set[int] = set()
    for key in keys:
        items = key.get("subkeys") or []
        if key["type"] != "<array>" or not items:
            continue
        by_value = len(items) == 1 and items[0]["type"] == "<string>"
        candidates = (items[0].get("subkeys") or []) if by_value else items
        if not any(_states_rights(part) for part in candidates):
            continue
        # every part of such an array, those without rights too: `rights for X:NAME`
        # tells a part that needs nothing more from a misspelt one
        found: dict[str, Any] = {}
        for part in candidates:
            if by_value:
                tag = part["key"]
            else:
                tags = [k.get("rangelist") for k in part.get("subkeys") or []
                        if k["key"] == "Item"]
                if part["type"] != "<dictionary>" or len(tags) != 1 or len(tags[0]) != 1:
                    raise GenerateError(f"{request_type}/{key['key']}/{part['key']}: an item "
                                     "of an array with access rights has no Item tag")
                tag = tags[0][0]
            found[tag] = platform_rights(part.get("supportedOS"))
            known.add(id(part))
        parts[key["key"]] = {"by": "value" if by_value else "Item", "rights": found}

    def check(items: list[dict[str, Any]], path: str) -> None:
        for item in items:
            where = f"{path}/{item['key']}"
            if id(item) not in known and _states_rights(item):
                raise GenerateError(f"{request_type}{where}: access rights on this key: "
                                 "not supported")
            check(item.get("subkeys") or [], where)

    check(keys, "")
    return parts


def command_rights(documents: list[dict[str, Any]], marker: str) -> Schema:
    """The AccessRights data of every command: Apple's spelling of the right per platform
    ("None", "Special Case", a right name; null where the data names none), and the parts
    that need rights of their own."""
    commands: Schema = {}
    parts: Schema = {}
    for data in sorted(documents, key=lambda d: str(d["payload"]["requesttype"])):
        request_type = data["payload"]["requesttype"]
        commands[request_type] = platform_rights(data["payload"].get("supportedOS"))
        found = command_parts(request_type, list(data.get("payloadkeys") or []))
        if found:
            parts[request_type] = found
    return {"commands": commands, "parts": parts, MARKER: marker}

