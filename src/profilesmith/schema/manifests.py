"""ProfileManifests (github.com/ProfileManifests/ProfileManifests, a user's own checkout;
nothing of it ships with profilesmith) -> payload schemas in our dialect, for preference
domains that have no schema otherwise (com.google.Chrome, Microsoft Office, Zoom, ...).

Only what manifests state reliably is taken: key names, types (``pfm_type``), required
keys (``pfm_require`` always, ``pfm_required``), value lists (``pfm_range_list``, unless
``pfm_range_list_allow_custom_value``), ranges, patterns Python can compile, array sizes,
platforms and versions (``pfm_platforms``, ``pfm_<os>_min/max/deprecated``), secrets
(``pfm_sensitive``). Never their prose, defaults (often of the wrong type), UI keys
(``PFC_*``, excluded keys) or value-dependent conditionals. Dictionaries stay open:
manifests are seldom complete, so an unknown key is never reported. A domain split over
several files is merged by ``pfm_domain``; the schema's ``x-source`` names the files.
Findings from these schemas are warnings at most (schema.check).
"""

from __future__ import annotations

import os
import plistlib
import re
from functools import cache
from typing import Any

SOURCE = "ProfileManifests"
COMMON = ("PayloadType", "PayloadVersion", "PayloadIdentifier", "PayloadUUID",
          "PayloadDisplayName", "PayloadDescription", "PayloadOrganization")
# pfm_type -> (x-plist-type, JSON type or None, more keywords); url and union policy are
# deprecated spellings
TYPES: dict[str, tuple[str, str | None, dict[str, Any]]] = {
    "string": ("string", "string", {}), "integer": ("integer", "integer", {}),
    "real": ("real", "number", {}), "float": ("real", "number", {}),
    "boolean": ("boolean", "boolean", {}), "bool": ("boolean", "boolean", {}),
    "array": ("array", "array", {}), "dictionary": ("dictionary", "object", {}),
    "dict": ("dictionary", "object", {}),
    "date": ("date", None, {"$ref": "../plist.schema.json#/$defs/date"}),
    "data": ("data", None, {"$ref": "../plist.schema.json#/$defs/data"}),
    "url": ("string", "string", {"format": "uri"}),
    "union policy": ("any", None, {}),
}
PLATFORMS = {"macOS": "macos", "iOS": "ios", "tvOS": "tvos", "watchOS": "watchos",
             "visionOS": "visionos"}
_REQUIRED = ("always", "always-nested")
_SCALARS = (str, int, float, bool)


def _platforms(manifest: dict[str, Any]) -> dict[str, dict[str, str]]:
    listed = manifest.get("pfm_platforms")
    excluded = set(manifest.get("pfm_n_platforms") or [])
    result: dict[str, dict[str, str]] = {}
    for apple, short in PLATFORMS.items():
        facts = {}
        for field, suffix in (("introduced", "min"), ("deprecated", "deprecated"),
                              ("removed", "max")):
            value = manifest.get(f"pfm_{short}_{suffix}")
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                facts[field] = str(value)
        if (isinstance(listed, list) and apple not in listed) or apple in excluded:
            facts = {"introduced": "n/a"}
        if facts:
            result[apple] = facts
    return result


