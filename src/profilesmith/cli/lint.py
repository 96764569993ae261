"""``profilesmith lint``: its options. What the command does is
:func:`profilesmith.cli.linting.run_lint`, which the click-free path (cli/fast.py) calls too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from profilesmith.cli.common import check_options, jobs_option
from profilesmith.cli.linting import FORMATS, run_lint
from profilesmith.cli.report_command import ReportCommand

if TYPE_CHECKING:
    from datetime import datetime


@click.command(cls=ReportCommand)
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Report format (auto: github on GitHub Actions, else text; with "
                   "--output FILE: from its extension, .sarif .json .xml).")
@click.option("--output", type=click.Path(dir_okay=False),
              help="Write the report to FILE (the log on stdout stays readable), or to "
                   "standard output alone with '-'.")
@check_options(targets=True)
@click.option("--skip-unrecognised", is_flag=True,
              help="Treat .plist, .xml and .json files named on the command line as a "
                   "directory walk does: skip those that are no Apple device-management "
                   "document (for pre-commit, which names every matching file).")
@jobs_option("linting")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Leave out the findings recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False),
              help="Record today's findings in this baseline file (and exit 0).")
@click.option("--statistics", is_flag=True,
              help="A count per rule instead of each finding (on stderr when stdout "
                   "carries a json, sarif, github or junit report).")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even when findings fail (2 still means a usage error).")
def lint(
    paths: tuple[str, ...],
    fmt: str | None,
    output: str | None,
    config_path: str | None,
    select: str | None,
    ignore: str | None,
    strict: bool,
    platforms: tuple[str, ...],
    now: datetime | None,
    skip_unrecognised: bool,
    jobs: int,
    baseline_path: str | None,
    write_baseline: str | None,
    statistics: bool,
    exit_zero: bool,
    **targets: Any,
) -> int:
    """Check profiles, MDM messages and DDM declarations (files, directories or - for
    stdin) for defects."""
    return run_lint(paths, fmt, output, config_path=config_path, select=select,
                    ignore=ignore, strict=strict, platforms=platforms, now=now,
                    skip_unrecognised=skip_unrecognised, jobs=jobs,
                    baseline_path=baseline_path, write_baseline=write_baseline,
                    statistics=statistics, exit_zero=exit_zero, targets=targets)
