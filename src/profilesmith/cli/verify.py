"""``profilesmith verify``: a client of :func:`profilesmith.api.verify`."""

from __future__ import annotations

from datetime import datetime

import click

from profilesmith.cli.common import (
    api_failure,
    fail,
    now_option,
    read_input,
    refuse_existing,
    write_output,
    wrote,
)

_FILE = click.Path(dir_okay=False)
FORMATS = ("text", "json", "github", "junit")


@click.command()
@click.argument("input_path", metavar="IN")
@click.option("--ca", "ca_files", multiple=True, type=_FILE,
              help="Trust anchor certificate(s) (PEM or DER; repeatable). Default: the "
                   "system CA bundle, which is not Apple's trust store.")
@click.option("--extract", type=_FILE,
              help="Write the signed profile to this file, only if it is Verified.")
@click.option("--force", is_flag=True, help="Replace an existing --extract file.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text",
              show_default=True,
              help="text; json (one object); github (an error annotation unless Verified); "
                   "junit (one test case).")
@now_option("the certificates' validity is checked at")
def verify(input_path: str, ca_files: tuple[str, ...], extract: str | None, force: bool,
           fmt: str, now: datetime | None) -> int:
    """Check a signed profile: Verified, Unverified (reason) or Unsigned; exit 0 only if
    Verified."""
    from profilesmith.api import verify as verify_bytes
    from profilesmith.api_types import ProfilesmithError

    if extract == "-":
        fail("--extract -: standard output carries the report; give a file")
    if extract is not None:
        refuse_existing(extract, force=force)
    data = read_input(input_path)
    try:
        result = verify_bytes(data, ca=ca_files, now=now, path=input_path)
    except ProfilesmithError as exc:
        api_failure(exc)
    extracted = None
    if extract is not None:
        if result.content is not None:
            write_output(extract, result.content, force=force)
            wrote(extract, "the verified content")
            extracted = extract
        else:
            result = result.with_warnings(
                f"--extract {extract}: not written: the signature is not verified "
                "(`profilesmith unsign` takes the content out without checking it)")
    click.echo(result.render(fmt, extracted=extracted), nl=False)
    return result.exit_code
