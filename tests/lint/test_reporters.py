"""The text, json, github and junit reporters, on hand-made Reports: exact output.

(SARIF has its own module, test_reporters_sarif.py; the CLI side of formats and exit
codes is in test_cli_output.py.)
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from profilesmith.base.findings import Finding, Severity
from profilesmith.lint.reporters import Report, relative_path, write
from profilesmith.lint.reporters.github_format import (
    escape_data,
    escape_property,
    step_summary,
)
from profilesmith.lint.reporters.text_format import one_line

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO

FILES = [
    {"path": "a.mobileconfig", "format": "xml", "signed": False},
    {"path": "b.mobileconfig", "format": "cms", "signed": True},
]
FINDINGS = [
    Finding("a.mobileconfig", 7, 23, "/PayloadUUID", "STR003", W, "PayloadUUID 'x' is not a UUID"),
    Finding("a.mobileconfig", 11, 1, "/X", "STR001", E, "duplicate key 'X': one is dropped"),
    Finding("b.mobileconfig", None, None, "", "ZZZ900", N, "a note"),
]
REPORT = Report(FINDINGS, FILES)


def render(fmt: str, report: Report, *, color: bool = False) -> str:
    stream = io.StringIO()
    write(fmt, report, stream, color=color)
    return stream.getvalue()


# -- text ----------------------------------------------------------------------------------


def test_text_format() -> None:
    assert render("text", REPORT) == (
        "a.mobileconfig:7:23: warning STR003 PayloadUUID 'x' is not a UUID\n"
        "a.mobileconfig:11:1: error STR001 duplicate key 'X': one is dropped\n"
        "b.mobileconfig: info ZZZ900 a note\n"
        "2 files checked: 1 error(s), 1 warning(s), 1 info\n"
    )


def test_text_format_in_colour() -> None:
    report = Report(FINDINGS[1:2], FILES[:1])
    assert render("text", report, color=True) == (
        "a.mobileconfig:11:1: \x1b[31merror\x1b[0m \x1b[1mSTR001\x1b[0m "
        "duplicate key 'X': one is dropped\n"
        "1 file checked: 1 error(s), 0 warning(s), 0 info\n"
    )


def test_text_format_without_findings() -> None:
    assert render("text", Report([], FILES[:1])) == "1 file checked: no findings\n"
    assert render("text", Report([], [])) == "0 files checked: no findings\n"


def test_text_format_keeps_one_finding_on_one_line() -> None:
    # a message that quotes a hostile value: no line break, no terminal escape
    finding = Finding("a b.mobileconfig", 3, None, "/K", "STR001", E, "bad\nvalue\x1b[2J\tok")
    assert render("text", Report([finding], FILES[:1])).splitlines()[0] == (
        "a b.mobileconfig:3: error STR001 bad\\nvalue\\x1b[2J\tok"
    )
    assert one_line("plain") == "plain"
    assert one_line("\r\x00\x85") == "\\r\\x00\\x85"


# -- json ----------------------------------------------------------------------------------


def test_json_format_is_the_design_contract() -> None:
    text = render("json", REPORT)
    document = json.loads(text)
    assert document == {
        "version": 1,
        "files": FILES,
        "findings": [
            {"path": "a.mobileconfig", "line": 7, "column": 23, "pointer": "/PayloadUUID",
             "rule": "STR003", "severity": "warning",
             "message": "PayloadUUID 'x' is not a UUID"},
            {"path": "a.mobileconfig", "line": 11, "column": 1, "pointer": "/X",
             "rule": "STR001", "severity": "error",
             "message": "duplicate key 'X': one is dropped"},
            {"path": "b.mobileconfig", "line": None, "column": None, "pointer": "",
             "rule": "ZZZ900", "severity": "info", "message": "a note"},
        ],
        "summary": {"files": 2, "errors": 1, "warnings": 1, "infos": 1},
    }
    # key order is part of the contract (docs/architecture.md, "The JSON report")
    assert list(document) == ["version", "files", "findings", "summary"]
    assert list(document["findings"][0]) == [
        "path", "line", "column", "pointer", "rule", "severity", "message"
    ]
    assert text.endswith("}\n")
    assert text.count("\n{") == 0  # exactly one object


def test_json_format_keeps_extra_file_keys_and_unicode() -> None:
    files = [{"path": "é.mobileconfig", "format": "cms", "signed": True, "encrypted": True}]
    text = render("json", Report([], files))
    assert json.loads(text)["files"] == files
    assert '"path": "é.mobileconfig"' in text


# -- github --------------------------------------------------------------------------------


def test_github_format() -> None:
    assert render("github", REPORT) == (
        "::warning file=a.mobileconfig,line=7,col=23,title=STR003::"
        "PayloadUUID 'x' is not a UUID\n"
        "::error file=a.mobileconfig,line=11,col=1,title=STR001::"
        "duplicate key 'X': one is dropped\n"
        "::notice file=b.mobileconfig,title=ZZZ900::a note\n"
        "profilesmith: 2 files checked: 1 error(s), 1 warning(s), 1 info\n"
    )


def test_github_format_escapes_like_the_toolkit() -> None:
    assert escape_data("100%\r\nx: a, b") == "100%25%0D%0Ax: a, b"
    assert escape_property("100%\r\nx: a, b") == "100%25%0D%0Ax%3A a%2C b"
    finding = Finding("dir,1/a:b%.mobileconfig", 4, None, "/K", "STR001", E,
                      "50% of\n::error::injected")
    assert render("github", Report([finding], FILES[:1])).splitlines()[0] == (
        "::error file=dir%2C1/a%3Ab%25.mobileconfig,line=4,title=STR001::"
        "50%25 of%0A::error::injected"
    )


def test_github_format_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    inside = str(tmp_path / "sub" / "a.mobileconfig")
    findings = [
        Finding("-", 1, 1, "", "STR001", E, "from stdin"),
        Finding("./sub/../sub/b.mobileconfig", 2, 1, "", "STR001", E, "dotted"),
        Finding("/elsewhere/c.mobileconfig", 3, 1, "", "STR001", E, "outside"),
        Finding(inside, 4, 1, "", "STR001", E, "absolute inside"),
    ]
    lines = render("github", Report(findings, [])).splitlines()
    assert lines[:4] == [
        "::error title=STR001::from stdin",
        "::error file=sub/b.mobileconfig,line=2,col=1,title=STR001::dotted",
        "::error file=/elsewhere/c.mobileconfig,line=3,col=1,title=STR001::outside",
        "::error file=sub/a.mobileconfig,line=4,col=1,title=STR001::absolute inside",
    ]
    assert relative_path("-") is None
    assert relative_path("..") is None
    assert relative_path(str(tmp_path)) == "."


def test_github_format_says_when_github_hides_annotations() -> None:
    errors = [Finding("a.mobileconfig", n, 1, "", "STR001", E, f"e{n}") for n in range(1, 13)]
    warnings = [Finding("b.mobileconfig", n, 1, "", "STR003", W, f"w{n}") for n in range(1, 4)]
    out = render("github", Report(errors + warnings, FILES)).splitlines()
    assert len([line for line in out if line.startswith("::error ")]) == 12
    assert out[15:] == [
        "profilesmith: GitHub displays only 10 annotations of each level per step "
        "(50 per job): 2 of 15 findings have none; all are listed below",
        "::group::All 15 findings",
        *[f"a.mobileconfig:{n}:1: error STR001 e{n}" for n in range(1, 13)],
        *[f"b.mobileconfig:{n}:1: warning STR003 w{n}" for n in range(1, 4)],
        "::endgroup::",
        "profilesmith: 2 files checked: 12 error(s), 3 warning(s), 0 info",
    ]


def test_github_plain_lines_cannot_become_commands() -> None:
    hostile = [Finding("::add-mask::x", n, 1, "", "STR001", E, "m\n::stop") for n in range(11)]
    out = render("github", Report(hostile, [])).splitlines()
    group = out[out.index("::group::All 11 findings") + 1 : out.index("::endgroup::")]
    assert group[0] == "%3A:add-mask::x:0:1: error STR001 m\\n::stop"
    assert all(not line.lstrip().startswith("::") for line in group)


def test_github_step_summary() -> None:
    finding = Finding("a|b.mobileconfig", 3, 1, "", "STR001", E, "<key>A</key>\nx & y")
    assert step_summary(Report([finding], FILES[:1])) == (
        "### profilesmith lint\n"
        "\n"
        "1 file checked: 1 error(s), 0 warning(s), 0 info\n"
        "\n"
        "| File | Line | Severity | Rule | Message |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| a\\|b.mobileconfig | 3 | error | STR001 | &lt;key&gt;A&lt;/key&gt; x &amp; y |\n"
    )
    assert step_summary(Report([], FILES)) == (
        "### profilesmith lint\n\n2 files checked: no findings\n"
    )


def test_github_step_summary_is_capped() -> None:
    many = [Finding("a.mobileconfig", n, 1, "", "STR001", E, "m") for n in range(1, 106)]
    text = step_summary(Report(many, FILES[:1]))
    assert text.count("| a.mobileconfig |") == 100
    assert text.endswith("\n… and 5 more findings: see the step's log.\n")


# -- junit ---------------------------------------------------------------------------------

JUNIT = """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="profilesmith" tests="3" failures="1" errors="0" skipped="0">
  <testsuite name="profilesmith lint" tests="3" failures="1" errors="0" skipped="0">
    <testcase classname="a.mobileconfig" name="a.mobileconfig" file="a.mobileconfig">
      <failure type="STR001" message="STR001 duplicate key 'X': one is dropped">\
