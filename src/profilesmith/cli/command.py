"""``profilesmith command REQUESTTYPE``: build an MDM command plist and check it."""

from __future__ import annotations

from typing import Any

import click

from profilesmith.cli.common import (
    fail,
    fail_lines,
    lint_options,
    note,
    read_input,
    write_output,
    write_stdout,
)
from profilesmith.cli.targets import apply, data_options, deployment_options, platform_option
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
@platform_option("for --rights and the availability (AVL) findings")
@deployment_options
@data_options
@click.option("--uuid", "given_uuid", metavar="UUID",
              help="The CommandUUID (default: a random one): a UUID is written in upper "
                   "case, any other non-empty string (0001_DeviceLock) as given.")
@click.option("-o", "--output", help="Output file (default: standard output).")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@click.option("--format", "fmt", default="xml", type=click.Choice(["xml", "binary"]),
              help="Plist format of the output.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Lint config for the checks (default: nearest .profilesmith.toml or "
                   "pyproject.toml).")
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
    fmt: str,
    config_path: str | None,
    **target_options: Any,
) -> None:
    """Build the command plist for REQUESTTYPE (Apple's name: DeviceLock, InstallProfile).

    The result is checked like `profilesmith lint` checks a file (the command's schema,
    the CMD rules): error findings exit 1 and nothing is written; warnings are printed.
    """
    from profilesmith.base import assignments
    from profilesmith.lint.reporters.text_format import plain_line
    from profilesmith.mdm import commands, rights
    from profilesmith.render.command import build

    options = apply(lint_options(config_path), **target_options)
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
    failed = built.failed
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
    if fmt == "binary":
        from profilesmith.plist.writer import dumps_binary

        data = dumps_binary(built.root)
    if label == "-":
        write_stdout(data)
        return
    write_output(label, data, force=force)
    click.echo(f"wrote {label}", err=True)
