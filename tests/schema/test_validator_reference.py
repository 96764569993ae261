"""Our compiled validator against the reference, the jsonschema package
(Draft202012Validator on the JSON projection): on every bundled schema it must say the
same (valid or not, and the same set of (instance pointer, keyword) errors) for every
fixture, every corpus profile and hypothesis-generated instances."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from referencing import Registry, Resource

from profilesmith.plist.json_projection import to_json
from profilesmith.plist.reader import read_path
from profilesmith.schema import bundle as schemas
from profilesmith.schema import check as schema_check
from profilesmith.schema.validator.formats import FORMATS
from tests.conftest import FIXTURES, REPO

SCHEMA_DIR = REPO / "schemas"


@cache
def bundled() -> dict[str, dict[str, Any]]:
    return {str(p.relative_to(SCHEMA_DIR)): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(SCHEMA_DIR.rglob("*.schema.json"))}


@cache
def _registry() -> Registry[Any]:
    return Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in bundled().values())


@cache
def _formats() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name)(check)
    return checker


def _pointer(path: Iterable[Any]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def reference_errors(schema: Mapping[str, Any], value: Any,
                     extra: Iterable[Mapping[str, Any]] = ()) -> set[tuple[str, str]]:
    registry = _registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in extra if s["$id"] != schema.get("$id"))
    validator = jsonschema.Draft202012Validator(schema, registry=registry,
                                                format_checker=_formats())
    return {(_pointer(e.absolute_path), str(e.validator))
            for e in validator.iter_errors(to_json(value))}


def our_errors(relative: str, value: Any) -> set[tuple[str, str]]:
    errors: list[Any] = []
    schemas.validator(relative)(value, "", errors, [])
    return {(e.pointer, e.kind) for e in errors}


def projectable(value: Any) -> bool:
    """False for values holding a <dict> whose only key is $data or $date: the projection
    cannot tell it from <data>/<date>, and our validator calls it the wrong type on
    purpose (test_validator.py checks that)."""
    if isinstance(value, dict):
        if len(value) == 1 and ("$data" in value or "$date" in value):
            return False
        return all(projectable(v) for v in value.values())
    if isinstance(value, list):
        return all(projectable(v) for v in value)
    return True


def agree(relative: str, value: Any) -> None:
    if not projectable(value):
        return
    expected = reference_errors(bundled()[relative], value)
    assert our_errors(relative, value) == expected, relative


def _documents(paths: Iterable[Path]) -> Iterable[tuple[str, Any]]:
    for path in paths:
        doc = read_path(str(path))
        if not isinstance(doc.root, dict):
            continue
        for target in schema_check.targets(doc):
            yield target.schema, target.value


def test_agreement_on_every_fixture() -> None:
    files = [p for p in sorted(FIXTURES.rglob("*")) if p.suffix in (".mobileconfig", ".plist")]
    checked = 0
    for relative, value in _documents(files):
        agree(relative, value)
        checked += 1
    assert checked > 50


def test_agreement_on_the_corpus(corpus: Path) -> None:
    files = [p for p in sorted(corpus.rglob("*")) if p.is_file() and p.suffix != ".tsv"]
    checked = 0
    for relative, value in _documents(files):
        agree(relative, value)
        checked += 1
    assert checked > 400


# -- generated instances ---------------------------------------------------------------------
# Values are built from the schema itself -- mostly what it asks for, sometimes anything --
# so that both valid documents and every kind of error turn up.

_ANY_LEAF = st.one_of(
    st.text(max_size=6), st.integers(-3, 300), st.floats(allow_nan=False, width=32),
    st.booleans(), st.binary(max_size=4),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
)
_ANY = st.recursive(_ANY_LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    max_leaves=6)


def _resolve(ref: str, doc: str) -> tuple[Mapping[str, Any], str]:
    target, _, fragment = ref.partition("#")
    if target:
        doc = posixpath.normpath(posixpath.join(posixpath.dirname(doc), target))
    node: Any = bundled()[doc]
    for token in fragment.split("/")[1:]:
        node = node[token]
    return node, doc


def instances(schema: Any, doc: str, depth: int = 0) -> st.SearchStrategy[Any]:
    if not isinstance(schema, Mapping) or depth > 4:
        return _ANY_LEAF
    if "$ref" in schema:
        target, target_doc = _resolve(schema["$ref"], doc)
        if target_doc == "plist.schema.json":
            kind = schema["$ref"].rsplit("/", 1)[-1]
            fitting = st.binary(max_size=6) if kind == "data" else st.datetimes(
                min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1))
            return st.one_of(fitting, fitting, _ANY_LEAF)
        return instances(target, target_doc, depth + 1)
    options: list[st.SearchStrategy[Any]] = []
    if "enum" in schema:
        options.append(st.sampled_from(schema["enum"]))
    if "const" in schema:
        options.append(st.just(schema["const"]))
    kind = None if options else schema.get("type")  # with an enum, keep to its values
    if kind == "string":
        options.append(st.text(max_size=8))
    elif kind == "integer":
        options += [st.integers(-2, 70), st.integers(0, 3).map(float)]
    elif kind == "number":
        options.append(st.floats(-5, 70, allow_nan=False))
    elif kind == "boolean":
        options += [st.booleans(), st.integers(0, 1)]
    elif kind == "array":
        options.append(st.lists(instances(schema.get("items", True), doc, depth + 1),
                                max_size=3))
    elif kind == "object" or "properties" in schema:
        options.append(_objects(schema, doc, depth))
    # mostly what the schema asks for, one time in ten anything at all
    if not options:
        return _ANY
    fitting = st.one_of(options)
    return st.integers(0, 9).flatmap(lambda i: fitting if i else _ANY_LEAF)


def _objects(schema: Mapping[str, Any], doc: str, depth: int) -> st.SearchStrategy[Any]:
    properties = dict(schema.get("properties", {}))
    required = [k for k in schema.get("required", []) if k in properties]
    chosen = {k: properties[k] for k in required}
    optional = sorted(k for k in properties if k not in chosen)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        names = list(chosen)
        if optional:
            names += draw(st.lists(st.sampled_from(optional), max_size=4, unique=True))
        if names and draw(st.integers(0, 5)) == 0:
            names.remove(draw(st.sampled_from(names)))  # sometimes a required key goes
        value = {n: draw(instances(properties[n], doc, depth + 1)) for n in names}
        if draw(st.integers(0, 4)) == 0:
            value[draw(st.text(min_size=1, max_size=5))] = draw(_ANY_LEAF)
        return value

    return build()


SAMPLED = [
    "profile.schema.json", "profile-service.schema.json",
    "payloads/com.apple.dock.schema.json", "payloads/com.apple.systemuiserver.schema.json",
    "payloads/com.apple.TCC.configuration-profile-policy.schema.json",
    "payloads/com.apple.webClip.managed.schema.json", "payloads/com.apple.airplay.schema.json",
    "payloads/com.apple.homescreenlayout.schema.json",
    "payloads/com.apple.wifi.managed.schema.json", "payloads/com.apple.vpn.managed.schema.json",
    "payloads/com.apple.mdm.schema.json", "payloads/com.apple.security.scep.schema.json",
    "payloads/com.apple.security.acme.schema.json", "payloads/com.apple.MCX.schema.json",
    "payloads/com.apple.ManagedClient.preferences.schema.json",
    "commands/Settings.schema.json", "commands/DeviceLock.schema.json",
    "commands/InstallApplication.schema.json",
]


@pytest.mark.parametrize("relative", SAMPLED)
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_agreement_on_generated_instances(relative: str, data: st.DataObject) -> None:
    value = data.draw(instances(bundled()[relative], relative))
    agree(relative, value)


def test_generated_instances_cover_valid_and_invalid() -> None:
    # the strategy above must produce both, or the property test proves little
    from hypothesis import find

    schema = bundled()["payloads/com.apple.dock.schema.json"]
    strategy = instances(schema, "payloads/com.apple.dock.schema.json")
    valid = find(strategy, lambda v: isinstance(v, dict) and len(v) >= 5
                 and not our_errors("payloads/com.apple.dock.schema.json", v))
    assert not our_errors("payloads/com.apple.dock.schema.json", valid)
    invalid = find(strategy, lambda v: len(our_errors("payloads/com.apple.dock.schema.json",
                                                      v)) > 2)
    assert our_errors("payloads/com.apple.dock.schema.json", invalid)
