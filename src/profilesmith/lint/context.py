"""What a check sees besides its subject: the Context, and the Summary of each file that
the cross-file (corpus) rules compare."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from profilesmith.lint.config import LintOptions
from profilesmith.plist.document import Document, Suppressions


class Context:
    """The run's options (the clock, the platforms) and a per-document cache in which
    the rules of one family share what they parsed (a CMS structure, a certificate)."""

    __slots__ = ("cache", "options")

    def __init__(self, options: LintOptions) -> None:
        self.options = options
        self.cache: dict[str, Any] = {}

    def targets(self, platform: str) -> bool:
        return platform in self.options.platforms

    @property
    def now(self) -> datetime:
        return self.options.now


class Summary(NamedTuple):
    """The facts cross-file rules compare, small enough to send between processes.

    No positions: working them out for every file costs more than the rules, and
    cross-file findings are rare, so the engine places them afterwards.
    """

    path: str
    identifier: str | None
    uuids: list[tuple[str, str]]  # (PayloadUUID, pointer)
    suppressions: Suppressions


def summarize(doc: Document) -> Summary | None:
    if not doc.is_configuration:
        return None
    identifier = doc.root.get("PayloadIdentifier")
    uuids = [(value, f"{pointer}/PayloadUUID") for pointer, holder in doc.holders()
             if isinstance(value := holder.get("PayloadUUID"), str)]
    ident = identifier if isinstance(identifier, str) else None
    return Summary(doc.path, ident, uuids, doc.suppressions)
