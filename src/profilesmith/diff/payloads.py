"""Which payload of NEW replaces which payload of OLD (UPD110-UPD113, UPD127, UPD128).

Payloads are matched by PayloadType and PayloadIdentifier (the n-th payload with the same
pair matches the n-th, should a profile repeat one). The MDM payload is an exception:
a profile has one, and Apple's update rules compare it whatever its identifier, so an
unmatched MDM payload on each side is paired too (and UPD127 says it was renamed).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from profilesmith.diff.mdm import compare_mdm
from profilesmith.diff.model import Difference, Group, make
from profilesmith.diff.values import changes, json_value, render, same
from profilesmith.mdm.payload_types import MDM
from profilesmith.plist.document import Document, Payload

Pair = tuple[Payload | None, Payload | None]


def _keys(payloads: list[Payload]) -> Iterator[tuple[tuple[Any, ...], Payload]]:
    seen: dict[tuple[Any, Any], int] = {}
    for payload in payloads:
        ident = payload.value.get("PayloadIdentifier")
        pair = (payload.type, ident if isinstance(ident, str) else None)
        seen[pair] = seen.get(pair, 0) + 1
        yield (*pair, seen[pair]), payload


def match(old: Document, new: Document) -> list[Pair]:
    """(old, new) pairs: NEW's payloads in order (old None when added), then OLD's
    removed payloads in order (new None)."""
    by_key = dict(_keys(old.payloads()))
    matched = [(by_key.pop(key, None), payload) for key, payload in _keys(new.payloads())]
    removed = list(by_key.values())
    added = [i for i, (before, after) in enumerate(matched) if before is None and after.type == MDM]
    gone = [p for p in removed if p.type == MDM]
    if len(added) == 1 and len(gone) == 1:
        matched[added[0]] = (gone[0], matched[added[0]][1])
        removed.remove(gone[0])
    pairs: list[Pair] = list(matched)
    return pairs + [(payload, None) for payload in removed]


def group_of(payload: Payload, order: tuple[int, int]) -> Group:
    ident = payload.value.get("PayloadIdentifier")
    name = render(ident, "") if isinstance(ident, str) else f"#{payload.index}"
    return Group(order, f"payload {name} ({payload.type or 'no PayloadType'})")


def has_mdm(doc: Document) -> bool:
    """Whether a profile holds an MDM payload."""
    return any(p.type == MDM for p in doc.payloads())


def compare_payloads(old: Document, new: Document, *, update: bool, old_mdm: bool,
                     new_mdm: bool) -> list[Difference]:
    """Differences of every payload; with ``update`` (same profile identifier) also what
    the device does with them in a replacement. ``old_mdm``, ``new_mdm``: whether each
    holds an MDM payload (has_mdm)."""
    found: list[Difference] = []
    for before, after in match(old, new):
        if after is None:
            assert before is not None
            group = group_of(before, (3, before.index))
            if update and before.type == MDM and not new_mdm:
                found.append(make(group, "UPD128", before.pointer,
                                  "NEW has no MDM payload: the update removes OLD's, and "
                                  "removing the MDM payload unenrolls the device (the pointer "
                                  "is OLD's)"))
            else:
                found.append(make(group, "UPD111", before.pointer,
                                  "payload removed: the update removes it from the device "
                                  "(the pointer is OLD's)"))
            continue
        group = group_of(after, (2, after.index))
        if before is None:
            if update and after.type == MDM and not old_mdm:
                found.append(make(group, "UPD128", after.pointer,
                                  "NEW adds an MDM payload to a profile without one: Apple's "
                                  "update rules assume both are MDM profiles; enroll with a "
                                  "profile of its own"))
            else:
                found.append(make(group, "UPD110", after.pointer, "payload added"))
            continue
        covered: set[str] = set()
        if update:
            found += _replacement(group, before, after, covered)
            if after.type == MDM:
                more, mdm_covered = compare_mdm(group, before, after, old, new)
                found += more
                covered |= mdm_covered
        for change in changes(before.value, after.value, after.pointer, covered):
            found.append(make(group, "UPD112", change.pointer, change.message,
                              old=change.old, new=change.new))
    return found


def _replacement(group: Group, before: Payload, after: Payload,
                 covered: set[str]) -> list[Difference]:
    """UPD113/UPD127: a payload that the device removes and installs instead of updating."""
    found = []
    for key in ("PayloadIdentifier", "PayloadUUID"):
        old_value, new_value = before.value.get(key), after.value.get(key)
        if same(old_value, new_value):
            continue
        at = after.at(key)
        covered.add(at)
        shown = " -> ".join("absent" if value is None else render(value, at)
                            for value in (old_value, new_value))
        if after.type == MDM:
            found.append(make(group, "UPD127", at,
                              f"the MDM payload's {key} changed ({shown}): the device "
                              "replaces the MDM payload instead of updating it (the usual "
                              "way to renew the identity)", old=json_value(old_value, at),
                              new=json_value(new_value, at)))
        else:
            found.append(make(group, "UPD113", at,
                              f"{key} changed ({shown}): the device removes OLD's payload "
                              "and installs NEW's instead of updating it",
                              old=json_value(old_value, at), new=json_value(new_value, at)))
    return found
