"""SCP: the com.apple.security.scep payload. Its settings live in the payload's inner
PayloadContent dictionary ("URL", "Keysize", "Key Type", "Key Usage", "Subject", ...).

The schema (schemas/payloads/com.apple.security.scep.schema.json) reports types, the
required URL, Keysize outside {1024, 2048, 4096}, a negative Key Usage, Key Type
other than RSA, and the shapes of Subject and SubjectAltName. These rules add what a
schema cannot say, and policy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from profilesmith.base.findings import Hit, Severity
from profilesmith.base.lazyre import lazy
from profilesmith.lint.context import Context
from profilesmith.lint.registry import rule
from profilesmith.mdm import placeholders
from profilesmith.plist.document import Payload

SCEP = "com.apple.security.scep"
# the attribute names Apple documents for Subject; anything else must be a dotted OID
SUBJECT_NAMES = ("C", "L", "ST", "O", "OU", "CN")
_OID = lazy(r"[0-2](?:\.(?:0|[1-9][0-9]*))+")
_OID_HINTS = {
    "E": "1.2.840.113549.1.9.1", "EMAIL": "1.2.840.113549.1.9.1",
    "EMAILADDRESS": "1.2.840.113549.1.9.1", "DC": "0.9.2342.19200300.100.1.25",
    "UID": "0.9.2342.19200300.100.1.1", "SERIALNUMBER": "2.5.4.5", "STREET": "2.5.4.9",
    "T": "2.5.4.12", "TITLE": "2.5.4.12", "SN": "2.5.4.4", "GN": "2.5.4.42",
    "S": "2.5.4.8",
}
# digest lengths: MD5, SHA-1, SHA-256, SHA-384, SHA-512
DIGEST_LENGTHS = {16: "MD5", 20: "SHA-1", 32: "SHA-256", 48: "SHA-384", 64: "SHA-512"}
# keys of the ACME payload that people copy into SCEP, and what SCEP calls them
ACME_SPELLINGS = {"KeyType": "Key Type", "KeyUsage": "Key Usage", "KeySize": "Keysize"}


def _settings(payload: Payload) -> dict[str, Any] | None:
    inner = payload.value.get("PayloadContent")
    return inner if isinstance(inner, dict) else None


@rule("SCP101", Severity.ERROR, scope="payload", payload_types={SCEP})
def url_unusable(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """The SCEP URL has no scheme, another scheme than http/https, or no host.

    The device cannot contact a SCEP server without an http:// or https:// URL, so
    enrollment fails and the profile with it. (A missing URL is a schema error; plain
    http is SCP102.)

    Fails:   <key>URL</key><string>scep.example.com/scep</string>
    Passes:  <key>URL</key><string>https://scep.example.com/scep</string>
    """
    settings = _settings(payload)
    url = settings.get("URL") if settings else None
    if not isinstance(url, str):
        return
    from profilesmith.mdm import urls

    problem = urls.problem(url, ("http", "https"),
                           no_scheme="has no scheme (write https:// or http:// in front of it)",
                           wrong_scheme="uses {scheme}://; SCEP needs http:// or https://")
    if problem is None:
        return
    yield Hit(payload.at("PayloadContent", "URL"), f"SCEP URL {url!r} {problem}")


@rule("SCP102", Severity.WARNING, scope="payload", payload_types={SCEP})
def url_plain_http(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """The SCEP URL uses plain http.

    SCEP protects its own messages, but over http the challenge can be replayed by
    anyone on the path and the CA certificate fetched without TLS trust (pin it with
    CAFingerprint). Policy: a warning; many SCEP servers only speak http.

    Fails:   <string>http://scep.example.com/scep</string>
    Passes:  <string>https://scep.example.com/scep</string>
    """
    settings = _settings(payload)
    url = settings.get("URL") if settings else None
    if not isinstance(url, str):
        return
    from profilesmith.mdm import urls

    if urls.parse(url).scheme == "http":
        yield Hit(payload.at("PayloadContent", "URL"),
                  "the SCEP URL uses plain http: prefer https, or set CAFingerprint")


@rule("SCP103", Severity.WARNING, scope="payload", payload_types={SCEP})
def small_key(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """Keysize is 1024, or missing (the default is 1024).

    A 1024-bit RSA key is below every current baseline; ask for 2048 (or 4096).

    Fails:   <key>Keysize</key><integer>1024</integer>, or no Keysize
    Passes:  <key>Keysize</key><integer>2048</integer>
    """
    settings = _settings(payload)
    if settings is None:
        return
    size = settings.get("Keysize")
    if "Keysize" not in settings:
        yield Hit(payload.at("PayloadContent", "Keysize"),
                  "Keysize is missing, so the key is 1024 bits: set 2048")
    elif size == 1024 and not isinstance(size, bool):
        yield Hit(payload.at("PayloadContent", "Keysize"), "Keysize 1024 is too small: use 2048")


@rule("SCP104", Severity.WARNING, scope="payload", payload_types={SCEP})
def subject_attribute_names(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A Subject attribute is neither a dotted OID nor a name Apple documents.

    Subject is an array of RDNs, each an array of [type, value] pairs. Apple documents
    the names C, L, ST, O, OU and CN; other attributes must be written as OIDs
    (1.2.840.113549.1.9.1 for an e-mail address). Devices may drop or refuse other
    names; a warning because behaviour varies.

    Fails:   <array><string>E</string><string>it@example.com</string></array>
    Passes:  <array><string>1.2.840.113549.1.9.1</string><string>it@example.com</string></array>
    """
    settings = _settings(payload)
    subject = settings.get("Subject") if settings else None
    if not isinstance(subject, list):
        return
    for i, rdn in enumerate(subject):
        for j, pair in enumerate(rdn if isinstance(rdn, list) else ()):
            if not isinstance(pair, list) or not pair or not isinstance(pair[0], str):
                continue  # the schema reports the shape
            name = pair[0]
            if name in SUBJECT_NAMES or _OID.fullmatch(name):
                continue
            if name.upper() in SUBJECT_NAMES:
                advice = f"write {name.upper()!r}"
            elif name.upper() in _OID_HINTS:
                advice = f"use its OID {_OID_HINTS[name.upper()]}"
            else:
                advice = "use its dotted OID"
            yield Hit(payload.at("PayloadContent", "Subject", i, j, 0),
                      f"Subject attribute {name!r} is not one of {', '.join(SUBJECT_NAMES)} "
                      f"nor an OID: {advice}")


