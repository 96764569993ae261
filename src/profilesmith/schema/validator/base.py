"""The validator's shared types and JSON-equality helpers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, NamedTuple

from profilesmith.plist.json_projection import to_json


class SchemaError(ValueError):
    """A schema uses something the compiler does not support, or is malformed."""


class Error(NamedTuple):
    pointer: str  # the instance (for required/additionalProperties: the dictionary)
    kind: str  # the failing keyword: "type", "required", "enum", ...
    schema: Mapping[str, Any]  # the subschema holding that keyword
    value: Any  # the instance value at ``pointer``
    key: str | None = None  # the missing or unexpected member, where there is one
    context: tuple[Error, ...] = ()  # the branches' errors, for anyOf/oneOf


class Note(NamedTuple):
    pointer: str
    kind: str  # "x-platforms" (a key with platform limits is present) | "coerced"
    schema: Mapping[str, Any]


Errors = list[Error]
Notes = list[Note]
Validator = Callable[[Any, str, Errors, Notes], None]
Loader = Callable[[str], Mapping[str, Any]]


def noop(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
    return None


def projected(value: Any) -> Any:
    """The JSON object a <data> or <date> stands for (other values unchanged)."""
    return to_json(value) if isinstance(value, bytes | datetime) else value


def json_equal(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1, 1 is 1.0, containers compare member-wise."""
    a, b = projected(a), projected(b)
    if type(a) is bool or type(b) is bool:
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def is_type(name: str, value: Any) -> bool:
    kind = type(value)
    if name == "string":
        return kind is str
    if name == "integer":
        return kind is int or (kind is float and value.is_integer())
    if name == "number":
        return kind is int or kind is float
    if name == "boolean":
        return kind is bool
    if name == "array":
        return kind is list
    if name == "object":
        return kind is dict or kind is bytes or kind is datetime
    return value is None  # "null"
