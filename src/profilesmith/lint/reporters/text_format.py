"""``path:line:col: severity RULE message``, one finding per line, then a summary."""

from __future__ import annotations

from typing import TextIO

from profilesmith.base.findings import Finding, Severity
from profilesmith.base.lazyre import lazy
from profilesmith.lint.reporters import Report

_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"

# C0/C1 controls (tab aside): a message quoting a hostile value must stay one line and
# must not send escape sequences to the terminal
_CONTROLS = lazy(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\n``, ``\\x1b``)."""
    if not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub(lambda m: repr(m.group())[1:-1], text)


def location(finding: Finding) -> str:
    where = finding.path
    if finding.line is not None:
        where += f":{finding.line}"
        if finding.column is not None:
            where += f":{finding.column}"
    return where


def plain_line(finding: Finding) -> str:
    """The finding as one uncoloured line of the text format."""
    return one_line(f"{location(finding)}: {finding.severity.value} {finding.rule} "
                    f"{finding.message}")


def write(report: Report, stream: TextIO, *, color: bool = False) -> None:
    for finding in report.findings:
        if not color:
            stream.write(plain_line(finding) + "\n")
            continue
        severity = f"{_COLORS[finding.severity]}{finding.severity.value}{_RESET}"
        rule = f"{_BOLD}{finding.rule}{_RESET}"
        where, message = one_line(location(finding)), one_line(finding.message)
        stream.write(f"{where}: {severity} {rule} {message}\n")
    stream.write(summary_line(report) + "\n")


def summary_line(report: Report) -> str:
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    infos = report.count(Severity.INFO)
    files = len(report.files)
    noun = "file" if files == 1 else "files"
    if not report.findings:
        line = f"{files} {noun} checked: no findings"
    else:
        line = f"{files} {noun} checked: {errors} error(s), {warnings} warning(s), {infos} info"
    if report.skipped:
        noun = "file" if report.skipped == 1 else "files"
        line += (f"; {report.skipped} {noun} skipped: not Apple device-management "
                 "messages")
    data = report.data
    if data is not None and data.get("source") != "bundled":
        line += (f"; Apple's data from {data.get('source')} (release {data.get('release')}, "
                 f"commit {str(data.get('apple') or 'unknown')[:12]})")
    return line
