"""Trust anchors and certificate chains for ``verify``.

cryptography's verifier is the authority on whether a chain is good. It answers with
terse messages ("candidates exhausted"), so we first build the path ourselves (by name
and signature) to say *why* a chain fails: the root is not an anchor, an intermediate is
missing, a certificate expired or is signed with SHA-1.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from profilesmith.base.asn1text import describe_error
from profilesmith.cms.certfacts import (
    WEAK_HASHES,
    CertificateProblem,
    certificate_problem,
    is_ca,
    public_key,
    signature_hash,
)

# where Problem and the naming helpers used to live: still importable from here
from profilesmith.cms.certfacts import Problem as Problem
from profilesmith.cms.certfacts import issuer_of as issuer_of
from profilesmith.cms.certfacts import subject_of as subject_of
from profilesmith.cms.signer import SigningError, load_certificates

# Places where Linux distributions and macOS keep the bundle, after the ssl module's idea
_SYSTEM_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
    "/usr/local/etc/openssl/cert.pem",
)
MAX_DEPTH = 8
MAX_CANDIDATES = 16


@dataclass
class Anchors:
    certs: list[Any]
    source: str  # "ca-files" | "system" | "none"
    files: list[str] = field(default_factory=list)

    def describe(self) -> str:
        count = f"{len(self.certs)} certificate{'s' if len(self.certs) != 1 else ''}"
        if self.source == "ca-files":
            return f"--ca {', '.join(self.files)} ({count})"
        if self.source == "system":
            return f"system CA bundle {self.files[0]} ({count}; not Apple's trust store)"
        return "none (no --ca given and no system CA bundle found)"


def load_anchors(ca_files: Sequence[str]) -> Anchors:
    """The --ca files, or the system bundle when none are given."""
    if ca_files:
        certs: list[Any] = []
        for path in ca_files:
            certs.extend(load_certificates(path, what="CA certificate"))
        return Anchors(certs, "ca-files", list(ca_files))
    bundle = system_bundle()
    if bundle is None:
        return Anchors([], "none")
    try:
        with warnings.catch_warnings():
            # distribution bundles hold a few old roots cryptography warns about
            # (negative serial numbers); they are the system's choice, not our input
            warnings.simplefilter("ignore")
            certs = load_certificates(bundle, what="CA bundle")
    except SigningError:
        return Anchors([], "none")
    return Anchors(certs, "system", [bundle])


def system_bundle() -> str | None:
    import ssl  # only for the system bundle's location: it costs 10 ms to import

    paths = ssl.get_default_verify_paths()
    candidates = [
        os.environ.get(paths.openssl_cafile_env or "SSL_CERT_FILE"),
        paths.cafile,
        paths.openssl_cafile,
        *_SYSTEM_BUNDLES,
    ]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate):
            return candidate
    return None


def issued_by(cert: Any, issuer: Any) -> bool:
    """Whether ``issuer``'s key signed ``cert`` (names must match too)."""
    if cert.issuer != issuer.subject:
        return False
    try:
        cert.verify_directly_issued_by(issuer)
    except ValueError:
        # cryptography refuses SHA-1 here; check the mathematics ourselves so that the
        # chain can be built and the SHA-1 certificate reported as such
        return _signature_matches(cert, issuer)
    except Exception:  # InvalidSignature, TypeError/UnsupportedAlgorithm (keys)
        return False
    return True


def _signature_matches(cert: Any, issuer: Any) -> bool:
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa

    try:
        key = issuer.public_key()
        params = cert.signature_algorithm_parameters
        if isinstance(key, rsa.RSAPublicKey):
            # cryptography names no padding for MD5 with RSA: PKCS #1 v1.5 it is
            key.verify(cert.signature, cert.tbs_certificate_bytes,
                       params if params is not None else padding.PKCS1v15(),
                       cert.signature_hash_algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes, params)
        elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes)
        else:
            return False
    except Exception:
        return False
    return True


@dataclass
class ChainResult:
    path: list[Any]  # signer first; the anchor last when anchored
    anchored: bool
    problems: list[Problem]


def check_chain(leaf: Any, embedded: Sequence[Any], anchors: Anchors, now: datetime) -> ChainResult:
    path, anchored, end = _build_path(leaf, embedded, anchors)
    anchor = path[-1] if anchored else None
    roles = ["signer" if index == 0 else ("root" if cert is anchor else "intermediate")
             for index, cert in enumerate(path)]
    # a certificate nothing can be asked of comes first: every other check needs it
    problems = [found.about(role, cert) for cert, role in zip(path, roles, strict=True)
                if (found := certificate_problem(cert)) is not None]
    if not anchored:
        problems.extend(_why_unanchored(path, end, anchors, embedded))
    for cert, role in zip(path, roles, strict=True):
        problems.extend(_validity(cert, role, now))
        if cert is not anchor:
            problems.extend(_algorithms(cert, role))
    if anchored and not problems:
        rejected = _cryptography_verdict(leaf, list(embedded), anchors, now)
        if rejected:
            problems.append(Problem(
                "rejected", f"cryptography's verifier refused the chain ({rejected})"))
    return ChainResult(path, anchored, problems)


