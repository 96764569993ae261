"""``profilesmith command REQUESTTYPE``: build an MDM command plist and check it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from profilesmith.base.findings import Severity
from profilesmith.cli.common import (
    check_options,
    checked_options,
    fail,
    fail_lines,
    note,
    read_input,
    refuse_existing,
    write_result,
)
from profilesmith.mdm.commands import CommandError


@click.command()
@click.argument("request_type", metavar="REQUESTTYPE")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="A key of the Command dictionary (dotted for nested ones), typed by the "
                   "command's schema; <data> as base64 or @FILE.")
@click.option("--set-env", "set_envs", multiple=True, metavar="KEY=VAR",
              help="Set a key from environment variable VAR (keeps PINs out of argv).")
@click.option("--payload", "payload_path", type=click.Path(dir_okay=False),
              help="File for the command's data payload (InstallProfile: the profile, "
                   "embedded byte for byte, signed or not).")
@click.option("--no-lint", is_flag=True, help="Embed the --payload profile even if it has "
                                               "error findings.")
@click.option("--rights", "rights_value", metavar="VALUE",
              help="Check that an enrollment with this AccessRights value may send it.")
@click.option("--uuid", "given_uuid", metavar="UUID",
              help="The CommandUUID (default: a random one): a UUID is written in upper "
                   "case, any other non-empty string (0001_DeviceLock) as given.")
@click.option("-o", "--output", help="Output file ('-' or none: standard output).")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@click.option("--to", "target", type=click.Choice(["xml", "binary"]),
              help="Plist encoding of the output (default: xml), as in `convert --to`.")
@click.option("--format", "old_format", type=click.Choice(["xml", "binary"]), hidden=True,
              help="Deprecated spelling of --to.")
@check_options(targets=True)
def command(
    request_type: str,
    sets: tuple[str, ...],
    set_envs: tuple[str, ...],
    payload_path: str | None,
    no_lint: bool,
    rights_value: str | None,
    given_uuid: str | None,
    output: str | None,
    force: bool,
    target: str | None,
    old_format: str | None,
    config_path: str | None,
    select: str | None,
    ignore: str | None,
    strict: bool,
    platforms: tuple[str, ...],
    now: datetime | None,
    **targets: Any,
) -> None:
    """Build the command plist for REQUESTTYPE (Apple's name: DeviceLock, InstallProfile).

    The result is checked like `profilesmith lint` checks a file (the command's schema,
    the CMD rules): error findings exit 1 and nothing is written; warnings are printed.
    """
    from profilesmith.base import assignments
    from profilesmith.lint.reporters.text_format import plain_line
    from profilesmith.mdm import commands, rights
    from profilesmith.render.command import build

    if old_format is not None:
        if target is not None and target != old_format:
            fail("--format is the old spelling of --to; give one of them")
        note("warning: --format is deprecated for the plist encoding; use --to "
             f"{old_format} (as in `profilesmith convert`)")
        target = target or old_format
    options = checked_options(config_path, select=select, ignore=ignore, strict=strict,
                              platforms=platforms, now=now, **targets)
    value = None
    if rights_value is not None:
        try:
            value = rights.parse_value(rights_value)
        except ValueError as exc:
            fail(f"--rights: {exc}")
        invalid = rights.problems(value)
        if invalid:
            fail(f"--rights {value} is not a valid AccessRights value: {'; '.join(invalid)}")
    label = output if output and output != "-" else "-"
    refuse_existing(label, force=force)
    try:
        name = commands.request_type(request_type)
        if name != request_type:
            note(f"{request_type}: taken as {name}")
        try:
            given = assignments.parse(sets, set_envs)
        except assignments.AssignmentError as exc:
            fail(str(exc))
        payload = None if payload_path is None else (payload_path, read_input(payload_path))
        built = build(name, given, payload=payload, lint_payload=not no_lint,
                      uuid=given_uuid, label=label, options=options)
    except CommandError as exc:
        for finding in exc.findings:
            click.echo(plain_line(finding), err=True)
        fail_lines(exc.lines, code=exc.code)
    for finding in built.findings:
        click.echo(plain_line(finding), err=True)
    failed = built.failed or (strict and any(f.severity is Severity.WARNING
                                             for f in built.findings))
    if value is not None:
        missing, notes = commands.missing_rights(name, built.root["Command"], value,
                                                 platforms=sorted(options.platforms))
        for line in notes:
            note(f"note: {line}")
        for line in missing:
            note(line)
        failed = failed or bool(missing)
    if failed:
        fail_lines(["nothing was written"], code=1)
    data = built.data
    if target == "binary":
        from profilesmith.plist.writer import dumps_binary

        data = dumps_binary(built.root)
    write_result(label, data, force=force)
