"""``profilesmith new TEMPLATE`` and ``profilesmith templates``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from profilesmith.cli.common import fail

if TYPE_CHECKING:
    from profilesmith.schema.navigate import Schema


@click.command()
@click.argument("template")
def new(template: str) -> None:
    """Print a commented values file for TEMPLATE (a bundled name or a .j2 path).

    Save it, edit it, and build with: profilesmith build TEMPLATE --values FILE
    """
    from profilesmith.render.sample import sample_values
    from profilesmith.render.templates import TemplateError, load_template

    try:
        spec = load_template(template)
    except TemplateError as exc:
        fail(str(exc))
    click.echo(sample_values(spec), nl=False)


@click.command()
def templates() -> None:
    """List the bundled templates and their values."""
    from profilesmith.render.templates import TemplateError, bundled_names, load_template
    from profilesmith.schema.navigate import Schema

    for name in bundled_names():
        try:
            spec = load_template(name)
        except TemplateError as exc:
            fail(str(exc))
        click.echo(f"{name}: {spec.description}")
        if spec.schema is None:
            continue
        nav = Schema(spec.schema)
        for line in _values(nav, spec.schema, ""):
            click.echo(f"  {line}")
        click.echo("")
    click.echo("Start with: profilesmith new TEMPLATE > values.yaml")


def _values(nav: Schema, schema: dict[str, Any], prefix: str) -> list[str]:
    lines = []
    required = set(schema.get("required", ()))
    for name, raw in schema.get("properties", {}).items():
        sub = nav.resolve(raw)
        dotted = f"{prefix}{name}"
        if "properties" in sub:
            lines.extend(_values(nav, sub, dotted + "."))
            continue
        kind = " or ".join(nav.types(sub)) or "any"
        notes = []
        if name in required:
            notes.append("required")
        if "default" in sub:
            notes.append(f"default {_shown(sub['default'])}")
        lines.append(f"{dotted} ({kind}{', ' + ', '.join(notes) if notes else ''})")
    return lines


def _shown(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
