"""What the bundled schemas say about a place in a document: which schema applies (the
payload's type, the command's RequestType, the declaration's Type, ...), the key's type,
allowed values, range, default, platforms and whether it is required.

Only the schemas' structure is used (types, enum/const, bounds, ``default``,
``x-platforms``, ``required``), never prose: the schemas hold none of Apple's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from profilesmith.plist.kinds import SERVICE, classify
from profilesmith.schema import bundle
from profilesmith.schema.navigate import Schema
from profilesmith.schema.report import expected_type

_PAYLOAD_DEFS = "#/$defs/payload"


class Located(NamedTuple):
    """The schema of the value at some tokens: ``schema`` is None for a key the schema
    does not have; ``parent`` is the schema of the dictionary or array holding it."""

    file: str  # relative to the schemas directory
    label: str  # "com.apple.mdm payload", "profile", "DeviceLock response", ...
    nav: Schema
    schema: dict[str, Any] | None
    parent: dict[str, Any] | None
    key: str | None


def _at(value: Any, tokens: Sequence[str]) -> Any:
    for token in tokens:
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


def _start(root: Any, tokens: Sequence[str]) -> tuple[str, str, int, str | None] | None:
    """(schema file, label, tokens it covers, a $ref inside the file to start from)."""
    kind = classify(root)
    name = kind.type
    if kind.kind == "profile":
        if name == SERVICE:
            return "profile-service.schema.json", "Profile Service profile", 0, None
        if len(tokens) >= 2 and tokens[0] == "PayloadContent" and tokens[1].isdigit():
            payload = _at(root, tokens[:2])
            payload_type = payload.get("PayloadType") if isinstance(payload, dict) else None
            path = bundle.payload_schema_path(payload_type)
            if path is not None:
                return path, f"{payload_type} payload", 2, None
            return "profile.schema.json", "payload", 2, _PAYLOAD_DEFS
        return "profile.schema.json", "profile", 0, None
    if kind.kind == "command" and list(tokens[:1]) == ["Command"]:
        path = bundle.command_schema_path(name)
        return None if path is None else (path, f"{name} command", 1, None)
    folders = {"checkin": "checkin", "declaration": "declarations",
               "ddm-protocol": "ddm-protocol"}
    folder = folders.get(kind.kind)
    if folder is not None and name is not None and name in bundle.available(folder):
        what = {"checkin": "check-in", "declaration": "declaration"}.get(kind.kind, "document")
        return f"{folder}/{name}.schema.json", f"{name} {what}", 0, None
    if kind.kind == "response":
        from profilesmith.schema import messages

        answered = messages.identify(root).request_type  # as lint tells it, from the keys
        if answered is None:
            return messages.ENVELOPE, "response", 0, None
        return messages.schema_path(answered), f"{answered} response", 0, None
    return None


def locate(root: Any, tokens: Sequence[str]) -> Located | None:
    """The schema of the value at ``tokens`` in the document ``root`` (as far as known)."""
    start = _start(root, tokens)
    if start is None:
        return None
    path, label, covered, ref = start
    try:
        document = bundle.document_schema(path)
    except (OSError, ValueError):
        return None
    nav = Schema(dict(document))
    schema: dict[str, Any] | None = nav.resolve({"$ref": ref} if ref else document)
    parent: dict[str, Any] | None = None
    rest = list(tokens[covered:])
    for position, token in enumerate(rest):
        if schema is None:
            return None
        parent = schema
        if token.isdigit() and "object" not in nav.types(schema):
            schema = nav.item(schema, int(token))
        else:
            schema = nav.member(schema, token)
        if schema is None and position < len(rest) - 1:
            return None
    key = rest[-1] if rest else None
    return Located(path, label, nav, schema, parent, key)


def keys(located: Located) -> dict[str, dict[str, Any]]:
    """The keys the dictionary at ``located`` may hold, with their schemas."""
    found: dict[str, dict[str, Any]] = {}
    if located.schema is None:
        return found
    nav = located.nav
    pending = [located.schema]
    seen = 0
    while pending and seen < 64:
        schema = nav.resolve(pending.pop(0))
        seen += 1
        for name, sub in schema.get("properties", {}).items():
            found.setdefault(name, nav.resolve(sub))
        for branch_key in ("allOf", "anyOf", "oneOf"):
            pending.extend(schema.get(branch_key, ()))
        pending.extend(schema[k] for k in ("then", "else") if k in schema)
    return found


def requirement(located: Located) -> str:
    """``required``, ``required in some cases`` or ``optional``."""
    parent, key = located.parent, located.key
    if parent is None or key is None:
        return "optional"
    if key in parent.get("required", ()):
        return "required"
    nav = located.nav
    branches = [nav.resolve(b) for k in ("allOf", "anyOf", "oneOf") for b in parent.get(k, ())]
    branches += [nav.resolve(parent[k]) for k in ("then", "else") if k in parent]
    if key in parent.get("x-conditionally-required", ()) or any(
            key in branch.get("required", ()) for branch in branches):
        return "required in some cases"
    return "optional"


def plist_type(schema: Mapping[str, Any]) -> str:
    declared = schema.get("x-plist-type")
    return declared if isinstance(declared, str) else expected_type(schema)


def allowed(schema: Mapping[str, Any]) -> list[Any]:
    """The values an enum or const allows (none: any)."""
    if "const" in schema:
        return [schema["const"]]
    values = schema.get("enum")
    return list(values) if isinstance(values, list) else []


def shown(value: Any) -> str:
    return f"`{json.dumps(value, ensure_ascii=False)}`" if not isinstance(value, str) \
        else f"`{value}`"


_CONDITIONS = {"supervised": "supervised only", "requiresdep": "Automated Device Enrollment "
               "only", "userapprovedmdm": "user-approved MDM only", "beta": "beta"}


def platforms(facts: Any) -> list[str]:
    """``x-platforms`` as lines: the versions, then each platform's conditions."""
    if not isinstance(facts, Mapping):
        return []
    available, missing, conditions = [], [], []
    for name, entry in facts.items():
        if not isinstance(entry, Mapping):
            continue
        introduced = entry.get("introduced")
        if introduced == "n/a":
            missing.append(name)
            continue
        versions = f"{name} {introduced}+" if introduced else name
        later = [f"{word} {entry[word]}" for word in ("deprecated", "removed") if word in entry]
        if later:
            versions += f" ({', '.join(later)})"
        if introduced or later:
            available.append(versions)
        notes = _conditions(entry)
        if notes:
            conditions.append(f"{name}: {'; '.join(notes)}")
    lines = []
    if available or missing:
        text = ", ".join(available)
        if missing:
            text += ("; " if text else "") + f"not on {', '.join(missing)}"
        lines.append(f"Platforms: {text}")
    lines.extend(f"Conditions on {line}" for line in conditions)
    return lines


def _conditions(entry: Mapping[str, Any]) -> list[str]:
    notes = []
    for word, value in entry.items():
        if word in ("introduced", "deprecated", "removed"):
            continue
        if word in _CONDITIONS:
            if value is True:
                notes.append(_CONDITIONS[word])
        elif word == "allowmanualinstall":
            if value is False:
                notes.append("not installable by hand")
        elif word in ("devicechannel", "userchannel"):
            notes.append(f"{word[:-7]} channel: {'yes' if value else 'no'}")
        elif word == "multiple":
            notes.append("more than one allowed" if value else "only one allowed")
        elif isinstance(value, Mapping):
            inner = ", ".join(f"{k} {_word(v)}" for k, v in value.items())
            notes.append(f"{_LABELS.get(word, word)}: {inner}")
        else:
            notes.append(f"{_LABELS.get(word, word)}: {_word(value)}")
    return notes


_LABELS = {"sharedipad": "Shared iPad", "userenrollment": "user enrollment",
           "allowed-enrollments": "enrollments", "allowed-scopes": "scopes",
           "accessrights": "access rights", "always-skippable": "always skippable"}


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
