"""What Apple prescribes for some declaration values beyond their type: the URLs a device
fetches, and the software update enforcement targets.

The schemas say only "string" for these; Apple's data says the rest in prose, so the facts
are written here in our own words, each with where it comes from.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from profilesmith.base.lazyre import lazy


class UrlKey(NamedTuple):
    pointer: str  # in the declaration
    required: bool  # Apple says the URL must start with https:// (else: advised)


# Declaration type -> the URLs in it a device fetches or shows. ``required``: Apple's data
# says the URL must start with 'https://' (asset Reference DataURL, legacy ProfileURL, the
# watch's EnrollmentProfileURL, a subscribed calendar's CalendarURL); the others are advised:
# a page about an enforced update the user opens, an app manifest, OAuth sign-in and token
# URLs, where http:// lets anyone on the path read or change what the device gets.
URLS: dict[str, tuple[UrlKey, ...]] = {
    "com.apple.configuration.legacy": (UrlKey("/Payload/ProfileURL", True),),
    "com.apple.configuration.legacy.interactive": (UrlKey("/Payload/ProfileURL", True),),
    "com.apple.configuration.watch.enrollment": (UrlKey("/Payload/EnrollmentProfileURL", True),),
    "com.apple.configuration.account.subscribed-calendar": (
        UrlKey("/Payload/CalendarURL", True),),
    "com.apple.configuration.softwareupdate.enforcement.specific": (
        UrlKey("/Payload/DetailsURL", False),),
    "com.apple.configuration.app.managed": (UrlKey("/Payload/ManifestURL", False),),
    "com.apple.configuration.account.exchange": (
        UrlKey("/Payload/OAuth/SignInURL", False), UrlKey("/Payload/OAuth/TokenRequestURL", False)),
}
# every asset Apple has (and, by its naming, any newer one) keeps its data at this URL
ASSET_DATA_URL = UrlKey("/Payload/Reference/DataURL", True)


def url_keys(declaration_type: str, category: str | None) -> tuple[UrlKey, ...]:
    keys = URLS.get(declaration_type, ())
    return (*keys, ASSET_DATA_URL) if category == "asset" else keys


# -- software update enforcement ---------------------------------------------------------

# "16.1", "14.4.1"; a Rapid Security Response is "16.5.1 (a)"
_OS_VERSION = lazy(r"[0-9]{1,3}(\.[0-9]{1,3}){0,2}( \([a-z]\))?")
# "20A242", "21G5027d" (a beta), "20A242a" (a supplemental version), "22F770820d" (a
# Rapid Security Response): a release number, a letter, a build number, maybe a letter
_BUILD = lazy(r"[0-9]{1,2}[A-Z][0-9]{1,6}[a-z]?")
_LOCAL_TIME = lazy(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})")
_ZONE = lazy(r"(\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})?")


def os_version_problem(text: str) -> str | None:
    if _OS_VERSION.fullmatch(text):
        return None
    return "is not an OS version number such as 17.4 or 14.4.1"


def build_problem(text: str) -> str | None:
    if _BUILD.fullmatch(text):
        return None
    return "is not a build version such as 21E219 (or 20A242a with a supplemental letter)"


def local_time_problem(text: str) -> str | None:
    """Apple's format is RFC 3339 without a time zone: yyyy-mm-ddThh:mm:ss, local time."""
    match = _LOCAL_TIME.match(text)
    if match is None:
        return "is not a local date and time in the form yyyy-mm-ddThh:mm:ss"
    rest = text[match.end():]
    if rest:
        if _ZONE.fullmatch(rest):
            return (f"ends in {rest!r}: the device reads local time, yyyy-mm-ddThh:mm:ss "
                    "without fractions or a time zone")
        return "is not a local date and time in the form yyyy-mm-ddThh:mm:ss"
    try:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        return f"is no date and time ({exc})"
    return None
