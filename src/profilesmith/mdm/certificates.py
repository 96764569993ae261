"""Certificates inside payloads: decoding PEM or DER data, and what the rules ask of them.

A certificate payload's data is PEM text or DER. :func:`decode_certificate` says exactly
why data is not a certificate (bad armor, a character outside the base64 alphabet, not
ASN.1) and still recovers the DER past bad base64 characters where it can, so the
certificate inside can be inspected too. :func:`inspect` parses with cryptography,
imported inside the function: linting a profile without certificates never loads it.
Nothing here returns or formats key material or passwords.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from profilesmith.base.asn1text import describe_error
from profilesmith.mdm import asn1

_B64 = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
_BEGIN = re.compile(rb"^-----BEGIN ([A-Z0-9 #]+)-----\s*$")
_END = re.compile(rb"^-----END ([A-Z0-9 #]+)-----\s*$")
_CERT_LABELS = {b"CERTIFICATE", b"X509 CERTIFICATE", b"TRUSTED CERTIFICATE"}

# Signature algorithms whose hash is broken for certificate signatures.
WEAK_SIGNATURES = {
    "1.2.840.113549.1.1.2": "md2WithRSAEncryption",
    "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
    "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
    "1.3.14.3.2.29": "sha1WithRSASignature",
    "1.2.840.10045.4.1": "ecdsa-with-SHA1",
    "1.2.840.10040.4.3": "dsa-with-sha1",
}
SIGNATURE_NAMES = {
    **WEAK_SIGNATURES,
    "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
    "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
    "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
    "1.2.840.113549.1.1.10": "RSASSA-PSS",
    "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
    "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
    "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
    "1.3.101.112": "Ed25519",
}


def algorithm_name(oid: str) -> str:
    name = SIGNATURE_NAMES.get(oid)
    return f"{name} ({oid})" if name else f"{oid} (an unknown algorithm)"


@dataclass
class Decoded:
    """The DER a certificate payload's data holds, or why it holds none.

    ``problem`` set means the data is not a certificate at all (CRT101). ``der`` may
    still be set then: recovered past bad base64 characters (``recovered``), for a look
    at the certificate inside.
    """

    der: bytes | None = None
    form: str = "der"  # "pem" or "der"
    problem: str | None = None
    recovered: bool = False


def decode_certificate(data: bytes) -> Decoded:
    """Classify a certificate payload's data and extract its DER."""
    if not data.strip():
        return Decoded(problem="the data is empty")
    if data[0] == 0x30:
        problem = asn1.certificate_shape(data)
        return Decoded(der=data, problem=problem and f"the data is {problem}")
    if b"-----BEGIN" in data[:4096]:
        return _decode_pem(data)
    first = data[0]
    shown = f" {chr(first)!r}" if 0x20 < first < 0x7F else ""
    message = f"the data is not PEM armor and not DER (first byte 0x{first:02X}{shown})"
    if _looks_like_bare_base64(data):
        message += ": it looks like base64 text without the -----BEGIN CERTIFICATE----- line"
    return Decoded(problem=message)


def _looks_like_bare_base64(data: bytes) -> bool:
    text = b"".join(data.split())
    return len(text) >= 16 and all(c in _B64 or c == 0x3D for c in text)


def _decode_pem(data: bytes) -> Decoded:
    # indentation and trailing spaces around armor lines are tolerated, as by OpenSSL
    raw = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    lines = [line.strip() for line in raw]
    begin = next((i for i, line in enumerate(lines) if line.startswith(b"-----BEGIN")), None)
    if begin is None:
        return Decoded(form="pem", problem="the PEM text has no -----BEGIN line")
    match = _BEGIN.match(lines[begin])
    if match is None:
        return Decoded(form="pem", problem=f"line {begin + 1} of the PEM text is not a "
                       "well-formed -----BEGIN ...----- line")
    label = match.group(1)
    if label not in _CERT_LABELS:
        what = "a private key" if b"PRIVATE KEY" in label else f"a {label.decode()!r} block"
        return Decoded(form="pem", problem=f"the PEM text holds {what}, not a certificate "
                       f"(line {begin + 1})")
    end = next((i for i in range(begin + 1, len(lines)) if lines[i].startswith(b"-----")), None)
    if end is None or (closing := _END.match(lines[end])) is None:
        return Decoded(form="pem", problem=f"the PEM armor opened on line {begin + 1} is "
                       f"never closed by -----END {label.decode()}-----")
    if closing.group(1) != label:
        return Decoded(form="pem", problem=f"line {end + 1} of the PEM text closes "
                       f"{closing.group(1).decode()!r}, not {label.decode()!r}")
    return _decode_base64_lines(raw, begin + 1, end)  # columns count from the line start


