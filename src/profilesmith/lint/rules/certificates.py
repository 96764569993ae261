"""CRT: certificate payloads (PEM, PKCS#1, root, PKCS#12): is the data a certificate,
is it valid on the lint clock, is it strong enough.

cryptography is imported inside profilesmith.mdm.certificates, only when a certificate payload is
linted. The clock is ``--now`` (ctx.now) and the warning window
``expiry-warning-days`` (ctx.options.expiry_warning_days).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from profilesmith.base.findings import Hit, Severity
from profilesmith.lint.context import Context
from profilesmith.lint.registry import rule
from profilesmith.mdm.payload_types import ALL_CERTIFICATE_TYPES, CERTIFICATE_TYPES, PKCS12
from profilesmith.plist.document import Payload

if TYPE_CHECKING:
    from profilesmith.mdm import certificates as certs

_RECOVERED = " (read past the bad base64 characters CRT101 reports)"


class Examined:
    """One payload's certificate data, examined once (cached per data, see _analyse).

    Pointer-free: the same examination serves every payload holding the same data, and
    the rules place their findings with ``payload.at(...)``."""

    __slots__ = ("facts", "pkcs12_problem", "problem", "recovered", "strict_error", "what",
                 "wrong_password")

    def __init__(self) -> None:
        self.problem: str | None = None  # CRT101: not a certificate at all
        self.strict_error: str | None = None  # CRT102: shaped like one, cryptography refuses it
        self.pkcs12_problem: str | None = None  # CRT111
        self.wrong_password = False  # CRT111 is then about the Password key
        self.facts: certs.CertFacts | None = None
        self.what = "the certificate"
        self.recovered = False

    @property
    def suffix(self) -> str:
        return _RECOVERED if self.recovered else ""


def examine(payload: Payload) -> Examined | None:
    """The examined data of a certificate or PKCS#12 payload (None when it has no data)."""
    data = payload.value.get("PayloadContent")
    if not isinstance(data, bytes):
        return None  # missing or mistyped: the schema reports it
    password = payload.value.get("Password") if payload.type == PKCS12 else None
    return _analyse(payload.type == PKCS12, data, password if isinstance(password, str) else None)


@lru_cache(maxsize=256)
def _analyse(pkcs12: bool, data: bytes, password: str | None) -> Examined:
    """The pointer-free examination of certificate data, cached: a batch of per-device
    profiles embeds the same CA certificate in every file, and parsing it costs more than
    linting the rest of the profile."""
    from profilesmith.mdm import certificates as certs

    result = Examined()
    der: bytes | None
    if pkcs12:
        opened = certs.open_pkcs12(data, password)
        result.pkcs12_problem = opened.problem
        result.wrong_password = opened.wrong_password
        der = opened.certificate_der
        result.what = "the identity certificate in the PKCS#12 bundle"
    else:
        decoded = certs.decode_certificate(data)
        result.problem = decoded.problem
        result.recovered = decoded.recovered
        der = decoded.der if decoded.problem is None or decoded.recovered else None
    if der is None:
        return result
    try:
        result.facts = certs.inspect(der)
    except certs.StrictParseError as exc:
        if not result.recovered:
            result.strict_error = str(exc)
    if result.facts is not None:
        result.what = f"{result.what} ({result.facts.subject})"
    return result


def _examined(payload: Payload) -> Iterator[tuple[str, Examined, certs.CertFacts]]:
    """(where findings go, the examination, the certificate's facts) when it was read."""
    found = examine(payload)
    if found is not None and found.facts is not None:
        yield payload.at("PayloadContent"), found, found.facts


