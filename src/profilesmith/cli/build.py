"""``profilesmith build``: one profile, or one per row of a CSV / JSON-lines file."""

from __future__ import annotations

import os
import sys
from contextlib import nullcontext
from typing import Any

import click

from profilesmith.cli.common import (
    fail,
    fail_lines,
    is_terminal,
    jobs_option,
    lint_options,
    write_output,
    write_stdout,
)
from profilesmith.cli.signing_options import load_signer, signing_options

# failures listed in full up to this many lines; a batch of 10,000 broken rows is
# summarised rather than scrolled
MAX_LINES = 50


@click.command()
@click.argument("template")
@click.option("--values", "values_files", multiple=True, type=click.Path(dir_okay=False),
              help="Values file (YAML, JSON or TOML); repeatable, later files win.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="Set a value (dotted name: scep.url=...); typed by the values schema.")
@click.option("--set-env", "set_envs", multiple=True, metavar="KEY=VAR",
              help="Set a value from environment variable VAR (keeps secrets out of argv).")
@click.option("-o", "--output", help="Output file (default: standard output).")
@click.option("--force", is_flag=True, help="Replace existing output files.")
@click.option("--rows", type=click.Path(dir_okay=False),
              help="CSV (with a header) or JSON-lines file: one profile per row.")
@click.option("--output-dir", type=click.Path(file_okay=False),
              help="Directory for the profiles of a --rows batch.")
@click.option("--name", "name_pattern",
              help="File name pattern for --rows, e.g. '{serial}.mobileconfig'.")
@click.option("--random-uuids", is_flag=True,
              help="Random PayloadUUIDs instead of deterministic ones.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Lint config for the check of the rendered profile.")
@jobs_option("--rows")
@signing_options
def build(
    template: str,
    values_files: tuple[str, ...],
    sets: tuple[str, ...],
    set_envs: tuple[str, ...],
    output: str | None,
    force: bool,
    rows: str | None,
    output_dir: str | None,
    name_pattern: str | None,
    random_uuids: bool,
    config_path: str | None,
    jobs: int,
    key: str | None,
    cert: str | None,
    chain: tuple[str, ...],
    p12: str | None,
    password_env: str | None,
) -> None:
    """Render TEMPLATE (a bundled name or a .j2 path) with values, check it, write it.

    The rendered profile is read and linted like `profilesmith lint` would; an error
    finding stops the build and nothing is written.
    """
    from profilesmith.render.build import Builder, BuildFailed
    from profilesmith.render.templates import TemplateError, load_template
    from profilesmith.render.values import ValuesError, load_all

    batch = rows is not None or output_dir is not None or name_pattern is not None
    if batch and not (rows and output_dir and name_pattern):
        fail("--rows, --output-dir and --name go together")
    if batch and output:
        fail("-o is for one profile; a --rows batch writes into --output-dir")
    options = lint_options(config_path)
    signer = load_signer(key=key, cert=cert, chain=chain, p12=p12, password_env=password_env)
    try:
        builder = Builder(load_template(template), lint_options=options,
                          random_uuids=random_uuids, signer=signer)
        base = load_all(values_files, sets, set_envs)
    except (TemplateError, ValuesError) as exc:
        fail_lines(str(exc).splitlines(), limit=MAX_LINES)
    if batch:
        assert rows is not None
        assert output_dir is not None
        assert name_pattern is not None
        _batch(builder, base, rows, output_dir, name_pattern, force=force, jobs=jobs)
        return
    name = os.path.basename(output) if output and output != "-" else "-"
    try:
        result = builder.build(builder.prepare(base), name)
    except ValuesError as exc:
        fail_lines(exc.problems, limit=MAX_LINES)
    except BuildFailed as exc:
        fail_lines(exc.lines, code=1 if exc.lint_errors else 2, limit=MAX_LINES)
    for finding in result.findings:
        click.echo(builder.describe(finding), err=True)
    if not output or output == "-":
        write_stdout(result.data)
        return
    write_output(output, result.data, force=force)
    click.echo(f"wrote {output}", err=True)




def _batch(builder: Any, base: Any, rows_path: str, output_dir: str, pattern: str, *,
           force: bool, jobs: int) -> None:
    from profilesmith.base.files import OutputExists
    from profilesmith.lint.run import auto_jobs
    from profilesmith.render.batch import BatchFailed, plan_batch, write_batch
    from profilesmith.render.rows import read_rows
    from profilesmith.render.values import ValuesError

    try:
        rows = read_rows(rows_path)
    except ValuesError as exc:
        fail_lines(exc.problems, limit=MAX_LINES)
    # a progress bar only for a person watching
    bar = (click.progressbar(length=len(rows), label="building", file=sys.stderr)
           if is_terminal(sys.stderr) else None)
    try:
        with bar if bar is not None else nullcontext():
            result = plan_batch(builder, base, rows, rows_path=rows_path,
                                name_pattern=pattern, output_dir=output_dir, force=force,
                                progress=bar.update if bar is not None else None,
                                jobs=jobs or auto_jobs(len(rows)))
    except BatchFailed as exc:
        fail_lines([*exc.lines, "nothing was written"], code=1 if exc.lint_errors else 2,
                   limit=MAX_LINES)
    try:
        written = write_batch(result, output_dir, force=force)
    except (OutputExists, OSError) as exc:
        fail(f"{exc} (some profiles may already have been written)")
    for finding, count in result.findings.values():
        click.echo(f"{builder.describe(finding)} [{count} of {result.rows} profiles]", err=True)
    signed = " signed" if builder.signer is not None else ""
    click.echo(f"built {len(written)}{signed} profile(s) from {result.rows} row(s) "
               f"into {output_dir}", err=True)


