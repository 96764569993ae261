"""``profilesmith rights explain VALUE`` and ``profilesmith rights for REQUESTTYPE...``."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from profilesmith.base.platforms import PLATFORMS
from profilesmith.base.text import did_you_mean
from profilesmith.cli.common import fail, note


@click.group()
def rights() -> None:
    """MDM AccessRights: decode a value, or find the value a set of commands needs."""


@rights.command()
@click.argument("value")
def explain(value: str) -> None:
    """Decode an AccessRights VALUE (decimal, or hex with 0x) into the rights it grants.

    Exits 1 when the value is not valid (0, undefined bits, 2 without 1, 128 without 64).
    """
    from profilesmith.mdm import rights as table

    try:
        number = table.parse_value(value)
    except ValueError as exc:
        fail(f"rights explain: {exc}")
    lines = [(r.value, r.name, r.meaning) for r in table.granted(number)] if number > 0 else []
    for line in _aligned(lines):
        click.echo(line)
    invalid = table.problems(number)
    for problem in invalid:
        click.echo(f"invalid: {problem}")
    if invalid:
        sys.exit(1)


@rights.command("for")
@click.argument("request_types", metavar="REQUESTTYPE...", nargs=-1, required=True)
@click.option("--platform", "platforms", multiple=True, type=click.Choice(PLATFORMS),
              help="Only what these platforms need (repeatable; default: the union of all).")
def for_commands(request_types: tuple[str, ...], platforms: tuple[str, ...]) -> None:
    """The smallest valid AccessRights value that allows every REQUESTTYPE (first line),
    then the rights by name.

    REQUESTTYPE is Apple's name (DeviceLock); REQUESTTYPE:NAME names a part with a right
    of its own (DeviceInformation:SerialNumber, Settings:PersonalHotspot).
    """
    from profilesmith.mdm import rights as table

    wanted = _parse(request_types)
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
    click.echo(str(value))
    for line in _aligned(lines):
        click.echo(line)
    for line in notes:
        click.echo(f"note: {line}")


def _parse(arguments: Sequence[str]) -> dict[str, list[str]]:
    """REQUESTTYPE[:NAME] arguments -> {Apple's request type: [part names]}, in order."""
    from profilesmith.mdm import rights as table

    wanted: dict[str, list[str]] = {}
    for argument in arguments:
        name, colon, part = argument.partition(":")
        try:
            request_type = table.lookup_request_type(name)
        except ValueError as exc:
            fail(f"rights for: {exc}")
        if request_type != name:
            note(f"{name}: taken as {request_type}")
        parts = wanted.setdefault(request_type, [])
        if not colon:
            continue
        known = table.canonical_part(request_type, part)
        if known is None:
            names = table.part_names(request_type)
            if not names:
                fail(f"rights for: {request_type} has no parts with rights of their own "
                     f"(write {request_type} alone)")
            fail(f"rights for: {request_type} has no part {part!r}"
                 f"{did_you_mean(part, names)}")
        if known != part:
            note(f"{part}: taken as {known}")
        parts.append(known)
    return wanted


def _aligned(lines: Sequence[tuple[int, str, str]]) -> list[str]:
    width = max((len(name) for _, name, _ in lines), default=0)
    return [f"{value:>4}  {name:<{width}}  {text}" for value, name, text in lines]
