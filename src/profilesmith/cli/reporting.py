"""Where a report goes (``lint``, ``diff``): ``--format`` and ``--output``, and documents
that stay valid when the run stops on a usage error.

- ``--output FILE`` writes the report to FILE in ``--format``, or, without ``--format``,
  in the format its extension names (.sarif, .json, .xml: junit; anything else: text);
  standard output then gets the readable log (text, or github on GitHub Actions).
- ``--output -`` is standard output: the report alone, in that format.
- A json, sarif or junit report is always one whole document: a usage error (a missing
  path, a bad option) still writes one, with the error in it, before exiting 2 — so a
  SARIF upload step after a failed lint has a file to read and says why.

No click here: the click-free ``lint`` path uses it too (the command class that keeps the
documents whole when click refuses the arguments is in :mod:`profilesmith.cli.report_command`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

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
