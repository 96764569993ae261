"""allOf, anyOf, oneOf, not and if/then/else.

Branches are tried with scratch lists; notes (annotations) survive only from branches
that passed and were kept, as JSON Schema keeps annotations only from valid subschemas.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from profilesmith.schema.validator.base import Error, Errors, Notes, Validator


def make(word: str, schema: Mapping[str, Any], branches: list[Validator]) -> Validator:
    if word == "allOf":
        def all_of(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
            for branch in branches:
                branch(value, pointer, errors, notes)
        return all_of

    def some_of(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
        context: list[Error] = []
        passed = 0
        kept: Notes = []
        for branch in branches:
            found: Errors = []
            seen: Notes = []
            branch(value, pointer, found, seen)
            if found:
                context.extend(found)
                continue
            passed += 1
            if passed == 1:
                kept = seen
            if word == "anyOf":
                break
        if passed == 0 or (word == "oneOf" and passed > 1):
            errors.append(Error(pointer, word, schema, value, context=tuple(context)))
        else:
            notes.extend(kept)
    return some_of


def negation(schema: Mapping[str, Any], inner: Validator) -> Validator:
    def check(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
        found: Errors = []
        inner(value, pointer, found, [])
        if not found:
            errors.append(Error(pointer, "not", schema, value))
    return check


def conditional(test: Validator, then: Validator | None, other: Validator | None) -> Validator:
    def check(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
        found: Errors = []
        test(value, pointer, found, [])
        branch = then if not found else other
        if branch is not None:
            branch(value, pointer, errors, notes)
    return check
