"""The schema compiler, keyword by keyword: the exact (pointer, kind) of every error, and
refusal of what it does not support. Agreement with the jsonschema package on real
schemas and generated instances is in test_validator_reference.py."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pytest

from profilesmith.schema.validator import SchemaError
from profilesmith.schema.validator.compiler import Compiler, Error, Note, json_equal
from profilesmith.schema.validator.formats import FORMATS
from tests.schema.test_validator_reference import reference_errors

PLIST = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://profilesmith.dev/schemas/plist.schema.json",
    "$defs": {
        "data": {"type": "object", "required": ["$data"], "additionalProperties": False,
                 "properties": {"$data": {"type": "string",
                                          "pattern": "^[A-Za-z0-9+/]*={0,2}$"}}},
        "date": {"type": "object", "required": ["$date"], "additionalProperties": False,
                 "properties": {"$date": {"type": "string", "pattern":
                                          "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:"
                                          "[0-9]{2}Z$"}}},
    },
}


def run(schema: Mapping[str, Any], value: Any) -> tuple[list[Error], list[Note]]:
    documents = {"payloads/t.schema.json": {
        "$id": "https://profilesmith.dev/schemas/payloads/t.schema.json", **schema},
        "plist.schema.json": PLIST}
    validate = Compiler(documents.__getitem__).file("payloads/t.schema.json")
    errors: list[Error] = []
    notes: list[Note] = []
    validate(value, "", errors, notes)
    return errors, notes


def kinds(schema: Mapping[str, Any], value: Any) -> set[tuple[str, str]]:
    """(pointer, kind) of every error -- checked against jsonschema on the way."""
    errors, _ = run(schema, value)
    ours = {(e.pointer, e.kind) for e in errors}
    full = {"$id": "https://profilesmith.dev/schemas/payloads/t.schema.json", **schema}
    assert ours == reference_errors(full, value, extra=[PLIST])
    return ours


CASES: list[tuple[str, dict[str, Any], Any, set[tuple[str, str]]]] = [
    ("type string", {"type": "string"}, 1, {("", "type")}),
    ("type integer refuses true", {"type": "integer"}, True, {("", "type")}),
    ("type integer refuses 1.5", {"type": "integer"}, 1.5, {("", "type")}),
    ("type number takes int", {"type": "number"}, 3, set()),
    ("type list", {"type": ["string", "integer"]}, 2.5, {("", "type")}),
    ("type object takes data", {"type": "object"}, b"x", set()),
    ("type array", {"type": "array"}, {}, {("", "type")}),
    ("enum", {"enum": ["a", 1]}, "b", {("", "enum")}),
    ("enum 1.0 is 1", {"enum": [1]}, 1.0, set()),
    ("enum true is not 1", {"enum": [1]}, True, {("", "enum")}),
    ("enum 1 is not true", {"enum": [True]}, 1, {("", "enum")}),
    ("const list", {"const": [1, "a"]}, [1, "a"], set()),
    ("const dict", {"const": {"a": 1}}, {"a": True}, {("", "const")}),
    ("minimum", {"minimum": 2}, 1, {("", "minimum")}),
    ("maximum ignores strings", {"maximum": 2}, "zzz", set()),
    ("exclusive", {"exclusiveMinimum": 1, "exclusiveMaximum": 3}, 3, {("", "exclusiveMaximum")}),
    ("lengths", {"minLength": 2, "maxLength": 3}, "a", {("", "minLength")}),
    ("length counts code points", {"maxLength": 1}, "é", set()),
    ("pattern searches", {"pattern": "b"}, "abc", set()),
    ("pattern anchored", {"pattern": "^b"}, "abc", {("", "pattern")}),
    ("format uri", {"format": "uri"}, "example.com", {("", "format")}),
    ("format hostname", {"format": "hostname"}, "-bad-.example", {("", "format")}),
    ("format ignores numbers", {"format": "uuid"}, 7, set()),
    ("required", {"required": ["A", "B"]}, {"A": 1}, {("", "required")}),
    ("properties descend", {"properties": {"A~/": {"type": "string"}}}, {"A~/": 1},
     {("/A~0~1", "type")}),
    ("additionalProperties false", {"properties": {"A": True}, "additionalProperties": False},
     {"A": 1, "B": 2, "C": 3}, {("", "additionalProperties")}),
    ("additionalProperties schema", {"additionalProperties": {"type": "integer"}},
     {"A": 1, "B": "x"}, {("/B", "type")}),
    ("patternProperties", {"patternProperties": {"^x-": {"type": "integer"}},
                           "additionalProperties": False},
     {"x-a": "s", "y": 1}, {("/x-a", "type"), ("", "additionalProperties")}),
    ("propertyNames", {"propertyNames": {"maxLength": 2}}, {"abc": 1}, {("", "maxLength")}),
    ("min/maxProperties", {"minProperties": 2, "maxProperties": 3}, {"a": 1},
     {("", "minProperties")}),
    ("dependentRequired", {"dependentRequired": {"A": ["B"]}}, {"A": 1},
     {("", "dependentRequired")}),
    ("items", {"items": {"type": "string"}}, ["a", 2, "c", 4], {("/1", "type"), ("/3", "type")}),
    ("prefixItems", {"prefixItems": [{"type": "integer"}], "items": {"type": "string"}},
     ["a", "b", 3], {("/0", "type"), ("/2", "type")}),
    ("array counts", {"minItems": 1, "maxItems": 2}, [], {("", "minItems")}),
    ("uniqueItems 1 == 1.0", {"uniqueItems": True}, [1, 1.0], {("", "uniqueItems")}),
    ("uniqueItems true != 1", {"uniqueItems": True}, [1, True], set()),
    ("allOf", {"allOf": [{"type": "string"}, {"minLength": 3}]}, 5, {("", "type")}),
    ("anyOf", {"anyOf": [{"type": "string"}, {"type": "boolean"}]}, 5, {("", "anyOf")}),
    ("anyOf passes", {"anyOf": [{"type": "string"}, {"type": "integer"}]}, 5, set()),
    ("oneOf two match", {"oneOf": [{"type": "integer"}, {"minimum": 0}]}, 5, {("", "oneOf")}),
    ("not", {"not": {"type": "string"}}, "a", {("", "not")}),
    ("if then", {"if": {"required": ["A"]}, "then": {"required": ["B"]},
                 "else": {"required": ["C"]}}, {"A": 1}, {("", "required")}),
    ("if else", {"if": {"required": ["A"]}, "then": {"required": ["B"]},
                 "else": {"required": ["C"]}}, {"B": 1}, {("", "required")}),
    ("local ref", {"$defs": {"n": {"type": "integer"}}, "properties": {"A": {"$ref": "#/$defs/n"}}},
     {"A": "x"}, {("/A", "type")}),
    ("recursive ref", {"$defs": {"tree": {"type": "array", "items": {"$ref": "#/$defs/tree"}}},
                       "$ref": "#/$defs/tree"}, [[[]], [[1]]], {("/1/0/0", "type")}),
    ("data ref takes bytes", {"$ref": "../plist.schema.json#/$defs/data"}, b"\x00\xff", set()),
    ("data ref refuses a string", {"$ref": "../plist.schema.json#/$defs/data"}, "AA==",
     {("", "type")}),
    ("data ref refuses a date", {"$ref": "../plist.schema.json#/$defs/data"},
     datetime(2024, 1, 2, 3, 4, 5), {("", "required"), ("", "additionalProperties")}),
    ("date ref takes datetime", {"$ref": "../plist.schema.json#/$defs/date"},
     datetime(2024, 1, 2, 3, 4, 5), set()),
    ("object keywords see data as an object", {"required": ["A"]}, b"x",
     {("", "required")}),
    ("boolean schemas", {"properties": {"A": False, "B": True}}, {"B": 1}, set()),
]


@pytest.mark.parametrize(("schema", "value", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_keyword(schema: dict[str, Any], value: Any, expected: set[tuple[str, str]]) -> None:
    assert kinds(schema, value) == expected


def test_dates_outside_four_digit_years_agree_with_the_reference() -> None:
    # such years may print with fewer digits: then the projection fails the pattern, and
    # the native fast path must not pretend otherwise
    for year in (5, 999, 1000, 9999):
        kinds({"$ref": "../plist.schema.json#/$defs/date"}, datetime(year, 1, 2))


def test_required_and_unknown_keys_name_the_member() -> None:
    errors, _ = run({"required": ["A"], "properties": {"B": True},
                     "additionalProperties": False}, {"C": 1})
    assert sorted((e.kind, e.key) for e in errors) == [("additionalProperties", "C"),
                                                       ("required", "A")]


def test_a_dictionary_that_looks_like_data_is_not_data() -> None:
    # {"$data": ...} as a plist <dict> has no JSON projection of its own (from_json would
    # read it back as <data>): our validator calls it the wrong type
    errors, _ = run({"$ref": "../plist.schema.json#/$defs/data"}, {"$data": "AA=="})
    assert [(e.pointer, e.kind) for e in errors] == [("", "type")]


def test_real_where_integer_is_a_note_not_an_error() -> None:
    errors, notes = run({"properties": {"V": {"type": "integer"}}}, {"V": 1.0})
    assert errors == []
    assert [(n.pointer, n.kind) for n in notes] == [("/V", "coerced")]


def test_platform_notes_only_for_keys_with_platform_facts() -> None:
    # a version, a removal, a condition: the availability rules need to see the key; an
    # empty entry says nothing
    schema = {"properties": {
        "A": {"x-platforms": {"macOS": {"introduced": "n/a"}}},
        "B": {"x-platforms": {"macOS": {"introduced": "10.7"}}},
        "C": {"x-platforms": {"iOS": {"introduced": "4.0", "removed": "18.0"}}},
        "D": {"x-platforms": {"iOS": {"supervised": True}}},
        "E": {"x-platforms": {"iOS": {}}},
        "F": {"type": "integer"},
    }}
    _, notes = run(schema, {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6})
    assert sorted(n.pointer for n in notes if n.kind == "x-platforms") == ["/A", "/B", "/C",
                                                                          "/D"]


def test_notes_from_failed_branches_are_dropped() -> None:
    limited = {"x-platforms": {"macOS": {"introduced": "n/a"}}, "type": "string"}
    _, notes = run({"anyOf": [{"properties": {"A": limited}, "required": ["Z"]},
                              {"properties": {"A": True}}]}, {"A": "x"})
    assert notes == []


@pytest.mark.parametrize(("schema", "message"), [
    ({"contains": {"type": "string"}}, "unsupported keyword(s) contains"),
    ({"properties": {"A": {"unevaluatedProperties": False}}}, "unevaluatedProperties"),
    ({"x-unknown": 1}, "x-unknown"),
    ({"format": "ipv4"}, "unsupported format 'ipv4'"),
    ({"$ref": "../../etc/passwd#"}, "leaves the schema directory"),
    ({"$ref": "#foo"}, "only JSON Pointer fragments"),
    ({"$ref": "#/$defs/missing"}, "does not exist"),
    ({"type": "text"}, "unsupported type"),
    ({"properties": {"A": 3}}, "must be an object or a boolean"),
])
def test_unsupported_schemas_are_refused_when_compiled(schema: dict[str, Any],
                                                       message: str) -> None:
    with pytest.raises(SchemaError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(schema, None)


def test_json_equal() -> None:
    assert json_equal([1, {"a": 2.0}], [1.0, {"a": 2}])
    assert not json_equal(False, 0)
    assert not json_equal("1", 1)
    assert json_equal(b"\x00", {"$data": "AA=="})


@pytest.mark.parametrize(("name", "good", "bad"), [
    ("uri", ["https://a.example/x?y=%SerialNumber%", "mailto:a@b", "urn:x"],
     ["a.example", "https://a b", ""]),
    ("https-uri", ["https://a.example", "HTTPS://a.example:8443/p"],
     ["http://a.example", "https://", "https:///path"]),
    ("hostname", ["a.example", "localhost", "a-b.example."], ["-a.example", "a..b", "a_b"]),
    ("email", ["a@b.example"], ["a", "a@", "a b@c"]),
    ("uuid", ["6B0BD4C7-3E4B-4D51-9C0A-1C3D5E6F7A81"], ["6B0BD4C7", "com.example"]),
])
def test_formats(name: str, good: list[str], bad: list[str]) -> None:
    check = FORMATS[name]
    assert [v for v in good if not check(v)] == []
    assert [v for v in bad if check(v)] == []
    assert check(42)  # formats constrain strings only
