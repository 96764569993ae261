"""Hypothesis strategies for hostile inputs: binary property lists whose objects share
sub-objects (a DAG, and with ``cycles`` also references back up), and CMS SignedData
built with asn1crypto around random or real content, certificates and attributes."""

from __future__ import annotations

import struct
from typing import Any

from hypothesis import strategies as st

# -- binary property lists: an object table written by hand ----------------------------


def _length_marker(kind: int, length: int) -> bytes:
    if length < 15:
        return bytes([kind << 4 | length])
    return bytes([kind << 4 | 0xF]) + _int_object(length)


def _int_object(value: int) -> bytes:
    for power, fmt in ((0, ">B"), (1, ">H"), (2, ">I"), (3, ">q")):
        if (power < 3 and 0 <= value < 1 << (8 << power)) or power == 3:
            return bytes([0x10 | power]) + struct.pack(fmt, value if power < 3 else
                                                      max(min(value, 2**63 - 1), -2**63))
    raise AssertionError("unreachable")


def encode_bplist(objects: list[tuple[str, Any]], *, ref_size: int = 2,
                  offset_size: int = 4, top: int = 0) -> bytes:
    """``objects``: (kind, value) with references as object indexes; kind is one of
    int, real, date, bool, null, data, ascii, utf16, uid, array, dict (value: (keys,
    values) index lists)."""
    body = bytearray(b"bplist00")
    offsets = []

    def ref(index: int) -> bytes:
        return (index % (1 << (8 * ref_size))).to_bytes(ref_size, "big")

    for kind, value in objects:
        offsets.append(len(body))
        if kind == "int":
            body += _int_object(value)
        elif kind == "real":
            body += b"\x23" + struct.pack(">d", value)
        elif kind == "date":
            body += b"\x33" + struct.pack(">d", value)
        elif kind == "bool":
            body += b"\x09" if value else b"\x08"
        elif kind == "null":
            body += b"\x00"
        elif kind == "data":
            body += _length_marker(0x4, len(value)) + value
        elif kind == "ascii":
            raw = value.encode("ascii", "replace")
            body += _length_marker(0x5, len(raw)) + raw
        elif kind == "utf16":
            raw = value.encode("utf-16-be", "surrogatepass")
            body += _length_marker(0x6, len(raw) // 2) + raw
        elif kind == "uid":
            body += bytes([0x80]) + bytes([value % 256])
        elif kind == "array":
            body += _length_marker(0xA, len(value)) + b"".join(ref(i) for i in value)
        elif kind == "dict":
            keys, values = value
            body += _length_marker(0xD, len(keys)) + b"".join(ref(i) for i in keys) \
                + b"".join(ref(i) for i in values)
    table = len(body)
    for offset in offsets:
        body += (offset % (1 << (8 * offset_size))).to_bytes(offset_size, "big")
    body += b"\x00" * 6 + bytes([offset_size, ref_size])
    body += struct.pack(">QQQ", len(objects), top, table)
    return bytes(body)


_SCALARS = st.one_of(
    st.tuples(st.just("int"), st.integers(-2**63, 2**63 - 1)),
    st.tuples(st.just("real"), st.floats(allow_nan=True)),
    st.tuples(st.just("date"), st.floats(-1e12, 1e12)),
    st.tuples(st.just("bool"), st.booleans()),
    st.tuples(st.just("data"), st.binary(max_size=64)),
    st.tuples(st.just("ascii"), st.sampled_from(
        ["PayloadType", "Configuration", "PayloadContent", "PayloadUUID", "PayloadVersion",
         "PayloadIdentifier", "Password", "Challenge", "com.example", "x"]) | st.text(
        max_size=20)),
    st.tuples(st.just("utf16"), st.text(max_size=10)),
    st.tuples(st.just("uid"), st.integers(0, 255)),
    st.tuples(st.just("null"), st.none()),
)


@st.composite
def bplists(draw: st.DrawFn, *, cycles: bool = False) -> bytes:
    """A binary plist of scalars and containers; containers refer to objects after them
    (a DAG where many references share one object), with ``cycles`` also to any object."""
    scalars = draw(st.lists(_SCALARS, min_size=1, max_size=12))
    containers = draw(st.integers(1, 10))
    objects: list[tuple[str, Any]] = []
    total = containers + len(scalars)
    for index in range(containers):
        low = 0 if cycles else index + 1
        refs = st.integers(low, total - 1)
        if draw(st.booleans()):
            objects.append(("array", draw(st.lists(refs, max_size=16))))
        else:
            size = draw(st.integers(0, 8))
            keys = draw(st.lists(refs, min_size=size, max_size=size))
            objects.append(("dict", (keys, draw(st.lists(refs, min_size=size,
                                                          max_size=size)))))
    objects += scalars
    data = encode_bplist(objects, ref_size=draw(st.sampled_from([1, 2])),
                         offset_size=draw(st.sampled_from([1, 2, 4])),
                         top=draw(st.sampled_from([0, 0, 0, total, 2**40])))
    flips = draw(st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)),
                          max_size=2))
    mutable = bytearray(data)
    for at, byte in flips:
        mutable[at] = byte
    return bytes(mutable)


