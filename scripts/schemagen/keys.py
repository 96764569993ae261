"""Apple's payload keys -> JSON Schema (one Generator per document)."""

from __future__ import annotations

from typing import Any

from schemagen.common import FORMATS, JSON_TYPES, PLIST_TYPES, Schema, platforms_of
from schemagen.overrides import override_for


class Generator:
    def __init__(self, kind: str, keys: list[dict[str, Any]]) -> None:
        self.kind = kind  # the payload type (or "TopLevel") that OVERRIDES are keyed by
        self.defs: Schema = {}
        self.recursive = _recursive_lists(keys)
        self.def_names: dict[int, str] = {}

    def members(self, keys: list[dict[str, Any]], path: str) -> tuple[Schema, list[str], Any]:
        """properties, required, additionalProperties (None: no constraint) of a dict."""
        properties: Schema = {}
        required: list[str] = []
        additional: Any = False
        for key in keys:
            name = key["key"]
            schema = self.key(key, f"{path}/{name}")
            if name == "ANY":
                additional = None if schema.get("x-plist-type") == "any" else schema
                continue
            properties[name] = schema
            if key.get("presence") == "required":
                required.append(name)
        return properties, required, additional

    def key(self, key: dict[str, Any], path: str) -> Schema:
        plist_type = PLIST_TYPES[key["type"]]
        schema: Schema = {"x-plist-type": plist_type}
        if plist_type in JSON_TYPES:
            schema["type"] = JSON_TYPES[plist_type]
        elif plist_type in ("data", "date"):
            schema["$ref"] = f"{self.plist_ref}#/$defs/{plist_type}"
        subkeys = key.get("subkeys")
        if subkeys and plist_type in ("array", "dictionary"):
            schema.update(self.container(plist_type, subkeys, path, key))
        if "rangelist" in key:
            schema["enum"] = list(key["rangelist"])
        if "range" in key:
            if "min" in key["range"]:
                schema["minimum"] = key["range"]["min"]
            if "max" in key["range"]:
                schema["maximum"] = key["range"]["max"]
        if "format" in key:
            schema["pattern"] = key["format"]
        if key.get("subtype") in FORMATS:
            schema["format"] = FORMATS[key["subtype"]]
        if "default" in key:
            schema["default"] = key["default"]
        platforms = platforms_of(key.get("supportedOS"), partial=True)
        if platforms:
            schema["x-platforms"] = platforms
        override = override_for(self.kind, path)
        return override(schema) if override else schema

    def container(self, plist_type: str, subkeys: list[dict[str, Any]], path: str,
                  key: dict[str, Any]) -> Schema:
        if id(subkeys) not in self.recursive:
            return self.body(plist_type, subkeys, path)
        # a list that contains itself (Folder pages): its one item becomes a $defs entry
        # named after Apple's subkeytype, and every use refers to it
        if plist_type != "array" or len(subkeys) != 1:
            raise SystemExit(f"{self.kind}{path}: recursive dictionary: not supported")
        name = self.def_names.get(id(subkeys))
        if name is None:
            name = key.get("subkeytype") or subkeys[0]["key"]
            self.def_names[id(subkeys)] = name
            self.defs[name] = self.key(subkeys[0], f"{path}/{subkeys[0]['key']}")
        return {"items": {"$ref": f"#/$defs/{name}",
                          "x-plist-type": PLIST_TYPES[subkeys[0]["type"]]}}

    def body(self, plist_type: str, subkeys: list[dict[str, Any]], path: str) -> Schema:
        if plist_type == "dictionary":
            properties, required, additional = self.members(subkeys, path)
            body: Schema = {}
            if properties:
                body["properties"] = properties
            if required:
                body["required"] = required
            if additional is not None:
                body["additionalProperties"] = additional
            return body
        items = [self.key(item, f"{path}/{item['key']}") for item in subkeys]
        body = {"items": items[0]} if len(items) == 1 else {"items": tagged_union(items)}
        repetition = subkeys[0].get("repetition") if len(subkeys) == 1 else None
        if repetition:
            body["minItems"] = repetition["min"]
            body["maxItems"] = repetition["max"]
        return body

    plist_ref = "../plist.schema.json"


def tagged_union(variants: list[Schema]) -> Schema:
    """Array items that are dictionaries told apart by a one-value "Item" key (the
    Settings command): each variant applies when Item has its value."""
    tags = []
    branches = []
    for variant in variants:
        tag = variant.get("properties", {}).get("Item", {}).get("enum", [])
        if variant.get("x-plist-type") != "dictionary" or len(tag) != 1:
            raise SystemExit("array with several item kinds and no Item tag: not supported")
        tags.append(tag[0])
        branches.append({"if": {"properties": {"Item": {"const": tag[0]}}, "required": ["Item"]},
                         "then": variant})
    return {
        "type": "object", "x-plist-type": "dictionary",
        "properties": {"Item": {"type": "string", "x-plist-type": "string", "enum": tags}},
        "required": ["Item"],
        "allOf": branches,
    }


def _recursive_lists(keys: list[dict[str, Any]]) -> set[int]:
    """ids of subkey lists that contain themselves (YAML aliases such as Folder pages)."""
    found: set[int] = set()

    def walk(items: list[dict[str, Any]], stack: tuple[int, ...]) -> None:
        if id(items) in stack:
            found.add(id(items))
            return
        for item in items:
            if item.get("subkeys"):
                walk(item["subkeys"], (*stack, id(items)))

    walk(keys, ())
    return found

