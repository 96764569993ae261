"""No message echoes a value under a secret key, whatever element holds it (issue 11):
every report format of lint, and convert and format, on fixtures whose secret sits in
the wrong element type."""

from __future__ import annotations

import json

import pytest

from tests.conftest import FIXTURES, run_cli

HOSTILE = FIXTURES / "hostile"
SECRET = "hunter2"
FORMATS = ("text", "json", "sarif", "github", "junit")

# fixture -> (rule, pointer, line, message) of the reader's finding
CASES = {
    "secret-scep-challenge-integer.mobileconfig": (
        "PAR007", "/PayloadContent/0/PayloadContent/Challenge", 13,
        "<integer> holds a value not shown (its key names a secret), not an integer"),
    "secret-pkcs12-password-date.mobileconfig": (
        "PAR005", "/PayloadContent/0/Password", 11,
        "<date> holds a value not shown (its key names a secret); expected "
        "YYYY-MM-DDTHH:MM:SSZ"),
    "secret-wifi-password-real.mobileconfig": (
        "PAR007", "/PayloadContent/0/Password", 13,
        "<real> holds a value not shown (its key names a secret), not a number"),
    "secret-scep-challenge-data.mobileconfig": (
        "PAR004", "/PayloadContent/0/PayloadContent/Challenge", 13,
        "<data> is not valid base64: the details are not shown (its key names a secret)"),
    "secret-scep-challenge-stray-text.mobileconfig": (
        "PAR016", "/PayloadContent/0/PayloadContent", 12,
        "text not shown (its key names a secret) between the elements of a <dict>"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_reader_finding_names_no_secret(name: str) -> None:
    result = run_cli("lint", "--format", "json", str(HOSTILE / name))
    assert result.exit_code == 1
    findings = json.loads(result.output)["findings"]
    rule, pointer, line, message = CASES[name]
    assert [(f["rule"], f["pointer"], f["line"], f["message"])
            for f in findings if f["rule"].startswith("PAR")] == [(rule, pointer, line, message)]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_no_report_format_echoes_the_secret(name: str, fmt: str) -> None:
    result = run_cli("lint", "--format", fmt, str(HOSTILE / name))
    assert result.exit_code == 1
    assert CASES[name][0] in result.output  # the finding is reported...
    assert SECRET not in result.output  # ...without the secret


@pytest.mark.parametrize("name", sorted(CASES))
def test_convert_and_format_refuse_without_echoing(name: str) -> None:
    path = str(HOSTILE / name)
    converted = run_cli("convert", path, "--to", "json", "-o", "-")
    formatted = run_cli("format", "--check", path)
    rule, _pointer, line, message = CASES[name]
    assert (converted.exit_code, converted.output) == (
        2, f"profilesmith: {path}:{line}: {message} ({rule})\n")
    assert (formatted.exit_code, formatted.output) == (
        2, f"profilesmith: {path}:{line}: {message} ({rule}); left untouched\n")


def test_json_date_under_a_secret_key(tmp_path: object) -> None:
    from profilesmith.plist.reader import read_bytes

    data = (b'{"PayloadType": "Configuration", "PayloadContent": [], '
            b'"Password": {"$date": "hunter2"}}')
    doc = read_bytes(data, "p.json")
    assert [(f.rule, f.pointer, f.line, f.message) for f in doc.findings] == [
        ("PAR005", "/Password", 1, "$date is not ISO 8601 (the value is not shown: its key "
         "names a secret)")]


def test_yaml_value_under_a_secret_key_is_not_echoed(tmp_path: object) -> None:
    from pathlib import Path

    source = Path(str(tmp_path)) / "p.yaml"
    source.write_text("PayloadType: Configuration\nVPN:\n  Password: !!int hunter2\n")
    result = run_cli("convert", str(source), "--to", "xml", "-o", "-")
    assert (result.exit_code, result.output) == (
        2, f"profilesmith: {source}:3: invalid YAML: the value of Password cannot be read "
        "(not shown: its key names a secret)\n")
