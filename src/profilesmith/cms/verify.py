"""Verify a signed profile: signature, message digest, chain to an anchor, validity.

"verified" is only ever the result when every one of those checks passes; anything else
is "unverified" with at least one Problem, or "unsigned".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from profilesmith.cms.chain import Anchors, Problem, check_chain, issuer_of, subject_of
from profilesmith.cms.signed import HASHES, SignerData, parse_signed, signed_attribute
from profilesmith.plist.cmswrap import CMSError
from profilesmith.plist.document import Document

Status = Literal["verified", "unverified", "unsigned"]
MAX_SIGNERS = 16  # profiles have one; a file with thousands is an attack on our time


@dataclass
class CertSummary:
    subject: str
    issuer: str
    not_before: datetime
    not_after: datetime
    serial: str
    sha256: str
    signature_hash: str | None

    @classmethod
    def of(cls, cert: Any) -> CertSummary:
        from cryptography.hazmat.primitives import hashes

        try:
            algorithm = cert.signature_hash_algorithm
            hash_name = algorithm.name if algorithm is not None else None
        except Exception:
            hash_name = "unsupported"
        return cls(
            subject=subject_of(cert),
            issuer=issuer_of(cert),
            not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc,
            serial=format(cert.serial_number, "X"),
            sha256=cert.fingerprint(hashes.SHA256()).hex().upper(),
            signature_hash=hash_name,
        )


@dataclass
class Verification:
    path: str
    status: Status
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    signer: CertSummary | None = None
    chain: list[CertSummary] = field(default_factory=list)
    anchored: bool = False
    embedded: int = 0
    digest_algorithm: str | None = None
    signature_algorithm: str | None = None
    signing_time: datetime | None = None
    anchors: Anchors | None = None
    content: bytes | None = None
    content_format: str | None = None

    @property
    def reason(self) -> str | None:
        return self.problems[0].reason if self.problems else None

    @property
    def verified(self) -> bool:
        return self.status == "verified"


def verify_document(doc: Document, anchors: Anchors, *, now: datetime) -> Verification:
    """Verify what the reader made of a file (the reader never verifies anything)."""
    result = Verification(path=doc.path, status="unverified")
    if doc.signature is None:
        if doc.format == "cms":  # CMS the reader could not open
            message = next((f.message for f in doc.findings if f.rule == "PAR013"),
                           "unreadable CMS structure")
            result.problems.append(Problem("malformed", message))
            return result
        result.status = "unsigned"
        result.problems.append(Problem("unsigned", _unsigned_message(doc)))
        return result
    try:
        facts = parse_signed(doc.signature.der)
    except CMSError as exc:
        result.problems.append(Problem("malformed", str(exc)))
        return result
    result.anchors = anchors
    result.embedded = len(facts.certificates)
    result.content = facts.content
    result.content_format = doc.inner_format
    if facts.unreadable_certificates:
        result.warnings.append(
            f"{facts.unreadable_certificates} embedded certificate(s) could not be read")
    if facts.content is None:
        result.problems.append(Problem(
            "detached", "the file holds a signature but no profile (a device cannot "
                        "install it)"))
        return result
    if not facts.signers:
        result.problems.append(Problem("no-signer", "the SignedData has no signer"))
        return result
    if len(facts.signers) > MAX_SIGNERS:
        result.problems.append(Problem(
            "malformed", f"{len(facts.signers)} signers (more than {MAX_SIGNERS} are not checked)"))
        return result
    for index, signer in enumerate(facts.signers):
        problems = check_signature(signer, facts.content, facts.content_type)
        if signer.cert is not None and not problems:
            chain = check_chain(signer.cert, facts.certificates, anchors, now)
            problems.extend(chain.problems)
            if index == 0:
                result.chain = [CertSummary.of(c) for c in chain.path]
                result.anchored = chain.anchored
        result.problems.extend(problems)
        if index == 0:
            _describe_signer(result, signer)
    if len(facts.signers) > 1:
        result.warnings.append(f"{len(facts.signers)} signers; all were checked")
    if anchors.source == "none":
        result.problems.append(Problem("no-anchors", f"no trust anchors: {anchors.describe()}"))
    if doc.inner_format in (None, "unknown") or not isinstance(doc.root, dict):
        result.warnings.append("the signed content is not a readable profile")
    if result.digest_algorithm == "sha1":
        result.warnings.append("the message digest is SHA-1 (weak; sign with SHA-256)")
    if not result.problems:
        result.status = "verified"
    return result


def _describe_signer(result: Verification, signer: SignerData) -> None:
    result.digest_algorithm = signer.digest_algorithm
    result.signature_algorithm = signer.signature_algorithm
    result.signing_time = signer.signing_time
    if signer.cert is not None:
        # a chain, when one was built, starts with this signer's certificate
        result.signer = result.chain[0] if result.chain else CertSummary.of(signer.cert)
        if not result.chain:
            result.chain = [result.signer]


def _unsigned_message(doc: Document) -> str:
    if doc.format == "unknown" or doc.root is None:
        first = next((f.message for f in doc.findings), "unreadable")
        return f"not signed, and not a readable profile either ({first})"
    return f"not signed: a plain {doc.format} property list"


def check_signature(signer: SignerData, content: bytes, content_type: str) -> list[Problem]:
    """The message digest, content-type attribute and signature of one SignerInfo."""
    from cryptography.hazmat.primitives import hashes

    if signer.cert is None:
        return [Problem("signer-certificate-missing",
                        f"the signer's certificate ({signer.sid}) is not embedded")]
    try:
        algorithm = _hash(signer.digest_algorithm)
    except ValueError:
        return [Problem("unsupported-algorithm",
                        f"digest algorithm {signer.digest_algorithm} is not supported")]
    hasher = hashes.Hash(algorithm)
    hasher.update(content)
    digest = hasher.finalize()
    info = signer.info
    attrs = info["signed_attrs"]
    problems = []
    if attrs.native is None:
        candidates = [content]  # no signed attributes: the signature covers the content
    else:
        kind = signed_attribute(info, "content_type")
        given = signed_attribute(info, "message_digest")
        if not kind:
            problems.append(Problem("malformed", "the content-type signed attribute is missing"))
        elif kind[0].native != content_type:
            problems.append(Problem(
                "content-type-mismatch",
                f"the signed content-type attribute ({kind[0].native}) differs from the "
                f"content's type ({content_type})"))
        if not given:
            problems.append(Problem("malformed", "the message-digest signed attribute is missing"))
        elif given[0].native != digest:
            problems.append(Problem(
                "digest-mismatch",
                "the content does not match the signed message digest: the profile was "
                "changed after it was signed"))
        # RFC 5652 5.4: the signature covers the DER encoding of the attributes as a SET
        candidates = [attrs.untag().dump(force=True)]
        original = attrs.dump()
        if original[1:2] != b"\x80":
            candidates.append(b"\x31" + original[1:])
    problem = _check_math(signer, candidates)
    if problem is not None:
        problems.append(problem)
    return problems


def _check_math(signer: SignerData, candidates: list[bytes]) -> Problem | None:
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

    key = signer.cert.public_key()
    signature = signer.info["signature"].native
    algorithm = signer.info["signature_algorithm"]
    name = signer.signature_algorithm
    try:
        hash_for_signature = _hash(_sig_hash(algorithm) or signer.digest_algorithm)
        if isinstance(key, rsa.RSAPublicKey):
            if name == "rsassa_pss":
                params = algorithm["parameters"]
                mgf_hash = params["mask_gen_algorithm"]["parameters"]["algorithm"].native
                pad: Any = padding.PSS(mgf=padding.MGF1(_hash(mgf_hash)),
                                       salt_length=params["salt_length"].native)
            elif name == "rsassa_pkcs1v15":
                pad = padding.PKCS1v15()
            else:
                return Problem("unsupported-algorithm",
                               f"signature algorithm {name} does not fit an RSA key")

            def check(data: bytes) -> None:
                key.verify(signature, data, pad, hash_for_signature)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            def check(data: bytes) -> None:
                key.verify(signature, data, ec.ECDSA(hash_for_signature))
        elif isinstance(key, ed25519.Ed25519PublicKey):
            def check(data: bytes) -> None:
                key.verify(signature, data)
        else:
            return Problem("unsupported-algorithm",
                           f"{type(key).__name__.lstrip('_')} signer keys are not supported")
    except (ValueError, KeyError, UnsupportedAlgorithm) as exc:
        return Problem("unsupported-algorithm", f"signature algorithm {name}: {exc}")
    for data in candidates:
        try:
            check(data)
        except InvalidSignature:
            continue
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            return Problem("bad-signature", f"the signature cannot be checked ({exc})")
        return None
    return Problem("bad-signature", "the signature does not match the signer's public key")


def _sig_hash(algorithm: Any) -> str | None:
    try:
        value = algorithm.hash_algo
    except (ValueError, KeyError):
        return None
    return str(value) if value else None


def _hash(name: str) -> Any:
    from cryptography.hazmat.primitives import hashes

    hash_name = HASHES.get(name)
    if hash_name is None:
        raise ValueError(f"hash algorithm {name} is not supported")
    return getattr(hashes, hash_name)()
