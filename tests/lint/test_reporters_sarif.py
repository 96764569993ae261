"""SARIF output: valid against the official SARIF 2.1.0 schema (tests/data, see its
NOTICE), and shaped as GitHub code scanning reads it."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from profilesmith import __version__
from profilesmith.base.findings import Finding, Severity
from profilesmith.lint.catalog import all_rules
from profilesmith.lint.reporters import Report, write
from profilesmith.lint.reporters.sarif_format import (
    SCHEMA_URI,
    fingerprint,
    help_markdown,
    split_doc,
)
from tests.conftest import lint_files

SCHEMA_FILE = Path(__file__).parent.parent / "data" / "sarif-schema-2.1.0.json"
E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO

# RFC 3986, for the schema's "uri" and "uri-reference" formats (jsonschema checks them
# only with an optional package; these are strict enough for what we write)
_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
_AUTHORITY = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@\[\]]|%[0-9A-Fa-f]{2})*"
_TAIL = rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"
_URI = re.compile(rf"[A-Za-z][A-Za-z0-9+.\-]*:(?://{_AUTHORITY})?(?:{_PCHAR}|/)*{_TAIL}")
_RELATIVE = re.compile(rf"(?://{_AUTHORITY})?(?:{_PCHAR}|/)*{_TAIL}")


def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or _URI.fullmatch(value) is not None


def _is_uri_reference(value: object) -> bool:
    if not isinstance(value, str) or _is_uri(value):
        return True
    first_segment = value.split("/", 1)[0]  # a relative path's first segment has no ":"
    return _RELATIVE.fullmatch(value) is not None and ":" not in first_segment


FORMATS = jsonschema.FormatChecker()
FORMATS.checks("uri")(_is_uri)
FORMATS.checks("uri-reference")(_is_uri_reference)


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft4Validator  # what the schema declares
    cls.check_schema(schema)
    return cls(schema, format_checker=FORMATS)


def sarif(report: Report) -> dict[str, Any]:
    stream = io.StringIO()
    write("sarif", report, stream)
    text = stream.getvalue()
    assert text.endswith("}\n")
    data: dict[str, Any] = json.loads(text)
    return data


FINDINGS = [
    Finding("profiles/a b.mobileconfig", 7, 23, "/PayloadUUID", "STR003", W, "not a UUID"),
    Finding("profiles/a b.mobileconfig", 11, None, "/X", "STR001", E, "duplicate key 'X'"),
    Finding("signed.mobileconfig", None, None, "", "STR001", E, "whole file"),
    Finding("c.mobileconfig", 2, 1, "/A~1B", "ZZZ900", N, "a rule nobody registered"),
]


def test_sarif_validates_against_the_official_schema(
    validator: jsonschema.protocols.Validator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = sarif(Report(FINDINGS, []))
    validator.validate(data)
    # the schema really is checked: a wrong level and a bad URI are refused
    broken = json.loads(json.dumps(data))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(data))
    location = broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    location["artifactLocation"]["uri"] = "a b:c"
    assert not validator.is_valid(broken)


def test_sarif_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    data = sarif(Report(FINDINGS, []))
    assert data["$schema"] == SCHEMA_URI
    assert data["version"] == "2.1.0"
    (run,) = data["runs"]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.as_uri() + "/"}}
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("profilesmith", __version__)
    assert driver["informationUri"].startswith("https://")
    # the rules that have results, sorted; ruleIndex points into this list
    assert [rule["id"] for rule in driver["rules"]] == ["STR001", "STR003", "ZZZ900"]
    str001 = driver["rules"][0]
    doc = all_rules()["STR001"].doc
    assert str001["name"] == "STR001"
    assert str001["shortDescription"] == {"text": "A dictionary holds the same key twice."}
    assert str001["fullDescription"]["text"].startswith(
        "A dictionary holds the same key twice.\n\nOne of the values is silently dropped, "
        "and which one differs between parsers (plistlib keeps"
    )
    assert str001["help"]["text"] == doc
    assert "**Fails:**\n\n```\n<key>A</key>" in str001["help"]["markdown"]
    assert str001["defaultConfiguration"] == {"level": "error"}
    assert driver["rules"][1]["defaultConfiguration"] == {"level": "warning"}
    assert driver["rules"][2] == {"id": "ZZZ900", "name": "ZZZ900"}

    results = run["results"]
    assert [(r["ruleId"], r["ruleIndex"], r["level"]) for r in results] == [
        ("STR003", 1, "warning"), ("STR001", 0, "error"), ("STR001", 0, "error"),
        ("ZZZ900", 2, "note"),
    ]
    first = results[0]
    assert first["message"] == {"text": "not a UUID"}
    assert first["locations"] == [{
        "physicalLocation": {
            "artifactLocation": {"uri": "profiles/a%20b.mobileconfig", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 7, "startColumn": 23},
        },
        "logicalLocations": [{"fullyQualifiedName": "/PayloadUUID", "kind": "element"}],
    }]
    # no column: no startColumn; no line: line 1 (GitHub needs a region), no pointer:
    # no logical location
    assert results[1]["locations"][0]["physicalLocation"]["region"] == {"startLine": 11}
    assert results[2]["locations"] == [{
        "physicalLocation": {
            "artifactLocation": {"uri": "signed.mobileconfig", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 1},
        }
    }]
    assert results[3]["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": "/A~1B", "kind": "element"}
    ]
    assert all(set(r["partialFingerprints"]) == {"profilesmith/v1"} for r in results)


def test_sarif_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     validator: jsonschema.protocols.Validator) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    findings = [
        Finding(str(work / "x" / "é#1?.mobileconfig"), 1, 1, "", "STR001", E, "m"),
        Finding("./y/../a:b 100%.mobileconfig", 1, 1, "", "STR001", E, "m"),
        Finding(str(tmp_path / "outside.mobileconfig"), 1, 1, "", "STR001", E, "m"),
        Finding("-", 3, 1, "/K", "STR001", E, "stdin"),
        Finding("-", 3, 1, "", "STR001", E, "stdin, whole"),
    ]
    data = sarif(Report(findings, []))
    validator.validate(data)
    locations = [r.get("locations") for r in data["runs"][0]["results"]]
    uris = [loc[0]["physicalLocation"]["artifactLocation"] for loc in locations[:3] if loc]
    assert uris == [
        {"uri": "x/%C3%A9%231%3F.mobileconfig", "uriBaseId": "%SRCROOT%"},
        {"uri": "a%3Ab%20100%25.mobileconfig", "uriBaseId": "%SRCROOT%"},
        {"uri": (tmp_path / "outside.mobileconfig").as_uri()},
    ]
    # stdin has no file to point at: the pointer alone, or no location at all
    assert locations[3] == [{"logicalLocations": [{"fullyQualifiedName": "/K",
                                                   "kind": "element"}]}]
    assert locations[4] is None


def test_sarif_without_relative_paths_has_no_base_id(tmp_path: Path) -> None:
    data = sarif(Report([Finding(str(tmp_path.parent / "o.mobileconfig"), 1, 1, "", "STR001",
                                 E, "m")], []))
    assert "originalUriBaseIds" not in data["runs"][0]


def test_sarif_empty_run(validator: jsonschema.protocols.Validator) -> None:
    data = sarif(Report([], [{"path": "a.mobileconfig", "format": "xml", "signed": False}]))
    validator.validate(data)
    assert data["runs"][0]["results"] == []
    assert data["runs"][0]["tool"]["driver"]["rules"] == []


def test_fingerprint_ignores_the_line_but_not_what_is_wrong() -> None:
    base = Finding("a.mobileconfig", 10, 5, "/PayloadContent/0/X", "STR001", E, "m")
    assert fingerprint(base) == fingerprint(base.replace(line=42, column=1))
    assert fingerprint(base) == fingerprint(base.replace(path="./a.mobileconfig"))
    for change in ({"rule": "STR002"}, {"path": "b.mobileconfig"},
                   {"pointer": "/PayloadContent/1/X"}, {"message": "n"}):
        assert fingerprint(base) != fingerprint(base.replace(**change))
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint(base))


def test_rule_documentation_becomes_markdown_help() -> None:
    doc = (
        "A <key> is *odd*.\n\nWhy it matters, with ``code <x>`` kept\nand a [link].\n\n"
        "Fails:   <key>A</key>\n         <string>```</string>\n"
        "Passes:  <key>B</key>\n\nA closing remark."
    )
    prose, examples = split_doc(doc)
    assert prose == (
        "A <key> is *odd*.\n\nWhy it matters, with ``code <x>`` kept\nand a [link].\n\n"
        "A closing remark."
    )
    assert examples == [("Fails", "<key>A</key>\n<string>```</string>"),
                        ("Passes", "<key>B</key>")]
    assert help_markdown(prose, examples) == (
        "A &lt;key&gt; is \\*odd\\*.\n\n"
        "Why it matters, with ``code <x>`` kept and a \\[link\\].\n\n"
        "A closing remark.\n\n"
        "**Fails:**\n\n````\n<key>A</key>\n<string>```</string>\n````\n\n"
        "**Passes:**\n\n```\n<key>B</key>\n```"
    )


def test_every_registered_rule_gives_a_valid_descriptor(
    validator: jsonschema.protocols.Validator,
) -> None:
    findings = [Finding("a.mobileconfig", 1, 1, "", rule_id, rule.severity, "m")
                for rule_id, rule in sorted(all_rules().items())]
    data = sarif(Report(findings, []))
    validator.validate(data)
    for descriptor in data["runs"][0]["tool"]["driver"]["rules"]:
        assert descriptor["shortDescription"]["text"], descriptor["id"]
        assert "**Fails:**" in descriptor["help"]["markdown"], descriptor["id"]


_PATH_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


@settings(max_examples=60, deadline=None)
@given(
    segments=st.lists(st.text(_PATH_CHARS, min_size=1, max_size=12), min_size=1, max_size=3),
    message=st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    pointer=st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
    line=st.none() | st.integers(1, 10**6),
    column=st.none() | st.integers(1, 500),
)
def test_sarif_is_valid_for_any_path_and_text(
    validator: jsonschema.protocols.Validator,
    segments: list[str],
    message: str,
    pointer: str,
    line: int | None,
    column: int | None,
) -> None:
    path = "/".join(s.replace("/", "_") for s in segments)
    if path in (".", "..") or path.startswith("../") or path == "-":
        path = "p" + path
    finding = Finding(path, line, column, pointer, "STR001", E, message)
    data = sarif(Report([finding], []))
    validator.validate(data)
    region = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] >= 1


def test_real_world_corpus_gives_valid_sarif_and_junit(
    corpus: Path, validator: jsonschema.protocols.Validator
) -> None:
    findings = lint_files([corpus])
    assert findings  # the corpus has findings of several rules
    files = sorted({f.path for f in findings})
    report = Report(findings, [{"path": p, "format": "xml", "signed": False} for p in files])
    data = sarif(report)
    validator.validate(data)
    assert len(data["runs"][0]["results"]) == len(findings)
    stream = io.StringIO()
    write("junit", report, stream)
    root = ET.fromstring(stream.getvalue().encode("utf-8"))
    assert root.attrib["tests"] == str(len(files))
