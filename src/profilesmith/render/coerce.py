"""Type, complete and validate values against a template's values schema.

1. :class:`~.values.Text` scalars take the type the schema declares for their place
   (``"0123"`` stays a string where the schema says string, ``2048`` becomes an integer
   where it says integer; booleans are ``true``/``false`` only — never YAML 1.1's
   ``yes``/``on``). Where the schema says nothing, plain YAML takes its YAML 1.2 core
   type and everything else stays a string.
2. ``null`` (an empty YAML value) means "not given" and is dropped; defaults declared
   in the schema fill what is missing.
3. The result is validated with jsonschema (Draft 2020-12); each error names the values
   file and line (or the option) and the dotted value name. Values marked
   ``"writeOnly": true`` in the schema, and values from the environment, are never
   echoed in messages.
4. Values marked ``"x-profilesmith": "certificate"`` are read (path or inline PEM) and
   replaced by a certificate description (see :mod:`.certs`).
5. Every string is checked for characters XML cannot carry.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from profilesmith.plist.writer import NotRepresentable, carries, xml_text
from profilesmith.render.values import (
    Origin,
    Path,
    Text,
    ValuesError,
    ValueSet,
    dotted,
    typed_json,
)
from profilesmith.schema.navigate import Schema, json_type

_INTEGER = re.compile(r"\s*[-+]?[0-9]+\s*")
_NUMBER = re.compile(r"\s*[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\s*")
T = TypeVar("T")
_IMMUTABLE = frozenset({str, int, float, bool, type(None)})
_TYPE_NAMES = {"integer": "an integer", "number": "a number", "boolean": "true or false",
               "string": "a string", "array": "a list", "object": "a mapping", "null": "null"}


class _Remembered(Schema):
    """A Schema whose answers are kept per place: a batch coerces, completes and walks
    every row against the same schema, and resolving a ``$ref`` or a member anew for each
    row cost more than the rest of preparing it. The schema must not change meanwhile
    (a Preparer's never does)."""

    def __init__(self, root: dict[str, Any]) -> None:
        super().__init__(root)
        # (what, id(schema), argument) -> (schema, answer): the schema is kept so that its
        # id cannot be reused by another object
        self._memo: dict[tuple[str, int, Any], tuple[Any, Any]] = {}

    def _answer(self, what: str, schema: Any, argument: Any, compute: Callable[[], T]) -> T:
        key = (what, id(schema), argument)
        hit = self._memo.get(key)
        if hit is not None and hit[0] is schema:
            return hit[1]  # type: ignore[no-any-return]
        answer = compute()
        self._memo[key] = (schema, answer)
        return answer

    # the hot three look up inline: a closure per call would cost what they save
    def resolve(self, schema: Any) -> dict[str, Any]:
        hit = self._memo.get(("resolve", id(schema), None))
        if hit is not None and hit[0] is schema:
            return hit[1]  # type: ignore[no-any-return]
        answer = super().resolve(schema)
        self._memo[("resolve", id(schema), None)] = (schema, answer)
        return answer

    def member(self, schema: dict[str, Any], key: str) -> dict[str, Any] | None:
        hit = self._memo.get(("member", id(schema), key))
        if hit is not None and hit[0] is schema:
            return hit[1]  # type: ignore[no-any-return]
        answer = super().member(schema, key)
        self._memo[("member", id(schema), key)] = (schema, answer)
        return answer

    def types(self, schema: dict[str, Any] | None) -> list[str]:
        hit = self._memo.get(("types", id(schema), None))
        if hit is not None and hit[0] is schema:
            return list(hit[1])
        answer = tuple(super().types(schema))
        self._memo[("types", id(schema), None)] = (schema, answer)
        return list(answer)

    def item(self, schema: dict[str, Any], index: int) -> dict[str, Any] | None:
        return self._answer("item", schema, index, lambda: Schema.item(self, schema, index))

    def defaults(self, schema: dict[str, Any]) -> list[tuple[str, Any]]:
        """The (name, default) of each property of ``schema`` that declares one."""
        def compute() -> list[tuple[str, Any]]:
            resolved = ((key, self.resolve(sub))
                        for key, sub in schema.get("properties", {}).items())
            return [(key, sub["default"]) for key, sub in resolved if "default" in sub]
        return self._answer("defaults", schema, None, compute)

    def may_hold_certificates(self, schema: dict[str, Any]) -> bool:
        """Whether a value under ``schema`` can be a certificate (a ``$ref`` might lead to
        one: only a subtree without either is skipped)."""
        def compute() -> bool:
            text = json.dumps(schema, default=str)
            return '"certificate"' in text or "$ref" in text
        return self._answer("certificates", schema, None, compute)


class Preparer:
    """Turns a :class:`ValueSet` into the values a template renders with."""

    def __init__(self, schema: dict[str, Any] | None) -> None:
        self.schema = _Remembered(schema) if schema is not None else None
        self._validator: Any = None
        self._fast: Any = None  # compiled validator, False when the schema is beyond it
        self.cert_cache: dict[str, Any] = {}

    @property
    def validator(self) -> Any:
        if self._validator is None and self.schema is not None:
            from profilesmith.render.templates import jsonschema_module

            self._validator = jsonschema_module().Draft202012Validator(self.schema.root)
        return self._validator

    def prepare(self, values: ValueSet) -> dict[str, Any]:
        problems: list[str] = []
        root = self.schema.root if self.schema is not None else None
        tree = self._coerce(values.tree, root, (), values, problems)
        if problems:
            raise ValuesError(problems)
        if self.schema is not None:
            self._defaults(tree, self.schema.root)
            problems = [line for error in self._errors(tree)
                        for line in self._describe(error, values).split("\n")]
            if problems:
                raise ValuesError(problems)
            tree = self._certificates(tree, self.schema.root, (), values, problems)
        _check_text(tree, (), values, problems)
        if problems:
            raise ValuesError(problems)
        return tree  # type: ignore[no-any-return]

    # -- 1. coercion -------------------------------------------------------------------

    def _coerce(self, value: Any, schema: dict[str, Any] | None, path: Path,
                values: ValueSet, problems: list[str]) -> Any:
        nav = self.schema
        if isinstance(value, dict):
            result = {}
            for key, item in value.items():
                sub = nav.member(schema, key) if nav is not None and schema else None
                coerced = self._coerce(item, sub, (*path, key), values, problems)
                if coerced is not None:  # null: "not given"
                    result[key] = coerced
            return result
        if isinstance(value, list):
            return [
                self._coerce(item, nav.item(schema, i) if nav is not None and schema else None,
                             (*path, i), values, problems)
                for i, item in enumerate(value)
            ]
        if isinstance(value, Text):
            types = nav.types(schema) if nav is not None else []
            try:
                return self._text(value, types, schema, path, values, problems)
            except ValueError as exc:
                problems.append(_problem(values.origin(path), path, str(exc)))
                return None
        return value

    def _text(self, value: Text, types: list[str], schema: dict[str, Any] | None, path: Path,
              values: ValueSet, problems: list[str]) -> Any:
        text = value.text
        if value.core:
            from profilesmith.plist.yaml_projection import resolve_plain

            resolved = resolve_plain(text)
            kind = json_type(resolved)
            if resolved is None or not types:
                return resolved  # None: an empty YAML value means "not given"
            if kind in types and kind != "string":
                return resolved  # 0x1F for an integer, 1e3 for a number
            if kind == "integer" and "number" in types:
                return float(resolved)
        if not types or "string" in types:
            return text
        for kind in types:
            if kind == "integer" and _INTEGER.fullmatch(text):
                return int(text)
            if kind == "number" and _NUMBER.fullmatch(text):
                return float(text)
            if kind == "boolean" and text.strip().lower() in ("true", "false"):
                return text.strip().lower() == "true"
            if kind == "null" and text.strip() in ("", "null", "~"):
                return None
            if kind in ("array", "object") and text.strip()[:1] in ("[", "{"):
                try:
                    parsed = typed_json(json.loads(text))
                except ValueError as exc:
                    raise ValueError(f"not valid JSON ({exc})") from None
                return self._coerce(parsed, schema, path, values, problems)
        wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in types)
        origin = values.origin(path)
        shown = "" if _secret(origin, schema) else f", not {text!r}"
        raise ValueError(f"must be {wanted}{shown}")

    # -- 2. defaults -------------------------------------------------------------------

    def _defaults(self, value: Any, schema: dict[str, Any]) -> None:
        assert self.schema is not None
        if not isinstance(value, dict):
            return
        for key, default in self.schema.defaults(schema):
            if key not in value:
                # a row shares an immutable default; deepcopy's memo and dispatch for one
                # cost more than the rest of completing the row
                value[key] = default if type(default) in _IMMUTABLE else copy.deepcopy(default)
        for key, item in value.items():
            sub_schema = self.schema.member(schema, key)
            if sub_schema is None:
                continue
            if isinstance(item, dict):
                self._defaults(item, sub_schema)
            elif isinstance(item, list):
                for index, element in enumerate(item):
                    element_schema = self.schema.item(sub_schema, index)
                    if element_schema is not None:
                        self._defaults(element, element_schema)

    # -- 3. validation -----------------------------------------------------------------

    def _errors(self, tree: dict[str, Any]) -> list[Any]:
        fast = self._fast_validator()
        if fast is not None:
            found: list[Any] = []
            fast(tree, "", found, [])
            if not found:
                return []  # valid: the common case of a batch row, at a fraction of the cost
        # invalid (or a schema beyond the compiled subset): jsonschema's errors carry what
        # the messages need
        errors = list(self.validator.iter_errors(tree))
        return sorted(errors, key=lambda e: ([str(p) for p in e.absolute_path], e.validator))

    def _fast_validator(self) -> Any:
        """The values schema compiled by profilesmith.schema.validator (about 20x faster than
        jsonschema on a batch row), or None when the schema uses keywords it lacks."""
        if self._fast is None and self.schema is not None:
            from profilesmith.schema.validator import SchemaError
            from profilesmith.schema.validator.compiler import Compiler

            root = self.schema.root
            try:
                self._fast = Compiler(lambda _path: root, lenient=True).file(
                    "values.schema.json")
            except SchemaError:
                self._fast = False
        return self._fast or None

    def _describe(self, error: Any, values: ValueSet) -> str:
        from profilesmith.render.templates import jsonschema_module

        if error.validator in ("anyOf", "oneOf") and error.context:
            error = jsonschema_module().exceptions.best_match(error.context)
        path: Path = tuple(error.absolute_path)
        origin = values.origin(path)
        secret = _secret(origin, error.schema if isinstance(error.schema, dict) else None)
        kind = error.validator
        if kind == "required":
            match = re.search(r"'(.*)' is a required property", error.message)
            missing = match.group(1) if match else "?"
            return _problem(origin, (*path, missing), "missing (required)")
        if kind in ("additionalProperties", "unevaluatedProperties"):
            allowed = set(error.schema.get("properties", {})) if isinstance(
                error.schema, dict) else set()
            unknown = [k for k in error.instance if k not in allowed] or ["?"]
            return "\n".join(
                _problem(values.origin((*path, k)), (*path, k),
                         "unknown value (not in the template's values schema)")
                for k in unknown
            )
        if kind == "type":
            wanted = error.validator_value
            names = [wanted] if isinstance(wanted, str) else list(wanted)
            got = _TYPE_NAMES.get(json_type(error.instance), "?")
            return _problem(origin, path,
                            f"must be {' or '.join(_TYPE_NAMES.get(n, n) for n in names)}, "
                            f"not {got}")
        if kind in ("enum", "const"):
            options = error.validator_value if kind == "enum" else [error.validator_value]
            listed = ", ".join(json.dumps(o) for o in options)
            shown = "" if secret else f" (got {json.dumps(error.instance, default=str)})"
            return _problem(origin, path, f"must be one of {listed}{shown}")
        if kind == "pattern":
            shown = "" if secret else f"{json.dumps(error.instance)} "
            return _problem(origin, path,
                            f"{shown}does not match the pattern {error.validator_value}")
        if secret:
            return _problem(origin, path, f"fails '{kind}: {error.validator_value}'")
        return _problem(origin, path, error.message)

    # -- 4. certificates ---------------------------------------------------------------

    def _certificates(self, value: Any, schema: dict[str, Any] | None, path: Path,
                      values: ValueSet, problems: list[str]) -> Any:
        assert self.schema is not None
        if schema is None:
            return value
        if schema.get("x-profilesmith") == "certificate" and isinstance(value, str):
            from profilesmith.render.certs import CertificateError, load_certificate

            origin = values.origin(path)
            base = origin.base_dir if origin is not None else "."
            try:
                return load_certificate(value, base_dir=base, cache=self.cert_cache)
            except CertificateError as exc:
                problems.append(_problem(origin, path, str(exc)))
                return value
        if not self.schema.may_hold_certificates(schema):
            return value
        if isinstance(value, dict):
            return {k: self._certificates(v, self.schema.member(schema, k), (*path, k),
                                          values, problems) for k, v in value.items()}
        if isinstance(value, list):
            return [self._certificates(v, self.schema.item(schema, i), (*path, i), values,
                                       problems) for i, v in enumerate(value)]
        return value


