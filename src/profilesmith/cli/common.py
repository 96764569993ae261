"""Small helpers shared by the click commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn, TextIO

import click


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, then exit (2: usage error, unreadable input)."""
    click.echo(f"profilesmith: {message}", err=True)
    sys.exit(code)


def pick_format(fmt: str) -> str:
    if fmt != "auto":
        return fmt
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def use_color(stream: TextIO, fmt: str) -> bool:
    if fmt != "text" or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@contextmanager
def open_output(path: str) -> Iterator[TextIO]:
    """A report file, written whole or not at all."""
    from profilesmith.writer import atomic_text

    with atomic_text(path) as stream:
        yield stream
