"""JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure Pipelines).

The shape those importers agree on: ``<testsuites>`` holding one ``<testsuite>``, one
``<testcase>`` per linted file (``classname`` and ``name`` are the path, ``file`` too,
for GitLab's links).

- A file with findings that fail the run (errors; with ``--strict`` warnings too) gets
  ONE ``<failure>``: ``type`` is the rules involved, ``message`` the first failing
  finding's first line, and the text lists every failing finding, one per line. One,
  because Jenkins and Azure Pipelines show only the first ``<failure>`` of a test case,
  and the Ant JUnit schema they follow allows no more.
- Findings that do not fail the run (warnings, infos) go to the test case's
  ``<system-out>``: visible in the report, but not a failed test, so the report agrees
  with the exit code.

No timestamps or durations: the report of the same files is the same bytes. Text is
built with ElementTree (never by string concatenation) after removing what XML 1.0
cannot carry at all (most control characters, lone surrogates), shown as escapes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from profilesmith.base.findings import Finding
from profilesmith.lint.reporters import Report
from profilesmith.lint.reporters.text_format import one_line, plain_line

SUITE_NAME = "profilesmith lint"

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with characters XML 1.0 cannot represent replaced by visible escapes."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def write(report: Report, stream: TextIO, *, color: bool = False) -> None:
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    tree = ET.ElementTree(build(report))
    ET.indent(tree, space="  ")
    tree.write(stream, encoding="unicode", xml_declaration=False, short_empty_elements=True)
    stream.write("\n")


def build(report: Report) -> ET.Element:
    by_path: dict[str, list[Finding]] = {entry["path"]: [] for entry in report.files}
    for finding in report.findings:
        by_path.setdefault(finding.path, []).append(finding)
    failed = sum(1 for findings in by_path.values() if any(map(report.failing, findings)))
    errored = 1 if report.errors else 0
    counts = {"tests": str(len(by_path) + errored), "failures": str(failed),
              "errors": str(errored), "skipped": "0"}
    root = ET.Element("testsuites", {"name": "profilesmith", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE_NAME, **counts})
    if report.errors:
        # what stopped the run (exit 2): one test case in error, so the report says so
        case = ET.SubElement(suite, "testcase", {"classname": "profilesmith",
                                                 "name": SUITE_NAME})
        error = ET.SubElement(case, "error", {"type": "usage",
                                              "message": xml_text(one_line(report.errors[0]))})
        error.text = xml_text("\n".join(one_line(e) for e in report.errors))
    for path, findings in by_path.items():
        suite.append(testcase(path, findings, report))
    return root


def testcase(path: str, findings: list[Finding], report: Report) -> ET.Element:
    name = xml_text(path)
    case = ET.Element("testcase", {"classname": name, "name": name, "file": name})
    failing = [f for f in findings if report.failing(f)]
    others = [f for f in findings if not report.failing(f)]
    if failing:
        rules = list(dict.fromkeys(f.rule for f in failing))
        first = failing[0]
        first_line = re.split(r"\r\n?|\n", first.message, maxsplit=1)[0]
        message = one_line(f"{first.rule} {first_line}")
        if len(failing) > 1:
            message += f" (and {len(failing) - 1} more)"
        failure = ET.SubElement(
            case, "failure", {"type": xml_text(",".join(rules)), "message": xml_text(message)}
        )
        failure.text = xml_text("\n".join(plain_line(f) for f in failing))
    if others:
        out = ET.SubElement(case, "system-out")
        out.text = xml_text("\n".join(plain_line(f) for f in others))
    return case
