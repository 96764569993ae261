"""SCH and AVL: what the JSON Schemas in schemas/ say about a document.

The schema layer emits the findings: profilesmith.schema.check validates (and holds the
table of device tolerances), profilesmith.schema.report maps each validation error to one
of these IDs by kind; these entries are their documentation. Payload types
without a schema (com.google.Chrome and other preference domains) get none of them.
"""

from __future__ import annotations

from profilesmith.base.findings import Severity
from profilesmith.lint.registry import emitted

SCHEMA = "profilesmith.schema"  # validates and turns the errors into these findings


@emitted("SCH001", Severity.ERROR, by=SCHEMA)
def wrong_type() -> None:
    """A value has the wrong plist type for its key.

    The schema (from Apple's device-management data, or curated) says which element a key
    holds: <string>, <integer>, <real>, <true/>/<false/>, <date>, <data>, <array> or <dict>.
    Devices refuse a profile whose key has the wrong type, or ignore the setting. A
    <real> with a whole value where an <integer> belongs is SCH006 instead.

    Fails:   <key>PayloadVersion</key><string>1</string>
    Passes:  <key>PayloadVersion</key><integer>1</integer>
    """


@emitted("SCH002", Severity.ERROR, by=SCHEMA)
def required_key_missing() -> None:
    """A key Apple marks as required is missing.

    Reported at the missing key's pointer (the line of the enclosing <dict>). Keys
    devices are known to tolerate missing are SCH007 instead. An encrypted profile
    (IsEncrypted true) needs EncryptedPayloadContent instead of PayloadContent.

    Fails:   a payload dictionary without <key>PayloadIdentifier</key>
    Passes:  <key>PayloadIdentifier</key><string>com.example.wifi</string>
    """


@emitted("SCH003", Severity.ERROR, by=SCHEMA)
def value_not_allowed() -> None:
    """A value is outside what Apple allows for its key.

    Not one of the listed values (Apple's rangelist), below or above the allowed range,
    too short or too long, or an array with too few or too many items. The message lists
    the allowed values; secret values (passwords, challenges) are never echoed. A string
    that differs from an allowed value only in letter case ("Path" for "path") is a
    warning: whether devices compare such values case-insensitively is not documented.

    Fails:   <key>PayloadScope</key><string>Everyone</string>
    Passes:  <key>PayloadScope</key><string>System</string>
    """


@emitted("SCH004", Severity.WARNING, by=SCHEMA)
def bad_format() -> None:
    """A string does not have the format its key expects (a URL, host name, UUID, pattern).

    A warning: the formats and patterns come from Apple's data, but devices do not check
    every one of them and profiles often carry placeholders that a server substitutes.

    Fails:   <key>URL</key><string>enroll.example.com/profile</string>   (Profile Service)
    Passes:  <key>URL</key><string>https://enroll.example.com/profile</string>
    """


@emitted("SCH005", Severity.WARNING, by=SCHEMA)
def unknown_key() -> None:
    """A key that the payload type does not have (where Apple's list of keys is complete).

    Usually a typo (PlayloadContent) or a key of another payload type; devices ignore
    unknown keys, so the setting silently does nothing. Reported on the <key>. Payload
    types that hold arbitrary keys (custom preferences) never get it, and PayloadEnabled
    (written by Profile Manager and others, ignored by devices) is not reported.

    Fails:   <key>PlayloadContent</key><array/>
    Passes:  <key>PayloadContent</key><array/>
    """


@emitted("SCH006", Severity.WARNING, by=SCHEMA)
def coerced_type() -> None:
    """A value of a type devices convert: <real>1.0</real> for an <integer>, 0/1 for a boolean.

    Devices read <real>1.0</real> as 1 and <integer>1</integer> as true (both are
    NSNumbers to them) and install the profile; real PPPC profiles from security vendors
    write <integer>1</integer> for Allowed. The other way round too: <true/> where Apple
    says <integer> 0 or 1 (IKEv2 EnablePFS, as real VPN profiles write it). Other tools
    disagree on such values (JSON Schema calls 1.0 an integer but 1 not a boolean): write
    the type Apple documents. Other mismatches are SCH001 errors.

    Fails:   <key>PayloadVersion</key><real>1.0</real>   <key>Allowed</key><integer>1</integer>
    Passes:  <key>PayloadVersion</key><integer>1</integer>   <key>Allowed</key><true/>
    """


