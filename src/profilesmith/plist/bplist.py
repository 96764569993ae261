"""A binary property list (``bplist00``) decoder that a crafted file cannot blow up.

Why not plistlib: it decodes each object once, but hands back a graph, and every later
walk (the reader's checks, the schemas, the rules, convert, format) expands it again
per reference, so a 278-byte file of arrays that share their items reaches 2**30 values:
minutes and gigabytes. It also accepts dictionary keys that are not strings (convert and
format then crash) and returns cyclic structures, and its errors say nothing
(``InvalidFileException: Invalid file``). This decoder reads each object once by its
index (shared objects stay shared, as the format intends) and, in the same pass,
measures what the value would be if written out: the expanded size (as
:mod:`.bounds` measures it, bounded like an XML file by the limit given,
:data:`profilesmith.base.files.MAX_BYTES`) and depth (bounded like libxml2's,
256 levels). Cycles, keys that are not strings, offsets or lengths outside the file,
unknown markers and bad reference sizes each raise :class:`Corrupt` with a plain-words
reason. The walk is iterative: no input can reach Python's recursion limit.
"""

from __future__ import annotations

import struct
from datetime import datetime, timedelta
from typing import Any

from profilesmith.plist.bounds import NESTING_LIMIT, VALUE_COST

_EPOCH = datetime(2001, 1, 1)
_INT_MIN, _INT_END = -(2**63), 2**64
_TRAILER = struct.Struct(">6xBBQQQ")  # 6 unused, sizes, counts
_NEW, _ACTIVE, _DONE = 0, 1, 2


class Corrupt(ValueError):
    """The file is not a binary plist this decoder can read; ``rule`` is the PAR rule
    (PAR002 damaged, PAR012 expands beyond the limit) and ``pointer`` where it was met."""

    def __init__(self, message: str, *, rule: str = "PAR002", pointer: str = "") -> None:
        super().__init__(message)
        self.rule = rule
        self.pointer = pointer


class Decoded:
    """The root value and what it holds that a profile cannot (each at the first pointer
    where it was met): nulls and UIDs (``unsupported``), integers beyond 64 bits
    (``wide``), and the pointers of duplicate keys. (Plain classes here: importing
    dataclasses costs a one-file lint run more than decoding its profile.)"""

    __slots__ = ("duplicates", "root", "unsupported", "wide")

    def __init__(self) -> None:
        self.root: Any = None
        self.unsupported: list[tuple[str, str]] = []  # (pointer, kind)
        self.wide: list[str] = []
        self.duplicates: list[str] = []


class _Frame:
    """A container being decoded: its members are decoded first."""

    __slots__ = ("count", "kind", "position", "ref", "refs", "token")

    def __init__(self, ref: int, token: str | None, kind: str, refs: list[int],
                 count: int) -> None:
        self.ref = ref
        self.token = token  # how the parent reaches it (a key or an index; None: the top)
        self.kind = kind  # "array" or "dict"
        self.refs = refs
        self.count = count  # members of a dict (its refs are the keys, then the values)
        self.position = 0


class Uid(int):
    """A CF$UID reference (keyed archives); no profile holds one."""


def decode(data: bytes, limit: int) -> Decoded:
    return _Decoder(data, limit).run()


