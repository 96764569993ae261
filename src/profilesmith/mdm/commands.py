"""MDM command plists: build one from ``--set`` values and a payload file, check it.

A command plist is ``{"Command": {"RequestType": ..., keys...}, "CommandUUID": ...}``.
Values arrive as text and take the type the command's schema
(``schemas/commands/<RequestType>.schema.json``) declares for their key: integers,
reals, ``true``/``false``, ISO 8601 dates, ``<data>`` as base64 or ``@FILE``, arrays as
JSON or comma-separated scalars, dictionaries as JSON or through dotted keys. Nothing is
guessed: where the schema says string, ``0123`` stays a string. :mod:`profilesmith.render.command`
then reads and lints the built plist like ``profilesmith lint`` would (the command
schema, the CMD rules); ``--rights`` checks it against an enrollment's AccessRights
(:mod:`profilesmith.mdm.rights`).
Messages name keys, never values: commands carry PINs and passwords.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid as uuidlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from profilesmith.base.findings import Finding
from profilesmith.base.text import did_you_mean
from profilesmith.mdm import rights

# the data key ``--payload FILE`` fills, per request type
PAYLOAD_KEYS = {
    "InstallProfile": "Payload",
    "InstallProvisioningProfile": "ProvisioningProfile",
    "DeclarativeManagement": "Data",
}
# payloads that are configuration profiles: linted before they are embedded
PROFILE_PAYLOADS = frozenset({"InstallProfile"})

Schema = dict[str, Any]


class CommandError(Exception):
    """The command cannot be built or fails its checks; ``lines`` are ready to print.
    ``code``: 2 for bad arguments or input, 1 for error findings or missing rights."""

    def __init__(self, lines: Sequence[str], *, code: int = 2,
                 findings: Sequence[Finding] = ()) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)
        self.code = code
        self.findings = list(findings)  # printed before the lines, as lint prints them


class Setting(NamedTuple):
    key: str  # dotted: ReturnToService.Enabled
    text: str
    source: str  # "--set", or "--set-env VAR" (then never shown anywhere)


def request_type(name: str) -> str:
    """Apple's spelling of a request type (exact, or differing only in case)."""
    try:
        return rights.lookup_request_type(name)
    except ValueError as exc:
        raise CommandError([str(exc)]) from None


def command_schema(name: str) -> Schema:
    from profilesmith.schema.bundle import command_schema_path, document_schema

    path = command_schema_path(name)
    if path is None:
        raise CommandError([f"{name}: no schema for this request type"])
    return dict(document_schema(path))


# -- values ---------------------------------------------------------------------------------


