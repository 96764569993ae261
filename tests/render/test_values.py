"""Values loading (YAML/JSON/TOML with lines), merging, options, typing by schema."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from profilesmith.render.coerce import Preparer
from profilesmith.render.lines import json_lines, toml_lines
from profilesmith.render.values import Text, ValuesError, from_options, load_all, load_file
from tests.conftest import REPO

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "s": {"type": "string"},
        "i": {"type": "integer"},
        "n": {"type": "number"},
        "b": {"type": "boolean"},
        "l": {"type": "array", "items": {"type": "integer"}},
        "m": {"type": "object", "properties": {"x": {"type": "string", "default": "dx"},
                                               "y": {"type": "integer"}}},
        "d": {"type": "string", "default": "dd"},
        "secret": {"type": "string", "writeOnly": True, "pattern": "^ok"},
        "any": {},
    },
}


def prepare(tmp_path: Path, text: str, name: str = "v.yaml", schema: dict | None = SCHEMA,
            sets: tuple[str, ...] = ()) -> dict:  # type: ignore[type-arg]
    path = tmp_path / name
    path.write_text(text)
    return Preparer(schema).prepare(load_all([str(path)], sets, []))


def problems(tmp_path: Path, text: str, **kwargs: object) -> list[str]:
    with pytest.raises(ValuesError) as caught:
        prepare(tmp_path, text, **kwargs)  # type: ignore[arg-type]
    return [p.replace(str(tmp_path) + "/", "") for p in caught.value.problems]


def test_yaml_typing_follows_the_schema(tmp_path: Path) -> None:
    values = prepare(tmp_path, "s: 0123\ni: 0x10\nn: 3\nb: TRUE\nl: [1, '2']\n"
                               "any: [on, 0123, 12, 1.5, true, '7', 2024-01-01]\n")
    assert values == {"s": "0123", "i": 16, "n": 3.0, "b": True, "l": [1, 2],
                      "any": ["on", "0123", 12, 1.5, True, "7", "2024-01-01"], "d": "dd"}


def test_yaml_tags_and_nulls(tmp_path: Path) -> None:
    values = prepare(tmp_path, "s:\nany: [!!binary AAE=, !!timestamp 2024-01-02T03:04:05+01:00,"
                               " !!str 12]\nm: {}\n")
    assert values == {"any": [b"\x00\x01", datetime(2024, 1, 2, 2, 4, 5), "12"],
                      "m": {"x": "dx"}, "d": "dd"}


def test_yaml_errors(tmp_path: Path) -> None:
    assert problems(tmp_path, "s: a\ns: b\n") == ["v.yaml:2: duplicate key 's'"]
    assert problems(tmp_path, "s: [\n") == [
        "v.yaml:2: invalid YAML: expected the node content, but found '<stream end>'"
    ]
    assert problems(tmp_path, "- a\n") == [
        "v.yaml: a values file must hold a mapping of names to values"]
    assert problems(tmp_path, "b: yes\ni: 1.5\nl: [1, x]\n") == [
        "v.yaml:1: b: must be true or false, not 'yes'",
        "v.yaml:2: i: must be an integer, not '1.5'",
        "v.yaml:3: l[1]: must be an integer, not 'x'",
    ]
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdef", "bcdefg", strict=True))
    assert "expands to more than" in problems(tmp_path, bomb, schema=None)[0]


def test_secret_values_are_never_echoed(tmp_path: Path) -> None:
    assert problems(tmp_path, "secret: hunter2\n") == [
        "v.yaml:1: secret: does not match the pattern ^ok"]
    assert problems(tmp_path, "secret: 5\n") == [
        "v.yaml:1: secret: does not match the pattern ^ok"]
    long_secret = {**SCHEMA, "properties": {"secret": {"type": "string", "writeOnly": True,
                                                       "maxLength": 3}}}
    assert problems(tmp_path, "secret: hunter2\n", schema=long_secret) == [
        "v.yaml:1: secret: fails 'maxLength: 3'"]
    assert problems(tmp_path, "secret: [hunter2]\n") == [
        "v.yaml:1: secret: must be a string, not a list"]


def test_json_lines_map() -> None:
    text = '{\n "a": 1,\n "b": {\n  "c": [\n   "x",\n   {"d": 2}\n  ]\n },\n "e\\"": 3\n}'
    assert json_lines(text) == {
        ("a",): 2, ("b",): 3, ("b", "c"): 4, ("b", "c", 0): 5, ("b", "c", 1): 6,
        ("b", "c", 1, "d"): 6, ('e"',): 9,
    }


def test_toml_lines_map() -> None:
    text = 'a = 1\n[m]\nx = "s"\n"quoted key" = 2\n[m.deep]\ny.z = 3\n'
    assert toml_lines(text) == {("a",): 1, ("m",): 2, ("m", "x"): 3, ("m", "quoted key"): 4,
                                ("m", "deep"): 5, ("m", "deep", "y", "z"): 6}


def test_json_and_toml_types(tmp_path: Path) -> None:
    values = prepare(tmp_path, '{"s": "x", "i": "12", "n": 2, "any": {"$data": "AAE="}, '
                               '"m": {"y": 3}}', name="v.json")
    assert values == {"s": "x", "i": 12, "n": 2, "any": b"\x00\x01", "m": {"y": 3, "x": "dx"},
                      "d": "dd"}
    values = prepare(tmp_path, 's = "x"\nany = 2024-01-02T03:04:05Z\n[m]\ny = 3\n',
                     name="v.toml")
    assert values == {"s": "x", "any": datetime(2024, 1, 2, 3, 4, 5), "m": {"y": 3, "x": "dx"},
                      "d": "dd"}
    assert problems(tmp_path, '{"s": 1, "s": 2}', name="v.json") == [
        "v.json: duplicate key 's'"]
    assert problems(tmp_path, '{"i": NaN}', name="v.json") == ["v.json: NaN is not valid JSON"]
    assert problems(tmp_path, 'i = "x"', name="v.toml") == [
        "v.toml:1: i: must be an integer, not 'x'"]
    assert problems(tmp_path, "x", name="v.txt") == [
        "v.txt: unknown values file type (use .yaml, .yml, .json or .toml)"]


def test_unknown_and_missing(tmp_path: Path) -> None:
    schema = {**SCHEMA, "required": ["i"]}
    # m allows other members (its schema does not forbid them); the root does not
    assert problems(tmp_path, "m:\n  z: 1\nzz: 2\nyy: 3\n", schema=schema) == [
        "v.yaml:3: zz: unknown value (not in the template's values schema)",
        "v.yaml:4: yy: unknown value (not in the template's values schema)",
        "values: i: missing (required)",
    ]


def test_options_and_merging(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("m:\n  x: a\n  y: 1\ns: a\n")
    (tmp_path / "b.yaml").write_text("m:\n  y: 2\n")
    merged = load_all([str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")],
                      ["s=set", "m.x=from set"], [])
    assert merged.tree == {"m": {"x": Text("from set"), "y": Text("2", core=True)},
                           "s": Text("set")}
    assert merged.origin(("m", "y")).where() == f"{tmp_path}/b.yaml:2"  # type: ignore[union-attr]
    assert merged.origin(("m", "x")).where() == "--set m.x"  # type: ignore[union-attr]
    with pytest.raises(ValuesError, match="expected KEY=VALUE"):
        from_options(["novalue"], [])
    with pytest.raises(ValuesError, match="not a dotted value name"):
        from_options(["a..b=1"], [])
    with pytest.raises(ValuesError, match=r"s is not a mapping"):
        from_options(["s=1", "s.t=2"], [])
    env = from_options([], ["s=VAR"], environ={"VAR": "v"})
    assert env.tree == {"s": Text("v")}
    assert env.origin(("s",)).secret  # type: ignore[union-attr]


def test_missing_file() -> None:
    with pytest.raises(ValuesError, match=r"nope.yaml: cannot read"):
        load_file("nope.yaml")


# -- the fast path of values validation agrees with jsonschema ------------------------------


def _schema(template: str) -> dict:  # type: ignore[type-arg]
    return json.loads((REPO / "templates" / f"{template}.values.schema.json").read_text())


def _sample_tree(template: str, tmp_path: Path) -> dict:  # type: ignore[type-arg]
    """The values ``profilesmith new TEMPLATE`` prints, prepared: a valid tree."""
    import yaml

    from tests.conftest import run_cli

    text = run_cli("new", template).output
    tree = yaml.safe_load(text) or {}
    assert isinstance(tree, dict)
    return tree


_SCALARS = st.one_of(st.booleans(), st.integers(-3, 9000), st.floats(-1, 9000),
                     st.text(max_size=6), st.lists(st.text(max_size=3), max_size=2),
                     st.sampled_from(["https://x.test/mdm", "RSA", "5", "O=A/CN=B", ""]))


@pytest.mark.parametrize("template", ["enrollment", "scep", "root-cert", "profile"])
def test_fast_values_validation_agrees_with_jsonschema(template: str, tmp_path: Path) -> None:
    import jsonschema
    from hypothesis import HealthCheck

    from profilesmith.schema.validator.compiler import Compiler

    root = _schema(template)
    fast = Compiler(lambda _path: root, lenient=True).file("values.schema.json")
    reference = jsonschema.Draft202012Validator(root)
    base = _sample_tree(template, tmp_path)
    paths: list[tuple[str, ...]] = []

    def collect(tree: object, prefix: tuple[str, ...]) -> None:
        if isinstance(tree, dict):
            for key, value in tree.items():
                paths.append((*prefix, key))
                collect(value, (*prefix, key))

    collect(base, ())
    seen = {True: 0, False: 0}

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    @given(changes=st.lists(st.tuples(st.sampled_from(paths or [("x",)]), _SCALARS),
                            max_size=2))
    def check(changes: list[tuple[tuple[str, ...], object]]) -> None:
        tree = json.loads(json.dumps(base))
        for path, value in changes:
            node = tree
            for key in path[:-1]:
                node = node.setdefault(key, {}) if isinstance(node, dict) else {}
            if isinstance(node, dict):
                node[path[-1]] = value
        errors: list[object] = []
        fast(tree, "", errors, [])
        verdict = reference.is_valid(tree)
        seen[verdict] += 1
        assert (not errors) == verdict

    check()
    assert seen[True] > 0  # valid trees were compared too, not only broken ones


# -- one Preparer for a whole batch: what it remembers of the schema changes nothing --------


REFS = {
    "type": "object",
    "properties": {
        "cert": {"$ref": "#/$defs/cert"},
        "plain": {"type": "object", "properties": {"n": {"type": "integer"},
                                                   "tags": {"type": "array", "default": ["a"]}}},
    },
    "$defs": {"cert": {"type": "string", "x-profilesmith": "certificate"}},
}


def test_a_reused_preparer_answers_as_a_fresh_one(tmp_path: Path) -> None:
    texts = ["i: '7'\nm: {y: '3'}\nl: ['1', '2']\n", "s: 12\nb: 'true'\n", "n: '2.5'\n"]
    reused = Preparer(SCHEMA)
    for text in texts * 2:
        path = tmp_path / "v.yaml"
        path.write_text(text)
        values = load_all([str(path)], (), [])
        assert reused.prepare(values) == Preparer(SCHEMA).prepare(values)


def test_remembered_defaults_are_copied_for_each_row(tmp_path: Path) -> None:
    reused = Preparer(REFS)
    path = tmp_path / "v.yaml"
    path.write_text("plain: {n: '1'}\n")
    first = reused.prepare(load_all([str(path)], (), []))
    first["plain"]["tags"].append("changed")
    second = reused.prepare(load_all([str(path)], (), []))
    assert second == {"plain": {"n": 1, "tags": ["a"]}}


def test_a_certificate_behind_a_ref_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_text("cert: missing.pem\n")
    with pytest.raises(ValuesError) as caught:
        Preparer(REFS).prepare(load_all([str(path)], (), []))
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith(f"{path}:1: cert: ")
