"""A small JSON Schema 2020-12 validator for the subset profilesmith's schemas use.

Schemas are compiled once into Python closures (:mod:`.compiler`) that validate decoded
plist values directly, with the semantics JSON Schema gives their JSON projection
(``bytes`` is ``{"$data": ...}``, ``datetime`` is ``{"$date": ...}``). Why not a library:
jsonschema-rs costs more to import than a whole one-file lint may take, and the
pure-Python jsonschema is two orders of magnitude slower per document; the tests check
that both agree with this one.

May import: profilesmith.plist (the JSON projection), profilesmith.base.
"""

from __future__ import annotations

from profilesmith.schema.validator.base import Error, Note, SchemaError, Validator

__all__ = ["Error", "Note", "SchemaError", "Validator"]
