"""Navigation in a JSON Schema (a template's values schema, a command's schema): local
``$ref``s, members, items, declared types.

Enough of JSON Schema to know which type a value should have at a given place (for
coercion, defaults and ``new``); validation itself is jsonschema's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from profilesmith.base.pointers import pointer_tokens


class Schema:
    """Navigation in a JSON Schema (a template's values schema, a command's schema): local
``$ref``s, members, items, declared types."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root

    def resolve(self, schema: Any) -> dict[str, Any]:
        seen = 0
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if not ref.startswith("#") or seen > 32:
                break
            target: Any = self.root
            for token in pointer_tokens(ref[1:]):
                target = target.get(token, {}) if isinstance(target, dict) else {}
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
            seen += 1
        return schema if isinstance(schema, dict) else {}

    def _branches(self, schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for key in ("anyOf", "oneOf", "allOf"):
            for branch in schema.get(key, ()):
                yield self.resolve(branch)
        for key in ("then", "else"):
            if key in schema:
                yield self.resolve(schema[key])

    def member(self, schema: dict[str, Any], key: str) -> dict[str, Any] | None:
        properties = schema.get("properties", {})
        if key in properties:
            return self.resolve(properties[key])
        for pattern, sub in schema.get("patternProperties", {}).items():
            if re.search(pattern, key):
                return self.resolve(sub)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            return self.resolve(extra)
        for branch in self._branches(schema):
            found = self.member(branch, key)
            if found is not None:
                return found
        return None

    def item(self, schema: dict[str, Any], index: int) -> dict[str, Any] | None:
        prefix = schema.get("prefixItems", [])
        if index < len(prefix):
            return self.resolve(prefix[index])
        if isinstance(schema.get("items"), dict):
            return self.resolve(schema["items"])
        for branch in self._branches(schema):
            found = self.item(branch, index)
            if found is not None:
                return found
        return None

    def types(self, schema: dict[str, Any] | None) -> list[str]:
        if not schema:
            return []
        declared = schema.get("type")
        if isinstance(declared, str):
            return [declared]
        if isinstance(declared, list):
            return [str(t) for t in declared]
        if "const" in schema:
            return [json_type(schema["const"])]
        if "enum" in schema:
            return list(dict.fromkeys(json_type(v) for v in schema["enum"]))
        found: list[str] = []
        for branch in self._branches(schema):
            found.extend(t for t in self.types(branch) if t not in found)
        return found


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"
