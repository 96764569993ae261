"""The JSON reporter writes, byte for byte, what json.dump(indent=2) writes of the
contract's object (it formats findings itself, for speed)."""

from __future__ import annotations

import io
import json

from profilesmith.base.findings import Finding, Severity
from profilesmith.lint.reporters import Report
from profilesmith.lint.reporters.json_format import document, write


def reference(report: Report) -> str:
    out = io.StringIO()
    json.dump(document(report), out, indent=2, ensure_ascii=False)
    return out.getvalue() + "\n"


def written(report: Report) -> str:
    out = io.StringIO()
    write(report, out)
    return out.getvalue()


TRICKY = [
    Finding("dir/é \"q\".mobileconfig", 3, None, "/a~1b/0", "STR003", Severity.WARNING,
            "tab\there, newline\nthere, \x01 control, back\\slash, emoji 🙂, \u2028"),
    Finding("-", None, None, "", "PAR001", Severity.ERROR, ""),
    Finding("b", 10_000_000, 1, "/k", "ZZZ900", Severity.INFO, "x" * 300),
]


def test_same_bytes_as_json_dump_for_every_shape() -> None:
    files = [{"path": "é", "format": "cms", "signed": True, "encrypted": True, "kind": "profile",
              "type": None}, {"path": "x", "format": "unknown", "signed": False}]
    data = {"source": "bundled", "n": 1.5, "nested": {"a": [1, 2.0, {"b": []}], "e": {}},
            "flags": [True, False, None], "inf": float("inf")}
    for report in (
        Report([]),
        Report(TRICKY, files),
        Report(TRICKY * 400, files, errors=["a: cannot read", "b \"x\""], data=data),
        Report([], files, data={}),
    ):
        assert written(report) == reference(report)


def test_findings_are_written_in_chunks_not_one_string() -> None:
    class Counting(io.StringIO):
        calls = 0

        def write(self, text: str) -> int:
            Counting.calls += 1
            assert len(text) < 512 * 400  # a chunk of findings, never the whole report
            return super().write(text)

    report = Report(TRICKY * 1000)
    out = Counting()
    write(report, out)
    assert out.getvalue() == reference(report)
    assert Counting.calls > 3000 // 512
