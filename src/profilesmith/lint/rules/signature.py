"""SIG: the CMS signature of signed profiles (what can be told without trust anchors).

Whether the chain ends at a root the device trusts is ``profilesmith verify``'s job; these
rules look at what the file itself carries. cryptography and asn1crypto are imported
inside the helpers: a plain unsigned profile never loads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from profilesmith.base.findings import Hit, Severity
from profilesmith.lint.context import Context
from profilesmith.lint.registry import rule
from profilesmith.plist.document import Document

_WHOLE = ""  # signature findings are about the whole document


def _facts(doc: Document, ctx: Context) -> Any:
    """The parsed SignedData (cached per document), None when unsigned or unreadable."""
    if doc.signature is None or doc.signature.detached:
        return None
    if "sig.facts" not in ctx.cache:
        from profilesmith.cms.signed import parse_signed
        from profilesmith.plist.cmswrap import CMSError

        ctx.cache["sig.error"] = None
        try:
            ctx.cache["sig.facts"] = parse_signed(doc.signature.der, doc.signature.parsed)
        except CMSError as exc:
            # the reader opened the content; the signer infos or certificates around it
            # are what cannot be read (SIG007 says so)
            ctx.cache["sig.facts"] = None
            ctx.cache["sig.error"] = str(exc)
    return ctx.cache["sig.facts"]


def _signer_certs(doc: Document, ctx: Context) -> Iterator[Any]:
    facts = _facts(doc, ctx)
    if facts is None:
        return
    for signer in facts.signers:
        if signer.cert is not None:
            yield signer.cert


@rule("SIG001", Severity.WARNING)
def signer_expired(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The signer certificate has expired (or is not yet valid).

    Devices still install the profile but show it as unverified (macOS: "Unverified"),
    and users are taught to distrust exactly that. Checked against the lint clock
    (``--now``), so CI fails because a certificate expired, never at random. Re-sign
    with a current certificate (``profilesmith sign`` replaces the signature).

    Fails:   a profile signed by a certificate whose notAfter is 2026-05-01, linted
             with --now 2026-06-01
    Passes:  the same profile signed by a certificate valid until 2029
    """
    if doc.signature is None:
        return  # before importing what a signature needs: most profiles are unsigned
    from profilesmith.cms.certfacts import subject_of

    for cert in _signer_certs(doc, ctx):
        end, start = cert.not_valid_after_utc, cert.not_valid_before_utc
        if ctx.now > end:
            yield Hit(_WHOLE, f"the signer certificate {subject_of(cert)} expired on "
                              f"{end:%Y-%m-%d}: the profile shows as unverified")
        elif ctx.now < start:
            yield Hit(_WHOLE, f"the signer certificate {subject_of(cert)} is not valid before "
                              f"{start:%Y-%m-%d}: the profile shows as unverified")


