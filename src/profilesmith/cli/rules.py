"""``profilesmith rules`` and ``profilesmith explain RULE``."""

from __future__ import annotations

import json

import click

from profilesmith.cli.common import fail


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True,
              help="text: one line per rule; json: one object with every rule's "
                   "documentation.")
def rules(fmt: str) -> None:
    """List every rule: ID, default severity, summary."""
    from profilesmith.lint.catalog import iter_sorted

    if fmt == "json":
        entries = [{"id": item.id, "family": item.family, "severity": item.severity.value,
                    "summary": item.summary, "origin": item.origin, "doc": item.doc}
                   for item in iter_sorted()]
        click.echo(json.dumps({"version": 1, "rules": entries}, indent=2, ensure_ascii=False))
        return
    for item in iter_sorted():
        click.echo(f"{item.id}  {item.severity.value:<7}  {item.summary}")


@click.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Print a rule's documentation."""
    from profilesmith.base.text import did_you_mean
    from profilesmith.lint.catalog import all_rules

    known = all_rules()
    found = known.get(rule_id.strip().upper())
    if found is None:
        prefix = rule_id.strip().upper()
        family = sorted(r for r in known if prefix and r.startswith(prefix))
        if len(family) > 3:
            fail(f"unknown rule {rule_id!r} (did you mean one of the {len(family)} rules "
                 f"{family[0]} to {family[-1]}? `profilesmith rules` lists them)")
        hint = did_you_mean(prefix, family or known, spread=0.1)
        fail(f"unknown rule {rule_id!r}{hint} (see `profilesmith rules`)")
    click.echo(f"{found.id} ({found.severity.value})\n")
    click.echo(found.doc)
    where = "checked by" if found.check is not None else "reported by"
    click.echo(f"\n({where} {found.origin})")
