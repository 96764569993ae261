"""STR: the profile's skeleton: duplicate keys, identifiers and UUIDs, within a file and
across the files of one run."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from profilesmith.base.findings import Hit, Severity
from profilesmith.base.pointers import unescape_pointer_token
from profilesmith.lint.context import Context, Summary
from profilesmith.lint.registry import rule
from profilesmith.plist.document import Document
from profilesmith.schema.validator.formats import is_uuid


@rule("STR001", Severity.ERROR)
def duplicate_key(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A dictionary holds the same key twice.

    One of the values is silently dropped, and which one differs between parsers
    (plistlib keeps the last, other readers the first), so what a device applies is not
    what the file seems to say. Reported on the second <key>.

    Fails:   <key>A</key><integer>1</integer><key>A</key><integer>2</integer>
    Passes:  <key>A</key><integer>1</integer>
    """
    for pointer in dict.fromkeys(doc.duplicates):  # a key seen thrice is reported once
        key = unescape_pointer_token(pointer.rsplit("/", 1)[-1])
        yield Hit(pointer, f"duplicate key {key!r}: one of its values is dropped", at="key")


@rule("STR002", Severity.ERROR)
def duplicate_payload_uuid(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Two payloads of one profile (or a payload and the profile) share a PayloadUUID.

    The UUID is how a device tells payloads apart when a profile is replaced; two equal
    ones make the replacement ambiguous. Reported on the second occurrence.

    Fails:   two payloads with <key>PayloadUUID</key><string>9C9C...</string>
    Passes:  each payload with its own UUID
    """
    seen: dict[str, str] = {}
    for pointer, holder in doc.holders():
        value = holder.get("PayloadUUID")
        if not isinstance(value, str):
            continue
        folded = value.upper()
        if folded in seen:
            where = seen[folded] or "the profile"
            yield Hit(f"{pointer}/PayloadUUID", f"PayloadUUID {value} is also used by {where}")
        else:
            seen[folded] = pointer


@rule("STR003", Severity.WARNING)
def non_uuid_payload_uuid(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A PayloadUUID is not a UUID (8-4-4-4-12 hexadecimal digits).

    Devices accept any string, but Apple documents a UUID, and tools that compare or
    regenerate UUIDs mishandle other values. Generate one with ``uuidgen``.

    Fails:   <string>com.example.wifi</string>
    Passes:  <string>5C8FA1E4-2B0D-4E66-9D3B-0C0D5B7E9A11</string>
    """
    for pointer, holder in doc.holders():
        value = holder.get("PayloadUUID")
        if isinstance(value, str) and value.strip() and not is_uuid(value):
            yield Hit(f"{pointer}/PayloadUUID", f"PayloadUUID {value!r} is not a UUID")


@rule("STR004", Severity.WARNING)
def shared_payload_identifier(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A payload reuses the profile's PayloadIdentifier, or another payload's.

    Apple asks for identifiers unique within the profile; payload identifiers are usually
    the profile's with a component appended. Devices install such profiles, but updates
    match payloads by identifier and may replace the wrong one.

    Fails:   profile and payload both <string>com.example.dock</string>
    Passes:  profile com.example.dock, payload com.example.dock.settings
    """
    seen: dict[str, str] = {}
    for pointer, holder in doc.holders():
        value = holder.get("PayloadIdentifier")
        if not isinstance(value, str):
            continue
        if value in seen:
            where = seen[value] or "the profile"
            yield Hit(f"{pointer}/PayloadIdentifier",
                      f"PayloadIdentifier {value!r} is also used by {where}")
        else:
            seen[value] = pointer


@rule("STR008", Severity.ERROR)
def blank_identifier(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A PayloadIdentifier or PayloadUUID is an empty (or blank) string.

    The schema only asks for a string, so ``<string></string>`` passed. A device keys
    installed profiles by the top-level PayloadIdentifier and updates payloads by their
    identifiers: a blank one cannot be told from another profile's, so installing or
    replacing it goes wrong — an error. A blank PayloadUUID is a warning (devices accept
    any string; STR003 covers non-blank ones that are no UUID).

    Fails:   <key>PayloadIdentifier</key><string></string>
    Passes:  <key>PayloadIdentifier</key><string>com.example.wifi</string>
    """
    for pointer, holder in doc.holders():
        for key in ("PayloadIdentifier", "PayloadUUID"):
            value = holder.get(key)
            if isinstance(value, str) and not value.strip():
                level = Severity.ERROR if key == "PayloadIdentifier" else Severity.WARNING
                yield Hit(f"{pointer}/{key}", f"{key} is {'empty' if not value else 'blank'}",
                          severity=level)


@rule("STR007", Severity.ERROR)
def unrecognised_document(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The file is none of the documents profilesmith checks.

    Not a configuration profile (PayloadType Configuration with a PayloadContent array),
    an MDM command (a Command dictionary), a command response (Status), a check-in message
    (MessageType) or a DDM declaration or protocol document. Without a kind nothing in it
    can be checked, so a file given to lint that is none of them is an error rather than
    a silent pass. The message says what it looks like instead: a misspelt top-level key
    (PayloadTyp, PayloadContents), keys in lowercase, a payload dictionary that is not
    wrapped in a profile, a root that is not a dictionary. Directory walks skip .plist,
    .xml and .json files that are no such document (the summary counts them);
    .mobileconfig files are always checked.

    Fails:   <dict><key>PayloadTyp</key><string>Configuration</string>...</dict>
    Passes:  <dict><key>PayloadType</key><string>Configuration</string>...</dict>
    """
    problem = doc.classification.problem
    if doc.kind == "unknown" and doc.root is not None and problem is not None:
        yield Hit("", f"not an Apple device-management document: {problem}")


@rule("STR005", Severity.WARNING, scope="corpus")
def same_identifier_across_files(summaries: Sequence[Summary], ctx: Context) -> Iterator[Hit]:
    """Two profiles of one run share a top-level PayloadIdentifier.

    A device keeps one profile per identifier: installing the second silently replaces
    the first. Reported on every file after the first (in path order).

    Fails:   a.mobileconfig and b.mobileconfig both com.example.wifi
    Passes:  com.example.wifi.office and com.example.wifi.lab
    """
    groups: dict[str, list[Summary]] = defaultdict(list)
    for summary in summaries:
        if summary.identifier is not None:
            groups[summary.identifier].append(summary)
    for identifier, group in groups.items():
        first = group[0].path
        for summary in group[1:]:
            yield Hit("/PayloadIdentifier",
                      f"PayloadIdentifier {identifier!r} is also the identifier of {first}",
                      path=summary.path)


@rule("STR006", Severity.WARNING, scope="corpus")
def same_uuid_across_files(summaries: Sequence[Summary], ctx: Context) -> Iterator[Hit]:
    """Two profiles of one run use the same PayloadUUID.

    UUIDs are meant to be globally unique; a copied profile that kept its UUIDs confuses
    MDM servers and devices that track payloads by UUID. Reported on every file after
    the first (in path order).

    Fails:   a copy of a profile edited without regenerating its UUIDs
    Passes:  fresh UUIDs (``uuidgen``) in every profile
    """
    first_seen: dict[str, str] = {}
    for summary in summaries:
        in_this_file: set[str] = set()
        for value, pointer in zip(summary.uuids, summary.uuid_pointers, strict=True):
            folded = value.upper()
            if folded in in_this_file:
                continue  # STR002 reports reuse within one file
            in_this_file.add(folded)
            owner = first_seen.setdefault(folded, summary.path)
            if owner != summary.path:
                yield Hit(pointer, f"PayloadUUID {value} is also used in {owner}",
                          path=summary.path)


@rule("STR009", Severity.ERROR)
def payload_type_repeated(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A profile holds two payloads of a type Apple allows only once.

    Apple's supportedOS data says per platform whether a payload type may be installed
    more than once (``multiple``; ``x-multiple`` in our schemas). Two com.apple.dock or two
    com.apple.screensaver payloads in one profile cannot both apply, and the profile is
    refused or one is dropped. An error where every targeted platform (without
    --platform: every platform that has the type) says once; a warning where only some
    do (com.apple.notificationsettings: once on iOS, several on macOS). Reported on each
    payload after the first. com.apple.mdm is MDM108's.

    Fails:   two com.apple.dock payloads in PayloadContent
    Passes:  one com.apple.dock and two com.apple.webClip.managed payloads
    """
    first: dict[str, str] = {}
    repeated: list[tuple[str, str]] = []
    for payload in doc.payloads():
        kind = payload.type
        if not isinstance(kind, str) or kind == "com.apple.mdm":
            continue
        if kind in first:
            repeated.append((kind, payload.pointer))
        else:
            first[kind] = payload.pointer
    for kind, pointer in repeated:
        once = _once_on(kind, ctx)
        if not once:
            continue
        everywhere, platforms = once
        where = "" if everywhere else f" on {', '.join(platforms)}"
        yield Hit(f"{pointer}/PayloadType", f"a second {kind} payload: Apple allows one per "
                  f"profile{where} (the first is at {first[kind]})",
                  severity=None if everywhere else Severity.WARNING)


def _once_on(kind: str, ctx: Context) -> tuple[bool, list[str]] | None:
    """(whether every platform considered says once, the platforms that do), or None when
    none does or the type has no schema."""
    from profilesmith.base.platforms import PLATFORM_NAMES
    from profilesmith.schema.bundle import document_schema, payload_schema_path

    path = payload_schema_path(kind)
    if path is None:
        return None
    platforms = document_schema(path).get("x-platforms") or {}
    wanted = {PLATFORM_NAMES[p] for p in ctx.options.platforms}
    said = {name: facts.get("multiple") for name, facts in sorted(platforms.items())
            if isinstance(facts, dict) and facts.get("introduced") != "n/a"
            and (not wanted or name in wanted)}
    once = [name for name, multiple in said.items() if multiple is False]
    if not once:
        return None
    return len(once) == len(said), once
