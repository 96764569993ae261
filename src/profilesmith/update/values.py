"""Value-by-value differences (UPD112) and how values may be shown.

What is secret is decided as for schema findings (profilesmith.schemacheck): a key whose
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

from profilesmith.findings import join_pointer
from profilesmith.schemacheck import is_secret, plist_type, shown


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


def _short(value: Any, pointer: str) -> str | None:
    """``shown`` (schemacheck) with room for a Topic or a URL."""
    if (isinstance(value, str) and len(value) <= MAX_SHOWN and value.isprintable()
            and not is_secret(pointer)):
        return repr(value)
    return shown(value, pointer)


def render(value: Any, pointer: str) -> str:
    """A value for a message: short values as written, others described, secrets hidden."""
    if is_secret(pointer):
        return "(secret: not shown)"
    text = _short(value, pointer)
    if text is not None:
        return text
    if isinstance(value, bytes):
        return f"<data, {len(value)} bytes>"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dict):
        return f"<dictionary, {len(value)} keys>"
    if isinstance(value, list):
        return f"<array, {len(value)} items>"
    if isinstance(value, str):
        return f"<string, {len(value)} characters>"
    return f"<{plist_type(value)}>"


def json_value(value: Any, pointer: str) -> Any:
    """The value itself for JSON output when it may be shown, else None."""
    if value is None or _short(value, pointer) is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN or infinity
    return value


def changed_message(old: Any, new: Any, pointer: str) -> str:
    if type(old) is not type(new):
        return (f"changed type from {plist_type(old)} to {plist_type(new)} "
                f"({render(old, pointer)} -> {render(new, pointer)})")
    if is_secret(pointer):
        return "changed (secret: values not shown)"
    return f"changed from {render(old, pointer)} to {render(new, pointer)}"


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
        yield Change(pointer, changed_message(old, new, pointer),
                     json_value(old, pointer), json_value(new, pointer))


def _dict_changes(old: dict[str, Any], new: dict[str, Any], pointer: str,
                  skip: Container[str]) -> Iterator[Change]:
    for key in [*old, *(k for k in new if k not in old)]:
        at = join_pointer(pointer, key)
        if at in skip:
            continue
        if key not in new:
            yield Change(at, f"removed (was {render(old[key], at)})", old=json_value(old[key], at))
        elif key not in old:
            yield Change(at, f"added: {render(new[key], at)}", new=json_value(new[key], at))
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
        yield Change(at, f"item added: {render(new[index], at)}", new=json_value(new[index], at))
    for index in range(len(new), len(old)):
        yield Change(pointer, f"item {index} removed (was {render(old[index], pointer)})",
                     old=json_value(old[index], pointer))


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
        for value in old[old_start:old_end]:
            yield Change(pointer, f"item removed: {render(value, pointer)}",
                         old=json_value(value, pointer))
        for index in range(new_start, new_end):
            at = join_pointer(pointer, index)
            yield Change(at, f"item added: {render(new[index], at)}",
                         new=json_value(new[index], at))
