"""``profilesmith diff OLD NEW``."""

from __future__ import annotations

import json

import click

from profilesmith.cli.common import fail, read_document


@click.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def diff(old: str, new: str, fmt: str, strict: bool) -> int:
    """What changes from OLD to NEW, and whether NEW can replace an installed OLD.

    Exit 0: no differences, or only ones an update allows; 1: a difference breaks the
    update (an error); 2: a file cannot be read.
    """
    from profilesmith.diff import compare, not_comparable
    from profilesmith.diff.report import to_json, to_text

    if old == "-" and new == "-":
        fail("- (stdin) can be given once")
    docs = [read_document(path) for path in (old, new)]
    for doc in docs:
        problem = not_comparable(doc)
        if problem is not None:
            fail(f"{doc.path}: {problem}")
    comparison = compare(docs[0], docs[1])
    if fmt == "json":
        click.echo(json.dumps(to_json(comparison), indent=2, ensure_ascii=False))
    else:
        click.echo(to_text(comparison), nl=False)
    return comparison.exit_code(strict=strict)
