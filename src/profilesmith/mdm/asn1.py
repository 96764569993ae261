"""A small, lax ASN.1 (BER/DER) reader: enough to tell "not ASN.1" from "not a
certificate" from "a certificate cryptography's strict DER parser refuses", and to read
the two signature-algorithm fields of a certificate.

Lax on purpose: devices accept some BER (non-minimal lengths, indefinite lengths) that
cryptography refuses, and the rules report that difference as a warning, not as
"not a certificate".
"""

from __future__ import annotations

from typing import NamedTuple

SEQUENCE = 0x30
INTEGER = 0x02
BIT_STRING = 0x03
OID = 0x06
_MAX_DEPTH = 64
_NAMES = {0x01: "BOOLEAN", 0x02: "INTEGER", 0x03: "BIT STRING", 0x04: "OCTET STRING",
          0x05: "NULL", 0x06: "OBJECT IDENTIFIER", 0x0C: "UTF8String", 0x13: "PrintableString",
          0x17: "UTCTime", 0x18: "GeneralizedTime", 0x30: "SEQUENCE", 0x31: "SET"}


class Asn1Error(ValueError):
    """Bytes that are not BER: the message names the byte offset."""


class Tlv(NamedTuple):
    tag: int  # the first identifier byte
    start: int
    content: int  # offset of the first content byte
    end: int  # offset after the element (after end-of-contents for indefinite lengths)
    content_end: int


def tag_name(tag: int) -> str:
    if tag in _NAMES:
        return _NAMES[tag]
    if tag & 0xC0 == 0x80:
        return f"[{tag & 0x1F}]"
    return f"tag 0x{tag:02X}"


def read(data: bytes, pos: int = 0, limit: int | None = None, depth: int = 0) -> Tlv:
    """The element starting at ``pos`` (raises Asn1Error)."""
    limit = len(data) if limit is None else limit
    if depth > _MAX_DEPTH:
        raise Asn1Error(f"byte offset {pos}: nested more than {_MAX_DEPTH} levels deep")
    if pos >= limit:
        raise Asn1Error(f"byte offset {pos}: the data ends where an element should start")
    tag = data[pos]
    cursor = pos + 1
    if tag & 0x1F == 0x1F:  # high tag number form
        while cursor < limit and data[cursor] & 0x80:
            cursor += 1
        cursor += 1
    if cursor >= limit:
        raise Asn1Error(f"byte offset {pos}: the data ends inside an element's header")
    first = data[cursor]
    cursor += 1
    if first == 0x80:
        if not tag & 0x20:
            raise Asn1Error(f"byte offset {pos}: indefinite length on a primitive element")
        child = cursor
        while True:
            if child + 1 < limit and data[child] == 0 and data[child + 1] == 0:
                return Tlv(tag, pos, cursor, child + 2, child)
            child = read(data, child, limit, depth + 1).end
    if first & 0x80:
        count = first & 0x7F
        if count > 8 or cursor + count > limit:
            raise Asn1Error(f"byte offset {pos}: a malformed length")
        length = int.from_bytes(data[cursor : cursor + count], "big")
        cursor += count
    else:
        length = first
    end = cursor + length
    if end > limit:
        raise Asn1Error(f"byte offset {pos}: a length of {length} bytes runs past the end "
                        f"of the data, {limit - cursor} bytes on")
    return Tlv(tag, pos, cursor, end, end)


def children(data: bytes, parent: Tlv, depth: int = 0) -> list[Tlv]:
    items = []
    pos = parent.content
    while pos < parent.content_end:
        item = read(data, pos, parent.content_end, depth + 1)
        items.append(item)
        pos = item.end
    return items


def decode_oid(content: bytes) -> str:
    parts: list[int] = []
    value = 0
    for byte in content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    if not parts:
        return ""
    first = parts[0]
    head = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    return ".".join(str(p) for p in head + parts[1:])


def certificate_shape(data: bytes) -> str | None:
    """None when ``data`` is shaped like an X.509 certificate; else why not, completing
    "the data is ...": "not ASN.1 (...)" or "ASN.1 but not an X.509 certificate (...)"."""
    try:
        top = read(data)
        if top.tag != SEQUENCE:
            return (f"ASN.1 but not an X.509 certificate (its outer element is "
                    f"{tag_name(top.tag)}, not SEQUENCE)")
        parts = children(data, top)
    except Asn1Error as exc:
        return f"not ASN.1 ({exc})"
    tags = [p.tag for p in parts]
    if tags != [SEQUENCE, SEQUENCE, BIT_STRING]:
        found = ", ".join(tag_name(t) for t in tags) or "nothing"
        return ("ASN.1 but not an X.509 certificate (a certificate is a SEQUENCE of "
                f"SEQUENCE, SEQUENCE, BIT STRING; this one holds {found})")
    return None  # trailing bytes are left to the strict parser (a warning, not this)


class SignatureFields(NamedTuple):
    outer: str  # the certificate's signatureAlgorithm OID
    inner: str  # the OID of the signature field inside TBSCertificate
    identical: bool  # whole encodings equal (OID and parameters), as RFC 5280 4.1.1.2 asks


def signature_algorithms(der: bytes) -> SignatureFields | None:
    """The two signature-algorithm fields of a certificate (None if it has no such shape)."""
    try:
        top = read(der)
        tbs, outer_alg, _ = children(der, top)
        fields = children(der, tbs)
        if fields and fields[0].tag == 0xA0:  # [0] version
            fields = fields[1:]
        inner_alg = fields[1]
        outer = _algorithm_oid(der, outer_alg)
        inner = _algorithm_oid(der, inner_alg)
    except (Asn1Error, ValueError, IndexError):
        return None
    same = der[outer_alg.start : outer_alg.end] == der[inner_alg.start : inner_alg.end]
    return SignatureFields(outer, inner, same)


def _algorithm_oid(der: bytes, alg: Tlv) -> str:
    oid = children(der, alg)[0]
    if oid.tag != OID:
        raise Asn1Error("not an AlgorithmIdentifier")
    return decode_oid(der[oid.content : oid.content_end])


def pkcs12_shape(data: bytes) -> str | None:
    """None when ``data`` is shaped like a PKCS#12 PFX; else why not."""
    if not data:
        return "it is empty"
    try:
        top = read(data)
        if top.tag != SEQUENCE:
            return f"it starts with byte 0x{data[0]:02X}, not an ASN.1 SEQUENCE"
        parts = children(data, top)
    except Asn1Error as exc:
        return f"it is not ASN.1 ({exc})"
    if len(parts) < 2 or parts[0].tag != INTEGER or parts[1].tag != SEQUENCE:
        return "it is ASN.1 but not a PFX (SEQUENCE of version INTEGER, ContentInfo, ...)"
    version = int.from_bytes(data[parts[0].content : parts[0].content_end], "big")
    if version != 3:
        return f"its PFX version is {version}, not 3"
    return None
