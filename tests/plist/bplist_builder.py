"""Build binary plists object by object, so tests can write the hostile ones (shared
objects, cycles, keys that are not strings, bad offsets) that no writer produces."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field


def integer(value: int) -> bytes:
    return b"\x13" + value.to_bytes(8, "big", signed=True)


def ascii_string(text: str) -> bytes:
    raw = text.encode("ascii")
    return _sized(0x5, len(raw)) + raw


def data(raw: bytes) -> bytes:
    return _sized(0x4, len(raw)) + raw


def uid(value: int) -> bytes:
    return b"\x80" + value.to_bytes(1, "big")


def _sized(kind: int, count: int) -> bytes:
    if count < 15:
        return bytes([kind << 4 | count])
    return bytes([kind << 4 | 0xF]) + b"\x13" + count.to_bytes(8, "big")


@dataclass
class Builder:
    """Objects are appended in order; an array or dict names its members by index."""

    ref_size: int = 2
    offset_size: int = 4
    objects: list[bytes] = field(default_factory=list)

    def add(self, encoded: bytes) -> int:
        self.objects.append(encoded)
        return len(self.objects) - 1

    def refs(self, refs: list[int]) -> bytes:
        return b"".join(r.to_bytes(self.ref_size, "big") for r in refs)

    def array(self, refs: list[int]) -> int:
        return self.add(_sized(0xA, len(refs)) + self.refs(refs))

    def dict(self, keys: list[int], values: list[int]) -> int:
        return self.add(_sized(0xD, len(keys)) + self.refs(keys) + self.refs(values))

    def build(self, top: int, *, count: int | None = None,
              offsets: dict[int, int] | None = None) -> bytes:
        """``count`` and ``offsets`` (object -> offset) override what the trailer and
        the offset table say, to describe objects that are not there."""
        body = bytearray(b"bplist00")
        table = []
        for encoded in self.objects:
            table.append(len(body))
            body += encoded
        for index, offset in (offsets or {}).items():
            table[index] = offset
        table_offset = len(body)
        for offset in table:
            body += offset.to_bytes(self.offset_size, "big")
        body += struct.pack(">6xBBQQQ", self.offset_size, self.ref_size,
                            len(self.objects) if count is None else count, top, table_offset)
        return bytes(body)


def shared_dag(levels: int) -> bytes:
    """Arrays holding the one below twice: a few hundred bytes that expand to 2**levels
    strings (the plist of issue 11)."""
    builder = Builder()
    below = builder.add(ascii_string("x"))
    for _ in range(levels):
        below = builder.array([below, below])
    return builder.build(below)


def cyclic() -> bytes:
    """A dictionary whose member Loop is an array holding the dictionary."""
    builder = Builder()
    key = builder.add(ascii_string("Loop"))
    builder.objects.append(b"\xa1\x00\x02")  # object 1: an array holding object 2
    return builder.build(builder.dict([key], [1]))


def integer_key() -> bytes:
    """{"Outer": {1: "v"}}: a dictionary key that is not a string."""
    builder = Builder()
    name, key, value = (builder.add(ascii_string("Outer")), builder.add(integer(1)),
                        builder.add(ascii_string("v")))
    return builder.build(builder.dict([name], [builder.dict([key], [value])]))


# the fixture files tests/fixtures/positive holds, and how each is made
FIXTURES = {
    "PAR002/binary-cycle.plist": cyclic,
    "PAR002/binary-key-not-string.plist": integer_key,
    "PAR012/binary-shared-dag.plist": lambda: shared_dag(30),
}
