"""A throw-away test PKI, generated with cryptography at test time (nothing secret is
committed): a root, an intermediate under it, signer certificates under both, a second
root, a root with the same name as the first but another key, and device certificates
for encryption.

Validity periods are chosen around the fixed test clock (2026-06-01) and today's date so
that the "good" certificates verify on both, and the expired / not-yet-valid ones fail on
both. ``build_pki(directory)`` writes every key and certificate as PEM into ``directory``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

UTC = dt.UTC
LONG_AGO = dt.datetime(2025, 1, 1, tzinfo=UTC)
FAR_AHEAD = dt.datetime(2035, 1, 1, tzinfo=UTC)
LEAF_START = dt.datetime(2026, 1, 1, tzinfo=UTC)
LEAF_END = dt.datetime(2029, 1, 1, tzinfo=UTC)


@dataclass
class Identity:
    name: str
    key: Any
    cert: x509.Certificate
    key_path: Path
    cert_path: Path

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def name(common_name: str, organization: str = "profilesmith tests") -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def make_cert(
    subject: x509.Name,
    key: Any,
    *,
    issuer: x509.Certificate | None = None,
    issuer_key: Any = None,
    ca: bool = False,
    not_before: dt.datetime = LEAF_START,
    not_after: dt.datetime = LEAF_END,
    digital_signature: bool = True,
    key_encipherment: bool = False,
    serial: int | None = None,
) -> x509.Certificate:
    """A certificate with the extensions a WebPKI-minded verifier expects of its kind."""
    public = key.public_key()
    issuer_name = issuer.subject if issuer is not None else subject
    signing_key = issuer_key if issuer_key is not None else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public)
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()),
            critical=False,
        )
    )
    builder = builder.add_extension(
        x509.KeyUsage(
            digital_signature=digital_signature or ca,
            content_commitment=False,
            key_encipherment=key_encipherment,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=ca,
            crl_sign=ca,
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )
    return builder.sign(signing_key, hashes.SHA256())


def resign_sha1(cert: x509.Certificate, issuer_key: rsa.RSAPrivateKey) -> x509.Certificate:
    """The same certificate signed with sha1WithRSAEncryption (cryptography refuses to
    make SHA-1 certificates, so the TBS part is re-signed by hand)."""
    from asn1crypto import x509 as asn1_x509

    parsed = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    tbs = parsed["tbs_certificate"]
    tbs["signature"] = {"algorithm": "sha1_rsa"}
    tbs_der = tbs.dump(force=True)
    signature = issuer_key.sign(tbs_der, padding.PKCS1v15(), hashes.SHA1())
    rebuilt = asn1_x509.Certificate({
        "tbs_certificate": asn1_x509.TbsCertificate.load(tbs_der),
        "signature_algorithm": {"algorithm": "sha1_rsa"},
        "signature_value": signature,
    })
    return x509.load_der_x509_certificate(rebuilt.dump())


def pem_of(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def key_pem(key: Any, password: bytes | None = None) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


class PKI:
    """Every identity the CMS tests use, written as PEM files into one directory."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        directory.mkdir(parents=True, exist_ok=True)
        root_key, other_key, inter_key, leaf_key = (rsa_key() for _ in range(4))
        self.root = self._add("root", root_key, make_cert(
            name("Test Root CA"), root_key, ca=True, not_before=LONG_AGO, not_after=FAR_AHEAD))
        self.other_root = self._add("other-root", other_key, make_cert(
            name("Other Root CA"), other_key, ca=True, not_before=LONG_AGO,
            not_after=FAR_AHEAD))
        # same subject as the real root, different key: a "wrong root" nobody can spot by name
        self.impostor_root = self._add("impostor-root", other_key, make_cert(
            name("Test Root CA"), other_key, ca=True, not_before=LONG_AGO,
            not_after=FAR_AHEAD))
        self.intermediate = self._add("intermediate", inter_key, make_cert(
            name("Test Intermediate CA"), inter_key, issuer=self.root.cert,
            issuer_key=root_key, ca=True, not_before=LONG_AGO, not_after=FAR_AHEAD))
        self.leaf = self._add("leaf", leaf_key, make_cert(
            name("Profile Signer"), leaf_key, issuer=self.intermediate.cert,
            issuer_key=inter_key))
        direct_key = ec_key()
        self.direct = self._add("direct", direct_key, make_cert(
            name("Direct Signer (EC)"), direct_key, issuer=self.root.cert,
            issuer_key=root_key))
        self.expired = self._add("expired", leaf_key, make_cert(
            name("Expired Signer"), leaf_key, issuer=self.intermediate.cert,
            issuer_key=inter_key, not_before=LONG_AGO,
            not_after=dt.datetime(2026, 5, 1, tzinfo=UTC)))
        self.future = self._add("future", leaf_key, make_cert(
            name("Future Signer"), leaf_key, issuer=self.intermediate.cert,
            issuer_key=inter_key, not_before=dt.datetime(2030, 1, 1, tzinfo=UTC),
            not_after=dt.datetime(2031, 1, 1, tzinfo=UTC)))
        self.expiring = self._add("expiring", leaf_key, make_cert(
            name("Expiring Signer"), leaf_key, issuer=self.intermediate.cert,
            issuer_key=inter_key, not_before=LONG_AGO,
            not_after=dt.datetime(2026, 6, 20, tzinfo=UTC)))
        self.no_digital_signature = self._add("no-ds", leaf_key, make_cert(
            name("Encipherment-only Signer"), leaf_key, issuer=self.intermediate.cert,
            issuer_key=inter_key, digital_signature=False, key_encipherment=True))
        self.sha1 = self._add("sha1", leaf_key, resign_sha1(make_cert(
            name("SHA-1 Signer"), leaf_key, issuer=self.intermediate.cert,
            issuer_key=inter_key), inter_key))
        self.self_signed = self._add("self-signed", leaf_key, make_cert(
            name("Self-signed Signer"), leaf_key))
        device_key = rsa_key()
        self.device = self._add("device", device_key, make_cert(
            name("Device Identity"), device_key, issuer=self.root.cert, issuer_key=root_key,
            digital_signature=True, key_encipherment=True))
        ec_device_key = ec_key()
        self.ec_device = self._add("ec-device", ec_device_key, make_cert(
            name("EC Device Identity"), ec_device_key, issuer=self.root.cert,
            issuer_key=root_key))

    def _add(self, label: str, key: Any, cert: x509.Certificate) -> Identity:
        key_path = self.dir / f"{label}.key"
        cert_path = self.dir / f"{label}.pem"
        key_path.write_bytes(key_pem(key))
        cert_path.write_bytes(pem_of(cert))
        return Identity(label, key, cert, key_path, cert_path)


_CACHE: dict[str, PKI] = {}


def shared_pki(directory: Path) -> PKI:
    """One PKI per test session (RSA key generation is the slow part)."""
    if "pki" not in _CACHE:
        _CACHE["pki"] = PKI(directory)
    return _CACHE["pki"]
