"""Small helpers shared by the click commands.

Commands return their exit code (an int; None is 0) and raise :class:`Failure` for usage
errors and unreadable input: :class:`profilesmith.cli.LazyGroup` turns both into the
process's exit status, so no command calls ``sys.exit`` itself.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar

import click

if TYPE_CHECKING:
    from profilesmith.lint.config import LintOptions
    from profilesmith.plist.document import Document

F = TypeVar("F", bound=Callable[..., object])


class Failure(Exception):
    """Problems to print, one ``profilesmith: ...`` line each, and the exit code (2: a
    usage error or unreadable input; 1: findings or a failed check)."""

    def __init__(self, lines: Sequence[str], code: int = 2) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)
        self.code = code

    def show(self) -> None:
        for line in self.lines:
            click.echo(f"profilesmith: {line}", err=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, then exit (2: usage error, unreadable input)."""
    raise Failure([message], code)


def fail_lines(lines: Sequence[str], *, code: int = 2, limit: int | None = None) -> NoReturn:
    """Several problems, one line each (at most ``limit`` of them), then exit."""
    shown = list(lines if limit is None or len(lines) <= limit else lines[:limit])
    if len(lines) > len(shown):
        shown.append(f"... and {len(lines) - len(shown)} more")
    raise Failure(shown, code)


def is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def pick_format(fmt: str) -> str:
    if fmt != "auto":
        return fmt
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def use_color(stream: TextIO, fmt: str) -> bool:
    if fmt != "text" or os.environ.get("NO_COLOR"):
        return False
    return is_terminal(stream)


@contextmanager
def open_output(path: str) -> Iterator[TextIO]:
    """A report file, written whole or not at all."""
    from profilesmith.base.files import atomic_text

    with atomic_text(path) as stream:
        yield stream


def note(message: str) -> None:
    """An informational line on stderr (stdout may carry a profile or a report)."""
    click.echo(f"profilesmith: {message}", err=True)


def read_input(path: str) -> bytes:
    """A file's bytes (``-``: standard input), or one line on stderr and exit 2."""
    from profilesmith.base import files

    if path != "-" and os.path.isdir(path):
        fail(f"{path}: is a directory")
    try:
        if path == "-":
            return files.read_stream(sys.stdin.buffer)
        return files.read_limited(path)
    except files.TooLarge as exc:
        fail(f"{path}: larger than {exc.limit} bytes")
    except OSError as exc:
        fail(f"{path}: cannot read ({exc.strerror or exc})")


def read_stdin_if(wanted: bool) -> bytes | None:
    """Standard input, bounded, when one of the inputs is ``-``."""
    return read_input("-") if wanted else None


def lint_options(config_path: str | None) -> LintOptions:
    """The lint options of ``--config FILE``, else of the nearest config file, else the
    defaults; a broken file, or a rule code in it that names no rule, is a usage error."""
    from profilesmith.lint.catalog import option_problems
    from profilesmith.lint.config import ConfigError, find_config, load_config

    path = config_path if config_path else find_config()
    try:
        options = load_config(path)
    except ConfigError as exc:
        fail(str(exc))
    problems = option_problems(options)
    if problems:
        fail_lines([f"{path}: {problem}" for problem in problems])
    return options


def rule_codes(text: str | None, option: str) -> tuple[str, ...]:
    """``--select A,B`` / ``--ignore A,B``: the codes, each naming a rule (else exit 2)."""
    from profilesmith.lint.catalog import code_problem
    from profilesmith.lint.config import split_rules

    codes = split_rules(text)
    problems = [f"{option}: {problem}" for code in codes
                if (problem := code_problem(code)) is not None]
    if problems:
        fail_lines(problems)
    return codes


def read_document(path: str) -> Document:
    """read_input, decoded by the reader (which never raises)."""
    from profilesmith.plist.reader import read_bytes

    return read_bytes(read_input(path), path)


def write_output(path: str, data: bytes, *, force: bool) -> None:
    """Write a file atomically, or one line on stderr and exit 2 (it exists and no
    ``--force``, or it cannot be written)."""
    from profilesmith.base.files import OutputExists, write_atomic

    try:
        write_atomic(path, data, force=force)
    except OutputExists as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{path}: cannot write ({exc.strerror or exc})")


def write_stdout(data: bytes) -> None:
    """Bytes (a profile) on standard output, after any text already written there."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def jobs_option(what: str) -> Callable[[F], F]:
    """``--jobs N`` for a batch command; 0 (the default) picks the number of workers."""
    option: Callable[[F], F] = click.option(
        "--jobs", "-j", default=0, type=click.IntRange(0),
        help=f"Worker processes for {what} (default 0: one per CPU once there are enough "
             "files to repay starting them; 1: no workers).")
    return option
