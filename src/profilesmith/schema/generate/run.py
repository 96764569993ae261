"""Putting it together: generate every file, write them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from profilesmith.schema.generate import commands, ddm, messages, profiles
from profilesmith.schema.generate.common import (
    MARKER,
    GenerateError,
    Schema,
    load,
    source_commit,
)

# folders whose generated files the current data may stop producing (they are then deleted)
GENERATED_FOLDERS = ("payloads", "commands", "responses", "checkin", "checkin-responses",
                     "errors", "declarations", "ddm-credentials", "ddm", "ddm-protocol")


def generate(source: Path, schemas_dir: Path | None = None) -> dict[str, Schema]:
    """Relative path -> schema for every generated file. ``schemas_dir``: where curated
    inputs (the response envelope) are looked for first (the bundled schemas after)."""
    marker = f"scripts/generate_schemas.py from apple/device-management {source_commit(source)}"
    common = profiles.common_keys(source)
    out: dict[str, Schema] = {
        "plist.schema.json": profiles.plist_schema(),
        "profile.schema.json": profiles.profile_schema(source, common),
    }
    by_type: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for path in sorted((source / "mdm" / "profiles").glob("*.yaml")):
        if path.name in ("TopLevel.yaml", "CommonPayloadKeys.yaml"):
            continue
        data = load(path)
        by_type.setdefault(data["payload"]["payloadtype"], []).append((path.name, data))
    for payload_type, files in sorted(by_type.items()):
        out[f"payloads/{payload_type}.schema.json"] = profiles.payload_schema(
            payload_type, files, common)
    documents = []
    for path in sorted((source / "mdm" / "commands").glob("*.yaml")):
        data = load(path)
        request_type = data["payload"]["requesttype"]
        name = f"commands/{request_type}.schema.json"
        if name in out:
            raise GenerateError(f"{path.name}: request type {request_type} described twice")
        out[name] = commands.command_schema(data)
        documents.append(data)
    for schema in out.values():
        schema[MARKER] = marker
    # not a schema: the data `profilesmith rights` and `command --rights` read
    out[commands.RIGHTS_FILE] = commands.command_rights(documents, marker)
    envelope = messages.load_envelope(schemas_dir)
    generated = messages.generate(source, envelope, marker)
    generated.update(ddm.generate(source, marker))
    for relative, schema in generated.items():
        schema[MARKER] = marker
        out[relative] = schema
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
    for folder in GENERATED_FOLDERS:
        for path in sorted((out_dir / folder).glob("*.json")):
            relative = f"{folder}/{path.name}"
            if relative not in schemas and is_generated(path):
                path.unlink()
                notes.append(f"removed stale {relative}")
    return notes
