"""MDM: the com.apple.mdm payload of an enrollment profile.

What the schema (schemas/payloads/com.apple.mdm.schema.json) reports is not repeated
here: key types, the required keys (IdentityCertificateUUID, ServerURL, Topic),
AccessRights outside 1 ... 8191 (0, or a bit above 4096), EnrollmentMode and
ServerCapabilities values, duplicate capabilities; and, through the schema's
x-platforms, AVL002 reports ManagedAppleID when iOS or macOS is targeted (removed in
iOS 18 / macOS 15). These rules check what a schema cannot: bit dependencies,
references to other payloads, URLs, and policy. Replacing an installed MDM profile
(same Topic, ServerURL, no added rights) is the ``diff`` command's business.
"""

from __future__ import annotations

from collections.abc import Iterator

from profilesmith.base.findings import Hit, Severity
from profilesmith.lint.context import Context
from profilesmith.lint.registry import rule
from profilesmith.mdm import placeholders
from profilesmith.mdm.payload_types import (
    ALL_CERTIFICATE_TYPES,
    IDENTITY_TYPES,
    KEYLESS_CERTIFICATES,
    MDM,
)
from profilesmith.plist.document import Document, Payload
from profilesmith.schema.validator.formats import is_uuid

TOPIC_PREFIX = "com.apple.mgmt."
PER_USER = "com.apple.mdm.per-user-connections"


def _mdm_payloads(doc: Document) -> Iterator[Payload]:
    return (p for p in doc.payloads() if p.type == MDM)


def _describe(payload: Payload) -> str:
    return f"the {payload.type or 'untyped'} payload at {payload.pointer}"


