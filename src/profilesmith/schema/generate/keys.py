"""Apple's payload keys -> JSON Schema (one Generator per document)."""

from __future__ import annotations

from typing import Any

from profilesmith.schema.generate.common import (
    FORMATS,
    JSON_TYPES,
    PLIST_TYPES,
    GenerateError,
    Schema,
    platforms_of,
    unknown_fields,
    version,
)
from profilesmith.schema.generate.overrides import override_for, reference_for

# what a payload key of Apple's data may hold (docs/schema.yaml, payloadkeys; asset-content-types
# is used by the DDM files without being described there); anything else stops the generator
KEY_FIELDS = frozenset({
    "key", "title", "content", "type", "presence", "subkeys", "subkeytype", "rangelist",
    "range", "format", "subtype", "default", "repetition", "supportedOS", "assettypes",
    "asset-content-types", "combinetype",
})
# member names that are also JSON Schema annotation words: written as patternProperties
# ("^description$"), so that no schema holds a "description" that could be taken for prose
# (tests/test_schemas.py refuses any title/description/content member anywhere)
PROSE_NAMES = frozenset({"title", "description", "content"})
BASE64 = r"^[A-Za-z0-9+/]*={0,2}$"
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$"


class Generator:
    """One document's keys. ``device_sent``: the document is written by a device (check-in,
    response, status): a key Apple calls required is required only when nothing limits it
    (see :meth:`conditional`); the others are listed in x-conditionally-required.
    ``available``: platform -> the version the document itself was introduced in."""

    plist_ref = "../plist.schema.json"
    json_document = False  # DDM documents are JSON: <data> is a base64 string

    def __init__(self, kind: str, keys: list[dict[str, Any]], *, device_sent: bool = False,
                 available: dict[str, str] | None = None) -> None:
        self.kind = kind  # the payload type (or "TopLevel") that OVERRIDES are keyed by
        self.defs: Schema = {}
        self.recursive = _recursive_lists(keys)
        self.def_names: dict[int, str] = {}
        self.device_sent = device_sent
        self.available = available or {}
        self.conditionals: dict[str, list[str]] = {}

    def members(self, keys: list[dict[str, Any]], path: str) -> tuple[Schema, list[str], Any]:
        """properties, required, additionalProperties (None: no constraint) of a dict."""
        properties: Schema = {}
        required: list[str] = []
        conditional: list[str] = []
        additional: Any = False
        for key in keys:
            name = key["key"]
            schema = self.key(key, f"{path}/{name}")
            # ANY: any key; the response data writes "ANY app identifier" and the like
            if name == "ANY" or name.startswith("ANY "):
                additional = None if schema.get("x-plist-type") == "any" else schema
                continue
            properties[name] = schema
            if key.get("presence") == "required":
                if self.device_sent and self.conditional(key):
                    conditional.append(name)
                else:
                    required.append(name)
        if conditional:
            self.conditionals[path] = conditional
        return properties, required, additional

    def dictionary(self, keys: list[dict[str, Any]], path: str) -> Schema:
        """The members of a dictionary as schema keywords (properties, patternProperties,
        required, additionalProperties, x-conditionally-required)."""
        properties, required, additional = self.members(keys, path)
        body: Schema = {}
        plain = {k: v for k, v in properties.items() if k not in PROSE_NAMES}
        if plain:
            body["properties"] = plain
        prose = {f"^{k}$": v for k, v in properties.items() if k in PROSE_NAMES}
        if prose:
            body["patternProperties"] = prose
        if required:
            body["required"] = required
        if self.conditionals.get(path):
            body["x-conditionally-required"] = self.conditionals[path]
        if additional is not None:
            body["additionalProperties"] = additional
        override = override_for(self.kind, path) if path == "" else None
        return override(body) if override else body  # (a key's own: in key())

    def conditional(self, key: dict[str, Any]) -> bool:
        """Whether a key is limited to some devices or versions where its document exists:
        not available on one of the document's platforms, introduced later than the
        document, removed, or tied to a channel, an enrollment type, supervision, ..."""
        for platform, facts in (key.get("supportedOS") or {}).items():
            facts = facts or {}
            since = self.available.get(platform)
            if since is None:
                continue  # the document itself is not on this platform
            introduced = str(facts.get("introduced", since))
            if introduced == "n/a" or "removed" in facts:
                return True
            if version(introduced) > version(since):
                return True
            if facts.get("devicechannel") is False or facts.get("userchannel") is False:
                return True
            if any(facts.get(f) is True for f in ("supervised", "requiresdep",
                                                  "userapprovedmdm")):
                return True
            for mode in ("userenrollment", "sharedipad"):
                if (facts.get(mode) or {}).get("mode") in ("required", "forbidden"):
                    return True
        return False

    def key(self, key: dict[str, Any], path: str) -> Schema:
        unknown_fields(f"{self.kind}{path}", set(key) - KEY_FIELDS)
        key = {k: v for k, v in key.items() if k in KEY_FIELDS}
        plist_type = PLIST_TYPES[key["type"]]
        schema: Schema = {"x-plist-type": plist_type}
        if plist_type in JSON_TYPES:
            schema["type"] = JSON_TYPES[plist_type]
        elif plist_type in ("data", "date") and self.json_document:
            schema["type"] = "string"
            schema["pattern"] = BASE64 if plist_type == "data" else ISO_DATE
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
        if "assettypes" in key:
            # the value (an array: each item) is the Identifier of an asset declaration of
            # one of these types
            schema["x-asset-types"] = list(key["assettypes"])
            schema["x-references"] = "asset"
        if "asset-content-types" in key:
            schema["x-asset-content-types"] = list(key["asset-content-types"])
        if "combinetype" in key:
            schema["x-combine-type"] = key["combinetype"]
        platforms = platforms_of(key.get("supportedOS"), partial=True)
        if platforms:
            schema["x-platforms"] = platforms
        reference = reference_for(self.kind, path)
        if reference:
            schema["x-references"] = reference
        override = override_for(self.kind, path)
        return override(schema) if override else schema

    def container(self, plist_type: str, subkeys: list[dict[str, Any]], path: str,
                  key: dict[str, Any]) -> Schema:
        if id(subkeys) not in self.recursive:
            return self.body(plist_type, subkeys, path)
        # a list that contains itself (Folder pages): its one item becomes a $defs entry
        # named after Apple's subkeytype, and every use refers to it
        if plist_type != "array" or len(subkeys) != 1:
            raise GenerateError(f"{self.kind}{path}: recursive dictionary: not supported")
        name = self.def_names.get(id(subkeys))
        if name is None:
            name = key.get("subkeytype") or subkeys[0]["key"]
            self.def_names[id(subkeys)] = name
            self.defs[name] = self.key(subkeys[0], f"{path}/{subkeys[0]['key']}")
        return {"items": {"$ref": f"#/$defs/{name}",
                          "x-plist-type": PLIST_TYPES[subkeys[0]["type"]]}}

    def body(self, plist_type: str, subkeys: list[dict[str, Any]], path: str) -> Schema:
        if plist_type == "dictionary":
            return self.dictionary(subkeys, path)
        items = [self.key(item, f"{path}/{item['key']}") for item in subkeys]
        body = {"items": items[0]} if len(items) == 1 else {"items": tagged_union(items)}
        repetition = subkeys[0].get("repetition") if len(subkeys) == 1 else None
        if repetition:
            body["minItems"] = repetition["min"]
            body["maxItems"] = repetition["max"]
        return body


def tagged_union(variants: list[Schema]) -> Schema:
    """Array items that are dictionaries told apart by a one-value "Item" key (the
    Settings command): each variant applies when Item has its value."""
    tags = []
    branches = []
    for variant in variants:
        tag = variant.get("properties", {}).get("Item", {}).get("enum", [])
        if variant.get("x-plist-type") != "dictionary" or len(tag) != 1:
            raise GenerateError("array with several item kinds and no Item tag: not supported")
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

