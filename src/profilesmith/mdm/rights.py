"""The MDM AccessRights bits, and which of them each MDM command needs.

The bit table (values, Apple's names, our short wording of what each allows) and its two
dependencies serve the MDM rules, ``profilesmith rights`` and ``profilesmith command``.
Which right a command needs comes from ``schemas/command-rights.json``, which
``scripts/generate_schemas.py`` writes from Apple's YAML next to the command schemas (one
source: the ``accessrights:`` of each command, per platform, and of the parts that need
rights of their own: DeviceInformation's queries, some Settings items). It is read only
when a command's rights are asked for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from profilesmith.base.platforms import PLATFORM_NAMES
from profilesmith.base.text import did_you_mean

# Plain classes, not NamedTuples: this module is imported by every lint (the MDM rules),
# and creating a NamedTuple class costs a quarter of a millisecond there.


class Right:
    """One AccessRights bit. The instances are the module's own (RIGHTS), one per bit:
    compared and hashed by identity."""

    __slots__ = ("meaning", "name", "value")

    def __init__(self, name: str, value: int, meaning: str) -> None:
        self.name = name
        self.value = value
        self.meaning = meaning

    def __repr__(self) -> str:
        return f"Right(name={self.name!r}, value={self.value!r}, meaning={self.meaning!r})"


RIGHTS: tuple[Right, ...] = (
    Right("AllowInspection", 1, "inspect installed configuration profiles"),
    Right("AllowInstallationRemoval", 2, "install and remove configuration profiles"),
    Right("AllowPasscodeRemovalAndLock", 4, "lock the device and remove its passcode"),
    Right("AllowDeviceErase", 8, "erase the device"),
    Right("AllowQueryDeviceInformation", 16, "query device information (capacity, serial)"),
    Right("AllowQueryNetworkInformation", 32, "query network information (phone, SIM, MAC)"),
    Right("AllowProvisioningInspection", 64, "inspect installed provisioning profiles"),
    Right("AllowProvisioningInstallationRemoval", 128,
          "install and remove provisioning profiles"),
    Right("AllowQueryApplications", 256, "inspect installed applications"),
    Right("AllowQueryRestrictions", 512, "make restriction-related queries"),
    Right("AllowQuerySecurity", 1024, "make security-related queries"),
    Right("AllowSettings", 2048, "change settings"),
    Right("AllowAppInstallation", 4096, "manage apps"),
)

# Other spellings that appear in Apple's data for the same bits.
ALIASES: dict[str, str] = {
    "DeviceLockAndRemovePasscode": "AllowPasscodeRemovalAndLock",
    "QueryInstalledApps": "AllowQueryApplications",
}

ALL_RIGHTS = sum(r.value for r in RIGHTS)  # 8191

# Apple: "Specify 1 if you specify 2. Specify 64 if you specify 128."
DEPENDENCIES: tuple[tuple[int, int], ...] = ((2, 1), (128, 64))

_BY_VALUE = {r.value: r for r in RIGHTS}
_BY_NAME = {r.name.lower(): r for r in RIGHTS}


def by_value(value: int) -> Right | None:
    return _BY_VALUE.get(value)


def by_name(name: str) -> Right | None:
    """The right called ``name`` (case-insensitive; Apple's aliases accepted)."""
    name = ALIASES.get(name, name)
    return _BY_NAME.get(name.lower())


def granted(value: int) -> list[Right]:
    """The defined rights a value grants, in bit order."""
    return [r for r in RIGHTS if value & r.value]


def undefined_bits(value: int) -> int:
    """The bits of ``value`` that are not a defined right (0 when there are none)."""
    return value & ~ALL_RIGHTS if value >= 0 else value


def missing_dependencies(value: int) -> list[tuple[Right, Right]]:
    """(right, right it needs) for each dependency ``value`` breaks."""
    return [
        (_BY_VALUE[needs_it], _BY_VALUE[needed])
        for needs_it, needed in DEPENDENCIES
        if value & needs_it and not value & needed
    ]


def with_dependencies(value: int) -> int:
    """``value`` plus every right its rights depend on: the smallest valid superset."""
    for needs_it, needed in DEPENDENCIES:
        if value & needs_it:
            value |= needed
    return value


# -- values ---------------------------------------------------------------------------------


def parse_value(text: str) -> int:
    """An AccessRights value as typed: decimal, or hexadecimal with 0x (ValueError if
    neither)."""
    body = text.strip()
    sign = -1 if body[:1] == "-" else 1
    body = body[1:] if body[:1] in "+-" and body else body
    hexadecimal = body[:2].lower() == "0x"
    digits = body[2:] if hexadecimal else body
    allowed = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
    if not digits or any(c not in allowed for c in digits):
        raise ValueError(f"{text!r} is not a number (decimal, or hexadecimal with 0x)")
    return sign * int(digits, 16 if hexadecimal else 10)


def problems(value: int) -> list[str]:
    """Why ``value`` is not a valid AccessRights value (empty when it is)."""
    if value == 0:
        return ["0 grants no right (Apple: \"Don't set to '0'\")"]
    if value < 0:
        return [f"{value} is negative: AccessRights is a sum of the bits 1 ... 4096"]
    found = []
    extra = undefined_bits(value)
    if extra:
        bits = [1 << i for i in range(extra.bit_length()) if extra >> i & 1]
        shown = ", ".join(str(b) for b in bits[:8]) + (f" and {len(bits) - 8} more"
                                                       if len(bits) > 8 else "")
        noun = "bit" if len(bits) == 1 else "bits"
        verb = "is not a defined right" if len(bits) == 1 else "are not defined rights"
        found.append(f"{noun} {shown} {verb} (the rights are 1, 2, 4 ... 4096; "
                     f"all of them: {ALL_RIGHTS})")
    found.extend(f"{r.name} ({r.value}) needs {n.name} ({n.value}): use "
                 f"{with_dependencies(value) & ALL_RIGHTS}"
                 for r, n in missing_dependencies(value))
    return found


def smallest_valid(value: int) -> int:
    """The smallest valid AccessRights value that grants every right of ``value``: its
    dependencies added; 1 (AllowInspection) when it grants nothing, since 0 is invalid."""
    return with_dependencies(value) or 1


# -- what commands need (schemas/command-rights.json) -----------------------------------------

# what Apple's data writes where a command (or part) needs no right; "Special Case" is
# DeviceInformation, whose queries carry their own rights
NO_RIGHT = frozenset({"None", "n/a", "Special Case"})


@cache
def table() -> Mapping[str, Any]:
    """The generated data: {"commands": {RequestType: {platform: right}}, "parts": ...}."""
    from profilesmith.schema.bundle import read_bytes

    data: Mapping[str, Any] = json.loads(read_bytes("command-rights.json"))
    return data


def request_types() -> list[str]:
    return sorted(table()["commands"])


def canonical(request_type: str) -> str | None:
    """Apple's spelling of a request type: exact, else the one that differs only in case."""
    return _spelling(request_type, table()["commands"])


def _spelling(name: str, names: Iterable[str]) -> str | None:
    names = list(names)
    if name in names:
        return name
    folded = {n.casefold(): n for n in names}
    return folded.get(name.casefold())


def lookup_request_type(name: str) -> str:
    """Apple's spelling of a request type (exact, or differing only in case); ValueError
    ("unknown request type ..." with a "did you mean" hint) when there is none."""
    found = canonical(name)
    if found is None:
        raise ValueError(f"unknown request type {name!r}{did_you_mean(name, request_types())}")
    return found


class Need:
    """One right a command (or a part of it) needs."""

    __slots__ = ("everywhere", "part", "platforms", "right", "what")

    def __init__(self, right: Right, what: str, platforms: tuple[str, ...],
                 everywhere: bool, part: str | None = None) -> None:
        self.right = right
        self.what = what  # "DeviceLock", "DeviceInformation query WiFiMAC", ...
        self.platforms = platforms  # where it is needed (Apple's spelling)
        self.everywhere = everywhere  # on every platform considered
        self.part = part  # None: the command itself; "query" or "item": one of its parts

    def __repr__(self) -> str:
        return f"Need({self.right.name}, {self.what!r}, {self.platforms})"


class Requirements:
    """What one command needs on the platforms considered."""

    __slots__ = ("needs", "notes")

    def __init__(self, needs: list[Need], notes: list[str]) -> None:
        self.needs = needs
        self.notes = notes


def _right_of(text: str | None) -> Right | None:
    if text is None or text in NO_RIGHT:
        return None
    found = by_name(text)
    if found is None:  # a name the bit table lacks: the data is newer than this code
        raise ValueError(f"Apple's data names an unknown access right {text!r}")
    return found


def _needs(what: str, rights: Mapping[str, str | None], considered: tuple[str, ...],
           part: str | None = None) -> tuple[list[Need], list[str]]:
    """The rights one command or part needs on the platforms considered (a platform the
    part's data does not list needs nothing more), and the platforms without data."""
    by_right: dict[Right, list[str]] = {}
    unstated = []
    for platform in considered:
        if platform not in rights:
            continue
        if rights[platform] is None:
            unstated.append(platform)
        right = _right_of(rights[platform])
        if right is not None:
            by_right.setdefault(right, []).append(platform)
    needs = [Need(right, what, tuple(where), len(where) == len(considered), part)
             for right, where in sorted(by_right.items(), key=lambda item: item[0].value)]
    return needs, unstated


def requirements(request_type: str, *, platforms: Iterable[str] = (),
                 command: Mapping[str, Any] | None = None) -> Requirements:
    """What ``request_type`` (Apple's spelling) needs on ``platforms`` (CLI names; none:
    every platform), including the parts of ``command`` (the Command dictionary) that
    need rights of their own; without ``command`` such parts become a note."""
    data = table()
    available = data["commands"][request_type]
    wanted = [PLATFORM_NAMES.get(p, p) for p in platforms]
    considered = tuple(p for p in available if not wanted or p in wanted)
    notes = []
    if wanted and not considered:
        notes.append(f"{request_type} is not available on {', '.join(wanted)} "
                     f"(only on {', '.join(available) or 'no platform'})")
    needs, unstated = _needs(request_type, available, considered)
    if unstated:
        notes.append(f"{request_type}: Apple's data names no access right on "
                     f"{', '.join(unstated)} (taken as none)")
    if needs and any(not n.everywhere for n in needs):
        where = "; ".join(f"{n.right.name} ({n.right.value}) on {', '.join(n.platforms)}"
                          for n in needs)
        covered = {p for n in needs for p in n.platforms}
        others = [p for p in considered if p not in covered]
        nothing = f"; nothing on {', '.join(others)}" if others else ""
        notes.append(f"{request_type} needs {where}{nothing}: the union is shown (choose "
                     "with --platform)")
    for key, spec in data["parts"].get(request_type, {}).items():
        if command is None:
            notes.append(_parts_note(request_type, key, spec, considered))
            continue
        for tag in _tags(command.get(key), spec["by"]):
            rights = spec["rights"].get(tag)
            if rights is not None:
                label = "query" if spec["by"] == "value" else "item"
                found, _ = _needs(f"{request_type} {label} {tag}", rights, considered,
                                  label)
                needs.extend(found)
    return Requirements(needs, notes)


def _tags(items: Any, by: str) -> list[str]:
    tags = []
    for item in items if isinstance(items, list) else ():
        tag = item if by == "value" else item.get("Item") if isinstance(item, dict) else None
        if isinstance(tag, str) and tag not in tags:
            tags.append(tag)
    return tags


def _parts_note(request_type: str, key: str, spec: Mapping[str, Any],
                considered: tuple[str, ...]) -> str:
    by_right: dict[Right, int] = {}
    for rights in spec["rights"].values():
        for need in _needs("", rights, considered)[0]:
            by_right[need.right] = by_right.get(need.right, 0) + 1
    what = key if spec["by"] == "value" else f"{key} items"
    listed = ", ".join(f"{count} {r.name} ({r.value})" for r, count in
                       sorted(by_right.items(), key=lambda item: item[0].value))
    return (f"{request_type}: some {what} need a right of their own ({listed}); "
            f"name them as {request_type}:NAME")


def part_names(request_type: str) -> dict[str, str]:
    """Each part of ``request_type`` the data knows (queries, Settings items) -> the
    array key that holds it."""
    found = {}
    for key, spec in table()["parts"].get(request_type, {}).items():
        for tag in spec["rights"]:
            found[tag] = key
    return found


def canonical_part(request_type: str, name: str) -> str | None:
    """Apple's spelling of a part name: exact, else the one that differs only in case."""
    return _spelling(name, part_names(request_type))


def part_command(request_type: str, names: Iterable[str]) -> dict[str, Any]:
    """A Command dictionary holding the named parts (for ``rights for X:NAME``)."""
    parts = table()["parts"].get(request_type, {})
    command: dict[str, list[Any]] = {}
    owners = part_names(request_type)
    for name in names:
        key = owners[name]
        item: Any = name if parts[key]["by"] == "value" else {"Item": name}
        command.setdefault(key, []).append(item)
    return command