def _key(manifest: dict[str, Any]) -> dict[str, Any]:
    kind = manifest.get("pfm_type")
    plist_type, json_type, extra = TYPES.get(kind if isinstance(kind, str) else "",
                                             TYPES["union policy"])
    schema: dict[str, Any] = {"x-plist-type": plist_type, **extra}
    if json_type:
        schema["type"] = json_type
    values = manifest.get("pfm_range_list")
    if (isinstance(values, list) and values and not manifest.get(
            "pfm_range_list_allow_custom_value")
            and all(isinstance(v, _SCALARS) for v in values)):
        schema["enum"] = values
    for source, word in (("pfm_range_min", "minimum"), ("pfm_range_max", "maximum")):
        bound = manifest.get(source)
        if isinstance(bound, int | float) and not isinstance(bound, bool) and json_type in (
                "integer", "number"):
            schema[word] = bound
    pattern = manifest.get("pfm_format")
    if isinstance(pattern, str) and json_type == "string":
        try:
            re.compile(pattern)
            schema["pattern"] = pattern
        except re.error:
            pass  # an ICU expression Python cannot read: no pattern rather than a wrong one
    for source, word in (("pfm_repetition_min", "minItems"), ("pfm_repetition_max",
                                                               "maxItems")):
        count = manifest.get(source)
        if type(count) is int and json_type == "array":
            schema[word] = count
    if manifest.get("pfm_sensitive") is True:
        schema["x-secret"] = True
    platforms = _platforms(manifest)
    if platforms:
        schema["x-platforms"] = platforms
    children = [c for c in manifest.get("pfm_subkeys") or [] if isinstance(c, dict)]
    if json_type == "array" and children:
        schema["items"] = _key(children[0])  # the one child describes every item
    elif json_type == "object" and children:
        properties, required = _members(children)
        if properties:
            schema["properties"] = properties
        if required:
            schema["required"] = required
    return schema


def _members(children: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for child in children:
        name = child.get("pfm_name")
        if not isinstance(name, str) or not name or name.startswith("PFC_") or child.get(
                "pfm_excluded") is True or name in COMMON:
            continue  # unnamed, ProfileCreator's UI keys, never exported, or ours
        properties.setdefault(name, _key(child))
        if child.get("pfm_require") in _REQUIRED or child.get("pfm_required") is True:
            required.append(name)
    return properties, required


def _schema(domain: str, files: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: set[str] | None = None
    platforms: dict[str, dict[str, str]] = {}
    for _, manifest in files:
        found, needed = _members([c for c in manifest.get("pfm_subkeys") or []
                                  if isinstance(c, dict)])
        for name, member in found.items():
            properties.setdefault(name, member)
        required = set(needed) if required is None else required & set(needed)
        for platform, facts in _platforms(manifest).items():
            if platforms.get(platform, {}).get("introduced", "n/a") == "n/a":
                platforms[platform] = facts
    string = {"type": "string", "x-plist-type": "string"}
    common: dict[str, Any] = {name: dict(string) for name in COMMON}
    common["PayloadVersion"] = {"type": "integer", "x-plist-type": "integer"}
    common["PayloadType"] = {**string, "const": domain}
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://profilesmith.dev/schemas/payloads/{domain}.schema.json",
        "x-source": f"{SOURCE}: " + ", ".join(path for path, _ in files),
        "type": "object", "x-plist-type": "dictionary",
        "properties": {**common, **properties},
        "required": sorted(required or ()),
    }
    if platforms:
        schema["x-platforms"] = platforms
    if files and all(m.get("pfm_unique") is True for _, m in files):
        schema["x-multiple"] = False
    return schema


@cache
def schemas(root: str) -> dict[str, dict[str, Any]]:
    """pfm_domain -> its schema, for every readable manifest under ``root`` (files that
    are no plist or hold no pfm_domain are left out)."""
    by_domain: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for directory, folders, names in os.walk(root):
        folders.sort()
        for name in sorted(names):
            if not name.endswith(".plist"):
                continue
            path = os.path.join(directory, name)
            try:
                with open(path, "rb") as handle:
                    manifest = plistlib.load(handle)
            except (OSError, ValueError, plistlib.InvalidFileException):
                continue
            domain = manifest.get("pfm_domain") if isinstance(manifest, dict) else None
            if isinstance(domain, str) and domain and "/" not in domain:
                by_domain.setdefault(domain, []).append(
                    (os.path.relpath(path, root).replace(os.sep, "/"), manifest))
    return {domain: _schema(domain, files) for domain, files in sorted(by_domain.items())}
