"""PPC: Privacy Preferences Policy Control (com.apple.TCC.configuration-profile-policy).

The schema checks the shape of Services (each service an array of identity
dictionaries, Authorization's values, Allowed or Authorization present). These rules are
what Apple's data says only in prose (mdm/profiles/com.apple.TCC.configuration-profile-
policy.yaml): which services a profile can only deny, where
AllowStandardUserToSetSystemService is valid, and that an entry has Allowed or
Authorization, not both. A device ignores such an entry (the profile installs), so they
are warnings: the entry does not do what it says.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from profilesmith.base.findings import Hit, Severity
from profilesmith.lint.context import Context
from profilesmith.lint.registry import rule
from profilesmith.plist.document import Payload

TCC = "com.apple.TCC.configuration-profile-policy"
# "Access ... can't be given in a profile; it can only be denied."
DENY_ONLY = ("Camera", "Microphone", "ListenEvent", "ScreenCapture")
# "AllowStandardUserToSetSystemService ... only valid for the 'ListenEvent' and
# 'ScreenCapture' services"
STANDARD_USER_SERVICES = ("ListenEvent", "ScreenCapture")
STANDARD_USER = "AllowStandardUserToSetSystemService"


def _entries(payload: Payload) -> Iterator[tuple[str, int, dict[str, Any]]]:
    services = payload.value.get("Services")
    if not isinstance(services, dict):
        return
    for service, entries in services.items():
        if isinstance(entries, list):
            for index, entry in enumerate(entries):
                if isinstance(entry, dict):
                    yield service, index, entry


def _grants(entry: dict[str, Any]) -> str | None:
    """The key by which an entry grants access (Allowed true or 1, Authorization Allow)."""
    allowed = entry.get("Allowed")
    if allowed is True or (type(allowed) is int and allowed == 1):
        return "Allowed"
    if entry.get("Authorization") == "Allow":
        return "Authorization"
    return None


@rule("PPC101", Severity.WARNING, scope="payload", payload_types={TCC})
def deny_only_service_granted(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A profile grants Camera, Microphone, ListenEvent or ScreenCapture, which it can only deny.

    Apple (com.apple.TCC.configuration-profile-policy.yaml, Services/Camera, /Microphone,
    /ListenEvent, /ScreenCapture): "Access ... can't be given in a profile; it can only be
    denied." The grant is ignored and the user is still asked. For ListenEvent and
    ScreenCapture, Authorization AllowStandardUserToSetSystemService lets a standard
    user give the access.

    Fails:   Services/Camera: <key>Allowed</key><true/>
    Passes:  Services/Camera: <key>Allowed</key><false/>
    """
    for service, index, entry in _entries(payload):
        key = _grants(entry) if service in DENY_ONLY else None
        if key is not None:
            yield Hit(payload.at("Services", service, index, key),
                      f"{service}: access can't be given in a profile, only denied (the "
                      "grant is ignored)")


@rule("PPC102", Severity.WARNING, scope="payload", payload_types={TCC})
def standard_user_on_other_service(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """AllowStandardUserToSetSystemService on a service other than ListenEvent or ScreenCapture.

    Apple (Services/.../Authorization): AllowStandardUserToSetSystemService is "only
    valid for the 'ListenEvent' and 'ScreenCapture' services". Elsewhere it means
    nothing and the entry neither allows nor denies.

    Fails:   Authorization AllowStandardUserToSetSystemService in Services/Accessibility
    Passes:  the same in Services/ScreenCapture
    """
    for service, index, entry in _entries(payload):
        if entry.get("Authorization") == STANDARD_USER and service not in STANDARD_USER_SERVICES:
            yield Hit(payload.at("Services", service, index, "Authorization"),
                      f"{service}: {STANDARD_USER} is only valid for ListenEvent and "
                      "ScreenCapture")


@rule("PPC103", Severity.WARNING, scope="payload", payload_types={TCC})
def allowed_and_authorization(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A TCC entry has both Allowed and Authorization.

    Apple (Services/.../Allowed and Authorization): "Every payload needs to include
    either 'Authorization' or 'Allowed', but not both." Authorization (macOS 11) replaces
    Allowed; with both, which one a Mac follows is not documented. (Neither is SCH002.)

    Fails:   <key>Allowed</key><true/><key>Authorization</key><string>Allow</string>
    Passes:  <key>Authorization</key><string>Allow</string>
    """
    for service, index, entry in _entries(payload):
        if "Allowed" in entry and "Authorization" in entry:
            yield Hit(payload.at("Services", service, index, "Allowed"),
                      f"{service}: an entry has both Allowed and Authorization; keep one",
                      at="key")