# -- CMS SignedData -----------------------------------------------------------------------

_DIGESTS = ["sha1", "sha256", "sha384", "sha512", "md5", "1.2.3.4"]
_SIGNATURES = ["rsassa_pkcs1v15", "sha256_rsa", "sha1_rsa", "md5_rsa", "sha256_ecdsa",
               "rsassa_pss", "1.2.840.10045.4.3.9"]


@st.composite
def signed_data(draw: st.DrawFn, contents: st.SearchStrategy[bytes],
                certificates: st.SearchStrategy[bytes]) -> bytes:
    """ContentInfo(SignedData) around a drawn content: random digest and signature
    algorithms, signed attributes present or not (content-type and message-digest with
    one, two or no values, repeated), certificates drawn from ``certificates`` (real DER,
    truncated, or random), a random signature."""
    from asn1crypto import algos, cms, core, x509

    content = draw(contents)
    digest = draw(st.sampled_from(_DIGESTS))
    attributes = None
    if draw(st.booleans()):
        items = []
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.sampled_from(["content_type", "message_digest", "signing_time"]))
            count = draw(st.integers(0, 2))
            if kind == "content_type":
                values = [draw(st.sampled_from(["data", "signed_data", "1.2.3"]))] * count
            elif kind == "message_digest":
                values = [draw(st.binary(min_size=0, max_size=64)) for _ in range(count)]
            else:
                values = [cms.Time({"utc_time": core.UTCTime(
                    __import__("datetime").datetime(2025, 1, 1,
                                                    tzinfo=__import__("datetime").UTC))})
                          for _ in range(count)]
            items.append({"type": kind, "values": values})
        attributes = cms.CMSAttributes(items)
    certs = []
    for der in draw(st.lists(certificates, max_size=3)):
        try:
            certs.append(cms.CertificateChoices({"certificate": x509.Certificate.load(der)}))
        except ValueError:
            continue
    signer = {
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": x509.Name.build({"common_name": draw(st.text(max_size=8)) or "x"}),
             "serial_number": draw(st.integers(0, 2**64))})}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": digest}),
        "signature_algorithm": algos.SignedDigestAlgorithm(
            {"algorithm": draw(st.sampled_from(_SIGNATURES))}),
        "signature": draw(st.binary(max_size=256)),
    }
    if attributes is not None:
        signer["signed_attrs"] = attributes
    detached = draw(st.integers(0, 5)) == 0
    encap: dict[str, Any] = {"content_type": draw(st.sampled_from(["data", "data", "1.2.3"]))}
    if not detached:
        encap["content"] = core.OctetString(content)
    signed = cms.SignedData({
        "version": "v1",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": digest})],
        "encap_content_info": encap,
        "certificates": certs,
        "signer_infos": [signer] * draw(st.integers(0, 2)),
    })
    data: bytes = cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()
    if draw(st.integers(0, 3)) == 0:  # cut it short, or flip a byte
        data = data[:draw(st.integers(0, len(data)))]
    return data


# -- template expressions: what a hostile template or values file could compute ---------

_ATOMS = ["'a'", "'ab\\t'", "''", "10", "2", "9", "-3", "0.5", "[1, 'x']", "[]", "range(7)",
          "'%5d'", "'{:>9}'", "x", "big", "lst"]
_BINARY = ["*", "**", "+", "~", "%", "-", "//"]
_FILTERS = ["center(N)", "indent(N)", "join(',')", "list", "batch(N)", "slice(N)",
            "replace('a', 'aa')", "replace('', 'xy')", "format(N)", "string", "length",
            "wordwrap(N)", "truncate(N)", "tojson(N)", "first", "sum", "unique|list",
            "reverse|list"]
_METHODS = ["center(N)", "ljust(N)", "zfill(N)", "expandtabs(N)", "replace('a', 'bb')",
            "join(lst)", "format(N)", "split()"]


@st.composite
def template_expressions(draw: st.DrawFn, depth: int = 3) -> str:
    """A Jinja expression of literals, the values ``x``, ``big`` and ``lst``, operators,
    filters and string methods, nested up to ``depth``."""
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(_ATOMS))
    inner = draw(template_expressions(depth - 1))
    number = str(draw(st.sampled_from([0, 3, 64, 10**5, 10**7, 10**9])))
    choice = draw(st.integers(0, 2))
    if choice == 0:
        right = draw(template_expressions(depth - 1))
        return f"({inner} {draw(st.sampled_from(_BINARY))} {right})"
    if choice == 1:
        return f"({inner}|{draw(st.sampled_from(_FILTERS)).replace('N', number)})"
    return f"({inner}).{draw(st.sampled_from(_METHODS)).replace('N', number)}"
