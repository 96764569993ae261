"""Declarative Device Management: declarations/ (one per declaration type),
declaration-envelope.schema.json (what every declaration is, for types newer than the data),
ddm-credentials/ (the documents credential assets point at), ddm/status-items.json (the
status item catalogue), ddm/declarations.json (the declaration index: categories, the
references each type makes, the data's newest OS versions), ddm-protocol/ (status report,
tokens and declaration-items responses)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from profilesmith.schema.generate.common import (
    BASE_ID,
    DIALECT,
    MARKER,
    GenerateError,
    Schema,
    load,
    platforms_of,
    unknown_fields,
    version,
)
from profilesmith.schema.generate.keys import Generator
from profilesmith.schema.generate.messages import available

# Apple's folders under declarative/declarations -> the category a declaration is in (the
# key of DeclarationItemsResponse and of the management.declarations status item)
CATEGORIES = {"activations": "activation", "assets": "asset",
              "configurations": "configuration", "management": "management"}
# top-level and payload fields of Apple's DDM files (docs/schema.yaml); others stop us
DOCUMENT_FIELDS = frozenset({"title", "description", "payload", "payloadkeys", "reasons",
                             "related-status-items", "notes"})
PAYLOAD_FIELDS = frozenset({"declarationtype", "credentialtype", "statusitemtype",
                            "requesttype", "supportedOS", "apply", "beta", "content"})
# credential asset declarations -> the credential document their Reference points at
# (ddm-credentials/); Apple's data does not link them (the names differ for userpassword)
CREDENTIALS = {
    "com.apple.asset.credential.acme": "com.apple.credential.acme",
    "com.apple.asset.credential.identity": "com.apple.credential.identity",
    "com.apple.asset.credential.scep": "com.apple.credential.scep",
    "com.apple.asset.credential.userpassword": "com.apple.credential.usernameandpassword",
}
STATUS_CATALOGUE = "ddm/status-items.json"
DECLARATION_INDEX = "ddm/declarations.json"
ENVELOPE = "declaration-envelope.schema.json"


def _checked(data: dict[str, Any], where: str) -> dict[str, Any]:
    unknown_fields(where, (set(data) - DOCUMENT_FIELDS) | (set(data["payload"]) - PAYLOAD_FIELDS))
    return data


class JSONGenerator(Generator):
    json_document = True


def _root(relative: str, data: dict[str, Any]) -> Schema:
    schema: Schema = {"$schema": DIALECT, "$id": f"{BASE_ID}{relative}", "type": "object",
                      "x-plist-type": "dictionary",
                      "x-platforms": platforms_of(data["payload"].get("supportedOS"),
                                                  partial=False)}
    if data["payload"].get("beta"):
        schema["x-beta"] = True
    return schema


def _object(body: Schema) -> Schema:
    return {"type": "object", "x-plist-type": "dictionary", **body}


# -- declarations -----------------------------------------------------------------------------


def declaration_schema(data: dict[str, Any], base: dict[str, Any], category: str) -> Schema:
    """One declaration: declarationbase.yaml's envelope (Type, Identifier, ServerToken,
    Payload) with the type's payload keys as Payload."""
    declaration_type = data["payload"]["declarationtype"]
    keys = list(data.get("payloadkeys") or [])
    gen = JSONGenerator(declaration_type, keys)
    payload = _object(gen.dictionary(keys, ""))
    envelope = JSONGenerator("DeclarationBase", base["payloadkeys"])
    schema = _root(f"declarations/{declaration_type}.schema.json", data)
    schema.update(envelope.dictionary(base["payloadkeys"], ""))
    schema["properties"]["Type"]["const"] = declaration_type
    schema["properties"]["Payload"] = {**payload, **{
        k: v for k, v in schema["properties"]["Payload"].items() if k.startswith("x-")}}
    schema["x-declaration-category"] = category
    if "apply" in data["payload"]:
        schema["x-apply"] = data["payload"]["apply"]
    related = sorted({item for entry in data.get("related-status-items") or []
                      for item in entry["status-items"]})
    if related:
        schema["x-related-status-items"] = related
    if declaration_type in CREDENTIALS:
        schema["x-credential-type"] = CREDENTIALS[declaration_type]
    if gen.defs:
        schema["$defs"] = gen.defs
    return schema


def envelope_schema(base: dict[str, Any]) -> Schema:
    """declarationbase.yaml alone: the envelope every declaration has, whatever its type
    (the schema for a declaration whose Type the data does not know). Payload is any
    dictionary."""
    envelope = JSONGenerator("DeclarationBase", base["payloadkeys"])
    schema = _root(ENVELOPE, base)
    schema.update(envelope.dictionary(base["payloadkeys"], ""))
    schema["properties"]["Payload"] = {
        k: v for k, v in schema["properties"]["Payload"].items()
        if k not in ("additionalProperties", "properties", "required")}
    return schema


