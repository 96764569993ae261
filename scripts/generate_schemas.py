#!/usr/bin/env python3
"""Generate profilesmith's JSON Schemas from Apple's device-management YAML data.

    python scripts/generate_schemas.py [SOURCE] [--out DIR]

SOURCE is a copy of github.com/apple/device-management (default: ../shared/apple-device-management
next to the repository); DIR defaults to the repository's schemas/. Writes

    DIR/plist.schema.json                   the shared $defs for <data> and <date>
    DIR/profile.schema.json                 from mdm/profiles/TopLevel.yaml (+ CommonPayloadKeys)
    DIR/payloads/<PayloadType>.schema.json  one per payload type in mdm/profiles/
    DIR/commands/<RequestType>.schema.json  the Command dictionary of each mdm/commands/ file
    DIR/command-rights.json                 the AccessRights each command (and part) needs

Only structure is used (key names, types, presence, rangelist, range, format, subtype,
default, supportedOS); Apple's prose (title, description, content) is never copied. Output is
deterministic: sorted keys, two-space indentation, a trailing newline. A file that exists
without the "x-generated" marker is hand-curated and is never overwritten; generated files
that the current data no longer produces are deleted.

Several YAML files may describe one payload type (com.apple.MCX has six, one per area;
com.apple.extensiblesso has a general file and a Kerberos one). They are merged: the file
named exactly <PayloadType>.yaml, if any, wins a key that several files describe, the others
add their keys; a key is required only when every file requires it; the payload's platforms
are the union of the files' platforms.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO.parent / "shared" / "apple-device-management"
BASE_ID = "https://profilesmith.dev/schemas/"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
MARKER = "x-generated"

PLIST_TYPES = {
    "<string>": "string", "<integer>": "integer", "<real>": "real", "<boolean>": "boolean",
    "<date>": "date", "<data>": "data", "<array>": "array", "<dictionary>": "dictionary",
    "<any>": "any",
}
JSON_TYPES = {
    "string": "string", "integer": "integer", "real": "number", "boolean": "boolean",
    "array": "array", "dictionary": "object",
}
FORMATS = {"<url>": "uri", "<hostname>": "hostname", "<email>": "email"}
COMMON_ORDER = (
    "PayloadType", "PayloadVersion", "PayloadIdentifier", "PayloadUUID",
    "PayloadDisplayName", "PayloadDescription", "PayloadOrganization",
)
PLATFORM_FIELDS = ("introduced", "deprecated", "removed")

Schema = dict[str, Any]
# libyaml's safe loader when PyYAML has it (ten times faster), the Python one otherwise
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


# (payload or request type, regular expression matched against the key path) -> fix
OVERRIDES: list[tuple[str, str, Callable[[Schema], Schema]]] = [
    ("TopLevel", r"/ConsentText", _dictionary_of_strings),
    ("com.apple.mcxprinting", r"/UserPrinterList", _any_key),
    ("com.apple.systemuiserver", r"/[^/]+/[^/]+/ActionStringItem", _with_alert),
    ("com.apple.TCC.configuration-profile-policy", r"/Services/[^/]+/[^/]+",
     _allowed_or_authorization),
]


def override_for(kind: str, path: str) -> Callable[[Schema], Schema] | None:
    for owner, pattern, fix in OVERRIDES:
        if owner == kind and re.fullmatch(pattern, path):
            return fix
    return None


# -- YAML -> schema ----------------------------------------------------------------------


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


def platforms_of(supported: dict[str, Any] | None, *, partial: bool) -> Schema:
    result: Schema = {}
    for platform, facts in sorted((supported or {}).items()):
        entry = {f: str(facts[f]) for f in PLATFORM_FIELDS if facts and f in facts}
        if entry or not partial:
            result[platform] = entry
    return result


def common_first(names: list[str]) -> list[str]:
    """The common payload keys first, in their usual order, then the rest as given."""
    return [k for k in COMMON_ORDER if k in names] + [k for k in names if k not in COMMON_ORDER]


def merge_platforms(entries: list[Schema]) -> Schema:
    """Union of several files' platforms: available where any file is."""
    merged: Schema = {}
    for platform in sorted({p for entry in entries for p in entry}):
        facts: list[dict[str, Any]] = [e[platform] for e in entries if platform in e]
        usable = [f for f in facts if f.get("introduced") != "n/a"]
        if not usable:
            merged[platform] = {"introduced": "n/a"}
            continue
        earliest = min(usable, key=lambda f: _version(str(f.get("introduced", "0"))))
        entry = dict(earliest)
        if any("removed" not in f for f in usable):
            entry.pop("removed", None)
        merged[platform] = entry
    return merged


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text))


