"""``profilesmith diff OLD NEW``."""

from __future__ import annotations

import json
import sys

import click

from profilesmith.cli.common import Failure, check_options, checked_options, fail, read_document

FORMATS = ("text", "json", "sarif", "github", "junit")


@click.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text",
              show_default=True,
              help="text and json list the differences by what they concern; sarif, github "
                   "and junit report them as findings on NEW.")
@check_options(clock=False, platform=False)
def diff(old: str, new: str, fmt: str, config_path: str | None, select: str | None,
         ignore: str | None, strict: bool) -> int:
    """What changes from OLD to NEW, and whether NEW can replace an installed OLD.

    Exit 0: no differences, or only ones an update allows; 1: a difference breaks the
    update (an error; --strict: a warning too); 2: a file cannot be read. --select,
    --ignore and the config's severities and per-file ignores apply to the UPD rules.
    """
    try:
        return _diff(old, new, fmt, config_path, select, ignore, strict)
    except Failure as failure:
        if failure.code == 2:
            _failure_document(fmt, old, new, failure.lines)
        raise


def _diff(old: str, new: str, fmt: str, config_path: str | None, select: str | None,
          ignore: str | None, strict: bool) -> int:
    from profilesmith.diff import compare, configured, not_comparable
    from profilesmith.diff.report import to_findings, to_json, to_text

    if old == "-" and new == "-":
        fail("- (stdin) can be given once")
    options = checked_options(config_path, select=select, ignore=ignore, strict=strict)
    docs = [read_document(path) for path in (old, new)]
    for doc in docs:
        problem = not_comparable(doc)
        if problem is not None:
            fail(f"{doc.path}: {problem}")
    comparison = configured(compare(docs[0], docs[1]), options)
    if fmt == "json":
        click.echo(json.dumps(to_json(comparison), indent=2, ensure_ascii=False))
    elif fmt == "text":
        click.echo(to_text(comparison), nl=False)
    else:
        from profilesmith.lint.reporters import Report, write

        files = [{"path": doc.path, "format": doc.format, "signed": doc.is_signed}
                 for doc in docs]
        write(fmt, Report(to_findings(comparison, docs[1]), files, strict=options.strict),
              sys.stdout)
    return comparison.exit_code(strict=options.strict)


def _failure_document(fmt: str, old: str, new: str, lines: list[str]) -> None:
    """A json, sarif or junit report stays one valid document on a usage error."""
    if fmt == "json":
        summary = {"differences": 0, "errors": 0, "warnings": 0, "infos": 0,
                   "verdict": "unreadable"}
        click.echo(json.dumps({"version": 1, "old": old, "new": new, "differences": [],
                               "summary": summary, "errors": lines}, indent=2,
                              ensure_ascii=False))
    elif fmt in ("sarif", "junit"):
        from profilesmith.lint.reporters import Report, write

        write(fmt, Report([], [], errors=lines), sys.stdout)