# -- the declaration index ---------------------------------------------------------------------


def _references(schema: Schema, pointer: str, found: list[Schema]) -> None:
    """Every x-references below ``schema``: its pointer (``*`` for any array item), what it
    refers to, the asset types Apple allows there."""
    if "x-references" in schema:
        entry: Schema = {"pointer": pointer, "refers": schema["x-references"]}
        if "x-asset-types" in schema:
            entry["asset-types"] = schema["x-asset-types"]
        found.append(entry)
    for name, member in sorted(schema.get("properties", {}).items()):
        _references(member, f"{pointer}/{name}", found)
    if isinstance(schema.get("items"), dict):
        _references(schema["items"], f"{pointer}/*", found)


def _count(value: Any, key: str) -> int:
    if isinstance(value, dict):
        return int(key in value) + sum(_count(v, key) for v in value.values())
    if isinstance(value, list):
        return sum(_count(v, key) for v in value)
    return 0


def _newest(value: Any, newest: dict[str, tuple[int, ...]]) -> None:
    """The newest ``introduced`` of each platform anywhere below ``value``."""
    if isinstance(value, dict):
        for platform, facts in (value.get("x-platforms") or {}).items():
            introduced = facts.get("introduced", "n/a")
            if introduced != "n/a" and version(introduced) > newest.get(platform, ()):
                newest[platform] = version(introduced)
        for member in value.values():
            _newest(member, newest)
    elif isinstance(value, list):
        for member in value:
            _newest(member, newest)


def declaration_index(out: dict[str, Schema]) -> Schema:
    """What set rules need without reading 38 schemas: each type's category, the references
    its payload makes (pointer templates), the payload keys other types refer to, and the
    newest OS version each platform has in the data (to say how old the data is)."""
    types: Schema = {}
    targets: dict[str, list[str]] = {}
    newest: dict[str, tuple[int, ...]] = {}
    for relative, schema in sorted(out.items()):
        if not relative.startswith("declarations/"):
            continue
        found: list[Schema] = []
        _references(schema, "", found)
        if len(found) != _count(schema, "x-references"):
            raise GenerateError(f"{relative}: a reference outside properties/items (in $defs or "
                             "a combinator) is not supported by the index")
        declaration_type = schema["properties"]["Type"]["const"]
        entry: Schema = {"category": schema["x-declaration-category"]}
        if found:
            entry["references"] = found
        types[declaration_type] = entry
        for reference in found:
            owner, hash_, key = reference["refers"].partition("#")
            if hash_:
                targets.setdefault(owner, []).append(key)
        _newest(schema, newest)
    for owner, keys in targets.items():
        if owner not in types:
            raise GenerateError(f"a reference names {owner}, which is no declaration type")
        types[owner]["referenced-keys"] = sorted(set(keys))
    _newest(out.get(STATUS_CATALOGUE, {}), newest)
    return {"types": types,
            "newest-introduced": {p: ".".join(map(str, v)) for p, v in sorted(newest.items())}}


def credential_schema(data: dict[str, Any]) -> Schema:
    """The JSON document a credential asset's Reference URL serves."""
    credential_type = data["payload"]["credentialtype"]
    keys = list(data["payloadkeys"])
    gen = JSONGenerator(credential_type, keys)
    schema = _root(f"ddm-credentials/{credential_type}.schema.json", data)
    schema.update(gen.dictionary(keys, ""))
    schema["x-credential-type"] = credential_type
    if gen.defs:
        schema["$defs"] = gen.defs
    return schema


# -- status items and the status report ------------------------------------------------------


def status_item(data: dict[str, Any]) -> tuple[str, Schema, Schema]:
    """(name, value schema, platforms) of one status item file."""
    name = data["payload"]["statusitemtype"]
    (key,) = data["payloadkeys"]
    if key["key"] != name:
        raise GenerateError(f"status item {name}: its one key is named {key['key']}")
    gen = JSONGenerator(name, [key], device_sent=True,
                        available=available(data["payload"].get("supportedOS")))
    value = gen.key(key, f"/{name}")
    if gen.defs:
        raise GenerateError(f"status item {name}: recursive keys: not supported")
    platforms = platforms_of(data["payload"].get("supportedOS"), partial=False)
    return name, value, platforms


def reasons_of(data: dict[str, Any]) -> Schema:
    """Apple's reason codes: code -> the plist types of its Details keys (no prose)."""
    return {r["value"]: {d["key"]: d["type"].strip("<>") for d in r.get("details") or []}
            for r in data.get("reasons") or []}


