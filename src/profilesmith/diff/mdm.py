"""Apple's update-in-place rules for the MDM payload (UPD120-UPD126).

Each check returns its differences and the pointers it reported, so that the generic
value differences (UPD112) do not list the same change twice.
"""

from __future__ import annotations

from typing import Any

from profilesmith.base.findings import Severity
from profilesmith.diff.model import Difference, Group, make
from profilesmith.diff.values import json_value, render, same
from profilesmith.mdm import rights
from profilesmith.plist.document import Document, Payload

_ABSENT = object()


def _get(payload: Payload, key: str) -> Any:
    return payload.value.get(key, _ABSENT)


def _describe(value: Any, pointer: str) -> str:
    return "absent" if value is _ABSENT else render(value, pointer)


def _json(value: Any, pointer: str) -> Any:
    return None if value is _ABSENT else json_value(value, pointer)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def compare_mdm(group: Group, old: Payload, new: Payload, old_doc: Document,
                new_doc: Document) -> tuple[list[Difference], set[str]]:
    found: list[Difference] = []
    covered: set[str] = set()

    def fixed(key: str, rule: str, why: str) -> None:
        before, after = _get(old, key), _get(new, key)
        if _same(before, after):
            return
        at = new.at(key)
        covered.add(at)
        found.append(make(group, rule, at,
                          f"{key} changed from {_describe(before, at)} to "
                          f"{_describe(after, at)}: {why}",
                          old=_json(before, at), new=_json(after, at)))

    fixed("Topic", "UPD120", "a device rejects the update (Apple: you cannot change the "
                             "topic of the profile); a new push topic needs a new enrollment")
    fixed("ServerURL", "UPD121", "a device rejects the update (Apple: you cannot change the "
                                 "server URL of the profile)")
    fixed("AssignedManagedAppleID", "UPD123", "a device rejects the update (Apple: when "
                                              "updating the payload, the value must not change)")
    found += _access_rights(group, old, new, covered)
    found += _checkin_url(group, old, new, covered)
    found += _identity(group, old, new, old_doc, new_doc, covered)
    return found, covered


def _same(a: Any, b: Any) -> bool:
    if a is _ABSENT or b is _ABSENT:
        return a is b
    return same(a, b)


def _names(value: int) -> str:
    named = [f"{r.name} ({r.value})" for r in rights.granted(value)]
    undefined = rights.undefined_bits(value)
    if undefined:
        named.append(f"undefined bits {undefined}")
    return ", ".join(named)


def _access_rights(group: Group, old: Payload, new: Payload,
                   covered: set[str]) -> list[Difference]:
    before, after = _get(old, "AccessRights"), _get(new, "AccessRights")
    if not (_is_int(before) and _is_int(after)) or before == after or before < 0 or after < 0:
        return []  # absent or not an integer: the value difference lists it, lint says more
    at = new.at("AccessRights")
    covered.add(at)
    found = []
    gained, lost = after & ~before, before & ~after
    if gained:
        severity = None
        why = ("a device rejects the update (Apple: you cannot add rights to a profile that "
               "replaces an existing one)")
        if "ManagedAppleID" in old.value and "ManagedAppleID" in new.value:
            severity = Severity.INFO
            why = "devices ignore AccessRights when ManagedAppleID is set (user enrollment)"
        found.append(make(group, "UPD122", at,
                          f"AccessRights {before} -> {after} adds {_names(gained)}: {why}",
                          severity=severity, old=before, new=after))
    if lost:
        found.append(make(group, "UPD126", at,
                          f"AccessRights {before} -> {after} removes {_names(lost)}",
                          old=before, new=after))
    return found


def _checkin_url(group: Group, old: Payload, new: Payload,
                 covered: set[str]) -> list[Difference]:
    """The URL the device checks in at: CheckInURL, else ServerURL (Apple: "If not set,
    the system uses ServerURL"). Only a change of the CheckInURL key is this rule's: a
    changed ServerURL with no CheckInURL in either is UPD121's."""
    before, after = _get(old, "CheckInURL"), _get(new, "CheckInURL")
    if _same(before, after):
        return []
    effective_old = _get(old, "ServerURL") if before is _ABSENT else before
    effective_new = _get(new, "ServerURL") if after is _ABSENT else after
    if _same(effective_old, effective_new):
        return []  # e.g. CheckInURL added with the ServerURL's value: UPD112 lists it
    at = new.at("CheckInURL")
    covered.add(at)
    message = (f"the check-in URL changed from {_describe(effective_old, at)} to "
               f"{_describe(effective_new, at)}: Apple's update rules do not name it, but "
               "the device sends its check-in messages (TokenUpdate, CheckOut) to the new "
               "URL from now on")
    return [make(group, "UPD124", at, message, old=_json(effective_old, at),
                 new=_json(effective_new, at))]


def _target(doc: Document, uuid: Any) -> str:
    found = doc.payload_with_uuid(uuid)
    if found is None or not found[1]:  # only an exact match counts here
        return "no payload of the profile"
    payload = found[0]
    ident = payload.value.get("PayloadIdentifier")
    name = ident if isinstance(ident, str) else payload.pointer
    return f"{render(name, '')} ({payload.type or 'no PayloadType'})"


def _identity(group: Group, old: Payload, new: Payload, old_doc: Document,
              new_doc: Document, covered: set[str]) -> list[Difference]:
    before, after = _get(old, "IdentityCertificateUUID"), _get(new, "IdentityCertificateUUID")
    if before is _ABSENT or after is _ABSENT or _same(before, after):
        return []
    at = new.at("IdentityCertificateUUID")
    covered.add(at)
    message = (f"IdentityCertificateUUID changed ({render(before, at)} -> {render(after, at)}): "
               f"it points to {_target(new_doc, after)} in NEW, to "
               f"{_target(old_doc, before)} in OLD; the device gets a new identity (a "
               "renewal: allowed)")
    return [make(group, "UPD125", at, message, old=_json(before, at), new=_json(after, at))]
