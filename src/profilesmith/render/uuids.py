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

import uuid

# The profilesmith namespace. Never change it: every deterministic UUID depends on it.
NAMESPACE = uuid.UUID("1C505F4E-6D29-4C27-B4A0-6287745232FC")


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
        return str(uuid.uuid5(NAMESPACE, f"{self.output_name}\n{key}")).upper()
