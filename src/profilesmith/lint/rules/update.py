"""UPD: what changes when a new version of a profile is installed over an old one.

These rules compare two files, so ``lint`` never runs them: ``profilesmith diff OLD NEW``
emits their findings (profilesmith.diff). The entries here are their documentation.
Pointers refer to NEW, except for what exists only in OLD (a removed payload).

Apple's rules for replacing an installed MDM profile (MDM protocol reference, "ProfileList"):
"The new MDM profile must be signed with the same identity as the existing profile. You
cannot change the topic or server URL of the profile. You cannot add rights to a profile
that replaces an existing one." And for AssignedManagedAppleID: "When updating the
payload, the value of this key must not change." A device rejects such an update: those
are errors. How the device matches payloads: "During a profile replacement, the system
updates payloads with the same PayloadIdentifier and PayloadUUID in the old and new
profiles"; the top-level PayloadIdentifier decides "whether to replace an existing
profile or add it as a new profile".
"""

from __future__ import annotations

from profilesmith.base.findings import Severity
from profilesmith.lint.registry import emitted

DIFF = "profilesmith.diff"  # `profilesmith diff` compares two files and reports these


@emitted("UPD101", Severity.ERROR, by=DIFF)
def not_an_update() -> None:
    """NEW has another top-level PayloadIdentifier: it is a second profile, not an update.

    The device uses the profile's PayloadIdentifier to decide whether a profile replaces
    an installed one or is added beside it. With another identifier, installing NEW
    leaves OLD installed, so NEW does not update OLD (for an MDM profile it is a second
    enrollment, which an enrolled device refuses). The update-in-place rules (MDM,
    signature) are not checked; the other differences are still listed.

    Fails:   OLD <key>PayloadIdentifier</key><string>com.example.mdm</string>
             NEW <key>PayloadIdentifier</key><string>com.example.mdm2</string>
    Passes:  both <key>PayloadIdentifier</key><string>com.example.mdm</string>
    """


@emitted("UPD102", Severity.WARNING, by=DIFF)
def same_profile_uuid() -> None:
    """The profile's PayloadUUID is unchanged although its content changed.

    Our policy, not Apple's stated rule: Apple documents that the PayloadIdentifier
    decides replacement and calls the UUID's content "unimportant", but some MDM servers
    and management tools compare the profile's PayloadUUID to decide whether a profile is
    already installed, and skip sending or reinstalling it. A new UUID for new content
    avoids that. (``profilesmith build`` derives UUIDs from the identifier and the output
    name: build the new version under another name or with ``--random-uuids``.)

    Fails:   same <key>PayloadUUID</key> in OLD and NEW, a SCEP Challenge changed
    Passes:  a new top-level PayloadUUID in NEW
    """


@emitted("UPD110", Severity.INFO, by=DIFF)
def payload_added() -> None:
    """NEW has a payload that OLD does not have (matched by PayloadType and PayloadIdentifier).

    The device installs it with the update.

    Fails:   NEW adds <dict><key>PayloadType</key><string>com.apple.security.root</string>...
    Passes:  the same payloads in OLD and NEW
    """


@emitted("UPD111", Severity.INFO, by=DIFF)
def payload_removed() -> None:
    """OLD has a payload that NEW does not have: the update removes it from the device.

    The pointer is the payload's place in OLD.

    Fails:   OLD has a com.apple.security.root payload, NEW does not
    Passes:  the same payloads in OLD and NEW
    """


@emitted("UPD112", Severity.INFO, by=DIFF)
def value_changed() -> None:
    """A key was added, removed or changed (a member of an array added or removed).

    One finding per changed value, at its JSON Pointer in NEW (a removed key: where it
    would be). Values are shown only when short; secrets (challenges, passwords, keys)
    and data never are.

    Fails:   OLD <key>SignMessage</key><false/>   NEW <key>SignMessage</key><true/>
    Passes:  <key>SignMessage</key><true/> in both
    """


@emitted("UPD113", Severity.INFO, by=DIFF)
def payload_uuid_changed() -> None:
    """A payload kept its PayloadIdentifier but has a new PayloadUUID.

    Apple: during a replacement "the system updates payloads with the same
    PayloadIdentifier and PayloadUUID"; any other payload of OLD is removed and the one
    of NEW installed. That is what a certificate or SCEP renewal wants (the device
    enrolls a new identity); for other payloads it is usually harmless.

    Fails:   OLD <key>PayloadUUID</key><string>…0001</string>  NEW <string>…0002</string>
    Passes:  the same PayloadUUID in OLD and NEW
    """


