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


# A tree may grow when written (shared values are written at each reference, indentation
# and tags are added), but not without end: at most this many times the bytes it was
# read from, or the floor for small files, and never more than the reader accepts. Real
# conversions stay far below (binary to XML, the largest growth, is 2-4 times). The
# floor is small because writing is what costs: a 91-byte DAG allowed 16 MiB took 2 s
# to write as JSON (the fuzzer's timeouts); within 1 MiB, 0.12 s.
EXPANSION = 16
EXPANSION_FLOOR = 1024 * 1024


def output_limit(input_size: int) -> int:
    """The most a file of ``input_size`` bytes may be written out as."""
    return min(OUTPUT_LIMIT, max(EXPANSION_FLOOR, EXPANSION * input_size))


def limit_reason(limit: int) -> str:
    """Why ``limit`` is the limit, in words."""
    if limit >= OUTPUT_LIMIT:
        return "the most the reader accepts"
    return f"output may be {EXPANSION} times its input and {EXPANSION_FLOOR >> 20} MiB at least"


class TooLarge(ValueError):
    """The written value would exceed the limit."""


class Layout:
    """What writing a value costs beyond :data:`VALUE_COST` and its characters, in one
    output format: the bytes around a scalar, a key and a container, the indentation per
    nesting level on each line, and how data grows (base64). The indentation matters: a
    DAG of 40 levels costs five times more as XML than its values alone."""

    __slots__ = ("container", "container_lines", "data_factor", "key", "per_level", "scalar")

    def __init__(self, scalar: int = 0, key: int = 0, container: int = 0, per_level: int = 0,
                 container_lines: int = 2, data_factor: float = 1.0) -> None:
        self.scalar, self.key, self.container = scalar, key, container
        self.per_level, self.container_lines = per_level, container_lines
        self.data_factor = data_factor


BARE = Layout()  # the binary reader's measure
# <string></string> and a newline; <key></key>; <array>..</array> on two lines; one tab
XML = Layout(scalar=10, key=4, container=10, per_level=1, data_factor=4 / 3)
# a number and its comma are shorter than VALUE_COST; the opening bracket shares a line
JSON = Layout(scalar=-5, key=-3, container=-4, per_level=2, container_lines=1,
              data_factor=4 / 3)
# An estimate within this factor of what is written (over the real-world corpus, XML is
# measured at 0.84-1.13x its output, JSON at 1.03-1.19x): a tree measured above the
# limit times this is refused before it is written; one below it is written and its
# exact length checked. Nothing that fits is refused, and nothing much larger is written.
SLACK = 1.25


def check_output(value: Any, what: str, limit: int | None = None,
                 layout: Layout = BARE) -> None:
    """Raise TooLarge (a one-line message starting with ``what``) when ``value`` written
    out in ``layout`` would exceed ``limit`` bytes (default :data:`OUTPUT_LIMIT`; with
    :data:`SLACK` for an estimated layout, whose caller checks the exact length)."""
    limit = OUTPUT_LIMIT if limit is None else limit
    threshold = limit if layout is BARE else int(limit * SLACK)
    if written_size(value, threshold, layout) > threshold:
        raise TooLarge(f"{what} would be larger than {limit} bytes ({limit_reason(limit)}; "
                       "shared values expand each time they are written)")


def written_size(value: Any, limit: int, layout: Layout = BARE) -> int:
    """``value``'s measure in ``layout``, stopping as soon as it passes ``limit`` (the
    result is then some number above it). Each container is measured once per depth it
    is met at (once in all when the layout does not indent): a shared object costs its
    size again for each reference, not its walk."""
    first = _leaf(value, layout)
    if first is not None:
        return first
    indented = layout.per_level > 0
    sizes: dict[tuple[int, int], int] = {}  # (id, depth) of a container measured -> size
    open_ids = {id(value)}
    # container, its members, its cost so far, its depth
    stack: list[list[Any]] = [[value, _members(value), VALUE_COST + layout.container, 0]]
    while stack:
        frame = stack[-1]
        depth = frame[3] + 1
        line = layout.per_level * depth
        below = None
        for key, item in frame[1]:
            if isinstance(key, str):
                frame[2] += VALUE_COST + layout.key + len(key) + line
            size = _leaf(item, layout)
            if size is not None:
                size += line
            else:
                size = sizes.get((id(item), depth if indented else 0))
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
            cost = VALUE_COST + layout.container + layout.container_lines * line
            stack.append([below, _members(below), cost, depth])
            continue
        stack.pop()
        open_ids.discard(id(frame[0]))
        sizes[(id(frame[0]), frame[3] if indented else 0)] = frame[2]
        if not stack:
            return int(frame[2])
        stack[-1][2] += frame[2]
        if stack[-1][2] > limit:
            return int(stack[-1][2])
    return 0


def _leaf(item: Any, layout: Layout) -> int | None:
    """A scalar's size; None for a container."""
    if isinstance(item, str):
        return VALUE_COST + layout.scalar + len(item)
    if isinstance(item, bytes | bytearray):
        return VALUE_COST + layout.scalar + int(len(item) * layout.data_factor)
    if isinstance(item, dict | list | tuple):
        return None
    return VALUE_COST + layout.scalar


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
