"""The Finding type: one defect (or note) at one place in one file."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


@dataclass(frozen=True, order=True)
class Finding:
    """A rule's verdict about one value.

    Field order is the sort order DESIGN.md fixes (path, line with null first, column,
    rule); ``_key`` carries it because ``None`` does not compare with ints.
    """

    _key: tuple[str, int, int, str, str, str] = field(init=False, repr=False, compare=True)
    path: str = field(compare=False)
    line: int | None = field(compare=False)
    column: int | None = field(compare=False)
    pointer: str = field(compare=False)
    rule: str = field(compare=False)
    severity: Severity = field(compare=False)
    message: str = field(compare=False)

    def __post_init__(self) -> None:
        key = (
            self.path,
            -1 if self.line is None else self.line,
            -1 if self.column is None else self.column,
            self.rule,
            self.pointer,
            self.message,
        )
        object.__setattr__(self, "_key", key)

    def to_dict(self) -> dict[str, object]:
        """The JSON contract's shape (DESIGN.md §4), in its key order."""
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


def escape_pointer_token(token: str | int) -> str:
    """RFC 6901 escaping of one reference token."""
    text = str(token)
    if "~" in text or "/" in text:
        text = text.replace("~", "~0").replace("/", "~1")
    return text


def join_pointer(base: str, *tokens: str | int) -> str:
    return base + "".join("/" + escape_pointer_token(t) for t in tokens)


def parent_pointer(pointer: str) -> str | None:
    if not pointer:
        return None
    return pointer[: pointer.rfind("/")]
