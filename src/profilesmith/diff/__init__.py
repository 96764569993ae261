"""``profilesmith diff``: what changes between two versions of a profile, and whether
installing NEW over an installed OLD works (lint/rules/update.py documents the UPD rules).

The comparison reads two Documents; it never prints (``report`` renders it).

May import: profilesmith.lint (rule severities), profilesmith.mdm, profilesmith.cms,
profilesmith.schema, profilesmith.plist, profilesmith.base.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from profilesmith.base.findings import Severity
from profilesmith.diff.model import PROFILE, Comparison, Difference, Group, make
from profilesmith.diff.payloads import compare_payloads, has_mdm
from profilesmith.diff.signing import compare_signatures, level_of
from profilesmith.diff.values import changes, json_value, render, same
from profilesmith.plist.document import Document

if TYPE_CHECKING:
    from profilesmith.lint.config import LintOptions

__all__ = ["Comparison", "Difference", "Group", "compare", "configured", "not_comparable"]


def not_comparable(doc: Document) -> str | None:
    """Why a readable document is not something to diff (a command, a Profile Service)."""
    if not doc.is_configuration and not any(f.severity is Severity.ERROR
                                            for f in doc.findings):
        what = {"profile": "a Profile Service payload", "command": "an MDM command",
                "response": "a command response", "checkin": "a check-in message",
                "declaration": "a DDM declaration", "ddm-protocol": "a DDM protocol document"}
        return f"not a configuration profile ({what.get(doc.kind, 'no profile dictionary')})"
    return None


def configured(comparison: Comparison, options: LintOptions) -> Comparison:
    """The differences lint options keep (select, ignore, per-file ignores of NEW), at
    their configured severities."""
    kept = [d._replace(severity=options.severity_of(d.rule, d.severity))
            for d in comparison.differences
            if options.enabled(d.rule) and not options.ignored_for(comparison.new_path, d.rule)]
    return Comparison(comparison.old_path, comparison.new_path, kept,
                      same_identifier=comparison.same_identifier,
                      unreadable=comparison.unreadable)


def compare(old: Document, new: Document) -> Comparison:
    unreadable = [f for doc in (old, new) for f in doc.findings if f.severity is Severity.ERROR]
    if unreadable:
        return Comparison(old.path, new.path, [], unreadable=sorted(unreadable))
    old_root = old.root if isinstance(old.root, dict) else {}
    new_root = new.root if isinstance(new.root, dict) else {}
    old_id, new_id = old_root.get("PayloadIdentifier"), new_root.get("PayloadIdentifier")
    update = same(old_id, new_id)
    found: list[Difference] = []
    encrypted = _encrypted(old, new)
    found += encrypted
    # payload by payload, unless the payloads are hidden (encrypted ones are not removed
    # ones) or PayloadContent is not an array: then it is one value among the others
    by_payload = not encrypted and all(
        isinstance(root.get("PayloadContent", []), list) for root in (old_root, new_root))
    covered = {"/PayloadContent"} if by_payload else set()
    if not update:
        covered.add("/PayloadIdentifier")
        found.append(make(PROFILE, "UPD101", "/PayloadIdentifier",
                          f"PayloadIdentifier {_shown(old_id)} -> {_shown(new_id)}: NEW is "
                          "not an update of OLD but a second profile; the device installs it "
                          "beside OLD", old=json_value(old_id, "/PayloadIdentifier"),
                          new=json_value(new_id, "/PayloadIdentifier")))
    elif _unchanged_uuid(old_root, new_root):
        covered.add("/PayloadUUID")
        found.append(make(PROFILE, "UPD102", "/PayloadUUID",
                          "the profile's PayloadUUID is unchanged although its content "
                          "changed: MDM servers and tools that compare UUIDs may treat NEW as "
                          "already installed; give NEW a new PayloadUUID"))
    for change in changes(old_root, new_root, "", covered):
        found.append(make(PROFILE, "UPD112", change.pointer, change.message,
                          old=change.old, new=change.new))
    old_mdm, new_mdm = has_mdm(old), has_mdm(new)
    if by_payload:
        found += compare_payloads(old, new, update=update, old_mdm=old_mdm, new_mdm=new_mdm)
    if update:
        found += compare_signatures(old, new, level_of(old, mdm=old_mdm or new_mdm))
    return Comparison(old.path, new.path, found, same_identifier=update)


def _shown(value: Any) -> str:
    return "absent" if value is None else render(value, "/PayloadIdentifier")


def _unchanged_uuid(old_root: dict[str, Any], new_root: dict[str, Any]) -> bool:
    uuid = old_root.get("PayloadUUID")
    return uuid is not None and same(uuid, new_root.get("PayloadUUID")) and not same(
        old_root, new_root)


def _encrypted(old: Document, new: Document) -> list[Difference]:
    sides = [name for name, doc in (("OLD", old), ("NEW", new)) if doc.is_encrypted]
    if not sides:
        return []
    which = " and ".join(sides)
    verb = "are" if len(sides) == 2 else "is"
    return [make(PROFILE, "UPD114", "/EncryptedPayloadContent",
                 f"{which} {verb} encrypted: the payloads and the MDM update rules cannot be "
                 "checked; diff the profiles before encrypting them")]
