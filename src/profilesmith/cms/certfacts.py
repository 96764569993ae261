"""What ``verify`` and the SIG rules ask of one certificate, each library exception turned
into a sentence: its public key, its extensions (key usage, basic constraints), the hash
its issuer signed it with.

cryptography reads a certificate lazily: loading succeeds, and only asking for the key
or the extensions raises (ValueError, UnsupportedAlgorithm, DuplicateExtension), with
texts written for its own developers. Every such question is asked here and answered
with a value or a :class:`CertificateProblem` in our words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from profilesmith.base.asn1text import describe_error

# Hashes whose certificate signatures can be forged; verifiers reject them.
WEAK_HASHES = {"md2": "MD2", "md4": "MD4", "md5": "MD5", "sha1": "SHA-1"}
# Signature algorithms cryptography cannot name a hash for, by OID (MD2/MD4 with RSA)
_OLD_RSA = {"1.2.840.113549.1.1.2": "md2", "1.2.840.113549.1.1.3": "md4"}
_KEY_NAMES = {"1.2.840.113549.1.1.1": "RSA", "1.2.840.10045.2.1": "EC",
              "1.2.840.10040.4.1": "DSA", "1.3.101.112": "Ed25519", "1.3.101.113": "Ed448",
              "1.2.840.113549.1.1.10": "RSASSA-PSS"}


@dataclass(frozen=True)
class Problem:
    """Why something is not verified: a stable reason code and a sentence."""

    reason: str
    message: str


class CertificateProblem(Exception):
    """A certificate that cannot be used; ``message`` completes "the signer certificate
    CN=... " (it starts with a verb)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def about(self, role: str, cert: Any) -> Problem:
        return Problem(self.reason, f"the {role} certificate {subject_of(cert)} {self.message}")


def subject_of(cert: Any) -> str:
    text: str = cert.subject.rfc4514_string()
    return text or "(empty subject)"


def issuer_of(cert: Any) -> str:
    text: str = cert.issuer.rfc4514_string()
    return text or "(empty issuer)"


def load_certificate(der: bytes) -> Any:
    """A cryptography certificate that :func:`check_readable` accepts (raises
    CertificateProblem)."""
    import warnings

    from cryptography import x509

    try:
        with warnings.catch_warnings():
            # cryptography warns of what it will refuse one day (a negative serial,
            # C=USA): the checks judge those, and a warning must not reach the user
            warnings.simplefilter("ignore")
            cert = x509.load_der_x509_certificate(der)
    except Exception as exc:  # ValueError, InvalidVersion, ...: the encoding is bad
        raise CertificateProblem("malformed-certificate",
                                 f"cannot be read ({describe_error(exc)})") from None
    check_readable(cert)
    return cert


def check_readable(cert: Any) -> None:
    """Read the names, serial, validity and signature fields, which cryptography reads
    lazily and every check uses: they fail here, once, rather than in the middle of a
    chain (raises CertificateProblem)."""
    import warnings

    from cryptography.hazmat.primitives import hashes

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for name in (cert.subject, cert.issuer):
                name.rfc4514_string()
            cert.serial_number, cert.not_valid_before_utc, cert.not_valid_after_utc  # noqa: B018
            cert.signature_algorithm_oid, cert.tbs_certificate_bytes  # noqa: B018
            cert.fingerprint(hashes.SHA256())
    except Exception as exc:
        raise CertificateProblem("malformed-certificate",
                                 f"cannot be read ({describe_error(exc)})") from None


def public_key(cert: Any) -> Any:
    """The certificate's public key (raises CertificateProblem)."""
    from cryptography.exceptions import UnsupportedAlgorithm

    try:
        return cert.public_key()
    except UnsupportedAlgorithm:
        raise CertificateProblem(
            "unsupported-algorithm",
            f"has a public key of a type that cannot be checked ({_key_kind(cert)})") from None
    except ValueError as exc:
        raise CertificateProblem(
            "malformed-certificate",
            f"has a public key that cannot be read ({_key_kind(cert)}: "
            f"{describe_error(exc)})") from None


def _key_kind(cert: Any) -> str:
    try:
        oid = cert.public_key_algorithm_oid
    except Exception:  # an algorithm identifier that is itself unreadable
        return "an unreadable algorithm"
    name = _KEY_NAMES.get(oid.dotted_string)
    return f"{name}, {oid.dotted_string}" if name else f"OID {oid.dotted_string}"


def extensions(cert: Any) -> Any:
    """The certificate's extensions (raises CertificateProblem when any is unreadable)."""
    from cryptography import x509

    try:
        return cert.extensions
    except x509.DuplicateExtension as exc:
        raise CertificateProblem(
            "malformed-certificate",
            f"carries the extension {exc.oid.dotted_string} twice (RFC 5280 4.2 allows "
            "one)") from None
    except Exception as exc:  # ValueError, mostly; whatever it is, the extension is bad
        raise CertificateProblem(
            "malformed-certificate",
            f"has an extension that cannot be read: {_which_extension(cert)}"
            f"{describe_error(exc)}") from None


def _which_extension(cert: Any) -> str:
    """'key usage extension (2.5.29.15): ' when asn1crypto finds the broken one."""
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        parsed = asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))
        found = parsed["tbs_certificate"]["extensions"]
        for extension in found or []:
            try:
                extension["extn_value"].parsed.native  # noqa: B018 - parse it all
            except Exception:  # naming the broken one is a courtesy: never fail on it
                oid = extension["extn_id"]
                name = oid.native.replace("_", " ") if oid.native != oid.dotted else "the"
                return f"{name} extension ({oid.dotted}): "
    except Exception:
        pass
    return ""


def key_usage(cert: Any) -> Any:
    """The KeyUsage value, None without the extension (raises CertificateProblem)."""
    from cryptography import x509

    try:
        return extensions(cert).get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return None


def is_ca(cert: Any) -> bool:
    """basicConstraints says CA (False without the extension, or when it is unreadable:
    the caller reports the unreadable extensions itself)."""
    from cryptography import x509

    try:
        value = extensions(cert).get_extension_for_class(x509.BasicConstraints).value
    except (x509.ExtensionNotFound, CertificateProblem):
        return False
    return bool(value.ca)


def signature_hash(cert: Any) -> str:
    """The hash of the issuer's signature ('sha256', 'md5', ...; '' when none is named,
    as for Ed25519, or the algorithm is unknown)."""
    try:
        algorithm = cert.signature_hash_algorithm
    except Exception:  # UnsupportedAlgorithm: an OID cryptography has no hash for
        return _OLD_RSA.get(cert.signature_algorithm_oid.dotted_string, "")
    return str(algorithm.name) if algorithm is not None else ""


def certificate_problem(cert: Any) -> CertificateProblem | None:
    """Why a certificate cannot be used at all (unreadable extensions or key, a negative
    serial number), else None."""
    if cert.serial_number < 0:
        return CertificateProblem("malformed-certificate", "has a negative serial number "
                                  "(RFC 5280 4.1.2.2 requires a positive one)")
    try:
        extensions(cert)
        public_key(cert)
    except CertificateProblem as problem:
        return problem
    return None


def signing_usage_problem(cert: Any) -> CertificateProblem | None:
    """Why the certificate may not sign a profile: a key usage extension without
    digitalSignature (RFC 5280 4.2.1.3), or extensions that cannot be read."""
    try:
        usage = key_usage(cert)
    except CertificateProblem as problem:
        return problem
    if usage is not None and not usage.digital_signature:
        return CertificateProblem("key-usage", "has a key usage without digitalSignature")
    return None
