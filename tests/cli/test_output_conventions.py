"""Every command that writes a file: ``-o -`` is standard output (never a file named
``-``), the written file is confirmed on stderr as ``profilesmith: wrote OUT`` (the same
words everywhere), and an existing file is refused before any work without --force."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from tests.conftest import plist, run_cli
from tests.pki import PKI

PROFILE = plist("""<dict>
	<key>PayloadContent</key>
	<array>
		<dict>
			<key>PayloadIdentifier</key>
			<string>com.example.out.restrictions</string>
			<key>PayloadType</key>
			<string>com.apple.applicationaccess</string>
			<key>PayloadUUID</key>
			<string>0D9C8B7A-6F5E-4D3C-2B1A-09F8E7D6C5B4</string>
			<key>PayloadVersion</key>
			<integer>1</integer>
			<key>allowCamera</key>
			<false/>
		</dict>
	</array>
	<key>PayloadIdentifier</key>
	<string>com.example.out</string>
	<key>PayloadType</key>
	<string>Configuration</string>
	<key>PayloadUUID</key>
	<string>1A2B3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D</string>
	<key>PayloadVersion</key>
	<integer>1</integer>
</dict>""")


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pki: PKI) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.mobileconfig").write_bytes(PROFILE)
    signer = ["--key", str(pki.leaf.key_path), "--cert", str(pki.leaf.cert_path),
              "--chain", str(pki.intermediate.cert_path)]
    assert run_cli("sign", "p.mobileconfig", "-o", "signed.mobileconfig", *signer).exit_code == 0
    assert run_cli("encrypt", "p.mobileconfig", "-o", "enc.mobileconfig", "--recipient",
                   str(pki.device.cert_path)).exit_code == 0
    return tmp_path


def commands(pki: PKI) -> dict[str, list[str]]:
    """Each writing command, up to its output option."""
    signer = ["--key", str(pki.leaf.key_path), "--cert", str(pki.leaf.cert_path),
              "--chain", str(pki.intermediate.cert_path)]
    device = ["--key", str(pki.device.key_path), "--cert", str(pki.device.cert_path)]
    return {
        "sign": ["sign", "p.mobileconfig", *signer, "-o"],
        "unsign": ["unsign", "signed.mobileconfig", "-o"],
        "encrypt": ["encrypt", "p.mobileconfig", "--recipient", str(pki.device.cert_path),
                    "-o"],
        "decrypt": ["decrypt", "enc.mobileconfig", *device, "-o"],
        "convert": ["convert", "p.mobileconfig", "--to", "json", "-o"],
        "build": ["build", "root-cert", "--set", f"certificate={pki.root.cert_path}",
                  "--set", "identifier=com.example.root", "-o"],
        "command": ["command", "DeviceLock", "--set", "PIN=123456", "-o"],
    }


DETAILS = {"unsign": " (the signature was not checked; `profilesmith verify` checks it)"}


@pytest.mark.parametrize("name", ["sign", "unsign", "encrypt", "decrypt", "convert", "build",
                                  "command"])
def test_dash_is_standard_output_and_files_are_confirmed(work: Path, pki: PKI,
                                                         name: str) -> None:
    args = commands(pki)[name]
    to_stdout = run_cli(*args, "-")
    assert to_stdout.exit_code == 0, to_stdout.output
    assert not (work / "-").exists()
    assert to_stdout.stderr == ""
    data = to_stdout.stdout_bytes
    assert data
    to_file = run_cli(*args, "out.file")
    assert to_file.exit_code == 0, to_file.output
    assert to_file.stdout_bytes == b""
    assert to_file.stderr == f"profilesmith: wrote out.file{DETAILS.get(name, '')}\n"
    written = (work / "out.file").read_bytes()
    if name in ("sign", "encrypt", "command", "build"):
        # a signing time, a random key, a random CommandUUID, PayloadUUIDs derived from
        # the output's name
        assert len(written) == pytest.approx(len(data), abs=64)
    else:
        assert written == data
    refused = run_cli(*args, "out.file")
    assert (refused.exit_code, refused.stdout_bytes, refused.stderr) == (
        2, b"", "profilesmith: out.file: exists (use --force to replace it)\n")


def test_what_went_to_standard_output_is_the_file(work: Path, pki: PKI) -> None:
    unsigned = run_cli(*commands(pki)["unsign"], "-")
    assert unsigned.stdout_bytes == PROFILE
    decrypted = run_cli(*commands(pki)["decrypt"], "-")
    assert plistlib.loads(decrypted.stdout_bytes) == plistlib.loads(PROFILE)
    signed = run_cli(*commands(pki)["sign"], "-")
    verified = run_cli("verify", "-", "--ca", str(pki.root.cert_path), input=signed.stdout_bytes)
    assert verified.stdout.startswith("-: Verified\n")


def test_schema_export_and_verify_extract_confirm_too(work: Path, pki: PKI) -> None:
    exported = run_cli("schema", "export", "schemas")
    assert exported.exit_code == 0
    count = sum(1 for p in (work / "schemas").rglob("*.schema.json"))
    assert exported.stderr == f"profilesmith: wrote {count} schema(s) into schemas\n"
    extracted = run_cli("verify", "signed.mobileconfig", "--ca", str(pki.root.cert_path),
                        "--extract", "inner.mobileconfig")
    assert extracted.exit_code == 0
    assert extracted.stderr == "profilesmith: wrote inner.mobileconfig (the verified content)\n"
    assert (work / "inner.mobileconfig").read_bytes() == PROFILE
    assert run_cli("verify", "signed.mobileconfig", "--extract", "-").stderr == (
        "profilesmith: --extract -: standard output carries the report; give a file\n")


def test_sign_refuses_a_json_profile(work: Path, pki: PKI) -> None:
    (work / "p.json").write_text(
        '{"PayloadType": "Configuration", "PayloadContent": [], "PayloadIdentifier": "a", '
        '"PayloadUUID": "5B1D8E02-3C4F-4A7B-9E6D-1F2A3B4C5D6E", "PayloadVersion": 1}')
    args = commands(pki)["sign"][2:-1]
    result = run_cli("sign", "p.json", *args, "-o", "p.signed")
    assert (result.exit_code, result.stderr) == (
        2, "profilesmith: p.json: a JSON document, not a property list: convert it first "
           "(`profilesmith convert --to xml`)\n")
    assert not (work / "p.signed").exists()
