"""Shared pieces of the schema generator: constants, YAML loading, platform facts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

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
# Apple's other facts about a platform (docs/schema.yaml, supportedOS), kept next to the
# versions in x-platforms under Apple's own names: the enrollment and channel conditions,
# whether a payload may be installed more than once, the access right a command needs.
# userenrollment's "behavior" is prose and is left out.
CONDITION_FIELDS = (
    "accessrights", "multiple", "devicechannel", "userchannel", "supervised", "requiresdep",
    "userapprovedmdm", "allowmanualinstall", "allowed-enrollments", "allowed-scopes",
    "sharedipad", "userenrollment", "always-skippable", "beta",
)
PROSE_FIELDS = frozenset({"behavior"})

Schema = dict[str, Any]


class GenerateError(Exception):
    """Apple's data holds something the generator cannot map (the message says what)."""


# What unknown fields of newer data become: None raises GenerateError (the repository's
# own generation, where a new field must be looked at); a list collects one note per
# field and goes on (generation at run time from a user's newer copy of the data).
LENIENT: list[list[str]] = []


def unknown_fields(where: str, fields: set[str]) -> None:
    if not fields:
        return
    message = f"{where}: unknown field(s) {sorted(fields)}"
    if not LENIENT:
        raise GenerateError(message)
    LENIENT[-1].append(f"{message} (ignored)")
# libyaml's safe loader when PyYAML has it (ten times faster), the Python one otherwise
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def platforms_of(supported: dict[str, Any] | None, *, partial: bool) -> Schema:
    """x-platforms: platform -> {introduced, deprecated, removed (strings), and Apple's
    conditions}. ``partial`` (keys): only platforms the data says something about."""
    result: Schema = {}
    for platform, facts in sorted((supported or {}).items()):
        facts = facts or {}
        entry: Schema = {f: str(facts[f]) for f in PLATFORM_FIELDS if f in facts}
        for field in CONDITION_FIELDS:
            if field in facts:
                entry[field] = _condition(facts[field])
        unknown_fields(f"supportedOS/{platform}",
                       set(facts) - set(PLATFORM_FIELDS) - set(CONDITION_FIELDS))
        if entry or not partial:
            result[platform] = entry
    return result


def _condition(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _condition(v) for k, v in sorted(value.items()) if k not in PROSE_FIELDS}
    if isinstance(value, list):
        return [_condition(v) for v in value]
    return value


def multiple_of(platforms: Schema) -> bool | None:
    """x-multiple: whether a payload type may appear more than once, when every platform
    where it is available (and Apple says) agrees; None when they differ or none says."""
    said = {facts["multiple"] for facts in platforms.values()
            if facts.get("introduced") != "n/a" and "multiple" in facts}
    return said.pop() if len(said) == 1 else None


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
        earliest = min(usable, key=lambda f: version(str(f.get("introduced", "0"))))
        entry = dict(earliest)
        if any("removed" not in f for f in usable):
            entry.pop("removed", None)
        # a second payload of the type is fine if any file allows one (com.apple.MCX:
        # Accounts, EnergySaver and WiFi say so, FileVault2, Mobility and TimeServer not)
        said = [f["multiple"] for f in usable if "multiple" in f]
        if said:
            entry["multiple"] = any(said)
        merged[platform] = entry
    return merged


def version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text))


# -- files --------------------------------------------------------------------------------

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


