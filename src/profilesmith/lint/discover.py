"""Turn the PATH arguments of ``lint`` into the files to read."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import NamedTuple

PROFILE_SUFFIXES = (".mobileconfig",)
# linted when met in a directory walk only if their content is a recognised message
MAYBE_SUFFIXES = (".plist", ".xml", ".json")


class Target(NamedTuple):
    path: str  # as shown in findings: as given, or joined for directory walks
    explicit: bool  # named on the command line (always linted, whatever its root)
    walked: bool = False  # found by walking a directory (a whole DDM declaration set)


class PathError(Exception):
    """A PATH argument that does not exist or cannot be listed (exit 2)."""


def expand(paths: Sequence[str]) -> Iterator[Target]:
    for given in paths:
        if given == "-":
            yield Target("-", explicit=True)
        elif os.path.isdir(given):
            yield from _walk(given)
        elif os.path.exists(given):
            yield Target(given, explicit=True)
        else:
            raise PathError(f"{given}: no such file or directory")


def _walk(top: str) -> Iterator[Target]:
    def fail(exc: OSError) -> None:
        raise PathError(f"{exc.filename}: cannot list directory ({exc.strerror})")

    for directory, subdirs, files in os.walk(top, onerror=fail):
        # hidden directories (.git, .venv) never hold the profiles a user means
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(files):
            lowered = name.lower()
            if lowered.endswith(PROFILE_SUFFIXES) or lowered.endswith(MAYBE_SUFFIXES):
                yield Target(os.path.join(directory, name), explicit=False, walked=True)


def is_maybe(target: Target) -> bool:
    """A ``.plist``, ``.xml`` or ``.json`` file found by a directory walk: linted only
    if its content is a recognised Apple device-management message."""
    return not target.explicit and target.path.lower().endswith(MAYBE_SUFFIXES)
