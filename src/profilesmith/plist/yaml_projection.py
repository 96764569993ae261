"""YAML for property-list values, without YAML 1.1 guessing.

PyYAML's safe loader follows YAML 1.1: ``NO`` and ``on`` become booleans, ``0123`` an
octal number, ``2024-01-01`` a date. Values files and ``convert`` need the opposite: a
scalar's type must be what its author meant. So documents are *composed* (nodes with
their text, quoting style and line) and typed here:

- quoted scalars are strings;
- plain scalars follow the YAML 1.2 core schema (``true``/``false``, ``null``, decimal,
  ``0x``/``0o`` integers, floats, ``.inf``/``.nan``), except that integers with leading
  zeros stay strings (``0123`` is a serial number far more often than a number);
- explicit tags decide: ``!!binary`` (base64 -> bytes), ``!!timestamp`` (ISO 8601 ->
  datetime in UTC), ``!!str``, ``!!int``, ``!!float``, ``!!bool``.

:func:`dumps` writes the same types back, quoting every string that this loader or a
YAML 1.1 reader would take for something else, so YAML written by ``convert`` reads back
identically here and means the same to other tools.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from profilesmith.base.secrets import secret_pointer
from profilesmith.plist.bounds import MAX_DIGITS, NESTING_LIMIT
from profilesmith.plist.json_projection import naive_utc

PLAIN_TAG = "tag:profilesmith:plain"
STR_TAG = "tag:yaml.org,2002:str"
_TAG = "tag:yaml.org,2002:"

# A composed document shares aliased nodes; a few anchors can describe billions of
# values ("billion laughs"), so construction counts what it builds.
MAX_NODES = 1_000_000

_NULL = re.compile(r"(?:~|null|Null|NULL|)")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
         "FALSE": False}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_INT_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_OCT = re.compile(r"0o[0-7]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)(?:[Tt ]+(\d\d):(\d\d):(\d\d)(\.\d+)?\s*(Z|z|[-+]\d\d(?::?\d\d)?)?)?"
)


class YAMLError(ValueError):
    """A YAML document that cannot be read; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


_BASE_RESOLVE: Any = yaml.resolver.BaseResolver.resolve


