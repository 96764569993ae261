"""What devices send and what servers answer outside commands: responses/ (a device's reply
to each command), checkin/ (check-in messages), checkin-responses/ (the server's answer to a
check-in that asks for something), errors/ (a server's error bodies)."""

from __future__ import annotations

import copy
import json
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
)
from profilesmith.schema.generate.keys import Generator

ENVELOPE = "response-envelope.schema.json"  # curated: Apple's YAML does not describe it
INDEX = "responses/index.json"


def available(supported: dict[str, Any] | None) -> dict[str, str]:
    """platform -> the version a document was introduced in, where it is available."""
    result = {}
    for platform, facts in (supported or {}).items():
        introduced = str((facts or {}).get("introduced", "0"))
        if introduced != "n/a":
            result[platform] = introduced
    return result


def _root(relative: str, platforms: Schema) -> Schema:
    return {"$schema": DIALECT, "$id": f"{BASE_ID}{relative}", "type": "object",
            "x-plist-type": "dictionary", "x-platforms": platforms}


def _one_of_the_identifiers(schema: Schema) -> None:
    # Apple calls UDID and EnrollmentID required (or both optional), each under an
    # enrollment condition: a device enrollment sends UDID, a user enrollment EnrollmentID.
    # One of the two is always there.
    members = schema.get("properties", {})
    if "UDID" in members and "EnrollmentID" in members:
        schema["anyOf"] = [{"required": ["UDID"]}, {"required": ["EnrollmentID"]}]


# -- command responses -------------------------------------------------------------------


def load_envelope(out_dir: Path | None) -> Schema:
    """The curated envelope: the output directory's if it has one, else the bundled one."""
    if out_dir is not None and (out_dir / ENVELOPE).exists():
        return load_json(out_dir / ENVELOPE)
    from profilesmith.base import resources

    data: Schema = json.loads(resources.read_bytes("schemas", ENVELOPE))
    return data


def load_json(path: Path) -> Schema:
    data: Schema = json.loads(path.read_text(encoding="utf-8"))
    return data


def response_schema(data: dict[str, Any], envelope: Schema) -> Schema:
    """A device's response to one command: the envelope's keys, then the command's own
    (Apple's responsekeys), which a device sends only with Status Acknowledged."""
    request_type = data["payload"]["requesttype"]
    supported = data["payload"].get("supportedOS")
    keys = list(data.get("responsekeys") or [])
    gen = Generator(f"{request_type}Response", keys, device_sent=True,
                    available=available(supported))
    body = gen.dictionary(keys, "") if keys else {}
    own: Schema = body.get("properties", {})
    common = {name: {k: v for k, v in member.items() if k != "$comment"}
              for name, member in copy.deepcopy(envelope["properties"]).items()}
    clash = sorted(set(own) & set(common))
    if clash:
        raise GenerateError(f"{request_type}: response keys {clash} are envelope keys")
    # a response answers a command: never Idle, always with the command's UUID
    common["Status"]["enum"] = [v for v in common["Status"]["enum"] if v != "Idle"]
    schema = _root(f"responses/{request_type}.schema.json",
                   platforms_of(supported, partial=False))
    schema.update({
        "x-request-type": request_type,
        "properties": {**common, **own},
        "required": [*envelope["required"], "CommandUUID"],
        "anyOf": copy.deepcopy(envelope["anyOf"]),
        "additionalProperties": body.get("additionalProperties", False),
        "x-conditionally-required": [*envelope["x-conditionally-required"],
                                     *body.get("x-conditionally-required", [])],
    })
    if body.get("patternProperties"):
        schema["patternProperties"] = body["patternProperties"]
    if body.get("required"):
        # an Error, NotNow or CommandFormatError response carries none of the command's keys
        schema["if"] = {"properties": {"Status": {"const": "Acknowledged"}},
                        "required": ["Status"]}
        schema["then"] = {"required": body["required"]}
    if gen.defs:
        schema["$defs"] = gen.defs
    return schema