class _Decoder:
    def __init__(self, data: bytes, limit: int) -> None:
        if data[:8] != b"bplist00":
            version = data[6:8].decode("ascii", "replace")
            raise Corrupt(f"binary plist version {version!r} is not supported (only 00)")
        if len(data) < 8 + _TRAILER.size + 1:
            raise Corrupt("truncated: too short to hold a trailer")
        self.data = data
        self.limit = limit
        self.end = len(data) - _TRAILER.size  # objects lie before the trailer
        (self.offset_size, self.ref_size, count, self.top,
         table) = _TRAILER.unpack_from(data, self.end)
        if not 1 <= self.offset_size <= 8 or not 1 <= self.ref_size <= 8:
            raise Corrupt(f"damaged trailer: offset size {self.offset_size} and reference "
                          f"size {self.ref_size} must be 1 to 8 bytes")
        if count == 0 or self.top >= count:
            raise Corrupt(f"the top object {self.top} is not one of the {count} objects")
        if table < 8 or table + count * self.offset_size > self.end:
            raise Corrupt("truncated: the offset table lies outside the file")
        if self.ref_size < 8 and count > 1 << (8 * self.ref_size):
            raise Corrupt(f"{count} objects cannot be named by "
                          f"{self.ref_size}-byte references")
        self.count = count
        self.offsets = _integers(data[table: table + count * self.offset_size],
                                 self.offset_size)
        self.state = bytearray(count)
        self.values: list[Any] = [None] * count
        self.weights = [0] * count
        self.out = Decoded()

    # -- the walk --------------------------------------------------------------------

    def run(self) -> Decoded:
        stack: list[_Frame] = []
        state = self.state
        self.enter(self.top, None, 0, stack)
        while stack:
            frame = stack[-1]
            refs, count, position = frame.refs, frame.count, frame.position
            is_dict = frame.kind == "dict"
            pushed = False
            # the members, scalars decoded in place, until a container must go first
            while position < len(refs):
                child = refs[position]
                position += 1
                if is_dict and position <= count:
                    self.key(child, stack)
                elif state[child] == _DONE:
                    continue
                elif state[child] == _ACTIVE:
                    raise Corrupt(f"object {child} contains itself (a cycle)",
                                  pointer=_pointer(stack))
                elif not self.quick(child) and self.enter(child, frame, position - 1, stack):
                    pushed = True
                    break
            frame.position = position
            if pushed:
                continue
            stack.pop()
            self.finish(frame, stack)
            if self.weights[frame.ref] > self.limit:
                raise Corrupt(f"the binary plist's shared objects would expand to more "
                              f"than {self.limit} bytes (the limit for a profile); refused",
                              rule="PAR012")
        self.out.root = self.values[self.top]
        return self.out

    def quick(self, ref: int) -> bool:
        """Decode the most common objects (small unsigned integers, booleans, short ASCII
        strings) the shortest way: this is most of the cost of a large file."""
        data, at = self.data, self.offsets[ref]
        if not 8 <= at < self.end:
            return False
        marker = data[at]
        if 0x10 <= marker <= 0x12:
            stop = at + 1 + (1 << (marker & 3))
            value: Any = int.from_bytes(data[at + 1: stop], "big")
        elif marker == 0x08 or marker == 0x09:
            stop, value = at, marker == 0x09
        elif 0x50 <= marker < 0x5F:
            stop = at + 1 + (marker & 0x0F)
            raw = data[at + 1: stop]
            if not raw.isascii():
                return False
            value = raw.decode("ascii")
        else:
            return False
        if stop > self.end:
            return False  # enter() says it is truncated
        self.values[ref] = value
        self.weights[ref] = VALUE_COST + (marker & 0x0F if marker >= 0x50 else 0)
        self.state[ref] = _DONE
        return True

    def token(self, frame: _Frame, index: int) -> str:
        if frame.kind == "array":
            return str(index)
        return _escape(self.values[frame.refs[index - frame.count]])

    def enter(self, ref: int, parent: _Frame | None, index: int,
              stack: list[_Frame]) -> bool:
        """Decode a scalar (False), or push a container to decode its members first
        (True)."""
        start = self.offset(ref)
        marker = self.data[start]
        kind = marker >> 4
        if kind == 0xA or kind == 0xD:
            if len(stack) >= NESTING_LIMIT:
                raise Corrupt(f"binary plist nests deeper than {NESTING_LIMIT} levels",
                              pointer=_pointer(stack))
            count, body = self.length(marker & 0x0F, start + 1, ref)
            refs = self.refs(body, count * (2 if kind == 0xD else 1), ref)
            self.state[ref] = _ACTIVE
            token = None if parent is None else self.token(parent, index)
            stack.append(_Frame(ref, token, "array" if kind == 0xA else "dict", refs, count))
            return True
        value, self.weights[ref] = self.scalar(marker, start, ref)
        self.state[ref] = _DONE
        cls = value.__class__
        if cls in _PLAIN or (cls is int and _INT_MIN <= value < _INT_END):
            self.values[ref] = value
            return False
        # what a profile cannot hold, reported where it is first met; a UID is kept as
        # None: it is an int to Python, not to a device
        self.values[ref] = None if cls is Uid else value
        pointer = "" if parent is None else f"{_pointer(stack)}/{self.token(parent, index)}"
        if cls is int:
            self.out.wide.append(pointer)
        else:
            self.out.unsupported.append((pointer, "null" if value is None else "UID"))
        return False

    def key(self, ref: int, stack: list[_Frame]) -> None:
        if self.state[ref] == _NEW and not self.quick(ref):
            start = self.offset(ref)
            marker = self.data[start]
            if marker >> 4 in (0xA, 0xD):
                value: Any = [] if marker >> 4 == 0xA else {}
            else:
                value, self.weights[ref] = self.scalar(marker, start, ref)
                self.values[ref] = None if isinstance(value, Uid) else value
                self.state[ref] = _DONE
        else:
            value = self.values[ref] if self.state[ref] == _DONE else []
        if not isinstance(value, str):
            raise Corrupt(f"a dictionary key is {_kind(value)}, not a string",
                          pointer=_pointer(stack))

    def finish(self, frame: _Frame, stack: list[_Frame]) -> None:
        values, weights = self.values, self.weights
        weight = VALUE_COST + sum(weights[r] for r in frame.refs)
        if frame.kind == "array":
            result: Any = [values[r] for r in frame.refs]
        else:
            result = {}
            keys, items = frame.refs[: frame.count], frame.refs[frame.count:]
            for key_ref, value_ref in zip(keys, items, strict=True):
                key = values[key_ref]
                if key in result:
                    self.out.duplicates.append(f"{_pointer([*stack, frame])}/{_escape(key)}")
                result[key] = values[value_ref]
        values[frame.ref], weights[frame.ref] = result, weight
        self.state[frame.ref] = _DONE

    # -- objects ---------------------------------------------------------------------

    def offset(self, ref: int) -> int:
        start = self.offsets[ref]
        if not 8 <= start < self.end:
            raise Corrupt(f"object {ref} has an offset outside the file")
        return start

    def span(self, start: int, length: int, ref: int) -> bytes:
        if start + length > self.end:
            raise Corrupt(f"truncated: object {ref} runs past the end of the file")
        return self.data[start: start + length]

    def length(self, low: int, at: int, ref: int) -> tuple[int, int]:
        """An object's count (from its marker, or the integer after it) and where its
        body starts."""
        if low != 0x0F:
            return low, at
        head = self.span(at, 1, ref)[0]
        if head >> 4 != 0x1 or head & 0x0F > 3:
            raise Corrupt(f"object {ref} has a malformed length")
        size = 1 << (head & 0x0F)
        return int.from_bytes(self.span(at + 1, size, ref), "big"), at + 1 + size

    def refs(self, at: int, count: int, ref: int) -> list[int]:
        refs = _integers(self.span(at, count * self.ref_size, ref), self.ref_size)
        if refs and max(refs) >= self.count:
            child = next(r for r in refs if r >= self.count)
            raise Corrupt(f"object {ref} refers to object {child}, which does not exist")
        return refs

    def scalar(self, marker: int, start: int, ref: int) -> tuple[Any, int]:
        kind, low = marker >> 4, marker & 0x0F
        if kind == 0x5 or kind == 0x6 or kind == 0x4:  # the common ones first
            count, body = self.length(low, start + 1, ref)
            end = body + (count * 2 if kind == 0x6 else count)
            if end > self.end:
                raise Corrupt(f"truncated: object {ref} runs past the end of the file")
            raw = self.data[body:end]
            if kind == 0x4:
                return raw, VALUE_COST + count
            try:
                text = raw.decode("ascii" if kind == 0x5 else "utf-16-be")
            except UnicodeDecodeError:
                encoding = "ASCII" if kind == 0x5 else "UTF-16"
                raise Corrupt(f"object {ref} is a string that is not valid {encoding}") from None
            return text, VALUE_COST + len(text)
        if kind == 0x1 and low <= 4:
            raw = self.span(start + 1, 1 << low, ref)
            return int.from_bytes(raw, "big", signed=low >= 3), VALUE_COST
        if marker == 0x08 or marker == 0x09:
            return marker == 0x09, VALUE_COST
        if marker == 0x00:
            return None, VALUE_COST
        if marker == 0x22 or marker == 0x23:
            raw = self.span(start + 1, 1 << low, ref)
            return struct.unpack(">f" if low == 2 else ">d", raw)[0], VALUE_COST
        if marker == 0x33:
            seconds = struct.unpack(">d", self.span(start + 1, 8, ref))[0]
            try:
                return _EPOCH + timedelta(seconds=seconds), VALUE_COST
            except (OverflowError, ValueError):
                raise Corrupt(f"object {ref} is a date outside the years 1 to 9999") from None
        if kind == 0x8:
            return Uid(int.from_bytes(self.span(start + 1, low + 1, ref), "big")), VALUE_COST
        if kind == 0xC:
            raise Corrupt(f"object {ref} is a set, which property lists do not have")
        raise Corrupt(f"object {ref} has the unknown type marker 0x{marker:02X}")


_FORMATS = {1: "B", 2: "H", 4: "I", 8: "Q"}


def _integers(raw: bytes, size: int) -> list[int]:
    """Big-endian unsigned integers of ``size`` bytes (offsets, references)."""
    code = _FORMATS.get(size)
    if code is not None:
        return list(struct.unpack(f">{len(raw) // size}{code}", raw))
    return [int.from_bytes(raw[i: i + size], "big") for i in range(0, len(raw), size)]


_PLAIN = frozenset({str, bytes, float, bool, datetime})  # nothing to report about these


def _pointer(stack: list[_Frame]) -> str:
    """The JSON Pointer of the innermost frame (the path the walk took to it)."""
    return "".join(f"/{frame.token}" for frame in stack if frame.token is not None)


def _escape(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _kind(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a real", bytes: "data",
             list: "an array", dict: "a dictionary", Uid: "a UID", datetime: "a date"}
    return "null" if value is None else names.get(type(value), "not a string")
