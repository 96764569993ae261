"""Values: YAML/JSON/TOML files merged in order, then ``--set`` and ``--set-env``.

Each value remembers where it came from (:class:`Origin`: file and line, or the
option), so that a validation error can point at it and a relative path inside it is
resolved against the right directory. Scalars whose type the values schema decides are
kept as :class:`Text` until :mod:`.coerce` types them: plain YAML scalars, YAML and
JSON strings, TOML strings, ``--set`` values and CSV cells.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from profilesmith.base import assignments
from profilesmith.plist.json_projection import naive_utc
from profilesmith.render.lines import Path as Path  # re-exported: values are addressed by it
from profilesmith.render.lines import json_lines, toml_lines


class ValuesError(Exception):
    """Values that cannot be used; one line per problem (exit 2)."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Origin:
    source: str  # a file as given, or the option ("--set", "--set-env")
    line: int | None = None
    base_dir: str = "."  # relative paths in the value are relative to this
    secret: bool = False  # never echo the value (it came from the environment)
    label: str = ""  # e.g. "row 3" for batch rows

    def where(self) -> str:
        text = self.source
        if self.line is not None:
            text += f":{self.line}"
        if self.label:
            text += f" ({self.label})"
        return text


@dataclass(frozen=True)
class Text:
    """A scalar whose type the values schema decides.

    ``core``: a plain YAML scalar; where the schema says nothing, it takes its YAML 1.2
    core type (``true``, ``12``). Otherwise untyped text stays a string.
    """

    text: str
    core: bool = False


@dataclass
class ValueSet:
    tree: dict[str, Any] = field(default_factory=dict)
    origins: dict[Path, Origin] = field(default_factory=dict)
    default_origin: Origin | None = None

    def merged(self, overlay: ValueSet) -> ValueSet:
        """``overlay`` on top of this set: mappings merge deeply, anything else replaces."""
        return ValueSet(_merge(self.tree, overlay.tree), {**self.origins, **overlay.origins},
                        self.default_origin)

    def origin(self, path: Path) -> Origin | None:
        """Where the value at ``path`` (or its nearest recorded ancestor) came from."""
        for end in range(len(path), 0, -1):
            found = self.origins.get(path[:end])
            if found is not None:
                return found
        return self.default_origin


def _merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in overlay.items():
        old = result.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            result[key] = _merge(old, value)
        else:
            result[key] = value
    return result


def dotted(path: Path) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def set_path(tree: dict[str, Any], path: Path, value: Any, where: str) -> None:
    node = tree
    for depth, part in enumerate(path[:-1]):
        child = node.get(str(part))
        if child is None:
            child = node[str(part)] = {}
        elif not isinstance(child, dict):
            raise ValuesError([f"{where}: {dotted(path[: depth + 1])} is not a mapping"])
        node = child
    node[str(path[-1])] = value


def split_key(key: str, where: str) -> Path:
    parts = tuple(key.strip().split("."))
    if not key.strip() or any(not p for p in parts):
        raise ValuesError([f"{where}: {key!r} is not a dotted value name (scep.url)"])
    return parts


# -- files ------------------------------------------------------------------------------


