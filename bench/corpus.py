"""Profiles to measure on: the real-world corpus in ../shared when it is there (read at
run time, never copied into the repository), else synthetic profiles of similar size."""

from __future__ import annotations

import plistlib
import re
import uuid
from pathlib import Path

_UUID = re.compile(rb"[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}")
_IDENTIFIER = re.compile(rb"(<key>PayloadIdentifier</key>\s*<string>)([^<]*)(</string>)")

SHARED_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real-world"


def _real_profiles() -> list[bytes]:
    if not SHARED_CORPUS.is_dir():
        return []
    found = []
    for path in sorted(SHARED_CORPUS.rglob("*.mobileconfig")):
        data = path.read_bytes()
        if not data.startswith(b"<?xml"):
            continue  # signed or oddly prefixed: plistlib, the baseline, cannot read them
        try:
            plistlib.loads(data)
        except Exception:
            continue
        found.append(data)
    return found


def _synthetic(index: int) -> bytes:
    ident = f"com.example.bench.{index}"
    payloads = [
        {
            "PayloadType": "com.apple.wifi.managed",
            "PayloadIdentifier": f"{ident}.wifi",
            "PayloadUUID": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{ident}.wifi")).upper(),
            "PayloadVersion": 1,
            "SSID_STR": f"Office {index}",
            "EncryptionType": "WPA2",
            "AutoJoin": True,
            "HIDDEN_NETWORK": False,
        },
        {
            "PayloadType": "com.apple.dock",
            "PayloadIdentifier": f"{ident}.dock",
            "PayloadUUID": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{ident}.dock")).upper(),
            "PayloadVersion": 1,
            "autohide": True,
            "tilesize": 48,
        },
    ]
    return plistlib.dumps({
        "PayloadContent": payloads,
        "PayloadDisplayName": f"Bench {index}",
        "PayloadIdentifier": ident,
        "PayloadType": "Configuration",
        "PayloadUUID": str(uuid.uuid5(uuid.NAMESPACE_URL, ident)).upper(),
        "PayloadVersion": 1,
    })


def build_corpus(directory: Path, count: int) -> Path:
    """``count`` profiles in ``directory``, cycling through the real ones if available."""
    directory.mkdir(parents=True, exist_ok=True)
    real = _real_profiles()
    for index in range(count):
        if real:
            data = real[index % len(real)]
            if index >= len(real):
                data = _distinct(data, index)
        else:
            data = _synthetic(index)
        (directory / f"{index:05}.mobileconfig").write_bytes(data)
    return directory


def _distinct(data: bytes, index: int) -> bytes:
    """A copy with its own UUIDs and identifiers, as the files of a real repository have:
    exact copies would make every file a cross-file duplicate finding."""
    namespace = uuid.uuid5(uuid.NAMESPACE_OID, str(index))
    data = _UUID.sub(lambda m: str(uuid.uuid5(namespace, m.group().decode())).upper().encode(),
                     data)
    suffix = f".copy{index}".encode()
    return _IDENTIFIER.sub(lambda m: m.group(1) + m.group(2) + suffix + m.group(3), data)
