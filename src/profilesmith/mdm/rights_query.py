"""``rights explain`` and ``rights for`` as answers: which rights a value grants, and the
smallest valid value a set of commands (and their parts) needs, with the reason for each
right. The CLI only prints them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from profilesmith.base.text import did_you_mean
from profilesmith.mdm import rights as table

# (bit value, right name, why it is there) — one printed line each
Line = tuple[int, str, str]


class Answer(NamedTuple):
    value: int
    lines: list[Line]
    notes: list[str]


def granted_lines(value: int) -> list[Line]:
    """The rights ``value`` grants, with what each allows."""
    return [(r.value, r.name, r.meaning) for r in table.granted(value)] if value > 0 else []


def parse_arguments(arguments: Sequence[str]) -> tuple[dict[str, list[str]], list[str]]:
    """REQUESTTYPE[:NAME] arguments -> ({Apple's request type: [part names]}, notes about
    spellings taken as another); ValueError names the bad argument."""
    wanted: dict[str, list[str]] = {}
    notes: list[str] = []
    for argument in arguments:
        name, colon, part = argument.partition(":")
        request_type = table.lookup_request_type(name)
        if request_type != name:
            notes.append(f"{name}: taken as {request_type}")
        parts = wanted.setdefault(request_type, [])
        if not colon:
            continue
        known = table.canonical_part(request_type, part)
        if known is None:
            names = table.part_names(request_type)
            if not names:
                raise ValueError(f"{request_type} has no parts with rights of their own "
                                 f"(write {request_type} alone)")
            raise ValueError(f"{request_type} has no part {part!r}{did_you_mean(part, names)}")
        if known != part:
            notes.append(f"{part}: taken as {known}")
        parts.append(known)
    return wanted, notes


def for_commands(wanted: dict[str, list[str]], *, platforms: Sequence[str] = ()) -> Answer:
    """The smallest valid AccessRights value that allows every command (and part), each
    right with who needs it."""
    needed_by: dict[int, list[str]] = {}
    notes: list[str] = []
    for request_type, parts in wanted.items():
        command = table.part_command(request_type, parts) if parts else None
        found = table.requirements(request_type, platforms=platforms, command=command)
        notes.extend(found.notes)
        for need in found.needs:
            label = need.what if need.everywhere else f"{need.what} ({', '.join(need.platforms)})"
            needed_by.setdefault(need.right.value, []).append(label)
    requested = 0
    for bit in needed_by:
        requested |= bit
    value = table.smallest_valid(requested)
    lines = []
    for right in table.granted(value):
        if right.value in needed_by:
            why = "for " + ", ".join(needed_by[right.value])
        elif requested:
            needers = [table.by_value(a) for a, b in table.DEPENDENCIES if b == right.value]
            why = "needed by " + ", ".join(f"{r.name} ({r.value})" for r in needers
                                            if r is not None and value & r.value)
        else:
            why = "AccessRights cannot be 0: the smallest valid value (no right is needed)"
        lines.append((right.value, right.name, why))
    return Answer(value, lines, notes)
