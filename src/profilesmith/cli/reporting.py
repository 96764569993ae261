"""Where a report goes (``lint``, ``diff``): ``--format`` and ``--output``, and documents
that stay valid when the run stops on a usage error.

- ``--output FILE`` writes the report to FILE in ``--format``, or, without ``--format``,
  in the format its extension names (.sarif, .json, .xml: junit; anything else: text);
  standard output then gets the readable log (text, or github on GitHub Actions).
- ``--output -`` is standard output: the report alone, in that format.
- A json, sarif or junit report is always one whole document: a usage error (a missing
  path, a bad option) still writes one, with the error in it, before exiting 2 — so a
  SARIF upload step after a failed lint has a file to read and says why.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import click

from profilesmith.cli.common import note, open_output, pick_format, use_color

if TYPE_CHECKING:
    from profilesmith.lint.reporters import Report

EXTENSIONS = {".sarif": "sarif", ".json": "json", ".xml": "junit"}
DOCUMENTS = frozenset(("json", "sarif", "junit"))  # formats that are one document


class Destinations(NamedTuple):
    stdout_format: str
    file: str | None = None  # --output FILE (not '-')
    file_format: str | None = None


def inferred(output: str) -> str:
    return EXTENSIONS.get(os.path.splitext(output)[1].lower(), "text")


def destinations(fmt: str | None, output: str | None) -> Destinations:
    if output is None:
        return Destinations(pick_format(fmt or "auto"))
    chosen = pick_format(fmt or inferred(output))
    if output == "-":
        return Destinations(chosen)
    return Destinations(pick_format("auto"), output, chosen)


def emit(report: Report, dest: Destinations, *, problems: list[str],
         stdout: bool = True) -> None:
    """The report to the --output file (a failure to write it joins ``problems``) and,
    unless ``stdout`` is False, to standard output."""
    from profilesmith.lint.reporters import write

    if dest.file is not None and dest.file_format is not None:
        try:
            with open_output(dest.file) as stream:
                write(dest.file_format, report, stream)
        except OSError as exc:
            problems.append(f"{dest.file}: cannot write the report ({exc.strerror or exc})")
    if stdout:
        write(dest.stdout_format, report, sys.stdout,
              color=use_color(sys.stdout, dest.stdout_format))


def emit_failure(dest: Destinations, lines: Sequence[str]) -> None:
    """Empty json/sarif/junit documents that carry the usage errors ``lines``."""
    from profilesmith.lint.reporters import Report, write

    report = Report([], [], errors=list(lines))
    if dest.file is not None and dest.file_format in DOCUMENTS:
        try:
            with open_output(dest.file) as stream:
                write(dest.file_format, report, stream)
        except OSError as exc:
            note(f"{dest.file}: cannot write the report ({exc.strerror or exc})")
    if dest.stdout_format in DOCUMENTS:
        write(dest.stdout_format, report, sys.stdout)


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
