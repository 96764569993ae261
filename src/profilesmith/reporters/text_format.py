"""``path:line:col: severity RULE message``, one finding per line, then a summary."""

from __future__ import annotations

from typing import TextIO

from profilesmith.findings import Finding, Severity
from profilesmith.reporters import Report

_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def location(finding: Finding) -> str:
    where = finding.path
    if finding.line is not None:
        where += f":{finding.line}"
        if finding.column is not None:
            where += f":{finding.column}"
    return where


def write(report: Report, stream: TextIO, *, color: bool = False) -> None:
    for finding in report.findings:
        severity = finding.severity.value
        rule = finding.rule
        if color:
            severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
            rule = f"{_BOLD}{rule}{_RESET}"
        stream.write(f"{location(finding)}: {severity} {rule} {finding.message}\n")
    stream.write(summary_line(report) + "\n")


def summary_line(report: Report) -> str:
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    infos = report.count(Severity.INFO)
    files = len(report.files)
    noun = "file" if files == 1 else "files"
    if not report.findings:
        return f"{files} {noun} checked: no findings"
    return f"{files} {noun} checked: {errors} error(s), {warnings} warning(s), {infos} info"
