"""``profilesmith convert``."""

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
