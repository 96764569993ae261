"""Value-by-value differences (UPD112) and how values may be shown.

What is secret is decided as for schema findings (profilesmith.schema.report): a key whose
name says password, challenge, secret, token, ... and everything below it. Secrets and
data are never shown, not even their length; long or unprintable strings are described.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Container, Hashable, Iterator
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any, NamedTuple

from profilesmith.base.pointers import join_pointer
from profilesmith.plist.json_projection import format_date
from profilesmith.schema.report import is_secret, plist_type, short_form


class Change(NamedTuple):
    pointer: str
    message: str
    old: Any = None
    new: Any = None


def same(a: Any, b: Any) -> bool:
    """Equality of plist values that tells <true/> from <integer>1 and 1 from 1.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) or (a != a and b != b)  # NaN equals NaN here


# Topics (com.apple.mgmt.External.<UUID>: 60 characters) and URLs are what diff is
# about, so strings may be longer than in lint messages.
MAX_SHOWN = 100
# arrays longer than this (together) are not matched item by item
MAX_MATCHED = 2000


def render(value: Any, pointer: str) -> str:
    """A value for a message: short values as written, others described, secrets hidden."""
    return _render(value, secret=is_secret(pointer))


def _render(value: Any, *, secret: bool) -> str:
    if secret:
        return "(secret: not shown)"
    # schemacheck's short form, with room for a Topic or a URL
    text = short_form(value, limit=MAX_SHOWN)
    if text is not None:
        return text
    if isinstance(value, bytes):
        return f"<data, {len(value)} bytes>"
    if isinstance(value, datetime):
        return format_date(value)
    if isinstance(value, dict):
        return f"<dictionary, {len(value)} keys>"
    if isinstance(value, list):
        return f"<array, {len(value)} items>"
    if isinstance(value, str):
        return f"<string, {len(value)} characters>"
    return f"<{plist_type(value)}>"


def json_value(value: Any, pointer: str) -> Any:
    """The value itself for JSON output when it may be shown, else None."""
    return _json_value(value, secret=is_secret(pointer))


def _json_value(value: Any, *, secret: bool) -> Any:
    if value is None or secret or short_form(value, limit=MAX_SHOWN) is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN or infinity
    return value


def _described(value: Any, pointer: str) -> tuple[str, Any]:
    """render() and json_value() of one value, deciding once whether it is secret."""
    secret = is_secret(pointer)
    return _render(value, secret=secret), _json_value(value, secret=secret)


def _changed_message(old: Any, new: Any, *, secret: bool) -> str:
    if type(old) is not type(new):
        return (f"changed type from {plist_type(old)} to {plist_type(new)} "
                f"({_render(old, secret=secret)} -> {_render(new, secret=secret)})")
    if secret:
        return "changed (secret: values not shown)"
    return f"changed from {_render(old, secret=False)} to {_render(new, secret=False)}"


def changes(old: Any, new: Any, pointer: str, skip: Container[str] = ()) -> Iterator[Change]:
    """Every difference between two values, at pointers built on ``pointer``.

    ``skip`` holds pointers another rule has reported: they and what is below them are
    left out. A removed dictionary member is reported at the pointer it would have.
    """
    if pointer in skip or same(old, new):
        return
    if isinstance(old, dict) and isinstance(new, dict):
        yield from _dict_changes(old, new, pointer, skip)
    elif isinstance(old, list) and isinstance(new, list):
        yield from _list_changes(old, new, pointer, skip)
    else:
        secret = is_secret(pointer)
        yield Change(pointer, _changed_message(old, new, secret=secret),
                     _json_value(old, secret=secret), _json_value(new, secret=secret))


def _dict_changes(old: dict[str, Any], new: dict[str, Any], pointer: str,
                  skip: Container[str]) -> Iterator[Change]:
    for key in [*old, *(k for k in new if k not in old)]:
        at = join_pointer(pointer, key)
        if at in skip:
            continue
        if key not in new:
            text, value = _described(old[key], at)
            yield Change(at, f"removed (was {text})", old=value)
        elif key not in old:
            text, value = _described(new[key], at)
            yield Change(at, f"added: {text}", new=value)
        else:
            yield from changes(old[key], new[key], at, skip)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _list_changes(old: list[Any], new: list[Any], pointer: str,
                  skip: Container[str]) -> Iterator[Change]:
    if all(map(_is_scalar, old)) and all(map(_is_scalar, new)):
        yield from _scalar_list_changes(old, new, pointer)
        return
    for index, (a, b) in enumerate(zip(old, new, strict=False)):
        yield from changes(a, b, join_pointer(pointer, index), skip)
    for index in range(len(old), len(new)):
        at = join_pointer(pointer, index)
        text, value = _described(new[index], at)
        yield Change(at, f"item added: {text}", new=value)
    for index in range(len(new), len(old)):
        text, value = _described(old[index], pointer)
        yield Change(pointer, f"item {index} removed (was {text})", old=value)


def _tagged(value: Any) -> Hashable:
    # 1, 1.0 and <true/> are different plist values but equal Python ones
    return (type(value).__name__, value)


def _scalar_list_changes(old: list[Any], new: list[Any], pointer: str) -> Iterator[Change]:
    """Arrays of strings and numbers (ServerCapabilities, UUID lists) by their items: an
    inserted item is one addition, not a change of every item after it."""
    old_tags, new_tags = list(map(_tagged, old)), list(map(_tagged, new))
    if Counter(old_tags) == Counter(new_tags):
        yield Change(pointer, "same items in another order")
        return
    if len(old) + len(new) > MAX_MATCHED:  # matching is quadratic at worst
        yield Change(pointer, f"changed ({len(old)} items -> {len(new)} items)")
        return
    matcher = SequenceMatcher(None, old_tags, new_tags, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        for item in old[old_start:old_end]:
            text, value = _described(item, pointer)
            yield Change(pointer, f"item removed: {text}", old=value)
        for index in range(new_start, new_end):
            at = join_pointer(pointer, index)
            text, value = _described(new[index], at)
            yield Change(at, f"item added: {text}", new=value)