@emitted("UPD114", Severity.WARNING, by=DIFF)
def encrypted_content() -> None:
    """A profile is encrypted: its payloads cannot be compared.

    EncryptedPayloadContent can only be read with the device's key, so neither the
    payload differences nor the MDM update rules are checked. Diff the profiles before
    encrypting them (or ``profilesmith decrypt`` both first).

    Fails:   NEW <key>IsEncrypted</key><true/><key>EncryptedPayloadContent</key><data>…</data>
    Passes:  both profiles carry PayloadContent
    """


@emitted("UPD120", Severity.ERROR, by=DIFF)
def topic_changed() -> None:
    """The MDM payload's Topic changed: the device rejects the update.

    Apple: "You cannot change the topic or server URL of the profile." A new push topic
    (a new APNs certificate with another UID) needs a new enrollment, not an update.

    Fails:   OLD <key>Topic</key><string>com.apple.mgmt.External.aaaa</string>
             NEW <key>Topic</key><string>com.apple.mgmt.External.bbbb</string>
    Passes:  the same Topic in OLD and NEW
    """


@emitted("UPD121", Severity.ERROR, by=DIFF)
def server_url_changed() -> None:
    """The MDM payload's ServerURL changed: the device rejects the update.

    Apple: "You cannot change the topic or server URL of the profile." Compared as
    strings: a trailing slash or another letter case is a change too.

    Fails:   OLD <key>ServerURL</key><string>https://mdm.example.com/mdm</string>
             NEW <key>ServerURL</key><string>https://mdm2.example.com/mdm</string>
    Passes:  the same ServerURL in OLD and NEW
    """


@emitted("UPD122", Severity.ERROR, by=DIFF)
def rights_added() -> None:
    """The MDM payload's AccessRights grants rights OLD did not: the device rejects the update.

    Apple: "You cannot add rights to a profile that replaces an existing one." The
    message names the added rights. Removing rights is allowed (UPD126). When both
    versions set ManagedAppleID (user enrollment) the device ignores AccessRights, and
    the finding is an info.

    Fails:   OLD <key>AccessRights</key><integer>3</integer>
             NEW <key>AccessRights</key><integer>11</integer>   (adds AllowDeviceErase)
    Passes:  OLD 8191, NEW 8191 (or fewer rights)
    """


@emitted("UPD123", Severity.ERROR, by=DIFF)
def assigned_managed_apple_id_changed() -> None:
    """The MDM payload's AssignedManagedAppleID changed, was added or was removed.

    Apple: "When updating the payload, the value of this key must not change. Any change
    is an error, and the update rejected."

    Fails:   OLD <key>AssignedManagedAppleID</key><string>ann@example.com</string>
             NEW <key>AssignedManagedAppleID</key><string>bob@example.com</string>
    Passes:  the same AssignedManagedAppleID in OLD and NEW (or in neither)
    """


@emitted("UPD124", Severity.WARNING, by=DIFF)
def checkin_url_changed() -> None:
    """The MDM payload's check-in URL changed (CheckInURL, or ServerURL when it is unset).

    Apple's update rules do not name CheckInURL, so a device may accept the change; but
    after the update the device sends its check-in messages (TokenUpdate, CheckOut) to
    the new URL, and a server that did not expect it loses track of the device. Adding a
    CheckInURL equal to the ServerURL changes nothing (UPD112 lists it).

    Fails:   OLD <key>CheckInURL</key><string>https://mdm.example.com/checkin</string>
             NEW <key>CheckInURL</key><string>https://mdm.example.com/checkin2</string>
    Passes:  the same CheckInURL in OLD and NEW
    """


@emitted("UPD125", Severity.INFO, by=DIFF)
def identity_changed() -> None:
    """The MDM payload's IdentityCertificateUUID points to another payload: a new identity.

    Allowed: this is how the MDM identity certificate is renewed (a new SCEP, ACME or
    PKCS#12 payload). The message names the payloads OLD and NEW point to.

    Fails:   OLD <key>IdentityCertificateUUID</key><string>…0001</string>
             NEW <key>IdentityCertificateUUID</key><string>…0002</string>
    Passes:  the same IdentityCertificateUUID in OLD and NEW
    """


@emitted("UPD126", Severity.INFO, by=DIFF)
def rights_removed() -> None:
    """The MDM payload's AccessRights grants fewer rights than OLD (allowed).

    The message names the rights the server loses.

    Fails:   OLD <key>AccessRights</key><integer>8191</integer>
             NEW <key>AccessRights</key><integer>8183</integer>   (drops AllowDeviceErase)
    Passes:  the same AccessRights in OLD and NEW
    """


