"""The array keywords, compiled into one pass over the instance's items."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from profilesmith.schema.validator.base import Error, Errors, Notes, Validator, json_equal


def array_check(
    schema: Mapping[str, Any], prefix: list[Validator], items: Validator | None, *,
    typed: bool = False,
) -> Validator:
    low = schema.get("minItems")
    high = schema.get("maxItems")
    unique = schema.get("uniqueItems") is True
    fixed = len(prefix)

    def check(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
        if type(value) is not list:
            if typed:  # "type": "array" folded in here
                errors.append(Error(pointer, "type", schema, value))
            return
        count = len(value)
        if low is not None and count < low:
            errors.append(Error(pointer, "minItems", schema, value))
        if high is not None and count > high:
            errors.append(Error(pointer, "maxItems", schema, value))
        for index, item in enumerate(value):
            sub = prefix[index] if index < fixed else items
            if sub is not None:
                sub(item, f"{pointer}/{index}", errors, notes)
        if unique and count > 1 and not _all_different(value):
            errors.append(Error(pointer, "uniqueItems", schema, value))
    return check


def _all_different(values: list[Any]) -> bool:
    # JSON equality (1 == 1.0, true != 1): quadratic, but arrays in profiles are short
    for index, value in enumerate(values):
        for other in values[index + 1:]:
            if json_equal(value, other):
                return False
    return True
