"""What ``diff`` produces: differences grouped by what they concern, and the verdict."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, NamedTuple

from profilesmith.base.findings import Finding, Severity
from profilesmith.lint.catalog import default_severity

Verdict = Literal["identical", "compatible", "breaks", "not-an-update", "unreadable"]


class Group(NamedTuple):
    """What a difference concerns: the profile, its signature, or one payload.

    ``order`` sorts the groups: the profile, the signature, NEW's payloads in file order,
    then OLD's removed payloads in file order.
    """

    order: tuple[int, int]
    title: str


PROFILE = Group((0, 0), "profile")
SIGNATURE = Group((1, 0), "signature")


class Difference(NamedTuple):
    group: Group
    rule: str
    severity: Severity
    pointer: str
    message: str
    # the values, only when short and not secret (None: not shown or absent)
    old: Any = None
    new: Any = None


def make(group: Group, rule: str, pointer: str, message: str, *,
         severity: Severity | None = None, old: Any = None, new: Any = None) -> Difference:
    """A difference at the rule's default severity unless ``severity`` says otherwise."""
    level = severity if severity is not None else default_severity(rule)
    return Difference(group, rule, level, pointer, message, old, new)


def pointer_key(pointer: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key for pointers: array indices numerically (/10 after /2), keys by name."""
    key = []
    for token in pointer.split("/")[1:]:
        key.append((0, int(token), "") if token.isdigit() else (1, 0, token))
    return tuple(key)


class Comparison:
    """The differences between OLD and NEW, sorted: by group, the most severe first within
    a group, then by pointer and rule."""

    def __init__(self, old_path: str, new_path: str, differences: Sequence[Difference], *,
                 same_identifier: bool = True,
                 unreadable: Sequence[Finding] = ()) -> None:
        self.old_path = old_path
        self.new_path = new_path
        self.differences = sorted(
            differences,
            key=lambda d: (d.group.order, -d.severity.rank, pointer_key(d.pointer), d.rule,
                           d.message),
        )
        self.same_identifier = same_identifier
        # error findings of the reader: nothing was compared
        self.unreadable = list(unreadable)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.differences if d.severity is severity)

    @property
    def verdict(self) -> Verdict:
        if self.unreadable:
            return "unreadable"
        if not self.differences:
            return "identical"
        if not self.same_identifier:
            return "not-an-update"
        if self.count(Severity.ERROR):
            return "breaks"
        return "compatible"

    def exit_code(self, *, strict: bool = False) -> int:
        """2: a file could not be read; 1: an error (with ``strict``, a warning too)."""
        if self.unreadable:
            return 2
        if self.count(Severity.ERROR) or (strict and self.count(Severity.WARNING)):
            return 1
        return 0
