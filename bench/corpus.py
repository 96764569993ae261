"""The corpora the bench lints: the real-world profiles of the shared data, copied so that
each unsigned copy has its own PayloadIdentifiers and PayloadUUIDs, as the files of a real
repository would (exact copies would make every file a cross-file duplicate finding); the
signed and the unreadable files are included once.

The shared data is where the tests look: $PROFILESMITH_SHARED, else ../shared beside the
checkout. Without it a real-corpus run fails; synthetic profiles only when asked for.
"""

from __future__ import annotations

import os
import plistlib
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

SHARED_ENV = "PROFILESMITH_SHARED"
REPO = Path(__file__).resolve().parents[1]

_UUID = re.compile(rb"[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}")
_IDENTIFIER = re.compile(rb"(<key>PayloadIdentifier</key>\s*<string>)([^<]*)(</string>)")


class CorpusMissing(Exception):
    """The real-world corpus was asked for and is not there."""


def real_corpus_dir() -> Path:
    given = os.environ.get(SHARED_ENV)
    shared = Path(given).resolve() if given else (REPO / ".." / "shared").resolve()
    return shared / "corpus" / "real-world"


@dataclass(frozen=True)
class Corpus:
    directory: Path
    files: int
    unsigned: int  # distinct unsigned files (all copies)
    signed: int
    unreadable: int  # neither a readable XML plist nor CMS: plistlib fails on them
    copies: int
    source: str  # where the profiles came from, for the report

    def describe(self) -> str:
        return (f"{self.files} files ({self.unsigned} unsigned = {self.copies} copies with "
                f"their own identifiers and UUIDs, {self.signed} signed, {self.unreadable} "
                f"unreadable) from {self.source}")


@dataclass(frozen=True)
class _Source:
    unsigned: list[tuple[str, bytes]]
    once: list[tuple[str, bytes]]  # signed and unreadable files, kept as they are
    signed: int
    source: str


def _real() -> _Source:
    root = real_corpus_dir()
    paths = sorted(root.rglob("*.mobileconfig")) if root.is_dir() else []
    if not paths:
        raise CorpusMissing(
            f"the real-world corpus is not at {root} (set ${SHARED_ENV} to the shared data "
            "or put it in ../shared; --synthetic measures generated profiles instead)")
    unsigned, once, signed = [], [], 0
    for path in paths:
        name, data = str(path.relative_to(root)), path.read_bytes()
        try:
            plistlib.loads(data)
        except Exception:
            # CMS SignedData is DER, a SEQUENCE: its first byte is 0x30
            signed += data[:1] == b"\x30"
            once.append((name, data))
        else:
            unsigned.append((name, data))
    return _Source(unsigned, once, signed, str(root))


def _synthetic() -> _Source:
    profiles = []
    for index in range(240):
        ident = f"com.example.bench.{index}"
        inner = {"PayloadType": "com.apple.dock", "PayloadIdentifier": f"{ident}.dock",
                 "PayloadUUID": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{ident}.dock")).upper(),
                 "PayloadVersion": 1, "autohide": True, "tilesize": 48}
        top = {"PayloadContent": [inner], "PayloadDisplayName": f"Bench {index}",
               "PayloadIdentifier": ident, "PayloadType": "Configuration",
               "PayloadUUID": str(uuid.uuid5(uuid.NAMESPACE_URL, ident)).upper(),
               "PayloadVersion": 1}
        profiles.append((f"synthetic/{index:03}.mobileconfig", plistlib.dumps(top)))
    return _Source(profiles, [("synthetic/unreadable.mobileconfig", b"<plist><dict>")], 0,
                   "generated profiles (--synthetic)")


def distinct_copy(data: bytes, copy: int) -> bytes:
    """``data`` with every UUID and PayloadIdentifier of copy number ``copy`` (0: as it is).

    A UUID maps to the same new UUID wherever it occurs in a copy, so references between
    payloads (PayloadCertificateUUID and the like) still hold; its letter case is kept."""
    if copy == 0:
        return data
    namespace = uuid.uuid5(uuid.NAMESPACE_OID, f"profilesmith-bench-{copy}")

    def new_uuid(match: re.Match[bytes]) -> bytes:
        old = match.group().decode()
        new = str(uuid.uuid5(namespace, old.upper()))
        return (new if old.islower() else new.upper()).encode()

    data = _UUID.sub(new_uuid, data)
    suffix = f".copy{copy}".encode()
    return _IDENTIFIER.sub(lambda m: m.group(1) + m.group(2) + suffix + m.group(3), data)


def build(directory: Path, copies: int, *, synthetic: bool = False) -> Corpus:
    """The corpus in ``directory``: ``copies`` copies of each unsigned profile (copy 0 as
    it is), the other files once."""
    source = _synthetic() if synthetic else _real()
    for copy in range(copies):
        for name, data in source.unsigned:
            target = directory / f"copy{copy:03}" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(distinct_copy(data, copy))
    for name, data in source.once:
        target = directory / "copy000" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    unsigned = len(source.unsigned) * copies
    return Corpus(directory, unsigned + len(source.once), unsigned, source.signed,
                  len(source.once) - source.signed, copies, source.source)


def one_profile(*, synthetic: bool = False) -> bytes:
    """A typical unsigned real profile (the one of median size) for the one-file targets."""
    source = _synthetic() if synthetic else _real()
    unsigned = sorted(source.unsigned, key=lambda item: (len(item[1]), item[0]))
    return unsigned[len(unsigned) // 2][1]
