"""The SIG and ENC rules beyond the fixture files: import hygiene, clock and window."""

from __future__ import annotations

from pathlib import Path

from profilesmith.cms.signer import Signer
from tests.conftest import FIXTURES, fresh_run, lint_bytes, plist, rule_hits
from tests.pki import PKI

PLAIN = plist("<dict>\n<key>PayloadContent</key>\n<array/>\n"
              "<key>PayloadType</key>\n<string>Configuration</string>\n</dict>")




def test_plain_profile_lint_imports_no_crypto(tmp_path: Path) -> None:
    path = tmp_path / "plain.mobileconfig"
    path.write_bytes(PLAIN)
    assert fresh_run(["lint", str(path)], ("cryptography", "asn1crypto")).imported == []


def test_expiry_window_follows_the_options(pki: PKI) -> None:
    signed = Signer.from_objects(pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert])
    data = signed.sign(PLAIN)  # valid until 2029-01-01; lint clock 2026-06-01
    assert rule_hits(lint_bytes(data), "SIG002") == []
    findings = lint_bytes(data, expiry_warning_days=1000)
    assert [f.message for f in findings if f.rule == "SIG002"] == [
        "the signer certificate CN=Profile Signer,O=profilesmith tests expires on "
        "2029-01-01 (in 945 days)"]


def test_signed_fixtures_carry_no_private_keys() -> None:
    for path in FIXTURES.rglob("*.mobileconfig"):
        if any(part.startswith(("SIG", "ENC")) for part in path.parts):
            assert b"PRIVATE KEY" not in path.read_bytes()
