"""Reports of one verdict per file (``verify``: Verified or not) for CI: GitHub workflow
commands and JUnit XML, escaped as the finding reporters escape them.

A :class:`Verdict` is plain data (path, passed, title, detail lines), so this module
knows nothing of signatures.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import NamedTuple, TextIO

from profilesmith.lint.reporters.github_format import (
    annotation_path,
    escape_data,
    escape_property,
)
from profilesmith.lint.reporters.junit_format import xml_text
from profilesmith.lint.reporters.text_format import one_line


class Verdict(NamedTuple):
    path: str
    passed: bool
    title: str  # one line: "a.mobileconfig: Unverified (unknown root)"
    details: Sequence[str] = ()


def write_github(verdicts: Sequence[Verdict], stream: TextIO) -> None:
    """An error annotation on each file that did not pass, the details as log lines."""
    for verdict in verdicts:
        if not verdict.passed:
            where = annotation_path(verdict.path)
            properties = [] if where is None else [f"file={escape_property(where)}"]
            properties.append(f"title={escape_property(one_line(verdict.title))}")
            message = "\n".join([verdict.title, *verdict.details])
            stream.write(f"::error {','.join(properties)}::{escape_data(message)}\n")
        else:
            stream.write(one_line(verdict.title) + "\n")


def write_junit(verdicts: Sequence[Verdict], stream: TextIO, *, suite: str) -> None:
    """One test case per file; a failure for each that did not pass."""
    failed = sum(1 for v in verdicts if not v.passed)
    counts = {"tests": str(len(verdicts)), "failures": str(failed), "errors": "0",
              "skipped": "0"}
    root = ET.Element("testsuites", {"name": "profilesmith", **counts})
    group = ET.SubElement(root, "testsuite", {"name": suite, **counts})
    for verdict in verdicts:
        name = xml_text(verdict.path)
        case = ET.SubElement(group, "testcase", {"classname": name, "name": name,
                                                 "file": name})
        text = xml_text("\n".join(one_line(line) for line in [verdict.title,
                                                              *verdict.details]))
        if verdict.passed:
            ET.SubElement(case, "system-out").text = text
        else:
            failure = ET.SubElement(case, "failure", {
                "type": "unverified", "message": xml_text(one_line(verdict.title))})
            failure.text = text
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    tree = ET.ElementTree(root)
    ET.indent(tree, space="  ")
    tree.write(stream, encoding="unicode", xml_declaration=False, short_empty_elements=True)
    stream.write("\n")