@emitted("UPD127", Severity.INFO, by=DIFF)
def mdm_payload_replaced() -> None:
    """The MDM payload has a new PayloadUUID or PayloadIdentifier: it is not updated in place.

    Apple says the device updates in place only payloads whose PayloadIdentifier and
    PayloadUUID stay the same, and removes and installs the others; it does not say what
    replacing the MDM payload does to the enrollment. Replacing it is how MDM servers
    commonly renew the device identity (a freshly generated enrollment profile with the
    same top-level PayloadIdentifier), and an MDM vendor reported such a renewal keeps
    the device enrolled (fleetdm/fleet#19800), so this is a note, not a warning. The
    Topic, ServerURL and AccessRights rules apply all the same.

    Fails:   OLD MDM payload <key>PayloadUUID</key><string>…0001</string>, NEW …0002
    Passes:  the same MDM PayloadIdentifier and PayloadUUID in OLD and NEW
    """


@emitted("UPD128", Severity.WARNING, by=DIFF)
def mdm_payload_added_or_removed() -> None:
    """The update adds an MDM payload to a profile without one, or removes it.

    Apple's update rules assume both versions are MDM profiles; adding an MDM payload
    grants rights the installed profile did not have, and removing it unenrolls the
    device. Enroll or unenroll with a profile of its own.

    Fails:   OLD has a com.apple.mdm payload, NEW has none
    Passes:  both have one (or neither)
    """


@emitted("UPD130", Severity.ERROR, by=DIFF)
def signed_by_another_identity() -> None:
    """NEW is signed by another identity than OLD (the signer's public key differs).

    Apple: "The new MDM profile must be signed with the same identity as the existing
    profile." An identity is a private key with its certificate; we compare the signer
    certificates' public keys (SubjectPublicKeyInfo), since a certificate with the same
    name but another key is another identity. Error for MDM profiles; warning when OLD
    is locked (PayloadRemovalDisallowed: Apple's older configuration profile guide says
    such a profile can be updated only when "signed by the same authority"); info for
    other profiles.

    Fails:   OLD signed by CN=Profile Signer (key A), NEW by CN=Other Signer (key B)
    Passes:  both signed with the same key and certificate
    """


@emitted("UPD131", Severity.WARNING, by=DIFF)
def signer_certificate_reissued() -> None:
    """NEW's signer certificate differs from OLD's but holds the same public key.

    A renewed or re-issued signing certificate for the same key. Apple does not say
    whether the device compares the certificate or only its key, so it may refuse the
    update: keep signing with the certificate OLD was signed with, or test on a device.
    Info for profiles that are neither MDM profiles nor locked.

    Fails:   OLD signed with certificate serial 01, NEW with serial 02 (same key)
    Passes:  both signed with the same certificate
    """


@emitted("UPD132", Severity.ERROR, by=DIFF)
def signature_dropped() -> None:
    """OLD is signed but NEW is not.

    Apple: "The new MDM profile must be signed with the same identity as the existing
    profile"; an unsigned profile is signed by no identity. Same severity ladder as
    UPD130 (error for MDM profiles, warning for locked ones, info otherwise).

    Fails:   OLD signed, NEW an unsigned plist
    Passes:  NEW signed with OLD's identity
    """


@emitted("UPD133", Severity.WARNING, by=DIFF)
def signature_added() -> None:
    """OLD is unsigned but NEW is signed.

    Apple asks for the identity of the existing profile and OLD has none; Apple does not
    say whether a device accepts a signed replacement for an unsigned MDM profile. Info
    for profiles that are neither MDM profiles nor locked.

    Fails:   OLD an unsigned plist, NEW signed
    Passes:  both unsigned, or both signed with the same identity
    """


@emitted("UPD134", Severity.WARNING, by=DIFF)
def signers_not_comparable() -> None:
    """The signers cannot be compared: a signer certificate is missing, or a signature unreadable.

    A SignerInfo names its certificate by issuer and serial number (or subject key
    identifier) and may leave the certificate out. When OLD and NEW name the same
    certificate that is enough; otherwise, without the certificate, the signer's key is
    unknown and the same-identity rule cannot be checked. Info for profiles that are
    neither MDM profiles nor locked.

    Fails:   NEW signed with another certificate, neither signature embedding its certificate
    Passes:  both signatures embed their signer certificates (or name the same one)
    """
