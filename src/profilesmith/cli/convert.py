"""``profilesmith convert`` and ``profilesmith format``."""

from __future__ import annotations

import click

from profilesmith.cli.common import fail, note, read_input, refuse_existing, write_result


@click.command()
@click.argument("source", metavar="IN")
@click.option("-o", "--output", required=True, help="Output file ('-' for standard output).")
@click.option("--to", "target", required=True,
              type=click.Choice(["xml", "binary", "json", "yaml"]), help="Output format.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def convert(source: str, output: str, target: str, force: bool) -> None:
    """Convert a profile (XML, binary, signed, JSON or YAML) to another format, losslessly.

    JSON marks data and dates as {"$data": base64} and {"$date": ISO-8601}; YAML as
    !!binary and !!timestamp. A signed profile's content is converted and the output is
    unsigned.
    """
    from profilesmith.plist.convert import ConvertError, dump, load

    refuse_existing(output, force=force)
    data = read_input(source)
    try:
        loaded = load(data, source)
        converted = dump(loaded, target)  # type: ignore[arg-type]
    except ConvertError as exc:
        fail(str(exc))
    for text in loaded.notes:
        note(f"note: {text}")
    write_result(output, converted, force=force)



@click.command("format")
@click.argument("paths", nargs=-1, required=True)
@click.option("--check", is_flag=True, help="Only report files that would change.")
def format_command(paths: tuple[str, ...], check: bool) -> int:
    """Rewrite profiles as canonical XML in place (the pre-commit fixer).

    Canonical: plistlib's layout (tabs, keys sorted), binary turned into XML,
    `profilesmith: ignore` comments kept before their keys. Signed files are left
    alone. Exit 1 when a file changed (or would, with --check), 2 when one could not
    be read or rewritten, else 0.
    """
    from profilesmith.base import files
    from profilesmith.lint.discover import PathError, expand, is_maybe
    from profilesmith.plist.convert import format_bytes

    try:
        targets = list(expand(paths))
    except PathError as exc:
        fail(str(exc))
    changed = trouble = 0
    for target in targets:
        if target.path == "-":
            fail("format rewrites files in place; it cannot read standard input")
        size = None
        try:
            data = files.read_limited(target.path)
        except files.TooLarge as exc:
            data, size = b"", exc.size  # refused below, naming its length
        except OSError as exc:
            note(f"{target.path}: cannot read ({exc.strerror})")
            trouble += 1
            continue
        # a .plist met in a directory walk is only ours if it is a profile
        outcome = format_bytes(data, target.path, only_profiles=is_maybe(target), size=size)
        if outcome.status in ("unchanged", "skipped"):
            continue
        if outcome.status == "signed":
            note(outcome.message)
            continue
        if outcome.status == "refused":
            note(outcome.message)
            trouble += 1
            continue
        changed += 1
        if check:
            click.echo(f"{target.path}: would be reformatted")
            continue
        try:
            files.write_atomic(target.path, outcome.data, force=True)
        except OSError as exc:
            note(f"{target.path}: cannot write ({exc.strerror})")
            trouble += 1
            continue
        click.echo(outcome.message)
    return 2 if trouble else 1 if changed else 0
