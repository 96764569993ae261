"""Exactly one JSON object, as docs/architecture.md fixes it ("The JSON report")."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TextIO, TypeVar

from profilesmith.base.findings import Finding, Severity
from profilesmith.lint.reporters import Report

T = TypeVar("T")


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
    """The bytes ``json.dump(document(report), stream, indent=2, ensure_ascii=False)``
    writes, but each finding formatted on its own by the C string encoder (json's
    indenting encoder is pure Python: it cost more than the rules) and written a chunk at
    a time, without a dict per finding held for the whole report."""
    data = document(Report([], [], report.strict, report.skipped, report.errors, report.data))
    data["summary"] = {
        "files": len(report.files),
        "errors": report.count(Severity.ERROR),
        "warnings": report.count(Severity.WARNING),
        "infos": report.count(Severity.INFO),
    }
    for key, value in data.items():
        prefix = "{\n  " if key == "version" else ",\n  "
        stream.write(f"{prefix}{_string(key)}: ")
        if key == "files" and report.files:
            _array(stream, ([_value(dict(entry), "\n    ") for entry in chunk]
                            for chunk in _chunks(report.files)))
        elif key == "findings" and report.findings:
            _array(stream, ([_finding(f) for f in chunk] for chunk in _chunks(report.findings)))
        else:
            stream.write(_value(value, "\n  "))
    stream.write("\n}\n")


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _array(stream: TextIO, chunks: Iterable[list[str]]) -> None:
    """A non-empty array of the report's top level, a chunk of its items at a time."""
    separator = "["
    for chunk in chunks:
        stream.write(separator + ",".join("\n    " + item for item in chunk))
        separator = ","
    stream.write("\n  ]")


_CHUNK = 512
_string = json.encoder.encode_basestring  # the C version where there is one, as json.dump


def _scalar(value: object) -> str:
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return json.dumps(value)  # NaN and the infinities as json spells them
    return int.__repr__(value)


def _finding(finding: Finding) -> str:
    line = "null" if finding.line is None else int.__repr__(finding.line)
    column = "null" if finding.column is None else int.__repr__(finding.column)
    return (f'{{\n      "path": {_string(finding.path)},\n      "line": {line},\n'
            f'      "column": {column},\n      "pointer": {_string(finding.pointer)},\n'
            f'      "rule": {_string(finding.rule)},\n'
            f'      "severity": {_string(finding.severity.value)},\n'
            f'      "message": {_string(finding.message)}\n    }}')


def _value(value: object, newline: str) -> str:
    """``value`` as json.dumps(indent=2) writes it at the depth ``newline`` indents to."""
    inner = newline + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        members = (f"{inner}{_string(str(k))}: {_value(v, inner)}" for k, v in value.items())
        return "{" + ",".join(members) + newline + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[" + ",".join(inner + _value(v, inner) for v in value) + newline + "]"
    return _scalar(value)
