"""Build CMS SignedData by hand (asn1crypto), so that tests can make what no signer
writes: certificates with broken keys or extensions, signed attributes in any number,
any eContentType, truncated or impossible encodings.

:func:`forge` signs for real (with the key given), so everything that is not
deliberately broken checks out. :func:`alter_certificate` changes a certificate's
TBSCertificate and re-signs it with its issuer's key, so that the chain still holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from asn1crypto import algos, cms, core, keys, x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

# SubjectPublicKeyInfo encodings a certificate may carry, none of them usable
UNKNOWN_KEY = bytes.fromhex("300f300606042a030405030500616263ff")  # OID 1.2.3.4.5
BAD_RSA_KEY = bytes.fromhex("3018300d06092a864886f70d0101010500030700300402000201")
OFF_CURVE_EC_KEY = (bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")
                    + b"\x04" + b"\x01" * 64)
# a Name whose attribute value is [0] where a string belongs: cryptography loads the
# certificate and fails only when the name is read
UNREADABLE_NAME = bytes.fromhex("300c310a3008060355040380017a")
SIGNING_TIME = datetime(2026, 5, 20, tzinfo=UTC)
DEFAULT = object()  # "the attribute a signer normally writes"


def der_of(cert: Any) -> bytes:
    """DER of a cryptography certificate (or the bytes themselves)."""
    if isinstance(cert, bytes):
        return cert
    encoded: bytes = cert.public_bytes(serialization.Encoding.DER)
    return encoded


def sign_bytes(key: Any, data: bytes, hash_name: str = "sha256") -> bytes:
    algorithm = getattr(hashes, hash_name.upper())()
    if isinstance(key, rsa.RSAPrivateKey):
        signed: bytes = key.sign(data, padding.PKCS1v15(), algorithm)
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        signed = key.sign(data, ec.ECDSA(algorithm))
    else:  # pragma: no cover - the test PKI has RSA and EC keys only
        raise TypeError(type(key))
    return signed


def attribute(kind: str, *values: Any) -> cms.CMSAttribute:
    return cms.CMSAttribute({"type": kind, "values": list(values)})


def standard_attributes(content: bytes, content_type: str = "data") -> list[cms.CMSAttribute]:
    return [
        attribute("content_type", content_type),
        attribute("signing_time", cms.Time({"utc_time": SIGNING_TIME})),
        attribute("message_digest", hashlib.sha256(content).digest()),
    ]


def forge(
    content: bytes,
    key: Any,
    signer_cert: Any,
    certificates: Sequence[Any] = (),
    *,
    attrs: Any = DEFAULT,
    content_type: str = "data",
    digest: str = "sha256",
    signature_key: Any = None,
    signer_hash: str | None = None,
) -> bytes:
    """A DER SignedData over ``content`` by ``key``/``signer_cert``.

    ``attrs``: DEFAULT for content-type, signing-time and message-digest; None for no
    signed attributes (the signature then covers the content); else the list to sign.
    ``certificates`` are embedded after the signer's (DER bytes or cryptography
    certificates); the signer's is always embedded first.
    """
    signer_der = der_of(signer_cert)
    parsed = x509.Certificate.load(signer_der)
    if attrs is DEFAULT:
        attrs = standard_attributes(content, content_type)
    is_rsa = isinstance(key, rsa.RSAPrivateKey)
    signer_info: dict[str, Any] = {
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber({
            "issuer": parsed.issuer, "serial_number": parsed.serial_number})}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": digest}),
        "signature_algorithm": algos.SignedDigestAlgorithm(
            {"algorithm": "rsassa_pkcs1v15" if is_rsa else f"{digest}_ecdsa"}),
    }
    if attrs is None:
        covered = content
    else:
        signed_attrs = cms.CMSAttributes(attrs)
        signer_info["signed_attrs"] = signed_attrs
        covered = signed_attrs.dump()
    signer_info["signature"] = sign_bytes(signature_key or key, covered, signer_hash or digest)
    signed = cms.SignedData({
        "version": "v1",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": digest})],
        # built on its own: inside SignedData's dict, asn1crypto drops the [0] tag of a
        # content whose type it does not know
        "encap_content_info": cms.ContentInfo.load(cms.EncapsulatedContentInfo(
            {"content_type": content_type, "content": content}).dump()),
        "certificates": [x509.Certificate.load(der_of(c))
                         for c in (signer_der, *certificates)],
        "signer_infos": [cms.SignerInfo(signer_info)],
    })
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()


def alter_certificate(cert: Any, issuer_key: Any,
                      change: Callable[[x509.TbsCertificate], None], *,
                      hash_name: str = "sha256", algorithm: str | None = None) -> bytes:
    """DER of ``cert`` with ``change`` applied to its TBSCertificate, re-signed by
    ``issuer_key`` (``algorithm``: the asn1crypto name of the signature algorithm,
    written in both places; by default the hash with RSA)."""
    tbs = x509.Certificate.load(der_of(cert))["tbs_certificate"].copy()
    change(tbs)
    name = algorithm or f"{hash_name}_rsa"
    tbs["signature"] = algos.SignedDigestAlgorithm({"algorithm": name})
    tbs_der = tbs.dump()  # changed fields are re-encoded; the rest kept as is
    return x509.Certificate({
        "tbs_certificate": x509.TbsCertificate.load(tbs_der),
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": name}),
        "signature_value": sign_bytes(issuer_key, tbs_der, hash_name),
    }).dump()


def replace_bytes(data: bytes, old: bytes, new: bytes) -> bytes:
    """``data`` with the one occurrence of ``old`` replaced (a length-preserving edit
    keeps every enclosing length right)."""
    assert data.count(old) == 1, data.count(old)
    assert len(old) == len(new)
    return data.replace(old, new)


def raw_extension(oid: str, value: bytes, critical: bool = False) -> x509.Extension:
    """An extension whose extnValue holds ``value`` as given (any bytes at all)."""
    parts = core.ObjectIdentifier(oid).dump()
    if critical:
        parts += core.Boolean(True).dump()
    parts += core.OctetString(value).dump()
    return x509.Extension.load(core.Sequence.load(b"\x30" + _length(len(parts)) + parts).dump())


def _length(size: int) -> bytes:
    if size < 0x80:
        return bytes([size])
    encoded = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(encoded)]) + encoded


def with_public_key(der: bytes) -> Callable[[Any], None]:
    def change(tbs: Any) -> None:
        tbs["subject_public_key_info"] = keys.PublicKeyInfo.load(der)
    return change


def with_extension(oid: str, value: bytes) -> Callable[[Any], None]:
    """Replace (or add) one extension with raw bytes."""
    def change(tbs: Any) -> None:
        kept = [e for e in tbs["extensions"] if e["extn_id"].dotted != oid]
        tbs["extensions"] = [*kept, raw_extension(oid, value, critical=True)]
    return change


def with_subject(der: bytes) -> Callable[[Any], None]:
    def change(tbs: Any) -> None:
        tbs["subject"] = x509.Name.load(der)
    return change
