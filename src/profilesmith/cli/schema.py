"""``profilesmith schema list | show TYPE | export DIR``."""

from __future__ import annotations

import json
import os

import click

from profilesmith.cli.common import fail, note, wrote


@click.group()
def schema() -> None:
    """The bundled JSON Schemas (payload types and MDM commands)."""


@schema.command("list")
def list_schemas() -> None:
    """Every schema: kind, origin (generated from Apple's data, or curated), type."""
    from profilesmith.schema.bundle import entries

    for entry in entries():
        click.echo(f"{entry.kind:<16} {entry.origin:<9} {entry.name}")


@schema.command()
@click.argument("name")
def show(name: str) -> None:
    """Print one schema: a payload type, a request type, a check-in MessageType, a
    declaration Type, or `profile`, `profile-service`, `plist`, `response-envelope`,
    `declaration-envelope`.
    KIND:NAME picks one where a name has several (`response:DeviceLock`)."""
    from profilesmith.schema.bundle import kinds_of, locate, read_text

    path = locate(name)
    if path is None:
        from profilesmith.base.text import did_you_mean
        from profilesmith.schema.bundle import names

        fail(f"no schema for {name!r}{did_you_mean(name, names(), spread=0.1)} "
             "(see `profilesmith schema list`)")
    others = kinds_of(name)[1:]
    if others:
        note(f"{name} also has a {' and a '.join(others)} schema: "
             f"`profilesmith schema show {others[0]}:{name}`")
    data = json.loads(read_text(path))
    click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


@schema.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Replace files that already exist.")
def export(directory: str, force: bool) -> None:
    """Write every schema into DIRECTORY (same layout as the bundled schemas/)."""
    from profilesmith.base.files import OutputExists, write_atomic
    from profilesmith.schema.bundle import paths, read_text

    items = paths()
    if not force:
        clashes = [p for p in items if os.path.lexists(os.path.join(directory, p))]
        if clashes:
            fail(f"{os.path.join(directory, clashes[0])}: exists "
                 f"({len(clashes)} file(s) would be replaced; use --force)")
    try:
        for path in items:
            target = os.path.join(directory, *path.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            write_atomic(target, read_text(path).encode("utf-8"), force=force)
    except OutputExists as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{directory}: cannot write ({exc.strerror or exc})")
    wrote(f"{len(items)} schema(s) into {directory}")


@schema.command("import")
@click.argument("directory", type=click.Path(file_okay=False, exists=True))
def import_data(directory: str) -> None:
    """Generate the schemas of DIRECTORY, a copy of Apple's device-management data (a
    newer release), into the user's cache now, so that `lint --apple-data DIRECTORY`
    does not pay for it. Prints the cache directory and the data release."""
    from profilesmith.schema.sources import SourceError, import_apple_data

    try:
        target, info, generated = import_apple_data(directory)
    except SourceError as exc:
        fail(str(exc))
    for line in info.get("notes") or []:
        note(f"note: {line}")
    state = "generated" if generated else "already cached"
    click.echo(f"{state}: {target} (release {info.get('release')}, Apple commit "
               f"{info.get('apple') or 'unknown'})")
