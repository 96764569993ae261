"""The dictionary keywords, compiled into one pass over the instance's members."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from profilesmith.base.pointers import escape_pointer_token
from profilesmith.plist.json_projection import to_json
from profilesmith.schema.validator.base import Error, Errors, Notes, Validator


def object_check(
    schema: Mapping[str, Any],
    properties: dict[str, tuple[Validator, str]],
    patterns: list[tuple[re.Pattern[str], Validator]],
    closed: bool,
    extra: Validator | None,
    names: Validator | None,
    *,
    typed: bool = False,
) -> Validator:
    """properties, patternProperties, additionalProperties, required, propertyNames,
    dependentRequired, minProperties and maxProperties of one schema."""
    required = tuple(schema.get("required", ()))
    dependent = {k: tuple(v) for k, v in dict(schema.get("dependentRequired", {})).items()}
    low = schema.get("minProperties")
    high = schema.get("maxProperties")
    get = properties.get

    if not (patterns or extra or names or dependent or low is not None or high is not None):
        # the shape of nearly every payload schema: keep the loop tight
        def simple(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
            original = value
            if type(value) is not dict:
                if not isinstance(value, bytes | datetime):
                    if typed:  # "type": "object" folded in here
                        errors.append(Error(pointer, "type", schema, value))
                    return
                value = to_json(value)  # JSON Schema sees {"$data": ...}: an object
            for key in required:
                if key not in value:
                    errors.append(Error(pointer, "required", schema, original, key))
            for key, item in value.items():
                found = get(key)
                if found is not None:
                    found[0](item, pointer + found[1], errors, notes)
                elif closed:
                    errors.append(Error(pointer, "additionalProperties", schema, original, key))
        return simple

    def general(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
        original = value
        if type(value) is not dict:
            if not isinstance(value, bytes | datetime):
                if typed:
                    errors.append(Error(pointer, "type", schema, value))
                return
            value = to_json(value)
        for key in required:
            if key not in value:
                errors.append(Error(pointer, "required", schema, original, key))
        for key, needs in dependent.items():
            if key in value:
                for other in needs:
                    if other not in value:
                        errors.append(Error(pointer, "dependentRequired", schema, original,
                                            other))
        if low is not None and len(value) < low:
            errors.append(Error(pointer, "minProperties", schema, original))
        if high is not None and len(value) > high:
            errors.append(Error(pointer, "maxProperties", schema, original))
        for key, item in value.items():
            found = get(key)
            matched = found is not None
            if found is not None:
                found[0](item, pointer + found[1], errors, notes)
            for regex, check in patterns:
                if regex.search(key) is not None:
                    matched = True
                    check(item, f"{pointer}/{escape_pointer_token(key)}", errors, notes)
            if not matched:
                if closed:
                    errors.append(Error(pointer, "additionalProperties", schema, original,
                                        key))
                elif extra is not None:
                    extra(item, f"{pointer}/{escape_pointer_token(key)}", errors, notes)
            if names is not None:
                names(key, pointer, errors, notes)
    return general
