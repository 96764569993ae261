"""``profilesmith lint``."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from profilesmith.cli.common import (
    fail,
    jobs_option,
    lint_options,
    note,
    open_output,
    pick_format,
    read_stdin_if,
    rule_codes,
    use_color,
)
from profilesmith.cli.targets import apply, data_options, deployment_options, platform_option
from profilesmith.lint.discover import PathError, expand

if TYPE_CHECKING:
    from profilesmith.lint.reporters import Report


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", default="auto",
              type=click.Choice(["auto", "text", "json", "sarif", "github", "junit"]),
              help="Report format (auto: github on GitHub Actions, else text).")
@click.option("--output", type=click.Path(dir_okay=False),
              help="Write the report to FILE; a text (or github) report still goes to stdout.")
@click.option("--select", help="Only these rules or prefixes (comma-separated).")
@click.option("--ignore", help="Skip these rules or prefixes (comma-separated).")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@platform_option("turns on the availability (AVL) rules")
@deployment_options
@data_options
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Config file (default: nearest .profilesmith.toml or pyproject.toml).")
@click.option("--skip-unrecognised", is_flag=True,
              help="Treat .plist, .xml and .json files named on the command line as a "
                   "directory walk does: skip those that are no Apple device-management "
                   "document (for pre-commit, which names every matching file).")
@jobs_option("linting")
@click.option("--now", help="The date certificates are checked against (ISO 8601).")
def lint(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    select: str | None,
    ignore: str | None,
    strict: bool,
    config_path: str | None,
    skip_unrecognised: bool,
    jobs: int,
    now: str | None,
    **target_options: Any,
) -> int:
    """Check profiles (files, directories or - for stdin) for defects."""
    from profilesmith.lint.reporters import Report, write
    from profilesmith.lint.run import lint_targets

    options = lint_options(config_path)
    changes: dict[str, object] = {"strict": strict or options.strict}
    if select:
        changes["select"] = rule_codes(select, "--select")
    if ignore:
        changes["ignore"] = options.ignore + rule_codes(ignore, "--ignore")
    if now:
        changes["now"] = parse_now(now)
    options = apply(options.with_changes(**changes), **target_options)
    try:
        targets = list(expand(paths))
    except PathError as exc:
        fail(str(exc))
    if skip_unrecognised:
        targets = [t._replace(explicit=t.path == "-") for t in targets]
    stdin = read_stdin_if(any(t.path == "-" for t in targets))
    run = lint_targets(targets, options, jobs=jobs, stdin=stdin)
    from profilesmith.schema.bundle import data_info

    report = Report(run.findings, [f.entry() for f in run.files], strict=options.strict,
                    skipped=run.skipped, data=data_info())
    stdout_format = pick_format("auto" if output else fmt)
    problems = list(run.usage_errors + run.internal_errors)
    if output:
        try:
            with open_output(output) as stream:
                write(pick_format(fmt), report, stream)
        except OSError as exc:
            problems.append(f"{output}: cannot write the report ({exc.strerror or exc})")
    write(stdout_format, report, sys.stdout, color=use_color(sys.stdout, stdout_format))
    if stdout_format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        # a nicety: failing to write it is said, but does not change the exit code
        append_step_summary(os.environ["GITHUB_STEP_SUMMARY"], report)
    for message in problems:
        note(message)
    if problems:
        return 2
    return 1 if any(report.failing(f) for f in report.findings) else 0


def append_step_summary(path: str, report: Report) -> None:
    """Add the findings table to the job's summary page (GitHub Actions)."""
    from profilesmith.lint.reporters.github_format import step_summary

    try:
        with open(path, "a", encoding="utf-8") as stream:
            stream.write(step_summary(report))
    except OSError as exc:
        note(f"{path}: cannot write the step summary ({exc.strerror or exc})")


def parse_now(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        fail(f"--now: {text!r} is not an ISO 8601 date")
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
