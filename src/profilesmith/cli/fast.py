"""``profilesmith lint`` without click, for the invocations pre-commit and CI run
(``lint PATHS...`` with the plain options below).

Importing click costs more CPU than reading and linting a file, so a one-file lint process
would cost several bare plistlib processes. :func:`parse` accepts only what it can parse
exactly as click does (long options, ``--opt VALUE`` or ``--opt=VALUE``, values click
would accept) and answers None for anything else — ``--help``, short options, ``--``, an
option it does not know, a value click would refuse — which then goes to click, so every
message about the command line is still click's. Once parsed, the run is
:func:`profilesmith.cli.linting.run_lint`, the very function the click command calls, and
the exit code and the handling of a Failure, an interrupt, the end of input and a closed
pipe are those of :class:`profilesmith.cli.group.LazyGroup` in click's standalone mode.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from profilesmith.cli.linting import FORMATS

# option -> run_lint's keyword; each takes one value
_VALUES = {"--format": "fmt", "--output": "output", "--config": "config_path",
           "--select": "select", "--ignore": "ignore", "--jobs": "jobs", "--now": "now"}
_FLAGS = {"--strict": "strict", "--skip-unrecognised": "skip_unrecognised",
          "--statistics": "statistics", "--exit-zero": "exit_zero"}
_REPEATED = {"--platform": "platforms"}
# what the click command receives for an option not given
_DEFAULTS: dict[str, Any] = {
    "fmt": None, "output": None, "config_path": None, "select": None, "ignore": None,
    "jobs": 0, "now": None, "strict": False, "skip_unrecognised": False, "statistics": False,
    "exit_zero": False, "platforms": (), "baseline_path": None, "write_baseline": None,
}
_TARGETS = {"supervised": None, "enrollment": None, "shared_ipad": None, "apple_data": None,
            "schema_dirs": (), "manifests": None}


def parse(argv: list[str]) -> dict[str, Any] | None:
    """run_lint's arguments for ``lint ...``, or None: click is to parse it."""
    if os.name == "nt" or not argv or argv[0] != "lint":
        return None  # (on Windows click also expands wildcards)
    if "_PROFILESMITH_COMPLETE" in os.environ:
        return None  # a shell asks click for completions
    values: dict[str, Any] = dict(_DEFAULTS)
    platforms: list[str] = []
    paths: list[str] = []
    args = iter(argv[1:])
    for arg in args:
        if arg == "-" or not arg.startswith("-"):
            paths.append(arg)
            continue
        name, equals, value = arg.partition("=")
        if name in _FLAGS and not equals:
            values[_FLAGS[name]] = True
            continue
        if name not in _VALUES and name not in _REPEATED:
            return None
        if not equals:
            following = next(args, None)
            if following is None or (following.startswith("-") and following != "-"):
                return None  # click would take an option as the value: let it say so
            value = following
        if name in _REPEATED:
            platforms.append(value)
        else:
            values[_VALUES[name]] = value
    if not paths or not _convert(values):
        return None
    values["platforms"] = tuple(platforms)
    values["paths"] = tuple(paths)
    return values


def _convert(values: dict[str, Any]) -> bool:
    """Turn the values into what click's types give the command; False where click would
    refuse one (click then says why)."""
    from profilesmith.cli.common import parse_moment

    if values["fmt"] is not None and values["fmt"] not in FORMATS:
        return False
    for key in ("output", "config_path"):  # click.Path(dir_okay=False)
        if values[key] is not None and os.path.isdir(values[key]):
            return False
    jobs = values["jobs"]
    if isinstance(jobs, str):  # click.IntRange(0)
        try:
            values["jobs"] = int(jobs)
        except ValueError:
            return False
        if values["jobs"] < 0:
            return False
    if values["now"] is not None:
        values["now"] = parse_moment(values["now"])
        if values["now"] is None:
            return False
    return True


def run_fast(argv: list[str]) -> bool:
    """Run ``argv`` and exit when it is a lint this module parses; False otherwise."""
    values = parse(argv)
    if values is None:
        return False
    sys.exit(_run(values))


def _run(values: dict[str, Any]) -> int:
    from profilesmith.cli.common import Failure, Interrupted
    from profilesmith.cli.linting import run_lint
    from profilesmith.cli.reporting import destinations, emit_failure

    paths, fmt, output = values.pop("paths"), values.pop("fmt"), values.pop("output")
    try:
        try:
            return run_lint(paths, fmt, output, targets=_TARGETS, **values)
        except Failure as failure:  # as ReportCommand.invoke, then LazyGroup.invoke
            if failure.code == 2:
                emit_failure(destinations(fmt, output), failure.lines)
            failure.show()
            return failure.code
    except KeyboardInterrupt:  # as LazyGroup.invoke: cli.main says so and exits 130
        raise Interrupted("SIGINT", 130) from None
    except EOFError:  # as click's standalone mode
        import click

        click.echo(file=sys.stderr)
        click.echo("Aborted!", file=sys.stderr)
        return 1
    except OSError as exc:
        import errno

        if exc.errno != errno.EPIPE:
            raise
        import click.utils

        # the wrapper that keeps the interpreter's last flush quiet (renamed in click 8.2)
        names = ("_PacifyFlushWrapper", "PacifyFlushWrapper")
        wrapper: Any = next(getattr(click.utils, n) for n in names if hasattr(click.utils, n))
        sys.stdout, sys.stderr = wrapper(sys.stdout), wrapper(sys.stderr)
        return 1
