"""Apple's platforms, by the names the CLI and config files use; OS versions; the
deployment a lint run describes (supervision, enrollment, Shared iPad)."""

from __future__ import annotations

import re
from typing import NamedTuple

# the CLI's and config's name -> Apple's spelling (the key of x-platforms in the schemas)
PLATFORM_NAMES = {"ios": "iOS", "macos": "macOS", "tvos": "tvOS", "watchos": "watchOS",
                  "visionos": "visionOS"}
PLATFORMS = tuple(PLATFORM_NAMES)

# An OS version as a tuple of numbers without trailing zeros: 15, 15.0 and 15.0.0 are all
# (15,), so that tuples compare as the versions do.
Version = tuple[int, ...]
_VERSION = re.compile(r"[0-9]{1,4}(\.[0-9]{1,4}){0,3}")


def parse_version(text: object) -> Version | None:
    """``"15"``, ``"15.0"``, ``"15.0.0"`` -> (15,); ``"14.2.1"`` -> (14, 2, 1); None for
    anything that is not a dotted version (``"n/a"``, ``"all"``, ``""``, a number)."""
    if not isinstance(text, str) or _VERSION.fullmatch(text.strip()) is None:
        return None
    parts = [int(p) for p in text.strip().split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def version_text(version: Version) -> str:
    """(15,) -> ``"15.0"``; (14, 2, 1) -> ``"14.2.1"``: how messages write a version."""
    parts = [str(p) for p in version]
    if len(parts) == 1:
        parts.append("0")
    return ".".join(parts)


# how the devices of a run get their profiles (--enrollment): device enrollment by the
# user or a server, user enrollment (BYOD), Automated Device Enrollment, or installed by
# hand without MDM
ENROLLMENTS = ("device", "user", "ade", "manual")


class Deployment(NamedTuple):
    """What a run says about its devices; None: not said (no finding depends on it)."""

    supervised: bool | None = None
    enrollment: str | None = None  # one of ENROLLMENTS
    shared_ipad: bool | None = None

    @property
    def is_supervised(self) -> bool | None:
        """Supervision as stated, else as the enrollment implies it: devices enrolled
        through ADE are supervised (iOS 13 and macOS 11 on), user enrollments never are."""
        if self.supervised is not None:
            return self.supervised
        if self.enrollment == "ade":
            return True
        if self.enrollment == "user":
            return False
        return None

    @property
    def stated(self) -> bool:
        return any(v is not None for v in self)


NO_DEPLOYMENT = Deployment()  # nothing said about the devices
