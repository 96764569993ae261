"""Keys and certificates given in any of the forms the public API accepts: a file path,
PEM or DER bytes (PEM also as text), or cryptography objects.

Messages name a file by its path and anything else by what it is ("the private key"),
never by its content.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from profilesmith.cms.signer import (
    SigningError,
    parse_certificates,
    parse_key,
    read_file,
)

if TYPE_CHECKING:
    from cryptography import x509

_PEM_TEXT = "-----BEGIN"


def _source(value: Any, what: str) -> tuple[bytes, str] | None:
    """(bytes, name for messages) of a path or of PEM/DER content; None for objects."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value), what
    if isinstance(value, str) and value.lstrip().startswith(_PEM_TEXT):
        return value.encode("ascii", "replace"), what
    if isinstance(value, str | os.PathLike):
        path = os.fspath(value)
        if not isinstance(path, str):
            path = os.fsdecode(path)
        return read_file(path, what), path
    return None


def private_key(value: Any, *, password: bytes | None = None) -> Any:
    """A private key object (RSA or EC are what can sign)."""
    source = _source(value, "the private key")
    if source is None:
        from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

        kinds = (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, dsa.DSAPrivateKey,
                 ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)
        if not isinstance(value, kinds):
            raise SigningError(f"the private key: {type(value).__name__} is not a private key "
                               "(give a path, PEM/DER bytes or a cryptography key)")
        return value
    data, name = source
    return parse_key(data, name, password)


def certificates(value: Any, *, what: str = "certificate") -> list[x509.Certificate]:
    """Every certificate one value holds (a PEM file may hold several)."""
    from cryptography import x509

    if isinstance(value, x509.Certificate):
        return [value]
    source = _source(value, f"the {what}")
    if source is None:
        raise SigningError(f"the {what}: {type(value).__name__} is not a certificate (give a "
                           "path, PEM/DER bytes or a cryptography x509.Certificate)")
    data, name = source
    return parse_certificates(data, name, what=what)


def items(values: Any) -> list[Any]:
    """One value (a path, bytes, an object) or several (any other iterable) as a list."""
    if values is None:
        return []
    if isinstance(values, str | bytes | bytearray | memoryview | os.PathLike) or not isinstance(
            values, Iterable):
        return [values]
    return list(values)


def certificate_list(values: Any, *, what: str) -> list[x509.Certificate]:
    """The certificates of one value or of several (a list of paths, bytes or objects)."""
    found: list[x509.Certificate] = []
    for item in items(values):
        found.extend(certificates(item, what=what))
    return found


def name_of(value: Any) -> str:
    """How a trust anchor is named where the verification reports its anchors."""
    if isinstance(value, str) and not value.lstrip().startswith(_PEM_TEXT):
        return value
    if isinstance(value, os.PathLike):
        return os.fsdecode(os.fspath(value))
    return "(given certificate)"