def response_index(responses: dict[str, Schema], envelope: Schema, marker: str) -> Schema:
    """responses/index.json: the top-level keys of each command's response, and for each
    key the commands whose response may hold it (the envelope's keys left out), for telling
    which command a response answers (schemas/README.md)."""
    common = set(envelope["properties"])
    commands: dict[str, list[str]] = {}
    required: dict[str, list[str]] = {}
    by_key: dict[str, list[str]] = {}
    for schema in sorted(responses.values(), key=lambda s: str(s["x-request-type"])):
        request_type = schema["x-request-type"]
        own = sorted(set(schema["properties"]) - common)
        commands[request_type] = own
        required[request_type] = sorted(schema.get("then", {}).get("required", []))
        for key in own:
            by_key.setdefault(key, []).append(request_type)
    return {
        MARKER: marker,
        "envelope": sorted(common),
        "commands": commands,
        "required": required,
        "keys": dict(sorted(by_key.items())),
        "open": sorted(s["x-request-type"] for s in responses.values()
                       if s.get("additionalProperties") is not False),
    }


# -- check-in messages ----------------------------------------------------------------------


def checkin_schema(data: dict[str, Any]) -> Schema:
    message_type = data["payload"]["requesttype"]
    supported = data["payload"].get("supportedOS")
    keys = list(data.get("payloadkeys") or [])
    gen = Generator(message_type, keys, device_sent=True, available=available(supported))
    body = gen.dictionary(keys, "")
    body["properties"]["MessageType"] = {"type": "string", "x-plist-type": "string",
                                         "const": message_type}
    schema = _root(f"checkin/{message_type}.schema.json", platforms_of(supported,
                                                                        partial=False))
    schema.update(body)
    _one_of_the_identifiers(schema)
    if gen.defs:
        schema["$defs"] = gen.defs
    return schema


def checkin_response_schema(data: dict[str, Any]) -> Schema:
    """The server's answer to a check-in that asks for something (GetToken: the token)."""
    message_type = data["payload"]["requesttype"]
    keys = list(data["responsekeys"])
    gen = Generator(f"{message_type}Response", keys)
    schema = _root(f"checkin-responses/{message_type}.schema.json",
                   platforms_of(data["payload"].get("supportedOS"), partial=False))
    schema.update(gen.dictionary(keys, ""))
    schema["x-request-type"] = message_type
    if gen.defs:
        schema["$defs"] = gen.defs
    return schema


# -- error bodies ------------------------------------------------------------------------------


def error_code(data: dict[str, Any]) -> str:
    """The one value of an error body's `code`: what names the error (and its file)."""
    (code,) = [k for k in data["payloadkeys"] if k["key"] == "code"]
    (value,) = code["rangelist"]
    return str(value)


def error_schema(data: dict[str, Any]) -> Schema:
    """A body a server returns with HTTP 403 to a device's enrollment or check-in request
    (JSON or an XML property list, per its Content-Type) that tells the device why."""
    code = error_code(data)
    keys = list(data["payloadkeys"])
    gen = Generator(code, keys)
    schema = _root(f"errors/{code}.schema.json",
                   platforms_of(data["payload"].get("supportedOS"), partial=False))
    schema.update(gen.dictionary(keys, ""))
    schema["properties"]["code"] = {"type": "string", "x-plist-type": "string",
                                    "const": code}
    if gen.defs:
        schema["$defs"] = gen.defs
    return schema


def generate(source: Path, envelope: Schema, marker: str) -> dict[str, Schema]:
    out: dict[str, Schema] = {}
    for path in sorted((source / "mdm" / "commands").glob("*.yaml")):
        data = load(path)
        schema = response_schema(data, envelope)
        out[f"responses/{data['payload']['requesttype']}.schema.json"] = schema
    for path in sorted((source / "mdm" / "checkin").glob("*.yaml")):
        data = load(path)
        message_type = data["payload"]["requesttype"]
        out[f"checkin/{message_type}.schema.json"] = checkin_schema(data)
        if data.get("responsekeys"):
            out[f"checkin-responses/{message_type}.schema.json"] = checkin_response_schema(data)
    for path in sorted((source / "mdm" / "errors").glob("*.yaml")):
        data = load(path)
        out[f"errors/{error_code(data)}.schema.json"] = error_schema(data)
    responses = {k: v for k, v in out.items() if k.startswith("responses/")}
    out[INDEX] = response_index(responses, envelope, marker)
    return out
