"""Values that were never filled in: template markers, "YOUR-...-HERE", example hosts.

Shared by the MDM and SCEP placeholder rules and by the secret rules (a placeholder or
an unexpanded variable is not a committed secret).
"""

from __future__ import annotations

import re

from profilesmith.base.lazyre import lazy

# RFC 2606 / RFC 6761 names reserved for documentation and for names that never resolve
EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")
RESERVED_TLDS = ("example", "invalid")

_MARKER = lazy(
    r"your[-_ ]?[a-z0-9_-]*?[-_ ]?here"  # YOUR-PUSH-TOPIC-HERE
    r"|[a-z0-9]+[-_]here\b"  # SCEP-CHALLENGE-HERE
    r"|change[-_ ]?me|replace[-_ ]?me|fill[-_ ]?me[-_ ]?in"
    r"|x{4,}"  # XXXX, XXXXXXXX-XXXX-...
    r"|\bfixme\b|\btodo\b|\bplaceholder\b"
    r"|\{\{.*?\}\}",  # an unrendered Jinja/Mustache expression
    re.IGNORECASE,
)

# a whole value that is a variable some tool substitutes later: $X, ${X}, $(X), {{ x }},
# %X% (MDM servers' variables), <<X>>
_VARIABLE = lazy(
    r"\$[A-Za-z_]\w*|\$\{[^{}]+\}|\$\([^()]+\)|\{\{[^{}]+\}\}|%[A-Za-z_][\w.]*%|<<[^<>]+>>"
)


# Every alternative of _MARKER contains one of these (in ASCII text): the search tries
# each alternative at every position, ~8 µs for a URL, and almost no value holds one.
_MARKER_WORDS = ("here", "change", "replace", "fill", "xxxx", "fixme", "todo", "placeholder",
                 "{{")


def marker(text: str) -> str | None:
    """The placeholder marker inside ``text`` (None when there is none)."""
    if text.isascii():  # IGNORECASE also folds a few non-ASCII letters (K, ſ) to ASCII
        lowered = text.lower()
        if not any(word in lowered for word in _MARKER_WORDS):
            return None
    match = _MARKER.search(text)
    return match.group(0) if match else None


def is_variable(text: str) -> bool:
    """True when the whole value is a variable reference for some tool to fill in."""
    return _VARIABLE.fullmatch(text.strip()) is not None


def is_unset(text: str) -> bool:
    """Empty, a variable reference, or a placeholder: no real value is committed."""
    return not text.strip() or is_variable(text) or marker(text) is not None


def host_of(url: str) -> str | None:
    """The host of a URL, also of one written without a scheme ("scep.example.com/x")."""
    from profilesmith.mdm import urls

    parsed = urls.parse(url)
    if parsed.scheme or parsed.error:
        return parsed.host
    host = url.strip().split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    return host.lower() or None


def is_example_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    if any(host == d or host.endswith("." + d) for d in EXAMPLE_DOMAINS):
        return True
    return host.rsplit(".", 1)[-1] in RESERVED_TLDS


def in_url(url: str) -> str | None:
    """Why a URL looks like a placeholder (None when it does not)."""
    host = host_of(url)
    if host and is_example_host(host):
        return f"its host {host} is a reserved example domain"
    found = marker(url)
    if found:
        return f"it contains the placeholder {found!r}"
    return None