@emitted("SCH007", Severity.WARNING, by=SCHEMA)
def tolerated_missing_key() -> None:
    """A key Apple marks as required is missing, but devices are known to accept that.

    Our policy, from real profiles (the table in profilesmith/schema/check.py): a payload
    without PayloadVersion installs (CrowdStrike publishes such profiles); a managed
    preference payload (com.apple.screensaver without moduleName, as the macOS Security
    Compliance Project ships it) sets the preferences it holds. So these are warnings
    rather than SCH002's error. Add the key: other tools and future OS versions may be
    stricter.

    Fails:   a payload dictionary without <key>PayloadVersion</key>
    Passes:  <key>PayloadVersion</key><integer>1</integer>
    """


@emitted("AVL001", Severity.WARNING, by=SCHEMA)
def payload_type_unavailable() -> None:
    """A payload type, command or declaration is unavailable or removed on a targeted platform.

    Only with --platform (or platforms in the configuration): the profile may still be
    meant for other devices, but on the targeted platform the payload does nothing or
    the profile is refused. Based on Apple's supportedOS data (introduced "n/a",
    removed). With an OS version (--platform macos:15.0), a removal at or before that
    version is an error: no targeted device has the payload any more; a later removal
    stays a warning and names the release.

    Fails:   com.apple.dock with --platform ios   (macOS only)
    Passes:  com.apple.dock with --platform macos
    """


@emitted("AVL002", Severity.WARNING, by=SCHEMA)
def key_unavailable() -> None:
    """A key is not available, or was removed, on a platform the run targets.

    Only with --platform: for example PayloadRemovalDisallowed on watchOS, or a key that
    Apple removed in a later OS release (the message names the release). As for AVL001,
    with an OS version a removal at or before it is an error (ManagedAppleID of
    com.apple.mdm, removed in macOS 15.0, with --platform macos:15.0), a later one a
    warning. Not repeated for the keys of a payload that AVL001 reports.

    Fails:   <key>PayloadRemovalDisallowed</key><true/> with --platform watchos
    Passes:  the same with --platform ios
    """


@emitted("AVL003", Severity.WARNING, by=SCHEMA)
def introduced_after_minimum() -> None:
    """A payload type or key was introduced after the oldest OS version the run targets.

    Only with --platform NAME:MIN_VERSION. Apple's supportedOS data says in which
    release each payload and key appeared; devices older than that ignore the key (or
    refuse the payload), so part of the targeted fleet does not get the setting. A key
    is reported only when it is newer than its payload (the payload's own finding covers
    the rest).

    Fails:   allowMailSummary (iOS 18.1) in com.apple.applicationaccess with --platform ios:18.0
    Passes:  the same with --platform ios:18.1
    """


@emitted("AVL004", Severity.WARNING, by=SCHEMA)
def deprecated() -> None:
    """A payload type or key is deprecated on a targeted platform.

    Only with --platform NAME:MIN_VERSION. Apple's supportedOS data marks it deprecated
    from a release on: it still works there but may be removed later, and there is
    usually a replacement (com.apple.systempreferences, deprecated in macOS 13.0: System
    Settings panes are managed through com.apple.applicationaccess and declarations now).
    A warning naming the release when it was deprecated at or before the oldest version
    targeted; information when only newer devices of the fleet see it deprecated.

    Fails:   com.apple.systempreferences with --platform macos:13.0
    Passes:  the same with --platform macos:12.0   (an information)
    """


@emitted("AVL005", Severity.WARNING, by=SCHEMA)
def condition_not_met() -> None:
    """A payload type or key needs supervision, ADE, user-approved MDM or MDM installation.

    Only with --platform and a description of the devices (--supervised/--unsupervised,
    --enrollment device|user|ade|manual, or supervised / enrollment in the
    configuration). From Apple's supportedOS data: ``supervised`` (the key works only
    on supervised devices; ADE-enrolled devices are supervised, user enrollments never
    are), ``requiresdep`` (Automated Device Enrollment), ``userapprovedmdm`` (macOS:
    a profile installed by hand has no MDM), ``allowmanualinstall: false`` (only an MDM
    server can install it). The device ignores the key or refuses the payload.

    Fails:   allowAccountModification (iOS: supervised only) with --platform ios --unsupervised
    Passes:  the same with --platform ios --supervised
    """


@emitted("AVL006", Severity.WARNING, by=SCHEMA)
def enrollment_mode() -> None:
    """A payload type or key is not allowed, or ignored, in user enrollments or on Shared iPad.

    Only with --platform and --enrollment / --shared-ipad (or enrollment / shared-ipad in
    the configuration). From Apple's supportedOS data: ``userenrollment`` and
    ``sharedipad`` modes (forbidden: a warning; ignored: information; required: a warning
    when the deployment is not of that kind) and, for declarations, the
    ``allowed-enrollments`` list.

    Fails:   com.apple.dock's use in a user enrollment: --platform macos --enrollment user
    Passes:  the same with --enrollment device
    """
