"""What the verify tests share: a profile to sign, signing with the test PKI, running
``profilesmith verify`` and reading its JSON report, and ``openssl cms``."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from profilesmith.cms.signer import Signer
from tests.conftest import plist, run_cli
from tests.pki import Identity

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="openssl is not installed")
NOW = "2026-06-01"
NOW_EPOCH = "1780272000"  # 2026-06-01T00:00:00Z, for openssl's -attime
CONTENT = plist("""<dict>
	<key>PayloadContent</key>
	<array/>
	<key>PayloadDisplayName</key>
	<string>Verify me</string>
	<key>PayloadType</key>
	<string>Configuration</string>
</dict>""")


def sign(identity: Identity, *chain: Identity, content: bytes = CONTENT) -> bytes:
    return Signer.from_objects(identity.key, identity.cert, [c.cert for c in chain]).sign(content)


def verify(tmp_path: Path, data: bytes, *args: str) -> tuple[int, str]:
    path = tmp_path / "profile.mobileconfig"
    path.write_bytes(data)
    result = run_cli("verify", str(path), "--now", NOW, *args)
    return result.exit_code, result.output


def verify_json(tmp_path: Path, data: bytes, *args: str) -> tuple[int, dict[str, object]]:
    code, output = verify(tmp_path, data, "--format", "json", *args)
    return code, json.loads(output)


@dataclass
class Outcome:
    """``verify --format json`` and ``lint --format json`` of one file."""

    code: int
    status: str
    problems: list[tuple[str, str]]  # (reason, message)
    warnings: list[str]
    lint_code: int
    findings: list[tuple[str, str]]  # (rule, message) of the SIG findings


def verify_and_lint(tmp_path: Path, data: bytes, *args: str) -> Outcome:
    """Both commands on ``data``; lint must end without errors of its own (no "internal
    error", no unreadable file)."""
    code, report = verify_json(tmp_path, data, *args)
    linted = run_cli("lint", str(tmp_path / "profile.mobileconfig"), "--now", NOW,
                     "--format", "json")
    lint = json.loads(linted.output)
    assert "errors" not in lint, lint["errors"]
    return Outcome(
        code, str(report["status"]),
        [(p["reason"], p["message"]) for p in report["problems"]],  # type: ignore[attr-defined]
        list(report["warnings"]),  # type: ignore[call-overload]
        linted.exit_code,
        [(f["rule"], f["message"]) for f in lint["findings"] if f["rule"].startswith("SIG")])


def flip(data: bytes, index: int) -> bytes:
    changed = bytearray(data)
    changed[index] ^= 0x01
    return bytes(changed)


def openssl(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([OPENSSL or "openssl", *args], input=stdin, capture_output=True,
                          check=False)
