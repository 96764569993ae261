"""The bundled schemas' compiler defers a property's schema to its first value
(``Compiler(deferred=True)``): the errors and notes are those of compiling it whole."""

from __future__ import annotations

from typing import Any

import pytest

from profilesmith.schema.validator import SchemaError
from profilesmith.schema.validator.compiler import Compiler, Error, Note
from tests.schema.test_validator import CASES, PLIST

PATH = "payloads/t.schema.json"


def _compile(schema: dict[str, Any], *, deferred: bool) -> Any:
    documents = {PATH: {"type": "object", "properties": {"k": schema, "other": schema},
},
                 "plist.schema.json": PLIST}
    return Compiler(documents.__getitem__, deferred=deferred).file(PATH)


def _check(validate: Any, value: Any) -> tuple[list[Error], list[Note]]:
    errors: list[Error] = []
    notes: list[Note] = []
    validate(value, "/p", errors, notes)
    return errors, notes


# the cases whose references do not point into the case's own document root
LOCAL = [c for c in CASES if "$ref" not in repr(c[1]) or "plist.schema.json" in repr(c[1])]


@pytest.mark.parametrize(("schema", "value"), [c[1:3] for c in LOCAL], ids=[c[0] for c in LOCAL])
def test_deferred_properties_check_as_compiled_whole(schema: dict[str, Any], value: Any) -> None:
    whole, deferred = _compile(schema, deferred=False), _compile(schema, deferred=True)
    for instance in ({"k": value}, {"k": value, "other": value}, {"k": value}):
        # the second and third calls go to the validator compiled by the first
        assert _check(deferred, instance) == _check(whole, instance)


def test_the_stand_in_is_replaced_by_what_it_compiled() -> None:
    compiled: list[Any] = []
    compiler = Compiler({PATH: {"type": "object", "properties": {"k": {"type": "string"}}}}
                        .__getitem__, deferred=True)
    real = compiler.node

    def node(schema: Any, doc: str) -> Any:
        compiled.append(schema)
        return real(schema, doc)

    compiler.node = node  # type: ignore[method-assign]
    validate = compiler.file(PATH)
    assert compiled == [{"type": "object", "properties": {"k": {"type": "string"}}}]
    for _ in range(3):
        assert _check(validate, {"k": 1})[0][0].pointer == "/p/k"
    assert compiled[1:] == [{"type": "string"}]  # once, on the first value of k


def test_a_schema_error_waits_for_a_value() -> None:
    documents = {PATH: {"type": "object", "properties": {"k": {"contains": {}}}}}
    with pytest.raises(SchemaError, match="unsupported keyword"):
        Compiler(documents.__getitem__).file(PATH)
    validate = Compiler(documents.__getitem__, deferred=True).file(PATH)
    assert _check(validate, {"other": 1}) == ([], [])
    with pytest.raises(SchemaError, match="unsupported keyword"):
        _check(validate, {"k": []})