@rule("CRT101", Severity.ERROR, scope="payload", payload_types=CERTIFICATE_TYPES)
def not_a_certificate(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A certificate payload's data is not a certificate at all.

    The data of a PEM, PKCS#1 or root payload must be a certificate: PEM text
    (-----BEGIN CERTIFICATE----- armor around base64) or DER. The message says exactly
    why and where it is not: no or broken armor, a character outside the base64
    alphabet (line and column of the PEM text), a base64 text of the wrong length, bytes
    that are not ASN.1, ASN.1 that is not shaped like a certificate. Devices refuse such
    a payload, and with it the profile. When the base64 damage is a replaced character,
    the certificate behind it is still read, and the other CRT rules report on it.

    Fails:   PEM text whose base64 holds a character such as '*' or byte 0xED
    Passes:  PEM text or DER of a certificate
    """
    found = examine(payload)
    if found is not None and found.problem is not None:
        yield Hit(payload.at("PayloadContent"), f"not a certificate: {found.problem}")


@rule("CRT102", Severity.WARNING, scope="payload", payload_types=CERTIFICATE_TYPES)
def strict_parser_refuses(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """The data looks like a certificate, but a strict DER parser refuses it.

    It is ASN.1 shaped like a certificate (SEQUENCE of tbsCertificate,
    signatureAlgorithm, signature), yet cryptography's strict DER parser rejects it:
    BER lengths, trailing bytes, a malformed field. Devices may be laxer and install it,
    so this is a warning; re-encode the certificate (``openssl x509 -outform DER``).

    Fails:   a certificate whose outer SEQUENCE length is in non-minimal long form
    Passes:  a DER certificate written by openssl or cryptography
    """
    found = examine(payload)
    if found is not None and found.strict_error is not None:
        yield Hit(payload.at("PayloadContent"), "the certificate is not strict DER "
                  f"(cryptography refuses it: {found.strict_error}); devices may still "
                  "accept it")


@rule("CRT103", Severity.ERROR, scope="payload", payload_types={PKCS12})
def identity_expired(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """The identity certificate inside a PKCS#12 bundle has expired.

    Checked against the lint clock (``--now``, default today). Whatever authenticates
    with this identity (MDM enrollment, Wi-Fi, VPN) fails.

    Fails:   a bundle whose certificate's notAfter is before --now
    Passes:  a bundle whose certificate is valid on --now
    """
    for pointer, found, facts in _examined(payload):
        if facts.not_after < ctx.now:
            yield Hit(pointer, _expired(found, facts, ctx))


@rule("CRT104", Severity.WARNING, scope="payload", payload_types=CERTIFICATE_TYPES)
def certificate_expired(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A PEM, PKCS#1 or root certificate has expired.

    Checked against the lint clock (``--now``, default today). Devices still install
    the payload, but an expired anchor or intermediate validates nothing, so a warning;
    a repository that wants CI to fail on it sets ``CRT104 = "error"`` in its
    configuration's severity table. (An expired PKCS#12 identity is CRT103, an error.)

    Fails:   a certificate whose notAfter is before --now
    Passes:  a certificate valid on --now
    """
    for pointer, found, facts in _examined(payload):
        if facts.not_after < ctx.now:
            yield Hit(pointer, _expired(found, facts, ctx))


def _expired(found: Examined, facts: certs.CertFacts, ctx: Context) -> str:
    days = (ctx.now - facts.not_after).days
    return (f"{found.what} expired on {facts.not_after:%Y-%m-%d} ({days} days before "
            f"{ctx.now:%Y-%m-%d}){found.suffix}")


@rule("CRT105", Severity.WARNING, scope="payload", payload_types=ALL_CERTIFICATE_TYPES)
def expires_soon(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A certificate expires within the expiry warning window.

    The window is ``expiry-warning-days`` in the configuration (default 30), counted
    from the lint clock (``--now``), so CI warns before the profile stops working.

    Fails:   notAfter 10 days after --now
    Passes:  notAfter a year after --now
    """
    window = timedelta(days=ctx.options.expiry_warning_days)
    for pointer, found, facts in _examined(payload):
        if ctx.now <= facts.not_after <= ctx.now + window:
            days = (facts.not_after - ctx.now).days
            yield Hit(pointer, f"{found.what} expires on {facts.not_after:%Y-%m-%d}, "
                      f"in {days} days{found.suffix}")


@rule("CRT106", Severity.WARNING, scope="payload", payload_types=ALL_CERTIFICATE_TYPES)
def not_yet_valid(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A certificate is not valid yet on the lint clock.

    It installs, but nothing validates against it before its notBefore date; usually a
    clock or time-zone mistake where the certificate was made.

    Fails:   notBefore after --now
    Passes:  notBefore before --now
    """
    for pointer, found, facts in _examined(payload):
        if facts.not_before > ctx.now:
            yield Hit(pointer, f"{found.what} is not valid before "
                      f"{facts.not_before:%Y-%m-%d}{found.suffix}")


@rule("CRT107", Severity.WARNING, scope="payload", payload_types={"com.apple.security.root"})
def root_not_a_ca(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A root payload holds a certificate that is not a CA certificate.

    A root payload installs a trust anchor. A certificate whose basicConstraints say
    CA:FALSE, or a certificate without basicConstraints issued by someone else (a
    leaf), anchors nothing but itself. Self-signed certificates without the extension
    (v1 roots, self-signed server certificates) are accepted. Policy: a warning.

    Fails:   a server certificate with basicConstraints CA:FALSE in a root payload
    Passes:  a CA certificate (basicConstraints CA:TRUE)
    """
    for pointer, found, facts in _examined(payload):
        if facts.is_ca is False:
            reason = "its basicConstraints say CA:FALSE"
        elif facts.is_ca is None and not facts.self_issued:
            reason = "it has no basicConstraints and is not self-issued (a leaf certificate)"
        else:
            continue
        yield Hit(pointer, f"{found.what} in a root payload is not a CA certificate: "
                  f"{reason}{found.suffix}")


@rule("CRT108", Severity.WARNING, scope="payload", payload_types=ALL_CERTIFICATE_TYPES)
def weak_key(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A certificate's RSA (or DSA) key is shorter than 2048 bits.

    Keys under 2048 bits are below every current baseline, and recent OS versions
    refuse them for TLS.

    Fails:   an RSA-1024 certificate
    Passes:  an RSA-2048 or P-256 certificate
    """
    for pointer, found, facts in _examined(payload):
        if facts.key_kind in ("RSA", "DSA") and facts.key_bits and facts.key_bits < 2048:
            yield Hit(pointer, f"{found.what} has a {facts.key_bits}-bit "
                      f"{facts.key_kind} key (use 2048 bits or more){found.suffix}")


@rule("CRT109", Severity.WARNING, scope="payload", payload_types=ALL_CERTIFICATE_TYPES)
def weak_signature(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A certificate is signed with SHA-1 (or MD5/MD2).

    Such signatures can be forged, and Apple's TLS trust evaluation rejects them. Our
    policy exempts self-issued certificates (roots): nobody checks a trust anchor's
    own signature, so its hash does not matter.

    Fails:   an intermediate or leaf signed with sha1WithRSAEncryption
    Passes:  sha256WithRSAEncryption, or a self-signed root with SHA-1
    """
    from profilesmith.mdm import certificates as certs

    for pointer, found, facts in _examined(payload):
        name = certs.WEAK_SIGNATURES.get(facts.signature_oid)
        if name and not facts.self_issued:
            yield Hit(pointer, f"{found.what} is signed with {name}, which can be "
                      f"forged{found.suffix}")


@rule("CRT110", Severity.WARNING, scope="payload", payload_types=ALL_CERTIFICATE_TYPES)
def signature_algorithm_mismatch(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A certificate's two signature-algorithm fields disagree.

    RFC 5280 (4.1.1.2) requires the signatureAlgorithm outside the TBSCertificate to be
    identical to the signature field inside it. OpenSSL, Go and cryptography's verifier
    reject a certificate where they differ; devices may too. Usually a corrupted
    certificate.

    Fails:   inner sha256WithRSAEncryption, outer 1.2.840.113549.1.18.11
    Passes:  both sha256WithRSAEncryption
    """
    from profilesmith.mdm import certificates as certs

    for pointer, found, facts in _examined(payload):
        if facts.same_signature_algorithm or facts.tbs_signature_oid is None:
            continue
        outer = certs.algorithm_name(facts.signature_oid)
        if facts.tbs_signature_oid == facts.signature_oid:
            detail = f"both name {outer} but with different parameters"
        else:
            inner = certs.algorithm_name(facts.tbs_signature_oid)
            detail = f"signatureAlgorithm {outer}, but TBSCertificate signature {inner}"
        yield Hit(pointer, f"{found.what} has mismatched signature algorithms: "
                  f"{detail}{found.suffix}")


@rule("CRT111", Severity.ERROR, scope="payload", payload_types={PKCS12})
def pkcs12_does_not_open(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A PKCS#12 payload cannot be opened: not PKCS#12 data, or a wrong Password.

    With a Password key, the device opens the bundle silently with it; when it does
    not open, installation fails. Without one, the device asks the user, so a bundle
    that needs a password is fine. The password is never shown.

    Fails:   <key>Password</key> that is not the bundle's password
    Passes:  the bundle's own password, or no Password key
    """
    found = examine(payload)
    if found is not None and found.pkcs12_problem is not None:
        where = "Password" if found.wrong_password else "PayloadContent"
        yield Hit(payload.at(where), found.pkcs12_problem)