def load_file(path: str) -> ValueSet:
    """A YAML (.yaml/.yml), JSON (.json) or TOML (.toml) values file."""
    lowered = path.lower()
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise ValuesError([f"{path}: cannot read ({exc.strerror or exc})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValuesError([f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    base = os.path.dirname(os.path.abspath(path))
    if lowered.endswith((".yaml", ".yml")):
        return _from_yaml(text, path, base)
    if lowered.endswith(".json"):
        return _from_json(text, path, base)
    if lowered.endswith(".toml"):
        return _from_toml(text, path, base)
    raise ValuesError([f"{path}: unknown values file type (use .yaml, .yml, .json or .toml)"])


def _from_yaml(text: str, source: str, base: str) -> ValueSet:
    from profilesmith.plist import yaml_projection as yamlplist

    lines: dict[Path, int] = {}

    def leaf(node: Any) -> Any:
        if node.tag == yamlplist.PLAIN_TAG:
            return Text(str(node.value), core=True)
        if node.tag == yamlplist.STR_TAG:
            return Text(str(node.value))
        return yamlplist.tagged_scalar(node)

    try:
        node = yamlplist.compose(text)
        tree = {} if node is None else yamlplist.construct(node, leaf, record=_recorder(lines))
    except yamlplist.YAMLError as exc:
        at = f":{exc.line}" if exc.line else ""
        raise ValuesError([f"{source}{at}: {exc}"]) from None
    return _value_set(tree, lines, source, base)


def _recorder(lines: dict[Path, int]) -> Any:
    def record(path: Path, line: int) -> None:
        lines[path] = line

    return record


def _value_set(tree: Any, lines: Mapping[Path, int], source: str, base: str) -> ValueSet:
    if isinstance(tree, Text) and tree.core and tree.text == "":
        tree = {}
    if not isinstance(tree, dict):
        raise ValuesError([f"{source}: a values file must hold a mapping of names to values"])
    origins = {path: Origin(source, line, base) for path, line in lines.items()}
    return ValueSet(tree, origins, Origin(source, None, base))


def _from_json(text: str, source: str, base: str) -> ValueSet:
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ValuesError([f"{source}:{exc.lineno}: invalid JSON ({exc.msg})"]) from None
    except ValueError as exc:
        raise ValuesError([f"{source}: {exc}"]) from None
    return _value_set(typed_json(data), json_lines(text), source, base)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def typed_json(value: Any) -> Any:
    """JSON values: strings become :class:`Text`, ``{"$data"}``/``{"$date"}`` bytes and
    datetimes (the plistjson projection)."""
    if isinstance(value, dict):
        if len(value) == 1 and ("$data" in value or "$date" in value):
            from profilesmith.plist.json_projection import ProjectionError, from_json

            try:
                return from_json(value)
            except ProjectionError as exc:
                raise ValueError(str(exc)) from None
        return {k: typed_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed_json(v) for v in value]
    if isinstance(value, str):
        return Text(value)
    return value


def _from_toml(text: str, source: str, base: str) -> ValueSet:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValuesError([f"{source}: invalid TOML ({exc})"]) from None
    try:
        tree = _typed_toml(data)
    except ValueError as exc:
        raise ValuesError([f"{source}: {exc}"]) from None
    return _value_set(tree, toml_lines(text), source, base)


def _typed_toml(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _typed_toml(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed_toml(v) for v in value]
    if isinstance(value, str):
        return Text(value)
    if isinstance(value, datetime):
        return naive_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, time):
        raise ValueError(f"a time of day ({value}) has no property-list form")
    return value


def from_mapping(values: Mapping[str, Any], source: str = "values") -> ValueSet:
    """Values given as Python objects (the public API): strings are typed by the values
    schema as a values file's are, bytes and datetimes are data and dates, tuples are
    lists; relative paths in them are relative to the working directory."""

    cwd = os.getcwd()
    origin = Origin(source, None, cwd)
    origins: dict[Path, Origin] = {}

    def typed(value: Any, path: Path) -> Any:
        if path:
            origins[path] = origin  # so that a value file's origin is not kept for it
        if isinstance(value, Mapping):
            result = {}
            for key, item in value.items():
                if not isinstance(key, str):
                    where = dotted(path) or "the values"
                    raise ValuesError([f"{source}: {where}: key {key!r} is not a string"])
                result[key] = typed(item, (*path, key))
            return result
        if isinstance(value, list | tuple):
            return [typed(item, (*path, i)) for i, item in enumerate(value)]
        if isinstance(value, str):
            return Text(value)
        if isinstance(value, datetime):
            return naive_utc(value)
        return value

    return ValueSet(typed(values, ()), origins, origin)


# -- the command line -------------------------------------------------------------------


def from_options(
    sets: Iterable[str], set_envs: Iterable[str], *, environ: Mapping[str, str] | None = None
) -> ValueSet:
    """``--set KEY=VALUE`` and ``--set-env KEY=VAR`` (paths relative to the cwd)."""
    try:
        given = assignments.parse(sets, set_envs, environ=environ)
    except assignments.AssignmentError as exc:
        raise ValuesError([str(exc)]) from None
    result = ValueSet()
    cwd = os.getcwd()
    for item in given:
        where = f"{item.option} {item.key}"
        path = split_key(item.key, where)
        set_path(result.tree, path, Text(item.text), where)
        if item.variable is None:
            result.origins[path] = Origin(where, None, cwd)
        else:
            result.origins[path] = Origin(f"{where} (${item.variable})", None, cwd, secret=True)
    return result


def load_all(paths: Iterable[str], sets: Iterable[str], set_envs: Iterable[str]) -> ValueSet:
    """Values files in order, then the options."""
    result = ValueSet(default_origin=Origin("values", None, os.getcwd()))
    for path in paths:
        result = result.merged(load_file(path))
    return result.merged(from_options(sets, set_envs))
