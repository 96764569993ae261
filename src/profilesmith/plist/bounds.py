"""How large a value tree is when written out, without writing it.

A tree can share objects: a binary plist's shared objects, a YAML alias of one long
string. Written as XML, JSON or YAML each reference is written again, so a few megabytes
in memory can become gigabytes of output. ``convert`` and ``format`` measure first and
refuse what would exceed :data:`OUTPUT_LIMIT`: the largest file the reader accepts, so
that whatever they write can be read back.

The measure, :data:`VALUE_COST` bytes for each value (each key too) plus a string's
characters or data's bytes, is about what the XML form takes, and it is the one the
binary reader applies to a file's shared objects (:mod:`.bplist`): a tree measured
within the limit is one the reader accepts back. It is computed once per shared object
and without recursion.
"""

from __future__ import annotations

from typing import Any

from profilesmith.base import files

OUTPUT_LIMIT = files.MAX_BYTES
VALUE_COST = 8  # <true/> is 7 bytes, <key></key> 11


class TooLarge(ValueError):
    """The written value would exceed the limit."""


def check_output(value: Any, what: str, limit: int | None = None) -> None:
    """Raise TooLarge (a one-line message starting with ``what``) when ``value`` written
    out would exceed ``limit`` bytes (default :data:`OUTPUT_LIMIT`)."""
    limit = OUTPUT_LIMIT if limit is None else limit
    if written_size(value, limit) > limit:
        raise TooLarge(f"{what} would be larger than {limit} bytes (shared values expand "
                       "each time they are written)")


def written_size(value: Any, limit: int) -> int:
    """``value``'s measure, stopping as soon as it passes ``limit`` (the result is then
    some number above it)."""
    first = _leaf(value)
    if first is not None:
        return first
    sizes: dict[int, int] = {}  # id of a container measured -> its size
    open_ids = {id(value)}
    stack: list[list[Any]] = [[value, _members(value), VALUE_COST]]  # container, members, cost
    while stack:
        frame = stack[-1]
        below = None
        for key, item in frame[1]:
            if isinstance(key, str):
                frame[2] += VALUE_COST + len(key)
            size = _leaf(item)
            if size is None:
                size = sizes.get(id(item))
            if size is None:
                if id(item) in open_ids:  # a cycle: endless when written
                    return limit + 1
                below = item
                break
            frame[2] += size
            if frame[2] > limit:
                return int(frame[2])
        if below is not None:
            open_ids.add(id(below))
            stack.append([below, _members(below), VALUE_COST])
            continue
        stack.pop()
        open_ids.discard(id(frame[0]))
        sizes[id(frame[0])] = frame[2]
        if not stack:
            return int(frame[2])
        stack[-1][2] += frame[2]
        if stack[-1][2] > limit:
            return int(stack[-1][2])
    return 0


def _leaf(item: Any) -> int | None:
    """A scalar's size; None for a container."""
    if isinstance(item, str):
        return VALUE_COST + len(item)
    if isinstance(item, bytes | bytearray):
        return VALUE_COST + len(item)
    if isinstance(item, dict | list | tuple):
        return None
    return VALUE_COST


def _members(item: Any) -> Any:
    return iter(item.items()) if isinstance(item, dict) else iter(enumerate(item))


NESTING_LIMIT = 256  # libxml2's default depth, which XML plists already meet
# Integer literals longer than this are refused by every reader: far beyond 64 bits, far
# below Python's own limit (4300 digits), whose message names a function of Python's.
MAX_DIGITS = 40


def too_deep(value: Any, limit: int = NESTING_LIMIT) -> str | None:
    """The pointer of the first container nested deeper than ``limit`` levels (None if
    none is), found without recursion: later walks (schemas, rules, writers) recurse."""
    from profilesmith.base.pointers import escape_pointer_token

    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack:
        item, pointer, depth = stack.pop()
        if isinstance(item, dict):
            members: Any = ((escape_pointer_token(str(k)), v) for k, v in item.items())
        elif isinstance(item, list | tuple):
            members = enumerate(item)
        else:
            continue
        if depth > limit:
            return pointer
        stack.extend((v, f"{pointer}/{k}", depth + 1) for k, v in members)
    return None
