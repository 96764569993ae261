"""Validate a Document against the bundled schemas: which dictionaries, which schema,
and the SCH/AVL hits (through :mod:`profilesmith.schema.report`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from profilesmith.base.findings import Hit, Severity
from profilesmith.base.platforms import NO_DEPLOYMENT, Deployment, Version
from profilesmith.plist.document import Document
from profilesmith.schema.bundle import (
    checkin_schema_path,
    command_schema_path,
    ddm_protocol_schema_path,
    declaration_schema_path,
    document_schema,
    payload_schema_path,
    validator,
)

# -- device tolerances ---------------------------------------------------------------------
# Apple's data calls these keys required (or lists every allowed key), yet devices install
# payloads that break the rule. (where, keyword, key) -> the rule to report it under, or
# None to say nothing. "payload": in an item of PayloadContent; "*": anywhere; a payload
# type: at the top of a payload of that type.
#
# Elsewhere, by kind rather than key: a <true/> where Apple says <integer> 0 or 1 (IKEv2
# EnablePFS, as real VPN profiles write it; 68 keys have that shape) and 0 or 1 where Apple
# says <true/> are SCH006 warnings (schema.report._coerced); SCEP Key Usage takes any
# combination of bits (the curated schema; SCP108 warns of bits Apple does not define);
# a CommandUUID is any non-empty string (CMD003; Apple's examples use 0001_DeviceLock).
TOLERANCES: dict[tuple[str, str, str], str | None] = {
    # Payloads without PayloadVersion install (CrowdStrike publishes such profiles): a
    # warning (SCH007), not an error.
    ("payload", "required", "PayloadVersion"): "SCH007",
    # Profile Manager, ProfileCreator and iMazing write PayloadEnabled into the profile and
    # every payload; devices ignore it. Not worth a finding on hundreds of real profiles.
    ("*", "additionalProperties", "PayloadEnabled"): None,
    # Servers write a declaration's ServerToken when they store it (Fleet, KMFDDM and
    # NanoHUB compute it from the content), so declarations kept in repositories often
    # have none: DDM003 says so as a warning instead.
    ("declaration", "required", "ServerToken"): None,
    # Managed preferences: macOS writes each key of these payloads into its preference
    # domain, so a key left out is a preference left alone, not a broken payload. Apple's
    # own ScreensaverUser example has no moduleName; the macOS Security Compliance Project
    # ships com.apple.screensaver with only askForPassword and askForPasswordDelay.
    **{(payload_type, "required", key): "SCH007" for payload_type, key in (
        ("com.apple.screensaver", "moduleName"),
        ("com.apple.screensaver.user", "moduleName"),
        ("com.apple.Dictionary", "parentalControl"),
        ("com.apple.DiscRecording", "BurnSupport"),
        ("com.apple.applicationaccess.new", "familyControlsEnabled"),
        ("com.apple.familycontrols.contentfilter", "restrictWeb"),
        ("com.apple.familycontrols.timelimits.v2", "familyControlsEnabled"),
        ("com.apple.loginitems.managed", "AutoLaunchedApplicationDictionary-managed"),
    )},
}
# the schema of a declaration whose Type the bundled data does not know: the envelope
DECLARATION_ENVELOPE = "declaration-envelope.schema.json"


class Target:
    """One dictionary to validate: which schema, where it sits, what to call it."""

    __slots__ = ("label", "level", "pointer", "schema", "value")

    def __init__(self, schema: str, pointer: str, value: Any, label: str, level: str) -> None:
        self.schema = schema
        self.pointer = pointer
        self.value = value
        self.label = label  # "the profile", "com.apple.mdm payload", ...
        self.level = level  # "profile" | "payload" | "command" | "message"


def targets(doc: Document) -> Iterator[Target]:
    kind = doc.kind
    root = doc.root
    if doc.is_configuration:
        yield Target("profile.schema.json", "", root, "the profile", "profile")
        for payload in doc.payloads():
            path = payload_schema_path(payload.type)
            if path is not None:
                yield Target(path, payload.pointer, payload.value, f"{payload.type} payload",
                             "payload")
    elif kind == "profile":  # a Profile Service
        yield Target("profile-service.schema.json", "", root, "the Profile Service profile",
                     "profile")
    elif kind == "command":
        command = root["Command"]
        path = command_schema_path(command.get("RequestType"))
        if path is not None:
            yield Target(path, "/Command", command, f"{command['RequestType']} command",
                         "command")
    elif kind == "response":
        from profilesmith.schema import messages

        request_type = messages.answer(doc).request_type
        if request_type is None:
            yield Target(messages.ENVELOPE, "", root, "the response", "message")
        else:
            yield Target(messages.schema_path(request_type), "", root,
                         f"the {request_type} response", "message")
    elif kind == "checkin":
        path = checkin_schema_path(doc.type)
        if path is not None:
            yield Target(path, "", root, f"the {doc.type} check-in message", "message")
    elif kind == "declaration":
        path = declaration_schema_path(doc.type)
        if path is None:  # newer than the data (DDM001 says so): the envelope at least
            yield Target(DECLARATION_ENVELOPE, "", root, "the declaration", "declaration")
        else:
            yield Target(path, "", root, f"the {doc.type} declaration", "declaration")
    elif kind == "ddm-protocol":
        path = ddm_protocol_schema_path(doc.type)
        if path is not None:
            yield Target(path, "", root, f"the {doc.type} document", "message")


def check(doc: Document, platforms: Iterable[str] = (), *,
          minimums: Mapping[str, Version] | None = None,
          deployment: Deployment = NO_DEPLOYMENT) -> Iterator[tuple[str, Hit]]:
    """Schema findings for one document: (rule ID, Hit) pairs; availability (AVL) only
    for the ``platforms`` targeted (the CLI's names: ios, macos, ...), with the oldest
    version targeted on some of them (``minimums``) and what is known of the devices."""
    yield from check_targets(targets(doc), platforms, minimums, deployment)


def check_targets(selected: Iterable[Target], platforms: Iterable[str] = (),
                  minimums: Mapping[str, Version] | None = None,
                  deployment: Deployment = NO_DEPLOYMENT) -> Iterator[tuple[str, Hit]]:
    """Schema findings for the given targets (:func:`check` for a document's own; a
    document embedded in another, such as the JSON inside a DeclarativeManagement
    command's Data, is checked with a target of its own)."""
    targeted = tuple(sorted(platforms))
    reporter = None
    for target in selected:
        errors: list[Any] = []
        notes: list[Any] = []
        validator(target.schema)(target.value, target.pointer, errors, notes)
        if not targeted:  # then only the coerced-type notes matter
            notes = [n for n in notes if n.kind == "coerced"]
        if errors or notes:
            if reporter is None:
                from profilesmith.schema.report import Reporter

                reporter = Reporter(TOLERANCES, targeted, minimums, deployment)
            found = reporter.report(target, errors, notes)
            yield from _at_most_warnings(found) if _from_manifest(target) else found


def _from_manifest(target: Target) -> bool:
    # a schema read from the user's ProfileManifests checkout: its types and values are
    # good hints, not Apple's word
    source = document_schema(target.schema).get("x-source")
    return isinstance(source, str) and source.startswith("ProfileManifests")


def _at_most_warnings(found: Iterable[tuple[str, Hit]]) -> Iterator[tuple[str, Hit]]:
    for rule_id, hit in found:
        yield rule_id, hit if hit.severity is Severity.INFO else hit._replace(
            severity=Severity.WARNING)
