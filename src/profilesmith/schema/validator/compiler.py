"""Compile a JSON Schema (our subset, see schemas/README.md) into a Python closure.

A compiled validator is called as ``validate(value, pointer, errors, notes)``: it appends
an :class:`Error` for every violation (all of them, not just the first) and a
:class:`Note` for annotations the linter cares about (keys with platform limits, reals
where integers are expected). Values are decoded plist values; the semantics are those
JSON Schema gives their JSON projection (plistjson.py), which the tests check against the
``jsonschema`` package.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from profilesmith.base.pointers import escape_pointer_token, pointer_tokens
from profilesmith.schema.validator import keywords as kw
from profilesmith.schema.validator.base import (
    Error,
    Errors,
    Loader,
    Note,
    Notes,
    SchemaError,
    Validator,
    json_equal,
    noop,
)

__all__ = ["ANNOTATIONS", "ASSERTIONS", "Compiler", "Error", "Note", "SchemaError",
           "Validator", "json_equal"]

ASSERTIONS = frozenset({
    "type", "properties", "required", "additionalProperties", "patternProperties",
    "propertyNames", "items", "prefixItems", "enum", "const", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems",
    "maxItems", "uniqueItems", "minProperties", "maxProperties", "pattern", "format",
    "dependentRequired", "$ref", "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
})
ANNOTATIONS = frozenset({
    "$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples",
    "deprecated", "x-plist-type", "x-platforms", "x-generated", "x-curated", "x-secret",
    "x-source",
    "x-multiple", "x-conditionally-required", "x-request-type", "x-declaration-category",
    "x-apply", "x-beta", "x-asset-types", "x-asset-content-types", "x-combine-type",
    "x-references", "x-related-status-items", "x-status-item", "x-credential-type",
})
# JSON Schema 2020-12 assertion and applicator keywords this compiler does not implement:
# a schema using one cannot be validated here (a lenient compiler still refuses it).
UNSUPPORTED = frozenset({
    "contains", "minContains", "maxContains", "dependentSchemas", "unevaluatedItems",
    "unevaluatedProperties", "multipleOf", "$dynamicRef", "$dynamicAnchor", "$recursiveRef",
    "contentSchema",
})
_OBJECT_KEYWORDS = ("properties", "patternProperties", "additionalProperties", "required",
                    "propertyNames", "minProperties", "maxProperties", "dependentRequired")
_ARRAY_KEYWORDS = ("items", "prefixItems", "minItems", "maxItems", "uniqueItems")
_PLIST_DEFS = {"/$defs/data": bytes, "/$defs/date": datetime}


class Compiler:
    """Compiles the schemas of one loader; resolved references are shared."""

    def __init__(self, load: Loader, *, lenient: bool = False, deferred: bool = False) -> None:
        """``lenient``: treat unknown keywords as annotations, as JSON Schema does (for
        user-written schemas); our own schemas are compiled strictly, so that a typo in
        a keyword is an error rather than a silently missing check. ``deferred``: compile
        a property's schema when a value of it is first checked (a payload schema has
        dozens of keys and a profile sets a few; a one-file lint would spend more on
        compiling than on checking). A schema error then surfaces only there: only for
        schemas the tests compile whole (the bundled ones)."""
        self.load = load
        self.lenient = lenient
        self.deferred = deferred
        self.documents: dict[str, Mapping[str, Any]] = {}
        self.compiled: dict[tuple[str, str], Validator] = {}

    def file(self, path: str) -> Validator:
        return self.ref_target(path, "")

    def document(self, path: str) -> Mapping[str, Any]:
        if path not in self.documents:
            self.documents[path] = self.load(path)
        return self.documents[path]

    # -- references --------------------------------------------------------------------

    def ref(self, ref: str, doc: str) -> Validator:
        target, _, fragment = ref.partition("#")
        if target:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(doc), target))
            if target.startswith(("../", "/")):
                raise SchemaError(f"{doc}: $ref {ref!r} leaves the schema directory")
        else:
            target = doc
        if fragment and not fragment.startswith("/"):
            raise SchemaError(f"{doc}: $ref {ref!r}: only JSON Pointer fragments are supported")
        validator = self.ref_target(target, fragment)
        plist_def = _PLIST_DEFS.get(fragment)
        if target == "plist.schema.json" and plist_def is not None:
            definition = self.document(target)["$defs"][fragment.rsplit("/", 1)[-1]]
            return kw.native(plist_def, definition, validator)
        return validator

    def ref_target(self, doc: str, fragment: str) -> Validator:
        key = (doc, fragment)
        found = self.compiled.get(key)
        if found is not None:
            return found
        cell: list[Validator] = []

        def forward(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
            cell[0](value, pointer, errors, notes)

        self.compiled[key] = forward  # a recursive reference meets this while compiling
        schema: Any = self.document(doc)
        for token in pointer_tokens(fragment):
            if not isinstance(schema, Mapping) or token not in schema:
                raise SchemaError(f"{doc}: $ref target #{fragment} does not exist")
            schema = schema[token]
        compiled = self.node(schema, doc)
        cell.append(compiled)
        self.compiled[key] = compiled
        return compiled

    # -- schema nodes ------------------------------------------------------------------

    def node(self, schema: Any, doc: str) -> Validator:
        if schema is True:
            return noop
        if schema is False:
            return kw.false_schema(schema)
        if not isinstance(schema, Mapping):
            raise SchemaError(f"{doc}: a schema must be an object or a boolean, not {schema!r}")
        unknown = [k for k in schema if k not in ASSERTIONS and k not in ANNOTATIONS
                   and (not self.lenient or k in UNSUPPORTED)]
        if unknown:
            raise SchemaError(f"{doc}: unsupported keyword(s) {', '.join(sorted(unknown))}")
        checks: list[Validator] = []
        if "$ref" in schema:
            checks.append(self.ref(kw.need_string(schema["$ref"], "$ref", doc), doc))
        # "type": "object" / "array" is checked inside the member loop (one call, not two)
        kind = schema.get("type")
        has_object = any(k in schema for k in _OBJECT_KEYWORDS)
        has_array = any(k in schema for k in _ARRAY_KEYWORDS)
        fused = (kind == "object" and has_object) or (kind == "array" and has_array)
        if "type" in schema and not fused:
            checks.append(kw.type_check(schema))
        if "enum" in schema or "const" in schema:
            checks.extend(kw.enum_checks(schema, doc))
        if has_object:
            checks.append(self.object(schema, doc, typed=kind == "object"))
        if has_array:
            checks.append(self.array(schema, doc, typed=kind == "array"))
        if any(k in schema for k in ("minLength", "maxLength", "pattern", "format")):
            checks.append(kw.string_checks(schema, doc))
        if any(k in schema for k in ("minimum", "maximum", "exclusiveMinimum",
                                      "exclusiveMaximum")):
            checks.append(kw.number_checks(schema, doc))
        checks.extend(self.applicators(schema, doc))
        if kw.platform_limited(schema.get("x-platforms")):
            checks.append(kw.note(schema, "x-platforms"))
        return kw.sequence(checks)

    def applicators(self, schema: Mapping[str, Any], doc: str) -> list[Validator]:
        from profilesmith.schema.validator import combinators

        checks: list[Validator] = []
        for word in ("allOf", "anyOf", "oneOf"):
            if word in schema:
                branches = [self.node(s, doc) for s in kw.need_list(schema[word], word, doc)]
                checks.append(combinators.make(word, schema, branches))
        if "not" in schema:
            checks.append(combinators.negation(schema, self.node(schema["not"], doc)))
        if "if" in schema:
            then = self.node(schema["then"], doc) if "then" in schema else None
            other = self.node(schema["else"], doc) if "else" in schema else None
            checks.append(combinators.conditional(self.node(schema["if"], doc), then, other))
        return checks

    def object(self, schema: Mapping[str, Any], doc: str, *, typed: bool) -> Validator:
        from profilesmith.schema.validator.objects import object_check

        properties: dict[str, tuple[Validator, str]] = {}
        for name, sub in dict(schema.get("properties", {})).items():
            step = "/" + escape_pointer_token(name)
            compiled = (self._on_first_use(sub, doc, properties, name, step) if self.deferred
                        else self.node(sub, doc))
            properties[name] = (compiled, step)
        patterns = [(re.compile(kw.need_string(p, "patternProperties", doc)), self.node(sub, doc))
                    for p, sub in dict(schema.get("patternProperties", {})).items()]
        additional = schema.get("additionalProperties", True)
        extra = None if additional is True or additional is False else self.node(additional,
                                                                                  doc)
        names = self.node(schema["propertyNames"], doc) if "propertyNames" in schema else None
        return object_check(schema, properties, patterns, additional is False, extra, names,
                            typed=typed)

    def _on_first_use(self, schema: Any, doc: str, table: dict[str, tuple[Validator, str]],
                      name: str, step: str) -> Validator:
        """A stand-in that compiles the property's schema when first called and puts the
        compiled validator in its place in ``table`` (later values go straight to it)."""

        def first(value: Any, pointer: str, errors: Errors, notes: Notes) -> None:
            compiled = self.node(schema, doc)
            table[name] = (compiled, step)
            compiled(value, pointer, errors, notes)

        return first

    def array(self, schema: Mapping[str, Any], doc: str, *, typed: bool) -> Validator:
        from profilesmith.schema.validator.arrays import array_check

        prefix = [self.node(s, doc) for s in kw.need_list(schema.get("prefixItems", []),
                                                    "prefixItems", doc)]
        items = self.node(schema["items"], doc) if "items" in schema else None
        return array_check(schema, prefix, items, typed=typed)

