"""Corrections to Apple's data (structure only; each says why), keyed by owner and path."""

from __future__ import annotations

import re
from collections.abc import Callable

from schemagen.common import Schema

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

