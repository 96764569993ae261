"""Deterministic PayloadUUIDs (docs/architecture.md, "Contracts"; docs/authoring.md).

A PayloadUUID is ``uuid5(NAMESPACE, f"{output_name}\\n{payload_identifier}")``, in
upper case, where ``output_name`` is the output file's name (the ``--name`` result
relative to ``--output-dir`` in a batch, the base name of ``-o`` otherwise, ``-`` for
standard output). Rebuilding unchanged values therefore gives identical bytes — an MDM
sees no spurious change — and the UUIDs of one device's profile do not depend on where
its row sits in a batch. ``--random-uuids`` draws fresh random (version 4) UUIDs
instead, still one per identifier within a profile so that references stay wired.
"""

from __future__ import annotations

import hashlib
import uuid

# The profilesmith namespace. Never change it: every deterministic UUID depends on it.
NAMESPACE = uuid.UUID("1C505F4E-6D29-4C27-B4A0-6287745232FC")
_NAMESPACE_BYTES = NAMESPACE.bytes


def uuid5_text(name: str) -> str:
    """``str(uuid.uuid5(NAMESPACE, name)).upper()``, without the UUID object (its checks
    and its formatting are Python code, a few microseconds a payload of every profile)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    text = digest.hex().upper()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class UUIDSource:
    """``payload_uuid(identifier)`` for one output file."""

    def __init__(self, output_name: str, *, random: bool = False) -> None:
        self.output_name = output_name
        self.random = random
        self._drawn: dict[str, str] = {}

    def __call__(self, payload_identifier: object) -> str:
        key = str(payload_identifier)
        if self.random:
            return self._drawn.setdefault(key, str(uuid.uuid4()).upper())
        return uuid5_text(f"{self.output_name}\n{key}")