a.mobileconfig:11:1: error STR001 duplicate key 'X': one is dropped</failure>
      <system-out>a.mobileconfig:7:23: warning STR003 PayloadUUID 'x' is not a UUID</system-out>
    </testcase>
    <testcase classname="b.mobileconfig" name="b.mobileconfig" file="b.mobileconfig">
      <system-out>b.mobileconfig: info ZZZ900 a note</system-out>
    </testcase>
    <testcase classname="c &lt;&amp;&gt; &quot;d&quot;.mobileconfig" \
name="c &lt;&amp;&gt; &quot;d&quot;.mobileconfig" \
file="c &lt;&amp;&gt; &quot;d&quot;.mobileconfig" />
  </testsuite>
</testsuites>
"""


def test_junit_format() -> None:
    files = [*FILES, {"path": 'c <&> "d".mobileconfig', "format": "xml", "signed": False}]
    assert render("junit", Report(FINDINGS, files)) == JUNIT


def test_junit_strict_fails_warnings_too() -> None:
    out = render("junit", Report(FINDINGS, FILES, strict=True))
    root = ET.fromstring(out)
    assert root.attrib["failures"] == "1"
    (failure,) = root.iter("failure")
    assert failure.attrib == {
        "type": "STR003,STR001",
        "message": "STR003 PayloadUUID 'x' is not a UUID (and 1 more)",
    }
    assert failure.text == (
        "a.mobileconfig:7:23: warning STR003 PayloadUUID 'x' is not a UUID\n"
        "a.mobileconfig:11:1: error STR001 duplicate key 'X': one is dropped"
    )
    # infos never fail
    outs = [(case.attrib["name"], case.findtext("system-out")) for case in root.iter("testcase")]
    assert outs == [
        ("a.mobileconfig", None), ("b.mobileconfig", "b.mobileconfig: info ZZZ900 a note")
    ]


def test_junit_is_well_formed_whatever_the_text() -> None:
    nasty = "\x00\x01\x0b\x1b\ufffe\ud800 ]]> <![CDATA[ &amp;"
    finding = Finding(f"p{nasty}.mobileconfig", 1, 1, "", "STR001", E, f"first{nasty}\nsecond")
    out = render("junit", Report([finding], [{"path": finding.path, "format": "unknown",
                                              "signed": False}]))
    root = ET.fromstring(out.encode("utf-8"))  # raises on anything not well-formed
    case = next(root.iter("testcase"))
    assert case.attrib["name"] == (
        "p\\u0000\\u0001\\u000b\\u001b\\ufffe\\ud800 ]]> <![CDATA[ &amp;.mobileconfig"
    )
    failure = case.find("failure")
    assert failure is not None
    assert failure.attrib["message"] == (
        "STR001 first\\x00\\x01\\x0b\\x1b\\ufffe\\ud800 ]]> <![CDATA[ &amp;"
    )


def test_junit_without_files() -> None:
    assert render("junit", Report([], [])) == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="profilesmith" tests="0" failures="0" errors="0" skipped="0">\n'
        '  <testsuite name="profilesmith lint" tests="0" failures="0" errors="0" skipped="0" />\n'
        "</testsuites>\n"
    )


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render("xml", REPORT)
