"""``profilesmith diff OLD NEW``."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING

import click

from profilesmith.cli.common import fail

if TYPE_CHECKING:
    from profilesmith.document import Document


def _read(path: str, stdin: bytes | None) -> Document:
    from profilesmith.reader import MAX_BYTES, read_bytes

    if path == "-":
        assert stdin is not None
        return read_bytes(stdin, path)
    if os.path.isdir(path):
        fail(f"{path}: is a directory (diff compares two files)")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        fail(f"{path}: cannot read ({exc.strerror or exc})")
    return read_bytes(data, path)


@click.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def diff(old: str, new: str, fmt: str, strict: bool) -> None:
    """What changes from OLD to NEW, and whether NEW can replace an installed OLD.

    Exit 0: no differences, or only ones an update allows; 1: a difference breaks the
    update (an error); 2: a file cannot be read.
    """
    from profilesmith.reader import MAX_BYTES
    from profilesmith.update import compare, not_comparable
    from profilesmith.update.report import to_json, to_text

    if old == "-" and new == "-":
        fail("- (stdin) can be given once")
    stdin = sys.stdin.buffer.read(MAX_BYTES + 1) if "-" in (old, new) else None
    docs = [_read(path, stdin) for path in (old, new)]
    for doc in docs:
        problem = not_comparable(doc)
        if problem is not None:
            fail(f"{doc.path}: {problem}")
    comparison = compare(docs[0], docs[1])
    if fmt == "json":
        click.echo(json.dumps(to_json(comparison), indent=2, ensure_ascii=False))
    else:
        click.echo(to_text(comparison), nl=False)
    sys.exit(comparison.exit_code(strict=strict))