@rule("SCP105", Severity.WARNING, scope="payload", payload_types={SCEP})
def fingerprint_length(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """CAFingerprint is not as long as a digest.

    The fingerprint is the raw digest of the CA certificate (16 bytes for MD5, 20 for
    SHA-1, 32/48/64 for SHA-2). Other lengths never match, usually because the hex text
    was stored as <data>. Policy: a warning.

    Fails:   <data> of 40 bytes (the hex text of a SHA-1 digest)</data>
    Passes:  <data> of 20 or 32 bytes</data>
    """
    settings = _settings(payload)
    value = settings.get("CAFingerprint") if settings else None
    if not isinstance(value, bytes) or len(value) in DIGEST_LENGTHS:
        return
    message = (f"CAFingerprint is {len(value)} bytes, not the length of a digest "
               "(16, 20, 32, 48 or 64)")
    text = value.decode("ascii", errors="replace").replace(":", "").strip()
    if len(text) // 2 in DIGEST_LENGTHS and re.fullmatch(r"[0-9A-Fa-f]+", text):
        message += (f": it is the hex text of a {DIGEST_LENGTHS[len(text) // 2]} digest; "
                    "store the digest bytes")
    yield Hit(payload.at("PayloadContent", "CAFingerprint"), message)


@rule("SCP106", Severity.WARNING, scope="payload", payload_types={SCEP})
def acme_key_names(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """KeyType, KeyUsage or KeySize appears in SCEP settings: those are ACME's names.

    SCEP spells them "Key Type", "Key Usage" and "Keysize"; the device ignores the
    ACME spellings and uses the defaults (RSA, 1024 bits, no usage restriction). The
    ACME payload uses KeyType/KeySize legitimately and is not checked here.

    Fails:   <key>KeyType</key><string>RSA</string> in SCEP's PayloadContent
    Passes:  <key>Key Type</key><string>RSA</string>
    """
    settings = _settings(payload)
    if settings is None:
        return
    for wrong, right in ACME_SPELLINGS.items():
        if wrong in settings:
            yield Hit(payload.at("PayloadContent", wrong), f"{wrong!r} is not a SCEP key "
                      f"(it is ACME's spelling) and is ignored: write {right!r}", at="key")


@rule("SCP107", Severity.WARNING, scope="payload", payload_types={SCEP})
def placeholder_values(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """The SCEP URL or Challenge still holds a placeholder.

    Template leftovers (``SCEP-CHALLENGE-HERE``, ``CHANGEME``, ``{{ challenge }}``) and
    hosts in the reserved example domains cannot enroll anything. A challenge is never
    shown, not even a placeholder one. Policy: a warning.

    Fails:   <key>URL</key><string>https://scep.example.org/scep</string>
    Passes:  <key>URL</key><string>https://scep.corp.acme.io/scep</string>
    """
    settings = _settings(payload)
    if settings is None:
        return
    url = settings.get("URL")
    if isinstance(url, str) and (why := placeholders.in_url(url)):
        yield Hit(payload.at("PayloadContent", "URL"), f"the SCEP URL looks like a "
                  f"placeholder: {why}")
    challenge = settings.get("Challenge")
    if isinstance(challenge, str) and placeholders.marker(challenge):
        yield Hit(payload.at("PayloadContent", "Challenge"),
                  "the Challenge looks like a placeholder that was never filled in")


@rule("SCP108", Severity.WARNING, scope="payload", payload_types={SCEP})
def key_usage_bits(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """Key Usage sets bits other than 1 (signing) and 4 (encryption).

    Apple (com.apple.security.scep, Key Usage): "A bitmask indicating the use of the key.
    1 is signing, 4 is encryption", default 0 (none given). What a device makes of other
    bits is not documented, so they are a warning rather than the error a closed list
    would give (X.509 key-usage numbers such as 160 are a common mistake). A negative
    value is the schema's error.

    Fails:   <key>Key Usage</key><integer>160</integer>
    Passes:  <key>Key Usage</key><integer>5</integer>
    """
    settings = _settings(payload)
    value = settings.get("Key Usage") if settings else None
    if type(value) is not int or value < 0 or not value & ~5:
        return
    yield Hit(payload.at("PayloadContent", "Key Usage"), f"Key Usage {value} sets bits Apple "
              f"does not define ({value & ~5}); only 1 (signing) and 4 (encryption) are")
