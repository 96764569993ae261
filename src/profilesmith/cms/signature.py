"""Whether one SignerInfo checks out against its own certificate: the content type, the
signed attributes (RFC 5652), the message digest and the signature itself.

The same function answers ``verify`` and lint's SIG007, so that the two never disagree
on a file. Everything it needs was read by :func:`profilesmith.cms.signed.parse_signed`;
the only library calls left are cryptography's, and each of their exceptions becomes a
Problem.
"""

from __future__ import annotations

from typing import Any

from profilesmith.cms.attributes import ID_DATA, attribute_problems, content_type_name
from profilesmith.cms.certfacts import CertificateProblem, Problem, public_key
from profilesmith.cms.signed import HASHES, SignedFacts, SignerData


def content_type_problem(facts: SignedFacts) -> Problem | None:
    """A profile is signed as id-data; any other eContentType is not a profile."""
    if facts.content_type_oid == ID_DATA:
        return None
    return Problem("not-data", f"the signed content's type is "
                               f"{content_type_name(facts.content_type_oid)}, not id-data "
                               "(a profile is signed as data)")


def check_signature(signer: SignerData, content: bytes, content_type: str) -> list[Problem]:
    """The signed attributes, message digest and signature of one SignerInfo
    (``content_type``: the eContentType's OID)."""
    from cryptography.hazmat.primitives import hashes

    if signer.cert is None:
        if signer.cert_problem is not None:
            return [Problem("malformed-certificate",
                            f"the signer's certificate ({signer.sid}) {signer.cert_problem}")]
        return [Problem("signer-certificate-missing",
                        f"the signer's certificate ({signer.sid}) is not embedded")]
    try:
        algorithm = _hash(signer.digest_algorithm)
    except ValueError:
        return [Problem("unsupported-algorithm",
                        f"digest algorithm {signer.digest_algorithm} is not supported")]
    hasher = hashes.Hash(algorithm)
    hasher.update(content)
    attrs = signer.attributes
    problems = attribute_problems(attrs, content_type, hasher.finalize())
    if attrs is not None and attrs.problem is not None:
        return problems  # nothing to check the signature over
    # no signed attributes: the signature covers the content
    problem = _check_math(signer, [content] if attrs is None else attrs.encodings)
    if problem is not None:
        problems.append(problem)
    return problems


def _check_math(signer: SignerData, candidates: list[bytes]) -> Problem | None:
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

    try:
        key = public_key(signer.cert)
    except CertificateProblem as problem:
        return problem.about("signer", signer.cert)
    signature = signer.signature
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
    except (ValueError, KeyError, TypeError, UnsupportedAlgorithm) as exc:
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
