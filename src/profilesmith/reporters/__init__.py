"""Reporters turn Findings into text for a stream; they never look at anything else."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from profilesmith.findings import Finding, Severity

FORMATS = ("text", "json", "sarif", "github", "junit")


@dataclass(frozen=True)
class Report:
    findings: Sequence[Finding]
    # one dict per file linted: {"path", "format", "signed", ...} as in the JSON contract
    files: Sequence[dict[str, Any]] = field(default_factory=tuple)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


Writer = Callable[..., None]


def get(name: str) -> Writer:
    """The ``write(report, stream, *, color=False)`` function of a format."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}")
    module = importlib.import_module(f"profilesmith.reporters.{name}_format")
    writer: Writer = module.write
    return writer


def write(name: str, report: Report, stream: TextIO, *, color: bool = False) -> None:
    get(name)(report, stream, color=color)