@rule("MDM101", Severity.ERROR, scope="payload", payload_types={MDM})
def access_rights_dependencies(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """AccessRights grants a right without the right it depends on.

    Apple: "Specify 1 if you specify 2. Specify 64 if you specify 128." (installing
    profiles needs inspecting them; the same for provisioning profiles). The schema
    reports values outside 1 ... 8191 (0, or undefined bits).

    Fails:   <key>AccessRights</key><integer>2</integer>
    Passes:  <key>AccessRights</key><integer>3</integer>
    """
    value = payload.value.get("AccessRights")
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        return
    from profilesmith.mdm import rights

    problems = rights.missing_dependencies(value)
    if problems:
        missing = "; ".join(f"{r.name} ({r.value}) needs {n.name} ({n.value})"
                            for r, n in problems)
        yield Hit(payload.at("AccessRights"), f"AccessRights {value}: {missing}; "
                  f"use {rights.with_dependencies(value)}")


@rule("MDM102", Severity.ERROR, scope="payload", payload_types={MDM})
def topic_prefix(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """Topic does not start with com.apple.mgmt., or has nothing after it.

    The topic is the push certificate's subject UID; Apple requires the
    ``com.apple.mgmt.`` prefix, and the device cannot receive pushes without a real
    topic after it. (A missing Topic is a schema error.)

    Fails:   <string>com.example.mdm</string>
    Passes:  <string>com.apple.mgmt.External.2f1c7d0e-...</string>
    """
    topic = payload.value.get("Topic")
    if not isinstance(topic, str):
        return
    if not topic.startswith(TOPIC_PREFIX):
        yield Hit(payload.at("Topic"), f"Topic must start with {TOPIC_PREFIX} (found {topic!r})")
    elif not topic[len(TOPIC_PREFIX):].strip():
        yield Hit(payload.at("Topic"), f"Topic has nothing after {TOPIC_PREFIX}")


@rule("MDM103", Severity.ERROR, scope="payload", payload_types={MDM})
def server_urls(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """ServerURL or CheckInURL is not an https:// URL with a host.

    Apple: "The URL must begin with the https:// URL scheme" (a port is allowed). An
    http MDM server would hand device management to anyone on the network path.

    Fails:   <string>http://mdm.example.com/mdm</string>
    Passes:  <string>https://mdm.example.com:2001/mdm</string>
    """
    from profilesmith.mdm import urls

    for key in ("ServerURL", "CheckInURL"):
        url = payload.value.get(key)
        if not isinstance(url, str):
            continue
        problem = urls.problem(url, ("https",),
                               no_scheme="has no scheme (it must begin with https://)",
                               wrong_scheme="uses {scheme}:// instead of https://")
        if problem is None:
            continue
        yield Hit(payload.at(key), f"{key} {url!r} {problem}")


@rule("MDM104", Severity.ERROR, scope="document")
def identity_reference(doc: Document, ctx: Context) -> Iterator[Hit]:
    """IdentityCertificateUUID does not name an identity payload of the same profile.

    The device authenticates to the MDM server with this identity, so it must come from
    a payload that yields a private key: SCEP, PKCS#12, or ACME (iOS 16 / macOS 13.1
    and later). A PEM, PKCS#1 or root certificate has no private key; a UUID no payload
    has is a dangling reference. Either way enrollment cannot work. (A missing key is a
    schema error.)

    Fails:   the UUID of a com.apple.security.pem payload, or of no payload
    Passes:  the PayloadUUID of the profile's com.apple.security.scep payload
    """
    for mdm in _mdm_payloads(doc):
        value = mdm.value.get("IdentityCertificateUUID")
        if not isinstance(value, str):
            continue
        found = doc.payload_with_uuid(value)
        pointer = mdm.at("IdentityCertificateUUID")
        if found is None:
            yield Hit(pointer, f"IdentityCertificateUUID {value} names no payload in this "
                      "profile (it must be the PayloadUUID of a SCEP, PKCS#12 or ACME payload)")
            continue
        target = found[0]
        if target.type in KEYLESS_CERTIFICATES:
            yield Hit(pointer, f"IdentityCertificateUUID names {_describe(target)}, a "
                      f"{KEYLESS_CERTIFICATES[target.type]} without a private key; the "
                      "identity must come from a SCEP, PKCS#12 or ACME payload")
        elif target.type not in IDENTITY_TYPES:
            yield Hit(pointer, f"IdentityCertificateUUID names {_describe(target)}, which "
                      "is not an identity (SCEP, PKCS#12 or ACME) payload")


@rule("MDM105", Severity.WARNING, scope="document")
def identity_reference_loose(doc: Document, ctx: Context) -> Iterator[Hit]:
    """IdentityCertificateUUID resolves, but is not a UUID or differs in letter case.

    The reference works when the strings match, but Apple documents a UUID, and a
    match that depends on letter case is fragile across tools.

    Fails:   IdentityCertificateUUID "scep-identity" matching a PayloadUUID "scep-identity"
    Passes:  IdentityCertificateUUID 47492623-E4E7-4A64-BA63-2F31D2CA1A5F, as the PayloadUUID
    """
    for mdm in _mdm_payloads(doc):
        value = mdm.value.get("IdentityCertificateUUID")
        if not isinstance(value, str):
            continue
        found = doc.payload_with_uuid(value)
        if found is None or found[0].type not in IDENTITY_TYPES:
            continue
        target, exact = found
        pointer = mdm.at("IdentityCertificateUUID")
        if not exact:
            yield Hit(pointer, f"IdentityCertificateUUID {value} matches the PayloadUUID of "
                      f"{_describe(target)} only when letter case is ignored")
        elif not is_uuid(value):
            yield Hit(pointer, f"IdentityCertificateUUID {value!r} resolves but is not a UUID")


@rule("MDM106", Severity.ERROR, scope="document")
def pinning_references(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A pinning UUID does not name a certificate payload of the same profile.

    ServerURLPinningCertificateUUIDs and CheckInURLPinningCertificateUUIDs list the
    PayloadUUIDs of the certificate payloads (PEM, PKCS#1, root, PKCS#12) that the
    server's TLS chain must match. A UUID that names nothing, or a payload that is not
    a certificate, leaves the pin unsatisfiable and the connection fails.

    Fails:   <array><string>UUID-OF-NOTHING</string></array>
    Passes:  <array><string>the PayloadUUID of a com.apple.security.root payload</string></array>
    """
    for mdm in _mdm_payloads(doc):
        for key in ("ServerURLPinningCertificateUUIDs", "CheckInURLPinningCertificateUUIDs"):
            values = mdm.value.get(key)
            if not isinstance(values, list):
                continue
            for index, value in enumerate(values):
                if not isinstance(value, str):
                    continue
                found = doc.payload_with_uuid(value)
                if found is None:
                    message = f"{key} names {value}, which no payload in this profile has"
                elif found[0].type not in ALL_CERTIFICATE_TYPES:  # the certificate payloads
                    message = f"{key} names {_describe(found[0])}, which is not a certificate"
                else:
                    continue
                yield Hit(mdm.at(key, index), message)


@rule("MDM107", Severity.WARNING, scope="payload", payload_types={MDM})
def access_rights_ignored(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """AccessRights is set together with ManagedAppleID, which makes devices ignore it.

    Apple: AccessRights is "Ignored if you set a value for ManagedAppleID" (user
    enrollment grants a fixed set of rights).

    Fails:   AccessRights 8191 and ManagedAppleID user@example.com
    Passes:  AccessRights without ManagedAppleID
    """
    if "AccessRights" in payload.value and isinstance(payload.value.get("ManagedAppleID"), str):
        yield Hit(payload.at("AccessRights"),
                  "AccessRights is ignored because ManagedAppleID is set (user enrollment)")


@rule("MDM108", Severity.ERROR, scope="document")
def one_mdm_payload(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A profile holds more than one MDM payload.

    A device has one MDM enrollment, and Apple does not allow multiple com.apple.mdm
    payloads in a profile; the profile is refused. Reported on every MDM payload after
    the first.

    Fails:   two com.apple.mdm payloads in PayloadContent
    Passes:  one
    """
    payloads = list(_mdm_payloads(doc))
    for extra in payloads[1:]:
        yield Hit(extra.at("PayloadType"), "a second com.apple.mdm payload: a profile may "
                  f"hold only one (the first is at {payloads[0].pointer})")


@rule("MDM109", Severity.WARNING, scope="payload", payload_types={MDM})
def per_user_connections(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """ServerCapabilities lacks com.apple.mdm.per-user-connections while macOS is targeted.

    Apple makes the capability mandatory when the server manages macOS devices or a
    Shared iPad. Only ``--platform macos`` turns this on: nothing in a profile says it
    is meant for a Shared iPad, so that case cannot be detected; without ``--platform``
    the rule assumes nothing.

    Fails:   --platform macos, ServerCapabilities without it (or no ServerCapabilities)
    Passes:  ServerCapabilities holding com.apple.mdm.per-user-connections
    """
    if not ctx.targets("macos"):
        return
    capabilities = payload.value.get("ServerCapabilities")
    if capabilities is None:
        yield Hit(payload.at("ServerCapabilities"), "ServerCapabilities is missing; servers "
                  f"managing macOS devices must declare {PER_USER}")
    elif isinstance(capabilities, list) and PER_USER not in capabilities:
        yield Hit(payload.at("ServerCapabilities"), f"ServerCapabilities lacks {PER_USER}, "
                  "which servers managing macOS devices must declare")


@rule("MDM110", Severity.WARNING, scope="payload", payload_types={MDM})
def development_apns(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """UseDevelopmentAPNS is true.

    The device then listens to Apple's development push servers, but push certificates
    from identity.apple.com/pushcert work only in production: pushes never arrive.

    Fails:   <key>UseDevelopmentAPNS</key><true/>
    Passes:  <key>UseDevelopmentAPNS</key><false/>, or the key left out
    """
    if payload.value.get("UseDevelopmentAPNS") is True:
        yield Hit(payload.at("UseDevelopmentAPNS"), "UseDevelopmentAPNS is true: the device "
                  "uses the development push servers, which production push certificates "
                  "cannot reach")


@rule("MDM111", Severity.WARNING, scope="payload", payload_types={MDM})
def placeholder_values(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """Topic, ServerURL or CheckInURL still holds a placeholder.

    Template leftovers such as ``YOUR-PUSH-TOPIC-HERE``, ``CHANGEME``, ``XXXX`` or
    ``{{ topic }}``, and hosts in the reserved example domains (example.com/.org/.net,
    .example, .invalid), cannot reach a real server. Policy: a warning.

    Fails:   <string>com.apple.mgmt.External.YOUR-PUSH-TOPIC-HERE</string>
    Passes:  <string>com.apple.mgmt.External.2f1c7d0e-8a4b-4c1e-9d2a-6b3e5f7a8c90</string>
    """
    topic = payload.value.get("Topic")
    if isinstance(topic, str) and (found := placeholders.marker(topic)):
        yield Hit(payload.at("Topic"), f"Topic contains the placeholder {found!r}")
    for key in ("ServerURL", "CheckInURL"):
        url = payload.value.get(key)
        if isinstance(url, str) and (why := placeholders.in_url(url)):
            yield Hit(payload.at(key), f"{key} looks like a placeholder: {why}")
