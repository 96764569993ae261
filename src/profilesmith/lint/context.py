"""What a check sees besides its subject: the Context, and the Summary of each file that
the cross-file (corpus) rules compare."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from profilesmith.lint.config import LintOptions
from profilesmith.plist.document import Document, Suppressions

if TYPE_CHECKING:
    from profilesmith.ddm.catalogue import Reference


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


class Declaration(NamedTuple):
    """What the DDM set rules compare of one declaration."""

    type: str
    identifier: str | None
    category: str | None  # activation, asset, configuration, management (None: not Apple's)
    references: tuple[Reference, ...]  # what its payload names (ddm.catalogue)
    offered: tuple[tuple[str, str], ...]  # ("<type>#<pointer>", value) others refer to


class Summary(NamedTuple):
    """The facts cross-file rules compare, small enough to send between processes.

    No positions: working them out for every file costs more than the rules, and
    cross-file findings are rare, so the engine places them afterwards. A profile has an
    identifier and uuids; a DDM declaration has ``declaration`` instead. ``walked``: the
    file was found by walking a directory (the DDM set rules take only such files as a
    whole set: see lint/rules/ddm_sets.py).
    """

    path: str
    identifier: str | None
    # the PayloadUUIDs, read through ``uuids``: one string of them joined by newlines when
    # none is empty or holds one (a tuple of strings kept to the end of the run cost
    # ~2.6 MB more at 17,000 files)
    uuid_text: str | tuple[str, ...]
    suppressions: Suppressions
    declaration: Declaration | None = None
    walked: bool = False
    uuid_pointers: tuple[str, ...] = ()  # where each of uuids is (the same index)

    @property
    def uuids(self) -> tuple[str, ...]:
        text = self.uuid_text
        if isinstance(text, tuple):
            return text
        return tuple(text.split("\n")) if text else ()


def summarize(doc: Document) -> Summary | None:
    if doc.kind == "declaration":
        return _declaration_summary(doc)
    if not doc.is_configuration:
        return None
    identifier = doc.root.get("PayloadIdentifier")
    uuids = [(value, f"{pointer}/PayloadUUID") for pointer, holder in doc.holders()
             if isinstance(value := holder.get("PayloadUUID"), str)]
    ident = identifier if isinstance(identifier, str) else None
    # The values in one tuple, the pointers in another that files with the same layout
    # share: a pair per UUID held to the end of the run cost ~3 MB at 17,000 files.
    pointers = tuple(pointer for _, pointer in uuids)
    if len(_POINTERS) > 4096:  # a long-lived process that met every layout there is
        _POINTERS.clear()
    values = [value for value, _ in uuids]
    joined: str | tuple[str, ...] = "\n".join(values)
    if any(not value or "\n" in value for value in values):
        joined = tuple(values)  # the joined text would not split back into them
    return Summary(doc.path, ident, joined, _kept(doc.suppressions),
                   uuid_pointers=_POINTERS.setdefault(pointers, pointers))


_POINTERS: dict[tuple[str, ...], tuple[str, ...]] = {}


# A Summary outlives its Document to the end of the run: the files without a directive
# share one empty Suppressions (which nothing changes: covers() marks only what
# matched) instead of keeping ~0.9 KB of empty containers each.
_NO_SUPPRESSIONS = Suppressions()


def _kept(suppressions: Suppressions) -> Suppressions:
    return suppressions if suppressions.directives or suppressions else _NO_SUPPRESSIONS


def _declaration_summary(doc: Document) -> Summary:
    from profilesmith.ddm import catalogue

    declaration_type = doc.type or ""
    identifier = doc.root.get("Identifier")
    facts = Declaration(
        type=declaration_type,
        identifier=identifier if isinstance(identifier, str) else None,
        category=catalogue.category_of(declaration_type),
        references=tuple(catalogue.references(declaration_type, doc.root)),
        offered=tuple(catalogue.offered(declaration_type, doc.root)),
    )
    return Summary(doc.path, None, (), _kept(doc.suppressions), facts)
