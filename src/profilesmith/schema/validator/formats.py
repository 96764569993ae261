"""The ``format`` values our schemas may use, with our (deliberately lenient) definitions.

Each function takes any JSON value and, as JSON Schema requires, accepts non-strings: a
format only constrains strings. The tests register the same functions with the
``jsonschema`` package when they compare it with our validator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from profilesmith.base.lazyre import lazy

_SCHEME = lazy(r"[A-Za-z][A-Za-z0-9+.\-]*:\S*")
_HTTPS = lazy(r"https://[^/?#\s]+(?:[/?#]\S*)?", re.IGNORECASE)
_LABEL = lazy(r"(?!-)[A-Za-z0-9\-]{1,63}(?<!-)")
_EMAIL = lazy(r"[^@\s]+@[^@\s]+")
UUID_RE = lazy(r"[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}")


def uri(value: Any) -> bool:
    """A scheme, a colon, and no whitespace (RFC 3986 in spirit, without its pedantry:
    profiles carry %placeholders% that a strict URI parser refuses)."""
    return not isinstance(value, str) or _SCHEME.fullmatch(value) is not None


def https_uri(value: Any) -> bool:
    """An https URL with a host."""
    return not isinstance(value, str) or _HTTPS.fullmatch(value) is not None


def hostname(value: Any) -> bool:
    """RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens."""
    if not isinstance(value, str):
        return True
    name = value[:-1] if value.endswith(".") else value
    if not name or len(name) > 253:
        return False
    return all(_LABEL.fullmatch(label) for label in name.split("."))


def email(value: Any) -> bool:
    return not isinstance(value, str) or _EMAIL.fullmatch(value) is not None


def is_uuid(value: Any) -> bool:
    """A string in the 8-4-4-4-12 hexadecimal form (the lint rules' test: non-strings
    are not UUIDs)."""
    return isinstance(value, str) and UUID_RE.fullmatch(value) is not None


def uuid(value: Any) -> bool:
    return not isinstance(value, str) or UUID_RE.fullmatch(value) is not None


FORMATS: dict[str, Callable[[Any], bool]] = {
    "uri": uri,
    "https-uri": https_uri,
    "hostname": hostname,
    "email": email,
    "uuid": uuid,
}
