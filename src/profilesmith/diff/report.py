"""A Comparison as text (one line per difference, grouped) or as one JSON object."""

from __future__ import annotations

from typing import Any

from profilesmith.base.findings import Finding, Severity
from profilesmith.diff.model import Comparison
from profilesmith.plist.document import Document

_VERDICTS = {
    "identical": "no differences",
    "compatible": "NEW can replace OLD",
    "breaks": "installing NEW over OLD fails",
    "not-an-update": "NEW is not an update of OLD (another PayloadIdentifier)",
    "unreadable": "nothing compared: a file cannot be read",
}


def _counts(comparison: Comparison) -> str:
    errors, warnings = comparison.count(Severity.ERROR), comparison.count(Severity.WARNING)
    infos = comparison.count(Severity.INFO)
    return (f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}, "
            f"{infos} info")


def to_text(comparison: Comparison) -> str:
    from profilesmith.lint.reporters.text_format import one_line, plain_line

    lines = [one_line(f"--- {comparison.old_path}"), one_line(f"+++ {comparison.new_path}")]
    lines += [plain_line(finding) for finding in comparison.unreadable]
    title = None
    for difference in comparison.differences:
        if difference.group.title != title:
            title = difference.group.title
            lines.append(one_line(title))
        pointer = difference.pointer or f"({difference.group.title})"
        lines.append(one_line(f"  {difference.severity.value} {difference.rule} {pointer}: "
                              f"{difference.message}"))
    verdict = _VERDICTS[comparison.verdict]
    if comparison.differences:
        verdict = f"{_counts(comparison)}: {verdict}"
    lines.append(verdict)
    return "\n".join(lines) + "\n"


def to_json(comparison: Comparison) -> dict[str, Any]:
    differences: list[dict[str, Any]] = []
    for finding in comparison.unreadable:
        differences.append({"rule": finding.rule, "severity": finding.severity.value,
                            "pointer": finding.pointer, "message": finding.message,
                            "path": finding.path, "line": finding.line,
                            "column": finding.column})
    for difference in comparison.differences:
        entry: dict[str, Any] = {"rule": difference.rule,
                                 "severity": difference.severity.value,
                                 "pointer": difference.pointer,
                                 "message": difference.message,
                                 "group": difference.group.title}
        if difference.old is not None:
            entry["old"] = difference.old
        if difference.new is not None:
            entry["new"] = difference.new
        differences.append(entry)
    summary = {
        "differences": len(comparison.differences),
        "errors": comparison.count(Severity.ERROR),
        "warnings": comparison.count(Severity.WARNING),
        "infos": comparison.count(Severity.INFO),
        "verdict": comparison.verdict,
    }
    return {"version": 1, "old": comparison.old_path, "new": comparison.new_path,
            "differences": differences, "summary": summary}


def to_findings(comparison: Comparison, new: Document) -> list[Finding]:
    """The differences as findings on NEW (what the sarif, github and junit reporters
    take): a removed value is placed on the dictionary NEW no longer has it in."""
    findings = list(comparison.unreadable)
    for difference in comparison.differences:
        line, column = new.locate(difference.pointer) if difference.pointer else (None, None)
        findings.append(Finding(comparison.new_path, line, column, difference.pointer,
                                difference.rule, difference.severity, difference.message))
    return sorted(findings)
