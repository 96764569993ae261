"""ENC: encrypted profiles (IsEncrypted + EncryptedPayloadContent).

The payloads of an encrypted profile are a CMS EnvelopedData blob only the target device
can open, so the linter checks the outer keys and says that the content was not
inspected. ``profilesmith decrypt`` (with the device key) makes them lintable.
"""

from __future__ import annotations

from collections.abc import Iterator

from profilesmith.base.findings import Hit, Severity
from profilesmith.lint.context import Context
from profilesmith.lint.registry import rule
from profilesmith.plist.document import Document

_BLOB = "/EncryptedPayloadContent"


def _encrypted_profile(doc: Document) -> bool:
    return doc.is_configuration and doc.root.get("IsEncrypted") is True


@rule("ENC001", Severity.INFO)
def content_not_inspected(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The profile is encrypted: its payloads were not inspected.

    Only the outer keys of an encrypted profile are linted; the payloads inside
    EncryptedPayloadContent can only be read with the device's private key. Lint the
    profile before encrypting it, or ``profilesmith decrypt`` it with the device key.

    Fails:   <key>IsEncrypted</key><true/>
             <key>EncryptedPayloadContent</key><data>MIAGCSqGSIb3DQEHA...</data>
    Passes:  <key>PayloadContent</key><array>...</array>
    """
    if _encrypted_profile(doc) and isinstance(doc.root.get("EncryptedPayloadContent"), bytes):
        yield Hit(_BLOB, "the profile is encrypted: its payloads were not inspected")


@rule("ENC002", Severity.ERROR)
def encrypted_without_envelope(doc: Document, ctx: Context) -> Iterator[Hit]:
    """IsEncrypted is true, but EncryptedPayloadContent is missing or not CMS EnvelopedData.

    The device looks for the encrypted payloads in EncryptedPayloadContent (a <data>
    value holding DER-encoded CMS EnvelopedData); without them the profile cannot be
    installed.

    Fails:   <key>IsEncrypted</key><true/>   and no EncryptedPayloadContent
    Passes:  <key>IsEncrypted</key><true/>
             <key>EncryptedPayloadContent</key><data>(DER EnvelopedData)</data>
    """
    if not _encrypted_profile(doc):
        return
    blob = doc.root.get("EncryptedPayloadContent")
    if blob is None:
        yield Hit(_BLOB, "IsEncrypted is true but EncryptedPayloadContent is missing")
    elif not isinstance(blob, bytes):
        if _BLOB not in doc.unreadable:
            yield Hit(_BLOB, "EncryptedPayloadContent must be <data>")
    elif not _is_enveloped_data(blob):
        yield Hit(_BLOB, "EncryptedPayloadContent is not DER-encoded CMS EnvelopedData")


_ENVELOPED_DATA = "1.2.840.113549.1.7.3"


def _is_enveloped_data(blob: bytes) -> bool:
    """A ContentInfo (SEQUENCE, nothing after it) whose contentType is EnvelopedData."""
    if blob[:1] != b"\x30":
        return False
    from profilesmith.mdm import asn1

    try:
        top = asn1.read(blob)
        if top.end != len(blob):
            return False
        parts = asn1.children(blob, top)
    except asn1.Asn1Error:
        return False
    if not parts or parts[0].tag != asn1.OID:
        return False
    oid = parts[0]
    return asn1.decode_oid(blob[oid.content:oid.content_end]) == _ENVELOPED_DATA


@rule("ENC003", Severity.WARNING)
def inconsistent_encryption_keys(doc: Document, ctx: Context) -> Iterator[Hit]:
    """EncryptedPayloadContent without IsEncrypted true, or next to a PayloadContent.

    Apple's reference says PayloadContent is not present when IsEncrypted is true, and
    that EncryptedPayloadContent is used when it is. A profile with both, or with the
    blob but without the flag, leaves it to the device which one counts.

    Fails:   <key>EncryptedPayloadContent</key><data>...</data>  without IsEncrypted
    Passes:  <key>IsEncrypted</key><true/> <key>EncryptedPayloadContent</key><data>...</data>
    """
    if not doc.is_configuration:
        return
    root = doc.root
    if "EncryptedPayloadContent" in root and root.get("IsEncrypted") is not True:
        yield Hit(_BLOB, "EncryptedPayloadContent is present but IsEncrypted is not true")
    if root.get("IsEncrypted") is True and "PayloadContent" in root:
        yield Hit("/PayloadContent", "PayloadContent next to an encrypted profile's "
                                     "EncryptedPayloadContent: the device ignores one of them")