# -- files --------------------------------------------------------------------------------


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
    everywhere = set.intersection(*required_sets)
    ordered = common_first([k for k in properties if k in everywhere])
    schema: Schema = {
        "$schema": DIALECT,
        "$id": f"{BASE_ID}payloads/{payload_type}.schema.json",
        "type": "object",
        "x-plist-type": "dictionary",
        "x-platforms": merge_platforms(
            [platforms_of(d["payload"].get("supportedOS"), partial=False) for _, d in documents]
        ),
        "properties": properties,
        "required": ordered,
    }
    if additional is not None:
        schema["additionalProperties"] = additional
    if defs:
        schema["$defs"] = defs
    return schema


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
                    raise SystemExit(f"{request_type}/{key['key']}/{part['key']}: an item "
                                     "of an array with access rights has no Item tag")
                tag = tags[0][0]
            found[tag] = platform_rights(part.get("supportedOS"))
            known.add(id(part))
        parts[key["key"]] = {"by": "value" if by_value else "Item", "rights": found}

    def check(items: list[dict[str, Any]], path: str) -> None:
        for item in items:
            where = f"{path}/{item['key']}"
            if id(item) not in known and _states_rights(item):
                raise SystemExit(f"{request_type}{where}: access rights on this key: "
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


def load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.load(handle, Loader=_LOADER)
    return data


def source_commit(source: Path) -> str:
    readme = source / "README.md"
    if readme.exists():
        match = re.search(r"\b[0-9a-f]{40}\b", readme.read_text(encoding="utf-8"))
        if match:
            return match.group(0)
    return "unknown commit"


def generate(source: Path) -> dict[str, Schema]:
    """Relative path -> schema for every generated file."""
    marker = f"scripts/generate_schemas.py from apple/device-management {source_commit(source)}"
    common = common_keys(source)
    out: dict[str, Schema] = {
        "plist.schema.json": plist_schema(),
        "profile.schema.json": profile_schema(source, common),
    }
    by_type: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for path in sorted((source / "mdm" / "profiles").glob("*.yaml")):
        if path.name in ("TopLevel.yaml", "CommonPayloadKeys.yaml"):
            continue
        data = load(path)
        by_type.setdefault(data["payload"]["payloadtype"], []).append((path.name, data))
    for payload_type, documents in sorted(by_type.items()):
        out[f"payloads/{payload_type}.schema.json"] = payload_schema(payload_type, documents,
                                                                     common)
    commands = []
    for path in sorted((source / "mdm" / "commands").glob("*.yaml")):
        data = load(path)
        request_type = data["payload"]["requesttype"]
        name = f"commands/{request_type}.schema.json"
        if name in out:
            raise SystemExit(f"{path.name}: request type {request_type} described twice")
        out[name] = command_schema(data)
        commands.append(data)
    for schema in out.values():
        schema[MARKER] = marker
    # not a schema: the data `profilesmith rights` and `command --rights` read
    out[RIGHTS_FILE] = command_rights(commands, marker)
    return out


def dumps(schema: Schema) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def is_generated(path: Path) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and MARKER in data


def write(out_dir: Path, schemas: dict[str, Schema]) -> list[str]:
    """Write the schemas; keep curated files; drop stale generated ones. Returns notes."""
    notes = []
    for relative, schema in sorted(schemas.items()):
        target = out_dir / relative
        if target.exists() and not is_generated(target):
            notes.append(f"kept curated {relative}")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        text = dumps(schema)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    for folder in ("payloads", "commands"):
        for path in sorted((out_dir / folder).glob("*.schema.json")):
            relative = f"{folder}/{path.name}"
            if relative not in schemas and is_generated(path):
                path.unlink()
                notes.append(f"removed stale {relative}")
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=REPO / "schemas")
    args = parser.parse_args(argv)
    if not (args.source / "mdm" / "profiles").is_dir():
        parser.error(f"{args.source}: not a copy of apple/device-management (no mdm/profiles)")
    for note in write(args.out, generate(args.source)):
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
