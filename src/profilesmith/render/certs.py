"""Certificates given as values: a path to a PEM or DER file, or inline PEM text.

The payload type follows the encoding, as Apple's schema describes the three
certificate payloads (com.apple.security.pem: "PEM-encoded certificate";
com.apple.security.pkcs1: "DER-encoded certificate"; com.apple.security.root: "Alias
for com.apple.security.pkcs1"):

- PEM in  -> ``com.apple.security.pem`` holding the certificate as PEM text (re-encoded
  from the parsed certificate, so text around the block — ``Bag Attributes``,
  ``subject=`` lines — is dropped);
- DER in  -> ``com.apple.security.root`` for a self-issued (root) certificate, else
  ``com.apple.security.pkcs1``, holding the DER bytes.

A file must hold exactly one certificate and no private key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from typing import Any

_PEM_BLOCK = re.compile(
    rb"-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)\s*-----END \1-----", re.DOTALL
)
MAX_CERTIFICATE_BYTES = 1024 * 1024


class CertificateError(ValueError):
    pass


def load_certificate(spec: str, *, base_dir: str, cache: dict[str, Any]) -> Any:
    """A certificate value: {payload_type, content, filename, common_name, subject,
    sha256, encoding, der}; ``cache`` keeps them by path (or inline text)."""
    inline = spec.lstrip().startswith("-----BEGIN")
    key = spec if inline else os.path.normpath(os.path.join(base_dir, os.path.expanduser(spec)))
    if key in cache:
        return cache[key]
    if inline:
        data, filename = spec.encode("utf-8"), None
    else:
        try:
            if os.path.getsize(key) > MAX_CERTIFICATE_BYTES:
                raise CertificateError(f"{spec}: too large for a certificate")
            with open(key, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise CertificateError(f"cannot read {spec} ({exc.strerror or exc})") from None
        filename = os.path.basename(key)
    result = describe(data, filename=filename, shown=spec if not inline else "inline PEM")
    cache[key] = result
    return result


def describe(data: bytes, *, filename: str | None, shown: str) -> dict[str, Any]:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    encoding = "pem" if b"-----BEGIN" in data else "der"
    der = data
    if encoding == "pem":
        blocks = _PEM_BLOCK.findall(data)
        if any(b"PRIVATE KEY" in label for label, _ in blocks):
            raise CertificateError(f"{shown} holds a private key; give the certificate only")
        certificates = [body for label, body in blocks if label in (b"CERTIFICATE",
                                                                    b"X509 CERTIFICATE")]
        if len(certificates) != 1:
            raise CertificateError(
                f"{shown} holds {len(certificates)} certificates; give exactly one"
            )
        try:
            der = base64.b64decode(b"".join(certificates[0].split()), validate=True)
        except binascii.Error:
            raise CertificateError(f"{shown}: the PEM block is not valid base64") from None
    try:
        certificate = x509.load_der_x509_certificate(der)
    except ValueError:
        raise CertificateError(f"{shown} is not a PEM or DER X.509 certificate") from None
    names = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    common_name = str(names[0].value) if names else ""
    if encoding == "pem":
        payload_type = "com.apple.security.pem"
        content = certificate.public_bytes(Encoding.PEM)
    else:
        self_issued = certificate.issuer == certificate.subject
        payload_type = "com.apple.security.root" if self_issued else "com.apple.security.pkcs1"
        content = der
    default_name = (common_name or "certificate") + (".pem" if encoding == "pem" else ".cer")
    return {
        "payload_type": payload_type,
        "content": content,
        "filename": filename or default_name,
        "common_name": common_name,
        "subject": certificate.subject.rfc4514_string(),
        "sha256": hashlib.sha256(der).hexdigest().upper(),
        "encoding": encoding,
        "der": der,
    }
