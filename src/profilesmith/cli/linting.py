"""What ``profilesmith lint`` does once its options are parsed: a client of
:func:`profilesmith.api.lint`, plus what only a command line has (report destinations,
baselines, statistics, the GitHub step summary).

No click here: both the click command (cli/lint.py) and the click-free path for the
common invocations (cli/fast.py) call :func:`run_lint`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from profilesmith.cli.common import (
    api_failure,
    api_targets,
    config_file,
    fail,
    note,
    platform_specs,
    read_stdin_if,
    rule_codes,
    wrote,
)
from profilesmith.cli.reporting import destinations, emit

if TYPE_CHECKING:
    from collections import Counter
    from datetime import datetime

    from profilesmith.api_types import Report
    from profilesmith.lint.baseline import Key
    from profilesmith.lint.reporters import Report as ReporterInput

FORMATS = ("auto", "text", "json", "sarif", "github", "junit")
STALE_SHOWN = 10  # stale baseline entries listed one per line; the rest are counted


def run_lint(
    paths: tuple[str, ...],
    fmt: str | None,
    output: str | None,
    *,
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
    targets: Mapping[str, Any],
) -> int:
    """Lint ``paths`` and report; the exit code (a Failure for usage errors)."""
    from profilesmith.api import lint as lint_paths
    from profilesmith.api_types import ProfilesmithError

    dest = destinations(fmt, output)
    for option, value in (("--baseline", baseline_path), ("--write-baseline", write_baseline)):
        if value == "-":
            fail(f"{option} -: a baseline is a file (standard output carries the report)")
    entries = _load_baseline(baseline_path) if baseline_path else None
    stdin = read_stdin_if("-" in paths)
    platform_specs(platforms)  # named as the command line spells them
    try:
        report = lint_paths(paths, platforms=platforms, config=config_file(config_path),
                            strict=strict, now=now, jobs=jobs, stdin=stdin,
                            skip_unrecognised=skip_unrecognised,
                            select=rule_codes(select, "--select"),
                            ignore=rule_codes(ignore, "--ignore"), **api_targets(dict(targets)))
    except ProfilesmithError as exc:
        api_failure(exc)
    problems = list(report.errors)
    if write_baseline:
        _write_baseline(write_baseline, report, problems)
    if baseline_path and entries is not None:
        report = _apply_baseline(entries, report, baseline_path)
    shown = report.reporter_input()
    text_stats = statistics and dest.stdout_format == "text"
    emit(shown, dest, problems=problems, stdout=not text_stats)
    if statistics:
        from profilesmith.lint.reporters.statistics import write

        write(shown, sys.stdout if text_stats else sys.stderr)
    if dest.stdout_format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        # a nicety: failing to write it is said, but does not change the exit code
        append_step_summary(os.environ["GITHUB_STEP_SUMMARY"], shown)
    for message in problems:
        note(message)
    if problems:
        return 2
    if write_baseline or exit_zero:
        return 0
    return report.exit_code


def _load_baseline(path: str) -> Counter[Key]:
    from profilesmith.lint.baseline import BaselineError, load

    try:
        return load(path)
    except BaselineError as exc:
        fail(str(exc))


def _write_baseline(path: str, report: Report, problems: list[str]) -> None:
    from profilesmith.base.files import write_atomic
    from profilesmith.lint.baseline import dumps

    try:
        # a baseline is regenerated as a matter of course: replaced without --force
        write_atomic(path, dumps(report.findings, path), force=True)
    except OSError as exc:
        problems.append(f"{path}: cannot write the baseline ({exc.strerror or exc})")
        return
    files = len({f.path for f in report.findings})
    wrote(path, f"{len(report.findings)} finding(s) in {files} file(s)")


def _apply_baseline(entries: Counter[Key], report: Report, path: str) -> Report:
    from profilesmith.api_types import Report
    from profilesmith.lint.baseline import apply

    applied = apply(entries, report.findings, path,
                    linted=[str(f["path"]) for f in report.files])
    for item, count in applied.stale[:STALE_SHOWN]:
        times = f" ({count} of them)" if count > 1 else ""
        note(f"{path}: no longer found: {item.path} {item.rule} {item.pointer or '/'}{times}")
    if len(applied.stale) > STALE_SHOWN:
        note(f"{path}: ... and {len(applied.stale) - STALE_SHOWN} more entries no longer "
             "found")
    if applied.stale:
        note(f"{path}: {len(applied.stale)} entr{'y' if len(applied.stale) == 1 else 'ies'} "
             "no longer found (--write-baseline rewrites it)")
    return Report(applied.findings, report.files, errors=report.errors, strict=report.strict,
                  skipped=report.skipped)


def append_step_summary(path: str, report: ReporterInput) -> None:
    """Add the findings table to the job's summary page (GitHub Actions)."""
    from profilesmith.lint.reporters.github_format import step_summary

    try:
        with open(path, "a", encoding="utf-8") as stream:
            stream.write(step_summary(report))
    except OSError as exc:
        note(f"{path}: cannot write the step summary ({exc.strerror or exc})")
