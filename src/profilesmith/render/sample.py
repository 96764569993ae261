"""``profilesmith new TEMPLATE``: a commented YAML values file built from the values schema.

Every value of the schema appears with its description. Required values are set to the
schema's first example, values with a default to that default; optional values without
a default are commented out (with an example when the schema gives one). A mapping is
commented out as a whole when it is optional and holds nothing required, or when its
schema says ``"x-sample": "commented"`` (``"active"`` forces it in). The file builds
unchanged: ``profilesmith build TEMPLATE --values FILE``.
"""

from __future__ import annotations

import textwrap
from typing import Any

from profilesmith.render.templates import TemplateSpec
from profilesmith.schema.navigate import Schema

_UNSET = object()


def sample_values(spec: TemplateSpec) -> str:
    lines = [
        f"# Values for the {spec.name!r} profilesmith template.",
        f"# Build: profilesmith build {spec.name} --values THIS_FILE -o OUT.mobileconfig",
        "# Lines starting with '# name:' are optional values: remove the '# ' to set them.",
        "# Paths in this file are relative to this file.",
    ]
    if spec.description:
        lines += _comment(spec.description)
    if spec.schema is None:
        lines.append("# (this template has no values schema: any values are accepted)")
        return "\n".join(lines) + "\n"
    nav = Schema(spec.schema)
    for block in _members(nav, spec.schema):
        lines.append("")
        lines += block
    return "\n".join(lines) + "\n"


def _members(nav: Schema, schema: dict[str, Any]) -> list[list[str]]:
    """One block of lines per property, indented relative to the mapping."""
    blocks = []
    required = set(schema.get("required", ()))
    for name, raw in schema.get("properties", {}).items():
        sub = nav.resolve(raw)
        block = _comment(_describe(nav, sub, name in required))
        if "properties" in sub:
            inner = [line for part in _members(nav, sub) for line in part]
            if _mapping_active(sub, name in required):
                block += [f"{name}:"] + [f"  {line}" for line in inner]
            else:
                block += [f"# {name}:"] + [f"#   {line}" for line in inner]
            blocks.append(block)
            continue
        value = _value_for(sub)
        active = value is not _UNSET and (
            name in required or "default" in sub or sub.get("x-sample") == "active"
        )
        prefix = "" if active else "# "
        block += [prefix + line for line in _yaml_member(name, None if value is _UNSET else value)]
        blocks.append(block)
    return blocks


def _mapping_active(schema: dict[str, Any], required: bool) -> bool:
    marker = schema.get("x-sample")
    if marker in ("active", "commented"):
        return bool(marker == "active")
    return required or bool(schema.get("required"))


def _value_for(schema: dict[str, Any]) -> Any:
    if "default" in schema:
        return schema["default"]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    if "const" in schema:
        return schema["const"]
    return _UNSET


def _describe(nav: Schema, schema: dict[str, Any], required: bool) -> str:
    parts = [str(schema.get("description", "")).strip()]
    types = nav.types(schema)
    if "enum" in schema:
        parts.append("One of: " + ", ".join(str(_plain(v)) for v in schema["enum"]) + ".")
    elif types and "properties" not in schema:
        parts.append(f"Type: {' or '.join(types)}.")
    if required:
        parts.append("Required.")
    elif "default" in schema:
        parts.append(f"Default: {_plain(schema['default'])}.")
    elif "properties" not in schema:
        parts.append("Optional.")
    return " ".join(p for p in parts if p)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    return str(value)


def _comment(text: str) -> list[str]:
    return [f"# {line}" for line in textwrap.wrap(text, width=86)]


def _yaml_member(name: str, value: Any) -> list[str]:
    from profilesmith.plist.yaml_projection import dumps

    if value is None:
        return [f"{name}:"]
    return dumps({name: value}).rstrip("\n").split("\n")