def _build_path(leaf: Any, pool: Sequence[Any], anchors: Anchors) -> tuple[list[Any], bool, str]:
    anchor_set = set(anchors.certs)
    path = [leaf]
    current = leaf
    for _ in range(MAX_DEPTH):
        if current in anchor_set:
            return path, True, "anchor"
        for anchor in anchors.certs:
            if anchor.subject == current.issuer and issued_by(current, anchor):
                path.append(anchor)
                return path, True, "anchor"
        if current.subject == current.issuer and issued_by(current, current):
            return path, False, "self-signed"
        # a hostile file may embed thousands of same-named certificates: try a few
        named = [c for c in pool if c not in path and c.subject == current.issuer]
        following = next((c for c in named[:MAX_CANDIDATES] if issued_by(current, c)), None)
        if following is None:
            return path, False, "dangling"
        path.append(following)
        current = following
    return path, False, "too-deep"


def _why_unanchored(path: list[Any], end: str, anchors: Anchors,
                    pool: Sequence[Any]) -> list[Problem]:
    top = path[-1]
    where = anchors.describe()
    if end == "self-signed":
        return [Problem("unknown-root", f"the chain ends at the root {subject_of(top)}, "
                                        f"which is not among the anchors: {where}")]
    if end == "too-deep":
        return [Problem("rejected", f"the certificate chain is longer than {MAX_DEPTH}")]
    if any(a.subject == top.issuer for a in anchors.certs):
        return [Problem("unknown-root", f"the anchor named {issuer_of(top)} did not sign "
                                        f"{subject_of(top)} (same name, different key: "
                                        "a wrong root)")]
    named = [c for c in pool if c not in path and c.subject == top.issuer]
    if named:
        return _unsigned_by_named(top, named[0])
    if len(path) > 1 or is_ca(top):
        return [Problem("unknown-root", f"{subject_of(top)} was issued by {issuer_of(top)}, "
                                        f"which is not among the anchors: {where}")]
    return [Problem(
        "missing-intermediate",
        f"the issuer of the signer, {issuer_of(top)}, is neither embedded in the signature "
        f"nor among the anchors: an intermediate certificate is missing (or, if "
        f"{issuer_of(top)} is a root, it is not among the anchors: {where})",
    )]


def _unsigned_by_named(cert: Any, issuer: Any) -> list[Problem]:
    """Why the embedded certificate named as ``cert``'s issuer is not its issuer."""
    broken = certificate_problem(issuer)
    if broken is not None:
        return [broken.about("issuing", issuer)]
    if signature_hash(cert) in WEAK_HASHES:
        return []  # a hash nobody checks any more: _algorithms gives that reason
    return [Problem("bad-certificate-signature",
                    f"the embedded certificate {subject_of(issuer)} is named as the issuer "
                    f"of {subject_of(cert)} but did not sign it (another key, or a damaged "
                    "signature)")]


def _validity(cert: Any, role: str, now: datetime) -> list[Problem]:
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    if now > end:
        return [Problem("expired", f"the {role} certificate {subject_of(cert)} expired on "
                                   f"{end:%Y-%m-%d %H:%M:%S} UTC")]
    if now < start:
        return [Problem("not-yet-valid", f"the {role} certificate {subject_of(cert)} is not "
                                         f"valid before {start:%Y-%m-%d %H:%M:%S} UTC")]
    return []


def _algorithms(cert: Any, role: str) -> list[Problem]:
    from cryptography.hazmat.primitives.asymmetric import rsa

    problems = []
    hash_name = signature_hash(cert)
    if hash_name in WEAK_HASHES:
        problems.append(Problem(
            "sha1-certificate" if hash_name == "sha1" else "weak-certificate",
            f"the {role} certificate {subject_of(cert)} is signed with "
            f"{WEAK_HASHES[hash_name]}, which the verifier rejects"))
    try:
        key = public_key(cert)
    except CertificateProblem:
        return problems  # reported first by check_chain
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < 2048:
        problems.append(Problem("weak-key", f"the {role} certificate {subject_of(cert)} has a "
                                            f"{key.key_size}-bit RSA key (2048 at least)"))
    return problems


def _cryptography_verdict(leaf: Any, embedded: list[Any], anchors: Anchors, now: datetime) -> str:
    """'' when cryptography's verifier accepts the chain, else its message."""
    from cryptography import x509
    from cryptography.x509 import verification as v

    def ca_only(policy: Any, cert: Any, value: Any) -> None:
        if not value.ca:
            raise ValueError("an issuer that is not a CA certificate")

    def may_sign_certificates(policy: Any, cert: Any, value: Any) -> None:
        if value is not None and not value.key_cert_sign:
            raise ValueError("an issuer whose key usage does not allow signing certificates")

    # Signer certificates are not TLS certificates: Apple checks a basic X.509 policy, so
    # the end-entity may carry any extensions, and CA certificates must only be CAs.
    ca_policy = (
        v.ExtensionPolicy.permit_all()
        .require_present(x509.BasicConstraints, v.Criticality.AGNOSTIC, ca_only)
        .may_be_present(x509.KeyUsage, v.Criticality.AGNOSTIC, may_sign_certificates)
    )
    builder = (
        v.PolicyBuilder()
        .store(v.Store(anchors.certs))
        .time(now)
        .max_chain_depth(MAX_DEPTH)
        .extension_policies(ca_policy=ca_policy, ee_policy=v.ExtensionPolicy.permit_all())
    )
    try:
        builder.build_client_verifier().verify(leaf, [c for c in embedded if c != leaf])
    except v.VerificationError as exc:
        message = str(exc).removeprefix("validation failed: ")
        # its messages end by repeating the certificate's repr, which says nothing more
        return re.sub(r"\s*\(encountered processing <Certificate.*$", "", message, flags=re.S)
    except Exception as exc:  # e.g. a ValueError from an extension it cannot parse
        return describe_error(exc)
    return ""