class _Values:
    """Types ``--set`` texts by one command schema."""

    def __init__(self, name: str, schema: Schema) -> None:
        from profilesmith.schema.navigate import Schema as Navigator

        self.name = name
        self.root = schema
        self.navigator = Navigator(schema)

    def resolve(self, schema: Any) -> Schema:
        return self.navigator.resolve(schema)

    def member(self, schema: Schema, key: str, where: str) -> Schema:
        properties = schema.get("properties", {})
        if key in properties:
            return self.resolve(properties[key])
        extra = schema.get("additionalProperties", True)
        if isinstance(extra, dict):
            return self.resolve(extra)
        if extra is False:
            hint = did_you_mean(key, [k for k in properties if k != "RequestType"])
            raise ValueError(f"{where}: {self.name} has no key {key!r}{hint}")
        return {}

    def setting(self, tree: dict[str, Any], setting: Setting) -> None:
        parts = setting.key.split(".")
        if not setting.key or any(not p for p in parts):
            raise ValueError(f"{setting.source}: {setting.key!r} is not a key (Message, or "
                             "a dotted key such as ReturnToService.Enabled)")
        where = f"{setting.source} {setting.key}"
        if parts[0] == "RequestType":
            raise ValueError(f"{where}: the request type is the command's first argument")
        schema, node = self.root, tree
        for depth, part in enumerate(parts):
            schema = self.member(schema, part, where)
            if depth == len(parts) - 1:
                node[part] = self.text(setting.text, schema, where)
                return
            kind = schema.get("x-plist-type")
            if kind not in (None, "dictionary", "any"):
                raise ValueError(f"{where}: {'.'.join(parts[:depth + 1])} is not a dictionary")
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ValueError(f"{where}: {'.'.join(parts[:depth + 1])} is already set "
                                 "to a value that is not a dictionary")
            node = child

    def text(self, text: str, schema: Schema, where: str) -> Any:
        kind = schema.get("x-plist-type")
        if kind == "array":
            if text.lstrip().startswith("["):
                return self.json(_parse_json(text, where), schema, where)
            items = self.resolve(schema.get("items", {}))
            if items.get("x-plist-type") in ("array", "dictionary"):
                raise ValueError(f"{where}: give a JSON array")
            pieces = [p.strip() for p in text.split(",")] if text.strip() else []
            return [self.text(p, items, where) for p in pieces]
        if kind == "dictionary":
            if text.lstrip().startswith("{"):
                return self.json(_parse_json(text, where), schema, where)
            raise ValueError(f"{where}: give a JSON object, or set its keys with dotted names")
        if kind in (None, "any", "string"):
            return text
        return _scalar(text, kind, where)

    def json(self, value: Any, schema: Schema, where: str) -> Any:
        """A parsed JSON value typed by ``schema`` ($data/$date wrappers accepted)."""
        kind = schema.get("x-plist-type")
        if value is None:
            raise ValueError(f"{where}: null has no property-list form")
        if isinstance(value, dict) and len(value) == 1 and ("$data" in value
                                                            or "$date" in value):
            from profilesmith.plist.json_projection import ProjectionError, from_json

            try:
                return from_json(value)
            except ProjectionError as exc:
                raise ValueError(f"{where}: {exc}") from None
        if isinstance(value, dict):
            return {k: self.json(v, self.member(schema, k, f"{where}.{k}"), f"{where}.{k}")
                    for k, v in value.items()}
        if isinstance(value, list):
            items = self.resolve(schema.get("items", {}))
            return [self.json(v, items, f"{where}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, str) and kind in ("data", "date"):
            return _scalar(value, kind, where)
        if kind == "real" and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value  # a mismatched type is the schema check's finding


def _parse_json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{where}: not valid JSON ({exc})") from None


def _scalar(text: str, kind: str, where: str) -> Any:
    body = text.strip()
    if kind == "integer":
        digits = body[1:] if body[:1] in "+-" else body
        if digits.isdecimal() and digits.isascii():
            return int(body)
        raise ValueError(f"{where}: must be an integer")
    if kind == "real":
        try:
            number = float(body)
        except ValueError:
            number = float("nan")
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"{where}: must be a number")
        return number
    if kind == "boolean":
        if body.lower() in ("true", "false"):
            return body.lower() == "true"
        raise ValueError(f"{where}: must be true or false")
    if kind == "date":
        try:
            moment = datetime.fromisoformat(body.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{where}: must be an ISO 8601 date "
                             "(2026-06-01T12:00:00Z)") from None
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    if kind == "data":
        if text.startswith("@"):
            return _read_file(text[1:], where)
        try:
            return base64.b64decode(body, validate=True)
        except binascii.Error:
            raise ValueError(f"{where}: must be base64, or @FILE for a file's bytes") from None
    return text


def _read_file(path: str, where: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ValueError(f"{where}: {path}: cannot read ({exc.strerror or exc})") from None


def values(name: str, settings: Sequence[Setting]) -> dict[str, Any]:
    """The Command keys the settings describe (raises CommandError)."""
    typer = _Values(name, command_schema(name))
    tree: dict[str, Any] = {}
    problems = []
    for setting in settings:
        try:
            typer.setting(tree, setting)
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise CommandError(problems)
    return tree


# -- payload, assembly, checks --------------------------------------------------------------


def payload_key(name: str) -> str:
    key = PAYLOAD_KEYS.get(name)
    if key is None:
        takers = ", ".join(sorted(PAYLOAD_KEYS))
        raise CommandError([f"--payload: {name} has no payload file (only {takers}); "
                            "give <data> keys as --set KEY=@FILE"])
    return key


def command_uuid(given: str | None) -> str:
    """The CommandUUID: a random upper-case UUID, a given UUID in upper case, or any other
    non-empty string as given (Apple's own examples use ``0001_DeviceLock``; the server only
    needs to match results to commands)."""
    if given is None:
        return str(uuidlib.uuid4()).upper()
    try:
        return str(uuidlib.UUID(given)).upper()
    except ValueError:
        if not given.strip():
            raise CommandError(["--uuid: the CommandUUID must not be blank"]) from None
        return given


def assemble(name: str, keys: dict[str, Any], uuid: str) -> dict[str, Any]:
    return {"Command": {**keys, "RequestType": name}, "CommandUUID": uuid}


def missing_rights(name: str, command: dict[str, Any], value: int, *,
                   platforms: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """(one line per right the command needs that ``value`` lacks, notes)."""
    found = rights.requirements(name, platforms=platforms, command=command)
    lines = []
    for need in found.needs:
        if value & need.right.value:
            continue
        where = "" if need.everywhere else f" on {', '.join(need.platforms)}"
        effect = " (the device leaves it out of its response)" if need.part == "query" else ""
        lines.append(f"{need.what} needs {need.right.name} ({need.right.value}){where}, "
                     f"which AccessRights {value} does not grant{effect}")
    return lines, found.notes