def _decode_base64_lines(lines: list[bytes], first: int, stop: int) -> Decoded:
    """Base64 between the armor lines, every character checked (reported 1-based)."""
    bad: list[str] = []
    chars = bytearray()
    substituted: list[int] = []
    padding: tuple[int, int] | None = None  # where the first '=' is
    misplaced = False
    for index in range(first, stop):
        for column, byte in enumerate(lines[index], start=1):
            if byte in b" \t\r\v\f":
                continue
            if byte in _B64:
                if padding is not None and not misplaced:
                    bad.append(f"line {padding[0]} of the PEM text, column {padding[1]}: "
                               "padding '=' before the end of the base64 text")
                    misplaced = True
                chars.append(byte)
            elif byte == 0x3D:  # '='
                padding = padding or (index + 1, column)
                chars.append(byte)
            else:
                shown = (f"character '{chr(byte)}'" if 0x20 < byte < 0x7F
                         else f"byte 0x{byte:02X}")
                where = (f"line {index + 1} of the PEM text, column {column}" if not bad
                         else f"line {index + 1}, column {column}")
                bad.append(f"{where}: {shown} is outside the base64 alphabet")
                substituted.append(len(chars))
                chars.append(0x41)  # 'A' keeps the 4-character groups aligned (_recover)
    text = bytes(chars)
    if not text:
        return Decoded(form="pem", problem="the PEM armor holds no base64 text")
    if not bad and len(text) % 4:
        bad.append(f"the base64 text is {len(text)} characters long, not a multiple of 4 "
                   "(a line is missing or truncated)")
    if bad:
        shown = "; ".join(bad[:3]) + (f"; and {len(bad) - 3} more" if len(bad) > 3 else "")
        der = _recover(text, substituted) if substituted else None
        return Decoded(der=der, form="pem", problem=shown, recovered=der is not None)
    der = base64.b64decode(text)
    shape = asn1.certificate_shape(der)
    return Decoded(der=der, form="pem",
                   problem=shape and f"the base64 in the PEM text decodes to {shape}")


def _recover(text: bytes, substituted: list[int]) -> bytes | None:
    """DER read past bad characters, when the rest still lines up.

    A character replaced in transit (the usual corruption) keeps the length a multiple
    of 4, and substituting 'A' keeps every other byte right; an inserted one does not,
    and is dropped instead.
    """
    if len(text) % 4:
        kept = set(substituted)
        text = bytes(c for i, c in enumerate(text) if i not in kept)
    try:
        der = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return der if asn1.certificate_shape(der) is None else None


# -- what the rules look at ------------------------------------------------------------


@dataclass
class CertFacts:
    """What the CRT rules check about one certificate, taken from cryptography."""

    subject: str
    not_before: datetime
    not_after: datetime
    self_issued: bool
    is_ca: bool | None  # None: no basicConstraints extension
    key_kind: str  # "RSA", "EC", "DSA", "Ed25519", ... or "unknown"
    key_bits: int | None
    signature_oid: str
    tbs_signature_oid: str | None
    same_signature_algorithm: bool


class StrictParseError(Exception):
    """cryptography's strict DER parser refused a certificate-shaped structure."""


def inspect(der: bytes) -> CertFacts:
    """Facts about a certificate (raises StrictParseError when cryptography refuses it)."""
    import warnings

    from cryptography import x509

    # cryptography warns (UserWarning) about lax but parseable names such as C=USA;
    # those certificates work, and the test suite turns warnings into errors
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            cert = x509.load_der_x509_certificate(der)
            facts = _facts(cert, der)
        except Exception as exc:  # ValueError, InvalidVersion, DuplicateExtension, ...
            # cryptography reads names and extensions lazily: any of them may be the
            # malformed part, and its message is written for its own developers
            raise StrictParseError(describe_error(exc)) from None
    return facts


def _facts(cert: Any, der: bytes) -> CertFacts:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
        is_ca: bool | None = bool(constraints.value.ca)
    except x509.ExtensionNotFound:
        is_ca = None
    kind, bits = "unknown", None
    try:
        key = cert.public_key()
    except Exception:  # an unsupported key algorithm is not our finding to make
        key = None
    if isinstance(key, rsa.RSAPublicKey):
        kind, bits = "RSA", key.key_size
    elif isinstance(key, ec.EllipticCurvePublicKey):
        kind, bits = "EC", key.curve.key_size
    elif isinstance(key, dsa.DSAPublicKey):
        kind, bits = "DSA", key.key_size
    elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        kind = "EdDSA"
    fields = asn1.signature_algorithms(der)
    return CertFacts(
        subject=_subject_name(cert),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        self_issued=cert.issuer == cert.subject,
        is_ca=is_ca,
        key_kind=kind,
        key_bits=bits,
        signature_oid=cert.signature_algorithm_oid.dotted_string,
        tbs_signature_oid=fields.inner if fields else None,
        same_signature_algorithm=fields is None or fields.identical,
    )


def _subject_name(cert: Any) -> str:
    from cryptography.x509.oid import NameOID

    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if names:
        return f"CN={names[0].value}"
    text = cert.subject.rfc4514_string()
    return text or "an empty subject"


# -- PKCS#12 ---------------------------------------------------------------------------


@dataclass
class Pkcs12Result:
    opened: bool
    problem: str | None = None
    certificate_der: bytes | None = None
    wrong_password: bool = False


def open_pkcs12(data: bytes, password: str | None) -> Pkcs12Result:
    """Open a PKCS#12 bundle; ``problem`` says why it cannot be (never echoing secrets).

    With no password, an unprotected bundle still opens; one that needs a password is
    not a problem (the device asks the user), just ``opened=False``.
    """
    shape = asn1.pkcs12_shape(data)
    if shape is not None:
        return Pkcs12Result(False, f"the data is not a PKCS#12 bundle: {shape}")
    import warnings

    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    candidates = [password.encode()] if password else [None, b""]
    for candidate in candidates:
        try:
            with warnings.catch_warnings():  # lax names inside: see inspect()
                warnings.simplefilter("ignore")
                bundle = pkcs12.load_pkcs12(data, candidate)
        except ValueError:
            continue
        except Exception:  # e.g. UnsupportedAlgorithm: devices may read what we cannot
            return Pkcs12Result(False)
        cert = bundle.cert.certificate.public_bytes(Encoding.DER) if bundle.cert else None
        return Pkcs12Result(True, certificate_der=cert)
    if password:
        return Pkcs12Result(False, "the Password does not open the PKCS#12 bundle "
                            "(its integrity check fails with it)", wrong_password=True)
    return Pkcs12Result(False)
