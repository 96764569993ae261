"""``profilesmith rules`` and ``profilesmith explain RULE``."""

from __future__ import annotations

import click

from profilesmith.cli.common import fail


@click.command()
def rules() -> None:
    """List every rule: ID, default severity, summary."""
    from profilesmith.lint.catalog import iter_sorted

    for item in iter_sorted():
        click.echo(f"{item.id}  {item.severity.value:<7}  {item.summary}")


@click.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Print a rule's documentation."""
    from profilesmith.lint.catalog import all_rules

    found = all_rules().get(rule_id.upper())
    if found is None:
        fail(f"unknown rule {rule_id!r} (see `profilesmith rules`)")
    click.echo(f"{found.id} ({found.severity.value})\n")
    click.echo(found.doc)
    where = "checked by" if found.check is not None else "reported by"
    click.echo(f"\n({where} {found.origin})")
