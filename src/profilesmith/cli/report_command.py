"""The click command class of the commands that write a report (``lint``): a json, sarif or
junit report stays one whole document when click itself refuses the arguments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from profilesmith.cli.reporting import destinations, emit_failure


def _sniff(args: Sequence[str]) -> tuple[str | None, str | None]:
    """--format and --output as far as they can be told from arguments click refused."""
    found: dict[str, str] = {}
    items = list(args)
    for index, arg in enumerate(items):
        for name in ("--format", "--output"):
            if arg == name and index + 1 < len(items):
                found[name] = items[index + 1]
            elif arg.startswith(name + "="):
                found[name] = arg.split("=", 1)[1]
    fmt = found.get("--format")
    known = ("auto", "text", "json", "sarif", "github", "junit")
    return (fmt if fmt in known else None), found.get("--output")


class ReportCommand(click.Command):
    """A command whose json/sarif/junit report stays a valid document when click itself
    refuses the arguments (a missing PATH, an unknown option)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        original = list(args)
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            fmt, output = _sniff(original)
            emit_failure(destinations(fmt, output), [exc.format_message()])
            raise

    def invoke(self, ctx: click.Context) -> Any:
        from profilesmith.cli.common import Failure

        try:
            return super().invoke(ctx)
        except Failure as failure:
            if failure.code == 2:
                params = ctx.params
                emit_failure(destinations(params.get("fmt"), params.get("output")),
                             failure.lines)
            raise