def _secret(origin: Origin | None, schema: dict[str, Any] | None) -> bool:
    return bool((origin is not None and origin.secret) or (schema and schema.get("writeOnly")))


def _problem(origin: Origin | None, path: Path, message: str) -> str:
    where = origin.where() if origin is not None else "values"
    return f"{where}: {dotted(path) or '(values)'}: {message}"


def _check_text(value: Any, path: Path, values: ValueSet, problems: list[str]) -> None:
    """XML cannot carry most control characters, even escaped: say so by name."""
    texts: list[str] = []
    _texts(value, texts)
    # one search of them all (what XML refuses is single characters, and the newline
    # between them is none): xml_text per string cost a fifth of preparing a batch row
    if not carries("\n".join(texts)):
        _name_bad_text(value, path, values, problems)


def _texts(value: Any, into: list[str]) -> None:
    """Every string of ``value``, mapping keys included, in no particular order."""
    if isinstance(value, str):
        into.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                into.append(key)
            if isinstance(item, str):
                into.append(item)
            elif isinstance(item, dict | list):
                _texts(item, into)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                into.append(item)
            elif isinstance(item, dict | list):
                _texts(item, into)


def _name_bad_text(value: Any, path: Path, values: ValueSet, problems: list[str]) -> None:
    if isinstance(value, str):
        try:
            xml_text(value)
        except NotRepresentable as exc:
            reason = str(exc).split(" contains ", 1)[-1]
            problems.append(_problem(values.origin(path), path, f"contains {reason}"))
    elif isinstance(value, dict):
        for key, item in value.items():
            _name_bad_text(key, (*path, key), values, problems)
            _name_bad_text(item, (*path, key), values, problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _name_bad_text(item, (*path, index), values, problems)
