"""The Finding type: one defect (or note) at one place in one file."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Literal, NamedTuple


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


class Finding:
    """A rule's verdict about one value: immutable, hashable, sortable.

    Findings sort as the contract fixes it (docs/architecture.md): by path, line (null
    first), column (null first), rule, then pointer and message so the order is total.
    A plain class rather than a dataclass: generating a frozen, ordered dataclass costs
    more than a millisecond at import, a noticeable share of a one-file ``lint`` process.
    """

    __slots__ = ("_key", "column", "line", "message", "path", "pointer", "rule", "severity")

    path: str
    line: int | None
    column: int | None
    pointer: str
    rule: str
    severity: Severity
    message: str
    _key: tuple[str, int, int, str, str, str]

    def __init__(self, path: str, line: int | None, column: int | None, pointer: str,
                 rule: str, severity: Severity, message: str) -> None:
        setter = object.__setattr__
        setter(self, "path", path)
        setter(self, "line", line)
        setter(self, "column", column)
        setter(self, "pointer", pointer)
        setter(self, "rule", rule)
        setter(self, "severity", severity)
        setter(self, "message", message)
        setter(self, "_key", (path, -1 if line is None else line,
                              -1 if column is None else column, rule, pointer, message))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Finding is immutable (use replace(); tried to set {name})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Finding is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._key == other._key and self.severity == other.severity

    def __hash__(self) -> int:
        return hash((self._key, self.severity))

    def __lt__(self, other: Finding) -> bool:
        return self._key < other._key

    def __le__(self, other: Finding) -> bool:
        return self._key <= other._key

    def __gt__(self, other: Finding) -> bool:
        return self._key > other._key

    def __ge__(self, other: Finding) -> bool:
        return self._key >= other._key

    def __repr__(self) -> str:
        return (f"Finding(path={self.path!r}, line={self.line!r}, column={self.column!r}, "
                f"pointer={self.pointer!r}, rule={self.rule!r}, severity={self.severity!r}, "
                f"message={self.message!r})")

    def __reduce__(self) -> tuple[type[Finding], tuple[object, ...]]:
        return Finding, (self.path, self.line, self.column, self.pointer, self.rule,
                         self.severity, self.message)

    def to_dict(self) -> dict[str, object]:
        """The JSON contract's shape (docs/architecture.md, "The JSON report"), in its key order."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "pointer": self.pointer,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
        }

    def replace(self, **changes: object) -> Finding:
        data: dict[str, object] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "pointer": self.pointer,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
        }
        data.update(changes)
        return Finding(**data)  # type: ignore[arg-type]


def rule_selected(prefixes: Iterable[str], rule_id: str) -> bool:
    """Whether a rule ID is named by one of ``prefixes`` (IDs, prefixes or ALL)."""
    return any(p == "ALL" or rule_id.startswith(p) for p in prefixes)


class Hit(NamedTuple):
    """What a check reports before the engine makes it a Finding: where (a JSON Pointer)
    and what.

    ``at="key"`` places the finding on the ``<key>`` element of the member instead of
    its value (used for duplicate keys); ``severity`` overrides the rule's default for
    rules whose documentation describes more than one level; ``path`` names the file
    for the cross-file rules, which see many (None: the document being checked).
    """

    pointer: str
    message: str
    at: Literal["value", "key"] = "value"
    severity: Severity | None = None
    path: str | None = None
