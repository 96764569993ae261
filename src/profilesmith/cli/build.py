"""``profilesmith build``: one profile, or one per row of a CSV / JSON-lines file."""

from __future__ import annotations

import os
import sys
from contextlib import nullcontext
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from profilesmith.cli.common import (
    certificate_warnings,
    check_options,
    checked_options,
    config_file,
    fail,
    fail_lines,
    is_terminal,
    jobs_option,
    refuse_existing,
    write_result,
    wrote,
)
from profilesmith.cli.signing_options import load_signer, signing_options

if TYPE_CHECKING:
    from profilesmith.cms.signer import Signer
    from profilesmith.lint.config import LintOptions

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
@click.option("-o", "--output", help="Output file ('-' or none: standard output).")
@click.option("--force", is_flag=True, help="Replace existing output files.")
@click.option("--rows", type=click.Path(dir_okay=False),
              help="CSV (with a header) or JSON-lines file: one profile per row.")
@click.option("--output-dir", type=click.Path(file_okay=False),
              help="Directory for the profiles of a --rows batch.")
@click.option("--name", "name_pattern",
              help="File name pattern for --rows, e.g. '{serial}.mobileconfig'.")
@click.option("--random-uuids", is_flag=True,
              help="Random PayloadUUIDs instead of deterministic ones.")
@check_options()
@jobs_option("--rows")
@signing_options
@click.option("--ca", "ca_files", multiple=True, type=click.Path(dir_okay=False),
              help="Trust anchor certificate(s) the signer's chain must reach (PEM or DER; "
                   "repeatable; else a warning, --strict: an error).")
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
    select: str | None,
    ignore: str | None,
    strict: bool,
    platforms: tuple[str, ...],
    now: datetime | None,
    jobs: int,
    key: str | None,
    cert: str | None,
    chain: tuple[str, ...],
    p12: str | None,
    password_env: str | None,
    ca_files: tuple[str, ...],
) -> None:
    """Render TEMPLATE (a bundled name or a .j2 path) with values, check it, write it.

    The rendered profile is read and linted like `profilesmith lint` would; an error
    finding (--strict: a warning too) stops the build and nothing is written. With a
    signer, one that is expired, not yet valid, or whose chain misses its issuer (or, with
    --ca, does not reach those anchors) gets a warning; --strict refuses it.
    """
    batch = rows is not None or output_dir is not None or name_pattern is not None
    if batch and not (rows and output_dir and name_pattern):
        fail("--rows, --output-dir and --name go together")
    if batch and output:
        fail("-o is for one profile; a --rows batch writes into --output-dir")
    if output:
        refuse_existing(output, force=force)
    signer = load_signer(key=key, cert=cert, chain=chain, p12=p12, password_env=password_env)
    if batch:
        assert rows is not None
        assert output_dir is not None
        assert name_pattern is not None
        _batch(template, values_files, sets, set_envs, rows, output_dir, name_pattern,
               signer=signer, ca_files=ca_files, random_uuids=random_uuids,
               options=checked_options(config_path, select=select, ignore=ignore,
                                       strict=strict, platforms=platforms, now=now),
               force=force, jobs=jobs)
        return
    _one(template, values_files, sets, set_envs, output or "-", signer=signer,
         ca_files=ca_files, random_uuids=random_uuids, config=config_file(config_path),
         select=select, ignore=ignore, strict=strict, platforms=platforms, now=now,
         force=force)