def status_tree(items: dict[str, tuple[Schema, Schema]]) -> Schema:
    """StatusItems as a device sends it: the dotted names nested
    (device.operating-system.version -> {"device": {"operating-system": {"version": ...}}}).
    Every level is open: devices report items newer than the data (an iOS 16 report holds
    management.push-token), and a report holds only some items."""
    root = _object({"properties": {}})
    for name, (value, platforms) in sorted(items.items()):
        *branches, leaf = name.split(".")
        node = root
        for part in branches:
            node = node["properties"].setdefault(part, _object({"properties": {}}))
            if "x-status-item" in node:
                raise GenerateError(f"status item {name}: {part} is an item of its own")
        if leaf in node["properties"]:
            raise GenerateError(f"status item {name}: described twice or a prefix of another")
        node["properties"][leaf] = {**value, "x-status-item": name,
                                    "x-platforms": platforms}
    return root


def status_report_schema(data: dict[str, Any], tree: Schema) -> Schema:
    keys = list(data["payloadkeys"])
    gen = JSONGenerator("StatusReport", keys, device_sent=True,
                        available=available(data["payload"].get("supportedOS")))
    schema = _root("ddm-protocol/StatusReport.schema.json", data)
    schema.update(gen.dictionary(keys, ""))
    schema["properties"]["StatusItems"] = {**tree, **{
        k: v for k, v in schema["properties"]["StatusItems"].items() if k.startswith("x-")}}
    schema["x-request-type"] = data["payload"]["requesttype"]
    if gen.defs:
        schema["$defs"] = gen.defs
    return schema


def protocol_schema(data: dict[str, Any]) -> Schema:
    """What the server answers to the tokens and declaration-items requests."""
    request_type = data["payload"]["requesttype"]
    keys = list(data["payloadkeys"])
    gen = JSONGenerator(request_type, keys)
    schema = _root(f"ddm-protocol/{request_type}.schema.json", data)
    schema.update(gen.dictionary(keys, ""))
    schema["x-request-type"] = request_type
    if gen.defs:
        schema["$defs"] = gen.defs
    return schema


def generate(source: Path, marker: str) -> dict[str, Schema]:
    root = source / "declarative"
    out: dict[str, Schema] = {}
    if not root.is_dir():
        return out
    base = _checked(load(root / "declarations" / "declarationbase.yaml"), "declarationbase")
    out[ENVELOPE] = envelope_schema(base)
    for folder, category in sorted(CATEGORIES.items()):
        for path in sorted((root / "declarations" / folder).glob("*.yaml")):
            data = _checked(load(path), path.name)
            name = f"declarations/{data['payload']['declarationtype']}.schema.json"
            if name in out:
                raise GenerateError(f"{path.name}: {name} described twice")
            out[name] = declaration_schema(data, base, category)
    for path in sorted((root / "declarations" / "assets" / "credentials").glob("*.yaml")):
        data = _checked(load(path), path.name)
        out[f"ddm-credentials/{data['payload']['credentialtype']}.schema.json"] = (
            credential_schema(data))
    items: dict[str, tuple[Schema, Schema]] = {}
    catalogue: Schema = {}
    reasons = {"declaration": reasons_of(base)}
    status_reason: Schema = {}
    for path in sorted((root / "status").glob("*.yaml")):
        data = _checked(load(path), path.name)
        if "statusitemtype" not in data["payload"]:
            # statusreason.yaml: not an item, the shape of a reason in a report
            keys = data["payloadkeys"]
            status_reason = _object(JSONGenerator("StatusReason", keys).dictionary(keys, ""))
            continue
        name, value, platforms = status_item(data)
        items[name] = (value, platforms)
        entry: Schema = {"path": name.split("."), "schema": value, "x-platforms": platforms}
        if data["payload"].get("beta"):
            entry["x-beta"] = True
        catalogue[name] = entry
        if data.get("reasons"):
            reasons[name] = reasons_of(data)
    tree = status_tree(items)
    for path in sorted((root / "protocol").glob("*.yaml")):
        data = _checked(load(path), path.name)
        request_type = data["payload"]["requesttype"]
        if request_type == "StatusReport":
            out[f"ddm-protocol/{request_type}.schema.json"] = status_report_schema(
                data, copy.deepcopy(tree))
        else:
            out[f"ddm-protocol/{request_type}.schema.json"] = protocol_schema(data)
    out[STATUS_CATALOGUE] = {MARKER: marker, "items": catalogue, "reasons": reasons,
                             "status-reason": status_reason}
    out[DECLARATION_INDEX] = {MARKER: marker, **declaration_index(out)}
    return out
