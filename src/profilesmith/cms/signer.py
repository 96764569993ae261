"""Signing identities (key + certificate + chain) and CMS SignedData output.

A :class:`Signer` is loaded once and then signs any number of profiles: batch signing
(``sign --output-dir``, ``build --rows``) pays for reading and decrypting the key once.
Errors are :class:`SigningError` with a one-line message that names the file but never
the key material or the password.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from profilesmith.cms.certfacts import CertificateProblem, check_readable

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization.pkcs7 import PKCS7PrivateKeyTypes


class SigningError(Exception):
    """A signing identity cannot be loaded or used (one line, safe to print)."""


class PasswordRequired(SigningError):
    """The key or PKCS#12 file is encrypted and no password was given."""


_PEM = b"-----BEGIN"


def read_file(path: str, what: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(16 * 1024 * 1024)
    except OSError as exc:
        raise SigningError(f"{path}: cannot read {what} ({exc.strerror or exc})") from None


def load_certificates(path: str, *, what: str = "certificate") -> list[x509.Certificate]:
    """Every certificate in a PEM file (one or more), a DER file, or a PKCS#7 bundle."""
    return parse_certificates(read_file(path, what), path, what=what)


def parse_certificates(data: bytes, path: str, *, what: str = "certificate"
                       ) -> list[x509.Certificate]:
    """:func:`load_certificates` of bytes; ``path`` names them in messages."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import pkcs7

    try:
        if _PEM in data:
            if b"-----BEGIN PKCS7" in data:
                return list(pkcs7.load_pem_pkcs7_certificates(data))
            certs = x509.load_pem_x509_certificates(data)
        else:
            try:
                certs = [x509.load_der_x509_certificate(data)]
            except ValueError:
                certs = list(pkcs7.load_der_pkcs7_certificates(data))
    except Exception:  # ValueError, InvalidVersion: whatever it is, it is not readable
        raise SigningError(f"{path}: not a PEM or DER {what}") from None
    if not certs:
        raise SigningError(f"{path}: holds no {what}")
    for index, cert in enumerate(certs, start=1):
        try:
            check_readable(cert)
        except CertificateProblem as problem:
            which = f" {index}" if len(certs) > 1 else ""
            raise SigningError(f"{path}: {what}{which} {problem.message}") from None
    return certs


def _load_key(path: str, password: bytes | None) -> Any:
    return parse_key(read_file(path, "private key"), path, password)


def parse_key(data: bytes, path: str, password: bytes | None) -> Any:
    """A PEM or DER private key; ``path`` names it in messages (never its bytes)."""
    from cryptography.hazmat.primitives import serialization

    loader = (
        serialization.load_pem_private_key if _PEM in data
        else serialization.load_der_private_key
    )
    try:
        return loader(data, password)
    except TypeError as exc:
        # cryptography signals "encrypted but no password" and "password given for an
        # unencrypted key" with TypeError
        if password is None:
            raise PasswordRequired(
                f"{path}: the private key is encrypted: a password is needed") from None
        if "not encrypted" in str(exc):
            return loader(data, None)
        raise SigningError(f"{path}: cannot load the private key") from None
    except ValueError:
        if password is not None and _looks_encrypted(data):
            raise SigningError(f"{path}: wrong password for the private key") from None
        raise SigningError(
            f"{path}: not a PEM or DER private key (or an unsupported one)") from None
    except Exception as exc:  # UnsupportedAlgorithm and the like: name the kind only
        raise SigningError(f"{path}: cannot load the private key ({type(exc).__name__})") from None


def _looks_encrypted(data: bytes) -> bool:
    if _PEM in data:
        return b"ENCRYPTED" in data
    try:
        from asn1crypto import keys

        keys.EncryptedPrivateKeyInfo.load(data, strict=True).native  # noqa: B018
    except Exception:
        return False
    return True


def _load_p12(path: str, password: bytes | None) -> tuple[Any, Any, list[Any]]:
    from cryptography.hazmat.primitives.serialization import pkcs12

    data = read_file(path, "PKCS#12 file")
    try:
        from asn1crypto import pkcs12 as asn1_pkcs12

        asn1_pkcs12.Pfx.load(data, strict=True)["version"].native  # noqa: B018
    except Exception:
        raise SigningError(f"{path}: not a PKCS#12 (.p12/.pfx) file") from None
    # an unprotected file opens with no password or the empty one, whatever was given
    attempts = [None, b""] if password is None else [password, None, b""]
    for attempt in attempts:
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, attempt)
        except ValueError:
            continue
        except Exception as exc:
            raise SigningError(
                f"{path}: cannot open the PKCS#12 file ({type(exc).__name__})") from None
        if key is None or cert is None:
            raise SigningError(
                f"{path}: the PKCS#12 file needs both a private key and its certificate")
        return key, cert, list(extra)
    if password is None:
        raise PasswordRequired(f"{path}: the PKCS#12 file is encrypted: a password is needed")
    raise SigningError(f"{path}: wrong password for the PKCS#12 file (or the file is damaged)")


def _public_der(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    data: bytes = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return data


@dataclass
class Signer:
    """A private key, its certificate and the chain to embed; signs profile bytes."""

    key: PKCS7PrivateKeyTypes
    cert: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)

    @classmethod
    def load(
        cls,
        *,
        key: str | None = None,
        cert: str | None = None,
        chain: Sequence[str] = (),
        p12: str | None = None,
        password: bytes | None = None,
    ) -> Signer:
        """From ``key`` + ``cert`` (+ ``chain`` files), or from ``p12`` (+ ``chain``)."""
        if p12 is not None:
            if key is not None or cert is not None:
                raise SigningError("give either --p12 or --key with --cert, not both")
            private_key, certificate, extra = _load_p12(p12, password)
            where = p12
        else:
            if key is None or cert is None:
                raise SigningError("signing needs --key and --cert together, or --p12")
            private_key = _load_key(key, password)
            certs = load_certificates(cert)
            # a "full chain" PEM holds the leaf first, then its issuers
            certificate, extra = certs[0], certs[1:]
            where = key
        for path in chain:
            extra.extend(load_certificates(path, what="chain certificate"))
        return cls.from_objects(private_key, certificate, extra, where=where)

    @classmethod
    def from_objects(
        cls, key: Any, cert: x509.Certificate, chain: Iterable[x509.Certificate] = (), *,
        where: str = "the signing key",
    ) -> Signer:
        from cryptography.hazmat.primitives.asymmetric import ec, rsa

        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise SigningError(
                f"{where}: {type(key).__name__.lstrip('_')} keys cannot sign profiles "
                "(RSA and EC keys can)"
            )
        if _public_der(key.public_key()) != _public_der(cert.public_key()):
            raise SigningError(f"{where}: the private key does not match the certificate")
        unique: list[x509.Certificate] = []
        for extra in chain:
            if extra != cert and extra not in unique:
                unique.append(extra)
        return cls(key=key, cert=cert, chain=unique)

    def sign(self, content: bytes) -> bytes:
        """DER CMS SignedData over ``content``: attached, SHA-256, certificates embedded."""
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.serialization import pkcs7

        builder = pkcs7.PKCS7SignatureBuilder().set_data(content)
        builder = builder.add_signer(self.cert, self.key, hashes.SHA256())
        for extra in self.chain:
            builder = builder.add_certificate(extra)
        # Binary: without it the builder rewrites LF as CRLF ("canonical MIME"), and the
        # device would install different bytes than the author linted.
        signed = builder.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
        if not _carries(signed, content):
            raise SigningError("internal error: the signature does not carry the content unchanged")
        return signed


def _carries(signed: bytes, content: bytes) -> bool:
    """Whether ``content`` appears unchanged in ``signed`` (a DER OCTET STRING holds it in
    one piece); finding a short prefix and comparing is cheaper than a full search."""
    prefix = content[:64]
    index = signed.find(prefix)
    while index != -1:
        if signed[index:index + len(content)] == content:
            return True
        index = signed.find(prefix, index + 1)
    return False
