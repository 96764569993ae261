"""``profilesmith rights explain VALUE`` and ``profilesmith rights for REQUESTTYPE...``."""

from __future__ import annotations

from collections.abc import Sequence

import click

from profilesmith.base.platforms import PLATFORMS
from profilesmith.cli.common import fail, note


@click.group()
def rights() -> None:
    """MDM AccessRights: decode a value, or find the value a set of commands needs."""


@rights.command()
@click.argument("value")
def explain(value: str) -> int:
    """Decode an AccessRights VALUE (decimal, or hex with 0x) into the rights it grants.

    Exits 1 when the value is not valid (0, undefined bits, 2 without 1, 128 without 64).
    """
    from profilesmith.mdm import rights as table
    from profilesmith.mdm.rights_query import granted_lines

    try:
        number = table.parse_value(value)
    except ValueError as exc:
        fail(f"rights explain: {exc}")
    for line in _aligned(granted_lines(number)):
        click.echo(line)
    invalid = table.problems(number)
    for problem in invalid:
        click.echo(f"invalid: {problem}")
    return 1 if invalid else 0


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
    from profilesmith.mdm import rights_query

    try:
        wanted, spellings = rights_query.parse_arguments(request_types)
    except ValueError as exc:
        fail(f"rights for: {exc}")
    for line in spellings:
        note(line)
    answer = rights_query.for_commands(wanted, platforms=platforms)
    click.echo(str(answer.value))
    for line in _aligned(answer.lines):
        click.echo(line)
    for line in answer.notes:
        click.echo(f"note: {line}")


def _aligned(lines: Sequence[tuple[int, str, str]]) -> list[str]:
    width = max((len(name) for _, name, _ in lines), default=0)
    return [f"{value:>4}  {name:<{width}}  {text}" for value, name, text in lines]
