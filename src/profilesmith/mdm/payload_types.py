"""The payload types the MDM, certificate and secret rules (and ``diff``) single out."""

from __future__ import annotations

MDM = "com.apple.mdm"
SCEP = "com.apple.security.scep"
ACME = "com.apple.security.acme"
PKCS12 = "com.apple.security.pkcs12"
# certificate payloads without a private key
CERTIFICATE_TYPES = frozenset(
    {"com.apple.security.pem", "com.apple.security.pkcs1", "com.apple.security.root"}
)
ALL_CERTIFICATE_TYPES = CERTIFICATE_TYPES | {PKCS12}
# identities: payloads that give the device a certificate with its private key
IDENTITY_TYPES = {SCEP: "SCEP", PKCS12: "PKCS#12", ACME: "ACME"}
# what MDM104 calls the certificate payloads that are not identities (no private key);
# a test keeps its keys equal to CERTIFICATE_TYPES
KEYLESS_CERTIFICATES = {
    "com.apple.security.pem": "PEM certificate",
    "com.apple.security.pkcs1": "PKCS#1 certificate",
    "com.apple.security.root": "root certificate",
}
