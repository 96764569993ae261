"""An MDM command built from ``--set`` values (:mod:`profilesmith.mdm.commands`), checked
the way ``profilesmith lint`` checks a file before it is written: the profile a command
embeds, and the command itself."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from profilesmith.base.assignments import Assignment
from profilesmith.base.findings import Finding, Severity
from profilesmith.lint.config import LintOptions
from profilesmith.lint.engine import lint_document
from profilesmith.mdm import commands
from profilesmith.mdm.commands import PROFILE_PAYLOADS, CommandError, Setting
from profilesmith.plist.reader import read_bytes
from profilesmith.plist.writer import NotRepresentable, dumps_canonical


def check_payload(name: str, data: bytes, path: str, options: LintOptions) -> list[Finding]:
    """Lint a profile before it is embedded: its findings (raises CommandError, code 1,
    when it has errors or is no profile)."""
    if name not in PROFILE_PAYLOADS:
        return []
    doc = read_bytes(data, path)
    result = lint_document(doc, options)
    findings = list(result.findings)
    lines = list(result.internal_errors)
    if any(f.severity is Severity.ERROR for f in findings) or lines:
        raise CommandError([*lines, f"{path}: not embedded: the profile has errors "
                            "(--no-lint embeds it anyway)"], code=1, findings=findings)
    if doc.kind != "profile":
        raise CommandError([f"{path}: not a configuration profile (--no-lint embeds it "
                            "anyway)"], code=1, findings=findings)
    return findings


def lint(root: dict[str, Any], path: str, options: LintOptions) -> tuple[bytes, list[Finding]]:
    """The command's XML and what ``profilesmith lint`` says about it."""
    try:
        data = dumps_canonical(root)
    except NotRepresentable as exc:
        raise CommandError([str(exc)]) from None
    result = lint_document(read_bytes(data, path), options)
    if result.internal_errors:
        raise CommandError(list(result.internal_errors))
    return data, list(result.findings)


class Built(NamedTuple):
    root: dict[str, Any]
    data: bytes  # canonical XML
    findings: list[Finding]  # the embedded profile's, then the command's (no errors there
    # unless ``failed``)

    @property
    def failed(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


def build(name: str, given: Sequence[Assignment], *, payload: tuple[str, bytes] | None,
          lint_payload: bool, uuid: str | None, label: str, options: LintOptions) -> Built:
    """The command REQUESTTYPE ``name`` (Apple's spelling) with the keys ``given`` and
    the payload file (path, bytes), linted; raises CommandError."""
    settings = [Setting(a.key, a.text, a.option if a.variable is None
                        else f"--set-env {a.variable}") for a in given]
    keys = commands.values(name, settings)
    warnings = []
    if payload is not None:
        key = commands.payload_key(name)
        if key in keys:
            raise CommandError([f"--payload and --set both give {key}"])
        path, data = payload
        if lint_payload:
            warnings += check_payload(name, data, path, options)
        keys[key] = data
    root = commands.assemble(name, keys, commands.command_uuid(uuid))
    data, findings = lint(root, label, options)
    return Built(root, data, warnings + findings)