def _one(template: str, values_files: tuple[str, ...], sets: tuple[str, ...],
         set_envs: tuple[str, ...], output: str, *, signer: Signer | None,
         ca_files: tuple[str, ...], random_uuids: bool, config: str | None,
         select: str | None, ignore: str | None, strict: bool, platforms: tuple[str, ...],
         now: datetime | None, force: bool) -> None:
    from profilesmith.api import build_profile
    from profilesmith.api_types import LintFailed, ProfilesmithError

    name = os.path.basename(output) if output != "-" else "-"
    identity: dict[str, Any] = {} if signer is None else {
        "key": signer.key, "cert": signer.cert, "chain": signer.chain}
    try:
        with certificate_warnings():
            built = build_profile(template, list(values_files), sets=sets, set_envs=set_envs,
                                  output_name=name, random_uuids=random_uuids, ca=ca_files,
                                  config=config, select=select, ignore=ignore,
                                  platforms=platforms, strict=strict, now=now, **identity)
    except LintFailed as exc:
        only_warnings = all(f.severity.value != "error" for f in exc.report.findings)
        fail_lines([*exc.lines, *(["nothing was written (--strict)"] if only_warnings else [])],
                   code=1, limit=MAX_LINES)
    except ProfilesmithError as exc:
        if exc.exit_code == 1:
            fail_lines([*exc.lines, "nothing was written (--strict)"], code=1)
        fail_lines(exc.lines, code=exc.exit_code, limit=MAX_LINES)
    for line in built.messages:
        click.echo(line, err=True)
    write_result(output, built.data, force=force)


def _batch(template: str, values_files: tuple[str, ...], sets: tuple[str, ...],
           set_envs: tuple[str, ...], rows_path: str, output_dir: str, pattern: str, *,
           signer: Signer | None, ca_files: tuple[str, ...], random_uuids: bool,
           options: LintOptions, force: bool, jobs: int) -> None:
    from profilesmith.base.files import OutputExists
    from profilesmith.base.findings import Severity
    from profilesmith.cli.progress import Bar
    from profilesmith.cli.signing import signer_problems
    from profilesmith.lint.run import auto_jobs
    from profilesmith.render.batch import BatchFailed, plan_batch, write_batch
    from profilesmith.render.build import Builder
    from profilesmith.render.rows import read_rows
    from profilesmith.render.templates import TemplateError, load_template
    from profilesmith.render.values import ValuesError, load_all

    if signer is not None:
        signer_problems(signer, ca_files, now=options.now, strict=options.strict,
                        what="built")
    try:
        builder = Builder(load_template(template), lint_options=options,
                          random_uuids=random_uuids, signer=signer)
        base = load_all(values_files, sets, set_envs)
        rows = read_rows(rows_path)
    except TemplateError as exc:
        fail_lines(str(exc).splitlines(), limit=MAX_LINES)
    except ValuesError as exc:
        fail_lines(exc.problems, limit=MAX_LINES)
    # a progress bar only for a person watching
    bar = Bar(len(rows), "building", sys.stderr) if is_terminal(sys.stderr) else None
    try:
        with bar if bar is not None else nullcontext():
            result = plan_batch(builder, base, rows, rows_path=rows_path,
                                name_pattern=pattern, output_dir=output_dir, force=force,
                                progress=bar.update if bar is not None else None,
                                jobs=jobs or auto_jobs(len(rows)))
    except BatchFailed as exc:
        fail_lines([*exc.lines, "nothing was written"], code=1 if exc.lint_errors else 2,
                   limit=MAX_LINES)
    findings = list(result.findings.values())
    if options.strict and any(f.severity is Severity.WARNING for f, _ in findings):
        fail_lines([*(f"{builder.describe(f)} [{n} of {result.rows} profiles]"
                      for f, n in findings if f.severity is Severity.WARNING),
                    "nothing was written (--strict)"], code=1, limit=MAX_LINES)
    try:
        written = write_batch(result, output_dir, force=force)
    except (OutputExists, OSError) as exc:
        fail(f"{exc} (some profiles may already have been written)")
    for finding, count in findings:
        click.echo(f"{builder.describe(finding)} [{count} of {result.rows} profiles]", err=True)
    signed = " signed" if builder.signer is not None else ""
    wrote(f"{len(written)}{signed} profile(s) into {output_dir}",
          f"built from {result.rows} row(s)")
