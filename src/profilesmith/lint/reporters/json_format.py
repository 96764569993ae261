"""Exactly one JSON object, as docs/architecture.md fixes it ("The JSON report")."""

from __future__ import annotations

import json
from typing import TextIO

from profilesmith.base.findings import Severity
from profilesmith.lint.reporters import Report


def document(report: Report) -> dict[str, object]:
    """The contract's object; ``errors`` (what stopped the run: exit 2) is added only
    when there are some, ``data`` (which data the run checked against) when known."""
    data: dict[str, object] = {
        "version": 1,
        "files": [dict(entry) for entry in report.files],
        "findings": [f.to_dict() for f in report.findings],
        "summary": {
            "files": len(report.files),
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "infos": report.count(Severity.INFO),
        },
    }
    if report.errors:
        data["errors"] = list(report.errors)
    if report.data is not None:  # an additive key: which data the run checked against
        data["data"] = dict(report.data)
    return data


def write(report: Report, stream: TextIO, *, color: bool = False) -> None:
    json.dump(document(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
