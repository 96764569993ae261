"""Which command a device's response answers, told from its keys.

A response names its command only through its keys (and, on macOS 10.11/10.12, an echoed
RequestType). ``schemas/responses/index.json`` lists each command's own top-level response
keys and the ones it requires when Acknowledged; the response is the command whose keys
hold all of the response's own keys. Several candidates are narrowed by which schemas the
response validates against, then by the smallest key set. A response holding no key of
its own (an Error, NotNow or a keyless command's Acknowledged) is the envelope's alone.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, NamedTuple

from profilesmith.plist.document import Document
from profilesmith.schema.bundle import read_bytes, validator

ENVELOPE = "response-envelope.schema.json"


class Answer(NamedTuple):
    request_type: str | None  # the command answered, when it can be told
    candidates: tuple[str, ...]  # what fits when it cannot (several), or ()
    foreign: tuple[str, ...]  # top-level keys no command's response has


class _Index(NamedTuple):
    envelope: frozenset[str]
    own: dict[str, frozenset[str]]
    required: dict[str, frozenset[str]]
    by_key: dict[str, frozenset[str]]


@cache
def _index() -> _Index:
    data = json.loads(read_bytes("responses/index.json"))
    return _Index(
        frozenset(data["envelope"]),
        {name: frozenset(keys) for name, keys in data["commands"].items()},
        {name: frozenset(keys) for name, keys in data["required"].items()},
        {key: frozenset(names) for key, names in data["keys"].items()},
    )


def schema_path(request_type: str) -> str:
    return f"responses/{request_type}.schema.json"


def answer(doc: Document) -> Answer:
    """:func:`identify` for a response Document, worked out once per document."""
    found = doc.derived.get("response")
    if found is None:
        found = doc.derived["response"] = identify(doc.root)
    assert isinstance(found, Answer)
    return found


def identify(root: dict[str, Any]) -> Answer:
    index = _index()
    echoed = root.get("RequestType")
    if isinstance(echoed, str) and echoed in index.own:
        return Answer(echoed, (), ())
    own = {k for k in root if isinstance(k, str)} - index.envelope
    if not own:
        return Answer(None, (), ())
    foreign = tuple(sorted(k for k in own if k not in index.by_key))
    if foreign:
        return Answer(None, (), foreign)
    candidates = frozenset.intersection(*(index.by_key[k] for k in own))
    if root.get("Status") == "Acknowledged":
        candidates = frozenset(c for c in candidates if index.required[c] <= own)
    if len(candidates) > 1:
        valid = frozenset(c for c in candidates if _validates(c, root))
        candidates = valid or candidates
        smallest = min(len(index.own[c]) for c in candidates)
        candidates = frozenset(c for c in candidates if len(index.own[c]) == smallest)
    if len(candidates) == 1:
        return Answer(next(iter(candidates)), (), ())
    return Answer(None, tuple(sorted(candidates)), ())


def _validates(request_type: str, root: dict[str, Any]) -> bool:
    errors: list[Any] = []
    validator(schema_path(request_type))(root, "", errors, [])
    return not errors