@rule("SIG002", Severity.WARNING)
def signer_expiring(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The signer certificate expires within the warning window (default 30 days).

    Once it expires the profile shows as unverified; renew the certificate and re-sign
    before then. The window is ``expiry-warning-days`` in the configuration.

    Fails:   a profile signed by a certificate whose notAfter is 2026-06-20, linted
             with --now 2026-06-01
    Passes:  the same profile signed by a certificate valid until 2029
    """
    if doc.signature is None:
        return
    from profilesmith.cms.certfacts import subject_of

    window = timedelta(days=ctx.options.expiry_warning_days)
    for cert in _signer_certs(doc, ctx):
        end = cert.not_valid_after_utc
        if cert.not_valid_before_utc <= ctx.now <= end and end - ctx.now <= window:
            days = (end - ctx.now).days
            yield Hit(_WHOLE, f"the signer certificate {subject_of(cert)} expires on "
                              f"{end:%Y-%m-%d} (in {days} day{'s' if days != 1 else ''})")


@rule("SIG003", Severity.WARNING)
def sha1_signature(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The signature uses SHA-1: as its message digest, or in an embedded certificate.

    SHA-1 collisions are practical; several MDM servers still sign with it. Devices
    accept it today, and modern verifiers (cryptography's, browsers') reject SHA-1
    certificates outright. Sign with SHA-256 (``profilesmith sign`` does). A root's
    signature on itself is not counted: nothing relies on it.

    Fails:   SignerInfo digestAlgorithm sha1, or a signer certificate signed with
             sha1WithRSAEncryption
    Passes:  digestAlgorithm sha256 and certificates signed with SHA-256
    """
    facts = _facts(doc, ctx)
    if facts is None:
        return
    from profilesmith.cms.certfacts import WEAK_HASHES, signature_hash, subject_of

    for signer in facts.signers:
        if signer.digest_algorithm in ("sha1", "md5"):
            yield Hit(_WHOLE, f"the signature's message digest is {signer.digest_algorithm.upper()}"
                              " (use SHA-256)")
    for cert in facts.certificates:
        if cert.subject == cert.issuer:
            continue
        name = signature_hash(cert)
        if name in WEAK_HASHES:
            yield Hit(_WHOLE, f"the embedded certificate {subject_of(cert)} is signed with "
                              f"{name.upper()}")


@rule("SIG004", Severity.WARNING)
def chain_not_embedded(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The signer's issuing CA certificate is not embedded in the signature.

    Devices build the chain from the certificates in the signature plus the roots they
    trust; an intermediate CA that is neither is missing, and the profile shows as
    unverified. Several MDM servers embed only the signer certificate. Pass the
    intermediates with ``sign --chain``. (Our policy: if the signer really was issued
    directly by a root the devices trust, this warning can be ignored for the file.)

    Fails:   a signature carrying only the signer certificate, issued by an intermediate
    Passes:  a signature carrying the signer and its intermediate; a self-signed signer
    """
    facts = _facts(doc, ctx)
    if facts is None:
        return
    for signer in facts.signers:
        cert = signer.cert
        if cert is None or cert.subject == cert.issuer:
            continue
        if not any(other.subject == cert.issuer for other in facts.certificates if other != cert):
            yield Hit(_WHOLE, f"the issuer of the signer certificate, "
                              f"{cert.issuer.rfc4514_string()}, is not embedded: devices "
                              "that do not hold it show the profile as unverified")


@rule("SIG005", Severity.ERROR)
def detached_signature(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The signature is detached: the file holds a signature but no profile.

    A device installs the content of a signed profile; a detached CMS signature has
    none, so there is nothing to install. Sign with the content attached
    (``profilesmith sign`` always does; ``openssl cms -sign`` needs ``-nodetach``).

    Fails:   the output of openssl cms -sign -outform DER without -nodetach
    Passes:  the output of profilesmith sign
    """
    if doc.signature is not None and doc.signature.detached:
        yield Hit(_WHOLE, "the signature is detached: the file holds no profile a device "
                          "could install")


@rule("SIG006", Severity.WARNING)
def no_digital_signature_usage(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The signer certificate's key usage does not include digitalSignature.

    RFC 5280 restricts the key to the listed usages; a certificate issued for key
    encipherment only is not meant to sign, and strict verifiers (``profilesmith
    verify`` among them) reject the signature. A certificate without a key usage
    extension is not restricted; one whose extensions cannot be read is reported too.

    Fails:   signer certificate with keyUsage = keyEncipherment
    Passes:  signer certificate with keyUsage = digitalSignature (or no keyUsage)
    """
    if doc.signature is None:
        return
    from profilesmith.cms.certfacts import signing_usage_problem

    for cert in _signer_certs(doc, ctx):
        problem = signing_usage_problem(cert)
        if problem is not None:
            yield Hit(_WHOLE, problem.about("signer", cert).message)


@rule("SIG007", Severity.WARNING)
def signature_does_not_match(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The signature does not check out against its own signer certificate.

    The content was changed after signing (its digest no longer matches), the
    signature bytes are damaged, the signer certificate is not embedded or cannot be
    read, the content is not id-data, or the signed attributes break RFC 5652 (one
    content-type and one message-digest attribute, each with one value). Devices show
    such a profile as unverified or refuse it (which one is not documented, hence a
    warning). These are the sentences ``profilesmith verify`` gives; it also checks the
    chain to a trust anchor (docs/verification.md).

    Fails:   a signed profile with one byte of its content changed after signing
    Passes:  the output of profilesmith sign
    """
    facts = _facts(doc, ctx)
    if facts is None:
        if ctx.cache.get("sig.error"):
            yield Hit(_WHOLE, f"the signature cannot be read: {ctx.cache['sig.error']}")
        return
    if facts.content is None:
        return
    from profilesmith.cms.signature import check_signature, content_type_problem
    from profilesmith.cms.verify import MAX_SIGNERS

    not_data = content_type_problem(facts)
    if not_data is not None:
        yield Hit(_WHOLE, not_data.message)
    for signer in facts.signers[:MAX_SIGNERS]:
        for problem in check_signature(signer, facts.content, facts.content_type_oid):
            yield Hit(_WHOLE, problem.message)
