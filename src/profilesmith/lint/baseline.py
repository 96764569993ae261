"""Baselines: the findings a repository already has, recorded so that ``lint --baseline``
reports only new ones (adopting the linter gradually).

The file is JSON (docs/baseline.md)::

    {"version": 1,
     "findings": [{"path": "profiles/a.mobileconfig", "rule": "MDM101",
                   "pointer": "/PayloadContent/0/AccessRights", "message": "...",
                   "count": 2}]}

A finding matches an entry by path, rule and pointer — not by line, so edits elsewhere in
the file keep the baseline valid, and not by message, which may quote a value. Paths are
relative to the baseline file's directory with ``/`` separators, so a run from the
repository root and one from a subdirectory agree. ``count`` (omitted when 1) is how many
findings share the key: a third duplicate of a recorded pair is new. ``message`` is there
for the reader of the file; it is not compared.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from profilesmith.base.findings import Finding

VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read (a usage error: exit 2)."""


class Key(NamedTuple):
    path: str
    rule: str
    pointer: str


class Applied(NamedTuple):
    findings: list[Finding]  # the findings the baseline does not cover
    stale: list[tuple[Key, int]]  # entries no finding matched, and how many times


def _relative(path: str, base: str) -> str:
    if path == "-":
        return path
    try:
        relative = os.path.relpath(os.path.abspath(path), base)
    except ValueError:  # another drive on Windows
        relative = os.path.abspath(path)
    return relative.replace(os.sep, "/")


def key(finding: Finding, base: str) -> Key:
    return Key(_relative(finding.path, base), finding.rule, finding.pointer)


def base_dir(baseline_path: str) -> str:
    return os.path.dirname(os.path.abspath(baseline_path))


def dumps(findings: Iterable[Finding], baseline_path: str) -> bytes:
    """The baseline file recording ``findings``: entries sorted by path, rule, pointer."""
    base = base_dir(baseline_path)
    counts: Counter[Key] = Counter()
    messages: dict[Key, str] = {}
    for finding in findings:
        found = key(finding, base)
        counts[found] += 1
        messages.setdefault(found, finding.message)
    entries: list[dict[str, Any]] = []
    for item in sorted(counts):
        entry: dict[str, Any] = {"path": item.path, "rule": item.rule,
                                 "pointer": item.pointer, "message": messages[item]}
        if counts[item] > 1:
            entry["count"] = counts[item]
        entries.append(entry)
    text = json.dumps({"version": VERSION, "findings": entries}, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def load(baseline_path: str) -> Counter[Key]:
    """The entries of a baseline file, with their counts."""
    try:
        with open(baseline_path, "rb") as handle:
            data = json.loads(handle.read().decode("utf-8-sig"))
    except OSError as exc:
        raise BaselineError(f"{baseline_path}: cannot read the baseline "
                            f"({exc.strerror or exc})") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise BaselineError(f"{baseline_path}: not a baseline file (invalid JSON: "
                            f"{exc})") from None
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(entries, list) or data.get("version") != VERSION:
        raise BaselineError(f"{baseline_path}: not a baseline file (expected "
                            f'{{"version": {VERSION}, "findings": [...]}}; write one with '
                            "--write-baseline)")
    result: Counter[Key] = Counter()
    for number, entry in enumerate(entries):
        if not isinstance(entry, dict) or not all(
                isinstance(entry.get(name), str) for name in ("path", "rule", "pointer")):
            raise BaselineError(f"{baseline_path}: findings[{number}] needs path, rule and "
                                "pointer strings")
        count = entry.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise BaselineError(f"{baseline_path}: findings[{number}].count must be a "
                                "whole number of at least 1")
        result[Key(entry["path"], entry["rule"], entry["pointer"])] += count
    return result


def apply(entries: Counter[Key], findings: Sequence[Finding], baseline_path: str, *,
          linted: Iterable[str]) -> Applied:
    """Leave out the findings the baseline records; the stale entries are those of the
    files linted this time (``linted``: their paths) that matched no finding."""
    base = base_dir(baseline_path)
    remaining = Counter(entries)
    kept = []
    for finding in findings:
        found = key(finding, base)
        if remaining[found] > 0:
            remaining[found] -= 1
        else:
            kept.append(finding)
    seen = {_relative(path, base) for path in linted}
    stale = [(item, remaining[item]) for item in sorted(remaining)
             if remaining[item] > 0 and item.path in seen]
    return Applied(kept, stale)
