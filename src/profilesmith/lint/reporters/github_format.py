"""GitHub Actions workflow commands: one annotation per finding, then a summary.

A line ``::error file=P,line=L,col=C,title=RULE::message`` in a step's log becomes an
annotation on that line of the pull request. GitHub displays only the first 10
annotations of each level (error, warning, notice) of a step, and 50 of a job; the others
are dropped without a word. So the summary says how many findings have no visible
annotation, and then lists every finding as plain text in a collapsed log group.

Everything printed is escaped as GitHub's own toolkit escapes it: a message cannot end
the command line early, so a value quoted from a hostile profile cannot inject a
workflow command of its own.
"""

from __future__ import annotations

from typing import TextIO

from profilesmith.base.findings import Finding, Severity
from profilesmith.lint.reporters import Report, relative_path
from profilesmith.lint.reporters.text_format import plain_line, summary_line

# GitHub's display limit per level and step (actions/toolkit, docs/problem-matchers.md)
ANNOTATIONS_PER_LEVEL = 10
# a step summary may hold 1 MiB; a table much longer than this is not read anyway
SUMMARY_ROWS = 100

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part of a workflow command (toolkit ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A ``key=value`` property (toolkit ``escapeProperty``): also ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_path(path: str) -> str | None:
    """The ``file=`` GitHub resolves against the checkout; None for stdin."""
    if path == "-":
        return None
    return relative_path(path) or path


def annotation(finding: Finding) -> str:
    properties = []
    path = annotation_path(finding.path)
    if path is not None:
        properties.append(f"file={escape_property(path)}")
        if finding.line is not None:
            properties.append(f"line={finding.line}")
            if finding.column is not None:
                properties.append(f"col={finding.column}")
    properties.append(f"title={escape_property(finding.rule)}")
    command = COMMANDS[finding.severity]
    return f"::{command} {','.join(properties)}::{escape_data(finding.message)}"


def hidden_count(report: Report) -> int:
    """Findings beyond what GitHub displays as annotations of one step."""
    return sum(max(0, report.count(level) - ANNOTATIONS_PER_LEVEL) for level in COMMANDS)


def write(report: Report, stream: TextIO, *, color: bool = False) -> None:
    for finding in report.findings:
        stream.write(annotation(finding) + "\n")
    hidden = hidden_count(report)
    if hidden:
        total = len(report.findings)
        stream.write(
            f"profilesmith: GitHub displays only {ANNOTATIONS_PER_LEVEL} annotations of each "
            f"level per step (50 per job): {hidden} of {total} findings have none; "
            "all are listed below\n"
        )
        stream.write(f"::group::All {total} findings\n")
        for finding in report.findings:
            stream.write(_defuse(plain_line(finding)) + "\n")
        stream.write("::endgroup::\n")
    stream.write(f"profilesmith: {summary_line(report)}\n")


def _defuse(line: str) -> str:
    """A plain log line that the runner cannot take for a command (a path may start
    with "::"; one_line already removed line breaks)."""
    stripped = line.lstrip()
    if stripped.startswith("::"):
        return "%3A" + stripped[1:]
    return line


# -- $GITHUB_STEP_SUMMARY ------------------------------------------------------------------


def step_summary(report: Report) -> str:
    """Markdown for the job's summary page (the CLI appends it to $GITHUB_STEP_SUMMARY)."""
    lines = ["### profilesmith lint", "", summary_line(report)]
    if report.findings:
        lines += ["", "| File | Line | Severity | Rule | Message |",
                  "| --- | --- | --- | --- | --- |"]
        for finding in report.findings[:SUMMARY_ROWS]:
            path = annotation_path(finding.path) or finding.path
            line = "" if finding.line is None else str(finding.line)
            cells = [path, line, finding.severity.value, finding.rule, finding.message]
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
        rest = len(report.findings) - SUMMARY_ROWS
        if rest > 0:
            lines += ["", f"… and {rest} more findings: see the step's log."]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Table-cell text: no line breaks, no column breaks, no HTML."""
    text = " ".join(text.splitlines())
    for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|")):
        text = text.replace(raw, escaped)
    return text
