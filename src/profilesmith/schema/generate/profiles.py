"""Configuration profiles: plist.schema.json, profile.schema.json, payloads/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from profilesmith.schema.generate.common import (
    BASE_ID,
    DIALECT,
    Schema,
    common_first,
    load,
    merge_platforms,
    multiple_of,
    platforms_of,
)
from profilesmith.schema.generate.keys import Generator
from profilesmith.schema.generate.overrides import override_for


def plist_schema() -> Schema:
    """The shared definitions: how the JSON projection writes <data> and <date>."""
    def wrapper(member: str, plist_type: str, pattern: str) -> Schema:
        return {
            "type": "object", "x-plist-type": plist_type,
            "properties": {member: {"type": "string", "x-plist-type": "string",
                                    "pattern": pattern}},
            "required": [member],
            "additionalProperties": False,
        }

    return {
        "$schema": DIALECT,
        "$id": f"{BASE_ID}plist.schema.json",
        "$defs": {
            "data": wrapper("$data", "data", r"^[A-Za-z0-9+/]*={0,2}$"),
            "date": wrapper("$date", "date",
                            r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"),
        },
    }


def common_keys(source: Path) -> list[dict[str, Any]]:
    data = load(source / "mdm" / "profiles" / "CommonPayloadKeys.yaml")
    keys: list[dict[str, Any]] = data["payloadkeys"]
    return keys


def payload_schema(payload_type: str, documents: list[tuple[str, dict[str, Any]]],
                   common: list[dict[str, Any]]) -> Schema:
    documents = sorted(documents, key=lambda d: (d[0] != f"{payload_type}.yaml", d[0]))
    properties: Schema = {}
    required_sets: list[set[str]] = []
    additional: Any = False
    defs: Schema = {}
    for _, data in documents:
        keys = list(common) + list(data.get("payloadkeys") or [])
        gen = Generator(payload_type, keys)
        props, required, extra = gen.members(keys, "")
        for name, member in props.items():
            properties.setdefault(name, member)
        required_sets.append(set(required))
        if extra is None or additional is None:
            additional = None
        elif extra is not False:
            additional = extra
        defs.update({k: v for k, v in gen.defs.items() if k not in defs})
    properties["PayloadType"] = {"type": "string", "x-plist-type": "string",
                                 "const": payload_type}
    platforms = merge_platforms(
        [platforms_of(d["payload"].get("supportedOS"), partial=False) for _, d in documents])
    everywhere = set.intersection(*required_sets)
    ordered = common_first([k for k in properties if k in everywhere])
    schema: Schema = {
        "$schema": DIALECT,
        "$id": f"{BASE_ID}payloads/{payload_type}.schema.json",
        "type": "object",
        "x-plist-type": "dictionary",
        "x-platforms": platforms,
        "properties": properties,
        "required": ordered,
    }
    multiple = multiple_of(platforms)
    if multiple is not None:
        schema["x-multiple"] = multiple
    if additional is not None:
        schema["additionalProperties"] = additional
    if defs:
        schema["$defs"] = defs
    fix = override_for(payload_type, "")
    return fix(schema) if fix else schema


def profile_schema(source: Path, common: list[dict[str, Any]]) -> Schema:
    data = load(source / "mdm" / "profiles" / "TopLevel.yaml")
    keys = data["payloadkeys"]
    gen = Generator("TopLevel", keys)
    gen.plist_ref = "plist.schema.json"
    properties, required, _ = gen.members(keys, "")
    properties["PayloadType"] = {"type": "string", "x-plist-type": "string",
                                 "const": "Configuration"}
    # Apple: "If IsEncrypted is true, this array isn't needed" -- and then the encrypted
    # content is what carries the payloads.
    required = [k for k in required if k != "PayloadContent"]
    payload_gen = Generator("CommonPayloadKeys", common)
    payload_gen.plist_ref = "plist.schema.json"
    common_props, common_required, _ = payload_gen.members(common, "")
    properties["PayloadContent"]["items"] = {"$ref": "#/$defs/payload",
                                             "x-plist-type": "dictionary"}
    return {
        "$schema": DIALECT,
        "$id": f"{BASE_ID}profile.schema.json",
        "type": "object",
        "x-plist-type": "dictionary",
        "x-platforms": platforms_of(data["payload"].get("supportedOS"), partial=False),
        "properties": properties,
        "required": common_first(required),
        "additionalProperties": False,
        "if": {"properties": {"IsEncrypted": {"const": True}}, "required": ["IsEncrypted"]},
        "then": {"required": ["EncryptedPayloadContent"]},
        "else": {"required": ["PayloadContent"]},
        "$defs": {
            # what every payload dictionary holds, whatever its type (types without a
            # schema of their own get just this)
            "payload": {"type": "object", "x-plist-type": "dictionary",
                        "properties": common_props,
                        "required": common_first(common_required)},
        },
    }

