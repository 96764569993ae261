"""The leaf keywords (type, enum/const, string, number checks) and small combinators of
checks, each compiled into a closure."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from profilesmith.schema.validator.base import (
    Error,
    Errors,
    Note,
    Notes,
    SchemaError,
    Validator,
    is_type,
    json_equal,
    noop,
)
from profilesmith.schema.validator.formats import FORMATS


def sequence(checks: Sequence[Validator]) -> Validator:
    if not checks:
        return noop
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks

        def both(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
            first(value, pointer, errors, notes)
            second(value, pointer, errors, notes)
        return both
    frozen = tuple(checks)

    def run(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
        for check in frozen:
            check(value, pointer, errors, notes)

    return run


def native(kind: type, schema: Mapping[str, Any], projected: Validator) -> Validator:
    """plist.schema.json's $defs/data and $defs/date: a bytes (datetime) value is exactly
    what they describe, so skip projecting it; anything else is checked as JSON -- except
    a plist dictionary that merely looks like the projection ({"$data": "..."}), which
    has no JSON projection of its own and is the wrong type."""
    member = "$data" if kind is bytes else "$date"

    def check(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
        if type(value) is kind and (kind is bytes or four_digit_year(value)):
            return
        if type(value) is dict and len(value) == 1 and member in value:
            errors.append(Error(pointer, "type", schema, value))
            return
        projected(value, pointer, errors, notes)
    return check


def four_digit_year(value: Any) -> bool:
    # other years do not print as four digits in the projection: let the pattern judge
    year: int = value.year
    return 1000 <= year <= 9999


def false_schema(schema: Any) -> Validator:
    def never(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
        errors.append(Error(pointer, "false", {}, value))
    return never


def note(schema: Mapping[str, Any], kind: str) -> Validator:
    def record(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
        notes.append(Note(pointer, kind, schema))
    return record


def platform_limited(platforms: Any) -> bool:
    """Whether an x-platforms annotation says anything (a version, a removal, a
    condition): the availability rules then need to know the key is present."""
    return isinstance(platforms, Mapping) and any(
        isinstance(f, Mapping) and f for f in platforms.values())


# Python types that are exactly a JSON Schema type (bool is not an int here; <data> and
# <date> are objects, as their projection is)
EXACT: dict[str, frozenset[type]] = {
    "string": frozenset({str}), "boolean": frozenset({bool}), "array": frozenset({list}),
    "number": frozenset({int, float}), "object": frozenset({dict, bytes, datetime}),
}


def type_check(schema: Mapping[str, Any]) -> Validator:
    names = schema["type"]
    names = [names] if isinstance(names, str) else list(names)
    known = {"string", "integer", "number", "boolean", "array", "object", "null"}
    if not names or any(n not in known for n in names):
        raise SchemaError(f"unsupported type {schema['type']!r}")
    if names == ["integer"]:
        def integer(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
            kind = type(value)
            if kind is int:
                return
            if kind is float and value.is_integer():
                notes.append(Note(pointer, "coerced", schema))  # <real>1.0</real>
                return
            errors.append(Error(pointer, "type", schema, value))
        return integer
    if len(names) == 1 and names[0] in EXACT:
        exact = EXACT[names[0]]

        def simple(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
            if type(value) not in exact:
                errors.append(Error(pointer, "type", schema, value))
        return simple

    def general(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
        if not any(is_type(n, value) for n in names):
            errors.append(Error(pointer, "type", schema, value))
    return general


def enum_checks(schema: Mapping[str, Any], doc: str) -> list[Validator]:
    checks = []
    for word in ("enum", "const"):
        if word not in schema:
            continue
        allowed = [schema[word]] if word == "const" else need_list(schema[word], "enum", doc)
        checks.append(membership(schema, word, allowed))
    return checks


def membership(schema: Mapping[str, Any], word: str, allowed: list[Any]) -> Validator:
    strings = frozenset(a for a in allowed if type(a) is str)
    numbers = frozenset(a for a in allowed if type(a) in (int, float))
    booleans = frozenset(a for a in allowed if type(a) is bool)
    others = [a for a in allowed if type(a) not in (str, int, float, bool)]

    def member(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
        kind = type(value)
        if kind is str:
            ok = value in strings
        elif kind is int or kind is float:
            ok = value in numbers
        elif kind is bool:
            ok = value in booleans
        else:
            ok = any(json_equal(value, a) for a in others)
        if not ok:
            errors.append(Error(pointer, word, schema, value))
    return member


def string_checks(schema: Mapping[str, Any], doc: str) -> Validator:
    low = schema.get("minLength")
    high = schema.get("maxLength")
    pattern = re.compile(need_string(schema["pattern"], "pattern", doc)) if "pattern" in schema \
        else None
    fmt = None
    if "format" in schema:
        fmt = FORMATS.get(schema["format"])
        if fmt is None:
            raise SchemaError(f"{doc}: unsupported format {schema['format']!r}")

    def strings(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
        if type(value) is not str:
            return
        if low is not None and len(value) < low:
            errors.append(Error(pointer, "minLength", schema, value))
        if high is not None and len(value) > high:
            errors.append(Error(pointer, "maxLength", schema, value))
        if pattern is not None and pattern.search(value) is None:
            errors.append(Error(pointer, "pattern", schema, value))
        if fmt is not None and not fmt(value):
            errors.append(Error(pointer, "format", schema, value))
    return strings


def number_checks(schema: Mapping[str, Any], doc: str) -> Validator:
    bounds: list[tuple[str, Any, Callable[[Any, Any], bool]]] = []
    for word, fails in (("minimum", operator.lt), ("maximum", operator.gt),
                        ("exclusiveMinimum", operator.le), ("exclusiveMaximum", operator.ge)):
        if word in schema:
            bound = schema[word]
            if type(bound) not in (int, float):
                raise SchemaError(f"{doc}: {word} must be a number")
            bounds.append((word, bound, fails))

    def numbers(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
        kind = type(value)
        if kind is not int and kind is not float:
            return
        for word, bound, fails in bounds:
            if fails(value, bound):
                errors.append(Error(pointer, word, schema, value))
    return numbers


def need_string(value: Any, word: str, doc: str) -> str:
    if not isinstance(value, str):
        raise SchemaError(f"{doc}: {word} must be a string")
    return value


def need_list(value: Any, word: str, doc: str) -> list[Any]:
    if not isinstance(value, list):
        raise SchemaError(f"{doc}: {word} must be an array")
    return value
