"""The JSON reader: DDM declarations and JSON profiles become the same Document the plist
readers give — values, positions, duplicates, and exact findings for what is wrong."""

from __future__ import annotations

from datetime import datetime

from profilesmith.plist.reader import read_bytes
from tests.conftest import lint_bytes

DECLARATION = b"""{
  "Type": "com.apple.configuration.passcode.settings",
  "Identifier": "com.example.passcode",
  "ServerToken": "1",
  "Payload": {
    "MinimumLength": 6,
    "RequireAlphanumericPasscode": true,
    "Nested": [1, {"Deep": "x"}]
  }
}
"""


def findings_of(data: bytes) -> list[tuple[str, str, int | None, int | None]]:
    doc = read_bytes(data, "d.json")
    return [(f.rule, f.pointer, f.line, f.column) for f in doc.findings]


def test_values_kind_and_positions() -> None:
    doc = read_bytes(DECLARATION, "d.json")
    assert (doc.format, doc.kind, doc.type) == (
        "json", "declaration", "com.apple.configuration.passcode.settings")
    assert doc.root["Payload"]["MinimumLength"] == 6
    assert doc.findings == []
    assert doc.locate("") == (1, 1)
    assert doc.locate("/Payload") == (5, 14)
    assert doc.locate("/Payload/MinimumLength") == (6, 22)
    assert doc.locate("/Payload/MinimumLength", at="key") == (6, 5)
    assert doc.locate("/Payload/Nested/1/Deep") == (8, 28)
    # a missing member: its object
    assert doc.locate("/Payload/Absent") == (5, 14)


def test_positions_count_characters_and_survive_escapes() -> None:
    data = '{"Type": "t", "Identifier": "é\\"}", "Payload": {"Kéy": [true, "x"]}}'.encode()
    doc = read_bytes(data, "d.json")
    assert doc.root["Identifier"] == 'é"}'
    assert doc.locate("/Payload/Kéy/1") == (1, 63)


def test_duplicate_keys_are_str001_on_the_second_key() -> None:
    data = b'{"Type": "t",\n "Identifier": "a",\n "Payload": {"A": 1,\n  "A": 2}}\n'
    doc = read_bytes(data, "d.json")
    assert doc.duplicates == ["/Payload/A"]
    assert doc.root["Payload"]["A"] == 2  # the last one, as plistlib keeps it
    assert [(f.rule, f.pointer, f.line, f.column) for f in lint_bytes(data, path="d.json")
            if f.rule == "STR001"] == [("STR001", "/Payload/A", 4, 3)]


def test_malformed_json_has_the_parser_s_position() -> None:
    assert findings_of(b'{"Type": "t",\n  "Identifier": "a",}\n') == [
        ("PAR017", "", 2, 21)]
    assert read_bytes(b'{"Type": "t",\n  "Identifier": "a",}\n', "d.json").findings[0].message \
        == "malformed JSON: Expecting property name enclosed in double quotes"
    assert findings_of(b'{"Type": "t", "Payload": {"A": [1, 2') == [("PAR017", "", 1, 37)]


def test_what_python_s_json_would_say_in_its_own_words() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    assert [f.message for f in read_bytes(deep, "d.json").findings] == [
        "JSON nests deeper than 256 levels (the reader's limit, as for XML)"]
    # deep enough for the later walks, not for json itself: found before they run
    deep = b'{"A": ' + b"[" * 300 + b"]" * 300 + b"}"
    assert [(f.rule, f.pointer, f.line, f.column, f.message)
            for f in read_bytes(deep, "d.json").findings] == [
        ("PAR017", "/A" + "/0" * 255, 1, 262,
         "JSON nests deeper than 256 levels (the reader's limit, as for XML)")]
    assert [f.message for f in read_bytes(b'{"A": NaN}', "d.json").findings] == [
        "malformed JSON: NaN is not a JSON value"]
    assert [f.message for f in read_bytes(b'{"A": "\xff"}', "d.json").findings] == [
        "JSON that is not UTF-8 (invalid byte at offset 7)"]
    huge = b'{"Type": "t", "Identifier": "i", "Payload": {"N": ' + b"9" * 5000 + b"}}"
    doc = read_bytes(huge, "d.json")
    assert [(f.rule, f.pointer, f.message) for f in doc.findings] == [
        ("PAR007", "/Payload/N", "an integer of 5000 digits: outside the 64-bit range devices "
         "read")]
    assert doc.root["Payload"]["N"] is None


def test_a_json_profile_is_read_as_the_projection_convert_writes() -> None:
    data = (b'{"PayloadType": "Configuration", "PayloadContent": [], '
            b'"PayloadIdentifier": "p", "Blob": {"$data": "AAE="}, '
            b'"When": {"$date": "2026-01-02T03:04:05Z"}, "Bad": {"$data": "A*=="}, '
            b'"Nothing": null}')
    doc = read_bytes(data, "p.json")
    assert (doc.format, doc.kind) == ("json", "profile")
    assert doc.root["Blob"] == b"\x00\x01"
    assert doc.root["When"] == datetime(2026, 1, 2, 3, 4, 5)
    assert [(f.rule, f.pointer) for f in doc.findings] == [
        ("PAR004", "/Bad"), ("PAR014", "/Nothing")]


def test_a_declaration_keeps_json_values() -> None:
    data = (b'{"Type": "com.apple.asset.data", "Identifier": "a", '
            b'"Payload": {"Reference": {"DataURL": "https://x", "ContentType": null}}}')
    doc = read_bytes(data, "a.json")
    assert doc.root["Payload"]["Reference"]["ContentType"] is None
    assert doc.findings == []
