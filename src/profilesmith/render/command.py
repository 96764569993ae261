"""An MDM command built from ``--set`` values (:mod:`profilesmith.mdm.commands`), checked
the way ``profilesmith lint`` checks a file before it is written: the profile a command
embeds, and the command itself."""

from __future__ import annotations

from typing import Any

from profilesmith.base.findings import Finding, Severity
from profilesmith.lint.config import LintOptions
from profilesmith.lint.engine import lint_document
from profilesmith.mdm.commands import PROFILE_PAYLOADS, CommandError
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
    if doc.kind not in ("profile", "service"):
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