class _Composer(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    yaml.resolver.BaseResolver,
):
    """Composes nodes; untagged plain scalars keep a marker tag so that typing can tell
    ``true`` from ``"true"`` and from ``!!str true``."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.resolver.BaseResolver.__init__(self)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return PLAIN_TAG if implicit[0] else STR_TAG
        return str(_BASE_RESOLVE(self, kind, value, implicit))


def compose(text: str) -> Node | None:
    """The document's root node (None for an empty document)."""
    try:
        loader = _Composer(text)  # the reader checks every character here
    except yaml.reader.ReaderError as exc:
        raise YAMLError(_unreadable(exc), text.count("\n", 0, exc.position) + 1) from None
    try:
        return loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        raise YAMLError(_unreadable(exc), text.count("\n", 0, exc.position) + 1) from None
    except RecursionError:
        raise YAMLError(f"invalid YAML: nests deeper than {NESTING_LIMIT} levels") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YAMLError(f"invalid YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise YAMLError(f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()


def _unreadable(exc: yaml.reader.ReaderError) -> str:
    character = exc.character
    shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
    return f"invalid YAML: the character {shown} is not allowed in YAML text"


def line_of(node: Node) -> int:
    return int(node.start_mark.line) + 1


def resolve_plain(text: str) -> Any:
    """The YAML 1.2 core type of a plain scalar (leading-zero integers stay strings)."""
    if _NULL.fullmatch(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.fullmatch(text):
        if len(text.lstrip("+-")) > MAX_DIGITS:
            raise YAMLError(f"an integer of {len(text.lstrip('+-'))} digits: outside the "
                            "64-bit range property lists hold")
        return int(text)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    if _OCT.fullmatch(text):
        return int(text[2:], 8)
    if _INT_LEADING_ZERO.fullmatch(text):
        return text
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.fullmatch(text):
        return float("nan")
    return text


def tagged_scalar(node: ScalarNode) -> Any:
    """The value of a scalar with an explicit tag (``!!binary``, ``!!timestamp``...)."""
    tag = str(node.tag)
    text = str(node.value)
    where = line_of(node)
    if tag == STR_TAG:
        return text
    if tag == _TAG + "binary":
        try:
            return base64.b64decode("".join(text.split()), validate=True)
        except binascii.Error:
            raise YAMLError("!!binary value is not valid base64", where) from None
    if tag == _TAG + "timestamp":
        return parse_timestamp(text, where)
    if tag in (_TAG + "int", _TAG + "float", _TAG + "bool", _TAG + "null"):
        value = resolve_plain(text)
        kind = tag.rsplit(":", 1)[1]
        expected: Any = {"int": int, "float": (float, int), "bool": bool,
                         "null": type(None)}[kind]
        if isinstance(value, bool) != (kind == "bool") or not isinstance(value, expected):
            raise YAMLError(f"{text!r} is not a valid !!{kind}", where)
        return float(value) if kind == "float" else value
    raise YAMLError(f"unsupported tag {tag}", where)


def parse_timestamp(text: str, line: int | None = None) -> datetime:
    """ISO 8601 (date, or date and time with an optional zone) -> naive UTC datetime."""
    match = _TIMESTAMP.fullmatch(text.strip())
    if not match:
        raise YAMLError(f"{text!r} is not an ISO 8601 timestamp", line)
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                          int(second or 0), round(float(fraction or 0) * 1_000_000))
        if zone and zone not in ("Z", "z"):
            moment = datetime.fromisoformat(moment.isoformat() + _zone(zone))
            moment = naive_utc(moment)
    except ValueError as exc:
        raise YAMLError(f"{text!r} is not a valid timestamp ({exc})", line) from None
    return moment


def _zone(zone: str) -> str:
    digits = zone[1:].replace(":", "")
    return f"{zone[0]}{digits[:2]}:{digits[2:] or '00'}"


Leaf = Callable[[ScalarNode], Any]


def construct(
    node: Node, leaf: Leaf, *, record: Callable[[tuple[Any, ...], int], None] | None = None
) -> Any:
    """Build Python values from a node tree; ``leaf`` types the scalars and ``record``
    hears the line of every mapping member (its key's line) and sequence item."""
    budget = [MAX_NODES]

    def build(current: Node, path: tuple[Any, ...]) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise YAMLError(f"document expands to more than {MAX_NODES} values (aliases?)")
        if len(path) >= NESTING_LIMIT and not isinstance(current, ScalarNode):
            raise YAMLError(f"invalid YAML: nests deeper than {NESTING_LIMIT} levels",
                            line_of(current))
        if isinstance(current, ScalarNode):
            try:
                return leaf(current)
            except YAMLError as exc:
                if path and secret_pointer("/".join(str(p) for p in path)):
                    raise YAMLError(f"invalid YAML: the value of {path[-1]} cannot be read "
                                    "(not shown: its key names a secret)",
                                    line_of(current)) from None
                if exc.line is None:
                    raise YAMLError(str(exc), line_of(current)) from None
                raise
        if isinstance(current, SequenceNode):
            items = []
            for index, item in enumerate(current.value):
                if record is not None:
                    record((*path, index), line_of(item))
                items.append(build(item, (*path, index)))
            return items
        if isinstance(current, MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in current.value:
                if not isinstance(key_node, ScalarNode):
                    raise YAMLError("mapping keys must be plain strings", line_of(key_node))
                key = str(key_node.value)
                if key == "<<" and key_node.tag == PLAIN_TAG:
                    raise YAMLError("merge keys (<<) are not supported", line_of(key_node))
                if key in result:
                    raise YAMLError(f"duplicate key {key!r}", line_of(key_node))
                if record is not None:
                    record((*path, key), line_of(key_node))
                result[key] = build(value_node, (*path, key))
            return result
        raise YAMLError("unsupported YAML node", line_of(current))

    return build(node, ())


def plist_leaf(node: ScalarNode) -> Any:
    if node.tag == PLAIN_TAG:
        return resolve_plain(str(node.value))
    return tagged_scalar(node)


def loads(text: str) -> Any:
    """A YAML document as plist-typed values (None stays None: callers decide)."""
    node = compose(text)
    if node is None:
        return None
    return construct(node, plist_leaf)


# -- dumping ---------------------------------------------------------------------------

_V11: Any = yaml.resolver.Resolver()


def needs_quotes(text: str) -> bool:
    """True if this loader or a YAML 1.1 reader would not read ``text`` plain as itself."""
    try:
        if not isinstance(resolve_plain(text), str):
            return True
    except YAMLError:  # digits too many for an integer: still read as one
        return True
    return bool(_V11.resolve(ScalarNode, text, (True, False)) != STR_TAG)


class _Dumper(yaml.SafeDumper):
    """Types match :func:`resolve_plain`, so ints/floats/bools print plain and untagged."""


_Dumper.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("int", r"^(?:[-+]?(?:0|[1-9][0-9]*)|0x[0-9a-fA-F]+|0o[0-7]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+.0123456789"),
):
    _Dumper.add_implicit_resolver(_TAG + _tag, re.compile(_pattern), list(_first))


# Line breaks YAML folds or normalises (NEL and the Unicode separators among them) and
# control characters survive only as escapes of a double-quoted scalar.
_ESCAPE_NEEDED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _represent_str(dumper: _Dumper, data: str) -> ScalarNode:
    style = '"' if needs_quotes(data) or _ESCAPE_NEEDED.search(data) else None
    return dumper.represent_scalar(STR_TAG, data, style=style)


def _represent_datetime(dumper: _Dumper, data: datetime) -> ScalarNode:
    from profilesmith.plist.json_projection import format_date

    return dumper.represent_scalar(_TAG + "timestamp", format_date(data), style="'")


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(datetime, _represent_datetime)


def dumps(value: Any) -> str:
    """Block-style YAML of a plist value tree, key order kept; NotRepresentable for a
    value no property list holds (a UID, a key that is not a string)."""
    from profilesmith.plist.writer import NotRepresentable

    try:
        return yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                         default_flow_style=False, width=100)
    except yaml.representer.RepresenterError as exc:
        kind = type(exc.args[1]).__name__ if len(exc.args) > 1 else "value"
        raise NotRepresentable(f"a {kind} has no YAML form here") from None
