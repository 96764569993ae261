"""Reporters turn Findings into text for a stream; they never look at anything else.

One module per format (text, json, sarif, github, junit), chosen by :func:`get`. May
import: profilesmith.lint.registry / catalog (rule documentation for SARIF), profilesmith.base.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, TextIO

from profilesmith.base.findings import Finding, Severity

FORMATS = ("text", "json", "sarif", "github", "junit")


class Report(NamedTuple):
    findings: Sequence[Finding]
    # one dict per file linted: {"path", "format", "signed", ...} as in the JSON contract
    files: Sequence[dict[str, Any]] = ()
    # --strict: warnings fail the run too (the junit reporter marks them as failures)
    strict: bool = False
    # files of directory walks left out: no Apple device-management document
    skipped: int = 0
    # what stopped the run or part of it (a missing path, an unreadable file, an internal
    # error): exit 2. The json and sarif documents carry them, so that they stay valid
    # documents that say what went wrong.
    errors: Sequence[str] = ()
    # the data checked against: {"source": "bundled" | DIR, "apple": commit, "release": ...}
    data: Mapping[str, Any] | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def failing(self, finding: Finding) -> bool:
        """Whether ``finding`` makes the run fail (exit 1)."""
        return finding.severity is Severity.ERROR or (
            self.strict and finding.severity is Severity.WARNING
        )


Writer = Callable[..., None]


def get(name: str) -> Writer:
    """The ``write(report, stream, *, color=False)`` function of a format."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}")
    module = importlib.import_module(f"profilesmith.lint.reporters.{name}_format")
    writer: Writer = module.write
    return writer


def write(name: str, report: Report, stream: TextIO, *, color: bool = False) -> None:
    get(name)(report, stream, color=color)


def relative_path(path: str) -> str | None:
    """``path`` relative to the working directory with ``/`` separators, or None for
    stdin and for files outside it (CI systems resolve paths against the checkout,
    which is where a CI step runs)."""
    if path == "-":
        return None
    try:
        relative = os.path.relpath(os.path.abspath(path))
    except ValueError:  # another drive on Windows
        return None
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return relative.replace(os.sep, "/")
