"""SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

One run; ``tool.driver.rules`` describes the rules that have results (their docstrings
become the help text); each result points at the file, relative to the working directory
(``%SRCROOT%``) when the file lies inside it, with the JSON Pointer as a logical location.

Code scanning keeps an alert open across commits while its fingerprint stays the same.
Ours hashes the rule, the path, the pointer and the message but not the line, so adding a
payload above a defect does not close one alert and open another.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from profilesmith.base.findings import Finding, Severity
from profilesmith.base.version import __version__
from profilesmith.lint.reporters import Report, relative_path

if TYPE_CHECKING:
    from profilesmith.lint.registry import Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/profilesmith/"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "profilesmith/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

_EXAMPLE = re.compile(r"^(Fails|Passes):\s?(.*)$")


def write(report: Report, stream: TextIO, *, color: bool = False) -> None:
    json.dump(document(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def document(report: Report) -> dict[str, Any]:
    from profilesmith.lint.catalog import all_rules

    known = all_rules()
    rule_ids = sorted({f.rule for f in report.findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    descriptors = [descriptor(rule_id, known.get(rule_id)) for rule_id in rule_ids]
    results = []
    in_srcroot = False  # some artifact is relative to %SRCROOT%
    # worked out once a file: relpath, abspath and a URI quote cost ~30 µs a finding
    artifacts: dict[str, dict[str, str] | None] = {}
    for finding in report.findings:
        if finding.path in artifacts:
            artifact = artifacts[finding.path]
        else:
            artifact = artifacts[finding.path] = artifact_location(finding.path)
        in_srcroot = in_srcroot or (artifact is not None and "uriBaseId" in artifact)
        results.append(result(finding, index[finding.rule], artifact))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "profilesmith",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "results": results,
    }
    if in_srcroot:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": directory_uri(os.getcwd())}}
    if report.errors:
        # what stopped the run (exit 2), where SARIF viewers show a tool's own problems
        run["invocations"] = [{
            "executionSuccessful": False,
            "exitCode": 2,
            "toolExecutionNotifications": [
                {"level": "error", "message": {"text": text}} for text in report.errors
            ],
        }]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def descriptor(rule_id: str, rule: Rule | None) -> dict[str, Any]:
    """A reportingDescriptor; ``rule`` is the registry entry (None for a rule that is
    not registered, which only an unfinished rule module would cause)."""
    from profilesmith.lint.registry import summary_line

    entry: dict[str, Any] = {"id": rule_id, "name": rule_id}
    if rule is None:
        return entry
    doc = rule.doc  # cleaned on each access: once here
    prose, examples = split_doc(doc)
    summary = summary_line(doc)
    if summary:
        entry["shortDescription"] = {"text": summary}
    if prose:
        # docstrings are wrapped at 90 columns; viewers wrap text themselves
        paragraphs = (" ".join(p.split()) for p in prose.split("\n\n"))
        entry["fullDescription"] = {"text": "\n\n".join(p for p in paragraphs if p)}
    if doc:
        entry["help"] = {"text": doc, "markdown": help_markdown(prose, examples)}
    entry["defaultConfiguration"] = {"level": LEVELS[rule.severity]}
    return entry


def result(finding: Finding, rule_index: int,
           artifact: dict[str, str] | None) -> dict[str, Any]:
    """One result; ``artifact`` is artifact_location(finding.path)."""
    location: dict[str, Any] = {}
    if artifact is not None:
        region: dict[str, Any] = {"startLine": finding.line or 1}
        if finding.line is not None and finding.column is not None:
            region["startColumn"] = finding.column
        location["physicalLocation"] = {"artifactLocation": artifact, "region": region}
    if finding.pointer:
        location["logicalLocations"] = [
            {"fullyQualifiedName": finding.pointer, "kind": "element"}
        ]
    data: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
    }
    if location:
        data["locations"] = [location]
    data["partialFingerprints"] = {FINGERPRINT_KEY: _fingerprint(finding, artifact)}
    return data


def artifact_location(path: str) -> dict[str, str] | None:
    """Relative to ``%SRCROOT%`` (the working directory) when inside it, else an
    absolute ``file:`` URI; None for stdin, which has no location."""
    if path == "-":
        return None
    relative = relative_path(path)
    if relative is not None:
        return {"uri": urllib.parse.quote(relative, safe="/"), "uriBaseId": SRCROOT}
    return {"uri": Path(os.path.abspath(path)).as_uri()}


def directory_uri(directory: str) -> str:
    uri = Path(directory).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def fingerprint(finding: Finding) -> str:
    return _fingerprint(finding, artifact_location(finding.path))


def _fingerprint(finding: Finding, artifact: dict[str, str] | None) -> str:
    where = artifact["uri"] if artifact else finding.path
    key = "\0".join((finding.rule, where, finding.pointer, finding.message))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


# -- rule documentation -> help text --------------------------------------------------------


def split_doc(doc: str) -> tuple[str, list[tuple[str, str]]]:
    """The prose of a rule docstring and its ``Fails:``/``Passes:`` snippets.

    A snippet runs from its label to the next label or blank line.
    """
    prose: list[str] = []
    examples: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for line in doc.splitlines():
        match = _EXAMPLE.match(line)
        if match:
            current = [match.group(2).strip()] if match.group(2).strip() else []
            examples.append((match.group(1), current))
        elif not line.strip():
            current = None
            prose.append("")
        elif current is not None:
            current.append(line.strip())
        else:
            prose.append(line)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(prose)).strip()
    return text, [(label, "\n".join(body)) for label, body in examples]


def help_markdown(prose: str, examples: list[tuple[str, str]]) -> str:
    parts = [_markdown_text(paragraph) for paragraph in prose.split("\n\n") if paragraph]
    for label, snippet in examples:
        fence = "```"
        while fence in snippet:
            fence += "`"
        parts.append(f"**{label}:**\n\n{fence}\n{snippet}\n{fence}")
    return "\n\n".join(parts)


_CODE_SPAN = re.compile(r"(``.+?``|`[^`]+`)")


def _markdown_text(paragraph: str) -> str:
    """Prose for Markdown: ``<key>`` would vanish as an HTML tag, ``*`` would start
    emphasis; code spans are left as they are."""
    pieces = _CODE_SPAN.split(" ".join(paragraph.split()))
    for i in range(0, len(pieces), 2):
        text = pieces[i]
        for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
            text = text.replace(raw, escaped)
        pieces[i] = re.sub(r"([\\*_\[\]#])", r"\\\1", text)
    return "".join(pieces)
